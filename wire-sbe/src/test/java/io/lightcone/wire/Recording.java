package io.lightcone.wire;

import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Listeners that describe each callback as a line of text, and the helpers tests use to write the expected lines.
 */
final class Recording
{
    private Recording()
    {
    }

    static UnsafeBuffer utf8(final String s)
    {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Short slices in hex, long ones as length and CRC32. */
    static String describe(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return describe(bytes);
    }

    static String describe(final byte[] bytes)
    {
        if (bytes.length <= 64)
        {
            final StringBuilder sb = new StringBuilder(bytes.length * 2 + 2).append('[');
            for (final byte b : bytes)
            {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.append(']').toString();
        }
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return "[" + bytes.length + "b crc=" + Long.toHexString(crc.getValue()) + "]";
    }

    static String callReducer(
        final String kind, final long db, final int edge, final int req, final long lo, final long hi,
        final String identity, final long ts, final int flags, final String name, final String args)
    {
        return kind + " db=" + db + " edge=" + edge + " req=" + req + " conn=" + lo + "/" + hi + " id=" + identity +
            " ts=" + ts + " flags=" + flags + " name=" + name + " args=" + args;
    }

    static String clientConnected(
        final long db, final int edge, final long lo, final long hi, final String identity, final long ts,
        final String jwt)
    {
        return "connected db=" + db + " edge=" + edge + " conn=" + lo + "/" + hi + " id=" + identity + " ts=" + ts +
            " jwt=" + jwt;
    }

    static String clientDisconnected(
        final long db, final int edge, final long lo, final long hi, final String identity, final long ts)
    {
        return "disconnected db=" + db + " edge=" + edge + " conn=" + lo + "/" + hi + " id=" + identity + " ts=" + ts;
    }

    static String sqlDml(
        final long db, final int edge, final int req, final long lo, final long hi, final String identity,
        final String sql)
    {
        return "sql db=" + db + " edge=" + edge + " req=" + req + " conn=" + lo + "/" + hi + " id=" + identity +
            " sql=" + sql;
    }

    static String publishModule(
        final int edge, final int req, final String owner, final boolean clear, final String name,
        final String module)
    {
        return "publish edge=" + edge + " req=" + req + " owner=" + owner + " clear=" + clear + " name=" + name +
            " module=" + module;
    }

    static String deleteDatabase(final int edge, final int req, final String identity, final String name)
    {
        return "delete edge=" + edge + " req=" + req + " id=" + identity + " name=" + name;
    }

    static String edgeBootstrap(final int edge, final long from)
    {
        return "bootstrap edge=" + edge + " from=" + from;
    }

    static String txFailed(
        final long db, final int edge, final int req, final long lo, final long hi, final long ts, final long energy,
        final long duration, final Outcome outcome, final String name, final String message)
    {
        return "failed db=" + db + " edge=" + edge + " req=" + req + " conn=" + lo + "/" + hi + " ts=" + ts +
            " energy=" + energy + " duration=" + duration + " outcome=" + outcome + " name=" + name + " msg=" +
            message;
    }

    static String durable(final long db, final long upTo)
    {
        return "durable db=" + db + " upTo=" + upTo;
    }

    static String schemaChanged(
        final long db, final long tx, final String identity, final String name, final String schema)
    {
        return "schema db=" + db + " tx=" + tx + " id=" + identity + " name=" + name + " schema=" + schema;
    }

    static String snapshotChunk(
        final long db, final long tx, final int edge, final int index, final boolean last, final String bytes)
    {
        return "snapshot db=" + db + " tx=" + tx + " edge=" + edge + " index=" + index + " last=" + last +
            " bytes=" + bytes;
    }

    static String moduleLog(final long db, final long ts, final LogLevel level, final String message)
    {
        return "log db=" + db + " ts=" + ts + " level=" + level + " msg=" + message;
    }

    static String requestCompleted(
        final long db, final long tx, final int edge, final int req, final Outcome outcome, final String message)
    {
        return "completed db=" + db + " tx=" + tx + " edge=" + edge + " req=" + req + " outcome=" + outcome +
            " msg=" + message;
    }

    static String procedureResult(
        final long db, final long tx, final int edge, final int req, final long lo, final long hi, final long ts,
        final long duration, final ProcedureStatus status, final String value, final String error)
    {
        return "procedure db=" + db + " tx=" + tx + " edge=" + edge + " req=" + req + " conn=" + lo + "/" + hi +
            " ts=" + ts + " duration=" + duration + " status=" + status + " value=" + value + " error=" + error;
    }

    static String txCommittedHead(
        final long db, final long tx, final long ts, final long lo, final long hi, final String identity,
        final long energy, final long duration, final int req, final Outcome outcome, final String reducer,
        final String error, final int tables)
    {
        return "committed db=" + db + " tx=" + tx + " ts=" + ts + " conn=" + lo + "/" + hi + " id=" + identity +
            " energy=" + energy + " duration=" + duration + " req=" + req + " outcome=" + outcome + " reducer=" +
            reducer + " error=" + error + " tables=" + tables;
    }

    static String table(final int tableId, final String name, final String inserted, final String deleted)
    {
        return " {" + tableId + " " + name + " +" + inserted + " -" + deleted + "}";
    }

    /** Records every ingress callback. */
    static final class Ingress implements CoreIngressListener
    {
        final List<String> events = new ArrayList<>();

        public void onCallReducer(
            final DirectBuffer b, final long databaseId, final int edgeId, final int requestId, final long lo,
            final long hi, final int identityOffset, final long ts, final int flags, final int nameOffset,
            final int nameLength, final int argsOffset, final int argsLength)
        {
            events.add(callReducer("reducer", databaseId, edgeId, requestId, lo, hi,
                describe(b, identityOffset, 32), ts, flags, b.getStringWithoutLengthUtf8(nameOffset, nameLength),
                describe(b, argsOffset, argsLength)));
        }

        public void onCallProcedure(
            final DirectBuffer b, final long databaseId, final int edgeId, final int requestId, final long lo,
            final long hi, final int identityOffset, final long ts, final int flags, final int nameOffset,
            final int nameLength, final int argsOffset, final int argsLength)
        {
            events.add(callReducer("procedure", databaseId, edgeId, requestId, lo, hi,
                describe(b, identityOffset, 32), ts, flags, b.getStringWithoutLengthUtf8(nameOffset, nameLength),
                describe(b, argsOffset, argsLength)));
        }

        public void onClientConnected(
            final DirectBuffer b, final long databaseId, final int edgeId, final long lo, final long hi,
            final int identityOffset, final long ts, final int jwtOffset, final int jwtLength)
        {
            events.add(clientConnected(databaseId, edgeId, lo, hi, describe(b, identityOffset, 32), ts,
                b.getStringWithoutLengthUtf8(jwtOffset, jwtLength)));
        }

        public void onClientDisconnected(
            final DirectBuffer b, final long databaseId, final int edgeId, final long lo, final long hi,
            final int identityOffset, final long ts)
        {
            events.add(clientDisconnected(databaseId, edgeId, lo, hi, describe(b, identityOffset, 32), ts));
        }

        public void onSqlDml(
            final DirectBuffer b, final long databaseId, final int edgeId, final int requestId, final long lo,
            final long hi, final int identityOffset, final int sqlOffset, final int sqlLength)
        {
            events.add(sqlDml(databaseId, edgeId, requestId, lo, hi, describe(b, identityOffset, 32),
                b.getStringWithoutLengthUtf8(sqlOffset, sqlLength)));
        }

        public void onPublishModule(
            final DirectBuffer b, final int edgeId, final int requestId, final int ownerOffset, final boolean clear,
            final int nameOffset, final int nameLength, final int moduleOffset, final int moduleLength)
        {
            events.add(publishModule(edgeId, requestId, describe(b, ownerOffset, 32), clear,
                b.getStringWithoutLengthUtf8(nameOffset, nameLength), describe(b, moduleOffset, moduleLength)));
        }

        public void onDeleteDatabase(
            final DirectBuffer b, final int edgeId, final int requestId, final int identityOffset,
            final int nameOffset, final int nameLength)
        {
            events.add(deleteDatabase(edgeId, requestId, describe(b, identityOffset, 32),
                b.getStringWithoutLengthUtf8(nameOffset, nameLength)));
        }

        public void onEdgeBootstrap(final int edgeId, final long fromTxOffset)
        {
            events.add(edgeBootstrap(edgeId, fromTxOffset));
        }

        public void onSetDatabaseNames(
            final DirectBuffer b, final int edgeId, final int requestId, final int identityOffset,
            final boolean replace, final int nameOffset, final int nameLength, final int namesOffset,
            final int namesLength)
        {
            events.add("names edge=" + edgeId + " req=" + requestId + " id=" + describe(b, identityOffset, 32) +
                " replace=" + replace + " name=" + b.getStringWithoutLengthUtf8(nameOffset, nameLength) + " names=" +
                b.getStringWithoutLengthUtf8(namesOffset, namesLength));
        }
    }

    /** Records every egress callback. */
    static final class Egress implements CoreEgressListener
    {
        final List<String> events = new ArrayList<>();

        public void onTxCommitted(final TxCommittedView tx)
        {
            final DirectBuffer b = tx.buffer();
            final StringBuilder sb = new StringBuilder(txCommittedHead(
                tx.databaseId(), tx.txOffset(), tx.timestampMicros(), tx.callerConnectionIdLo(),
                tx.callerConnectionIdHi(), describe(b, tx.callerIdentityOffset(), 32), tx.energyUsed(),
                tx.durationMicros(), tx.requestId(), tx.outcome(), tx.reducerName(), tx.errorMessage(),
                tx.tableCount()));
            for (int i = 0; i < tx.tableCount(); i++)
            {
                sb.append(table(tx.tableId(i), tx.tableName(i),
                    describe(b, tx.insertedOffset(i), tx.insertedLength(i)),
                    describe(b, tx.deletedOffset(i), tx.deletedLength(i))));
            }
            events.add(sb.toString());
        }

        public void onTxFailed(
            final DirectBuffer b, final long databaseId, final int edgeId, final int requestId, final long lo,
            final long hi, final long ts, final long energy, final long duration, final Outcome outcome,
            final int nameOffset, final int nameLength, final int messageOffset, final int messageLength)
        {
            events.add(txFailed(databaseId, edgeId, requestId, lo, hi, ts, energy, duration, outcome,
                b.getStringWithoutLengthUtf8(nameOffset, nameLength),
                b.getStringWithoutLengthUtf8(messageOffset, messageLength)));
        }

        public void onDurable(final long databaseId, final long upToTxOffset)
        {
            events.add(durable(databaseId, upToTxOffset));
        }

        public void onSchemaChanged(
            final DirectBuffer b, final long databaseId, final long txOffset, final int identityOffset,
            final int nameOffset, final int nameLength, final int schemaOffset, final int schemaLength,
            final int ownerOffset, final int moduleDefOffset, final int moduleDefLength)
        {
            final String base = schemaChanged(databaseId, txOffset, describe(b, identityOffset, 32),
                b.getStringWithoutLengthUtf8(nameOffset, nameLength), describe(b, schemaOffset, schemaLength));
            events.add(ownerOffset < 0 && 0 == moduleDefLength ? base : base + " owner=" +
                describe(b, ownerOffset, 32) + " moduleDef=" + describe(b, moduleDefOffset, moduleDefLength));
        }

        public void onSnapshotChunk(
            final DirectBuffer b, final long databaseId, final long txOffset, final int edgeId,
            final int chunkIndex, final boolean last, final int bytesOffset, final int bytesLength)
        {
            events.add(snapshotChunk(databaseId, txOffset, edgeId, chunkIndex, last,
                describe(b, bytesOffset, bytesLength)));
        }

        public void onDatabaseSettings(
            final DirectBuffer b, final long databaseId, final int namesOffset, final int namesLength,
            final int variablesOffset, final int variablesLength, final int hashOffset, final int hashLength)
        {
            events.add("settings db=" + databaseId + " names=" +
                b.getStringWithoutLengthUtf8(namesOffset, namesLength) + " vars=" +
                b.getStringWithoutLengthUtf8(variablesOffset, variablesLength) + " hash=" +
                describe(b, hashOffset, hashLength));
        }

        public void onModuleLog(
            final DirectBuffer b, final long databaseId, final long ts, final LogLevel level,
            final int messageOffset, final int messageLength)
        {
            events.add(moduleLog(databaseId, ts, level, b.getStringWithoutLengthUtf8(messageOffset, messageLength)));
        }

        public void onRequestCompleted(
            final DirectBuffer b, final long databaseId, final long txOffset, final int edgeId, final int requestId,
            final Outcome outcome, final int messageOffset, final int messageLength)
        {
            events.add(requestCompleted(databaseId, txOffset, edgeId, requestId, outcome,
                b.getStringWithoutLengthUtf8(messageOffset, messageLength)));
        }

        public void onProcedureResult(
            final DirectBuffer b, final long databaseId, final long txOffset, final int edgeId, final int requestId,
            final long connectionIdLo, final long connectionIdHi, final long timestampMicros,
            final long durationMicros, final ProcedureStatus status, final int valueOffset, final int valueLength,
            final int errorOffset, final int errorLength)
        {
            events.add(procedureResult(databaseId, txOffset, edgeId, requestId, connectionIdLo, connectionIdHi,
                timestampMicros, durationMicros, status, describe(b, valueOffset, valueLength),
                b.getStringWithoutLengthUtf8(errorOffset, errorLength)));
        }
    }
}
