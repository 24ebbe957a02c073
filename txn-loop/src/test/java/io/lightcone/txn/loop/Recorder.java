package io.lightcone.txn.loop;

import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.TxCommittedView;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Egress events in arrival order, as plain records.
 */
final class Recorder implements CoreEgressListener
{
    record Table(int tableId, String name, byte[] inserted, byte[] deleted)
    {
    }

    record Tx(long databaseId, long txOffset, long timestampMicros, long connectionIdLo, int requestId,
        String reducer, List<Table> tables)
    {
        Table table(final String name)
        {
            for (final Table table : tables)
            {
                if (table.name().equals(name))
                {
                    return table;
                }
            }
            return null;
        }
    }

    record Failed(long databaseId, int requestId, long connectionIdLo, Outcome outcome, String reducer,
        String message)
    {
    }

    record Durable(long databaseId, long upTo)
    {
    }

    record Completed(long databaseId, long txOffset, int requestId, Outcome outcome, String message)
    {
    }

    record Procedure(long databaseId, long txOffset, int requestId, long connectionIdLo, ProcedureStatus status,
        byte[] returnValue, String message)
    {
    }

    record Chunk(long databaseId, long txOffset, int edgeId, int chunkIndex, boolean last, byte[] bytes)
    {
    }

    record Schema(long databaseId, long txOffset, String name, int schemaLength, byte[] owner, byte[] moduleDef)
    {
    }

    record Log(long databaseId, String message)
    {
    }

    final List<Object> events = new ArrayList<>();

    static Tx tx(final TxCommittedView view)
    {
        final List<Table> tables = new ArrayList<>();
        for (int i = 0; i < view.tableCount(); i++)
        {
            tables.add(new Table(view.tableId(i), view.tableName(i),
                bytes(view.buffer(), view.insertedOffset(i), view.insertedLength(i)),
                bytes(view.buffer(), view.deletedOffset(i), view.deletedLength(i))));
        }
        return new Tx(view.databaseId(), view.txOffset(), view.timestampMicros(), view.callerConnectionIdLo(),
            view.requestId(), view.reducerName(), tables);
    }

    public void onTxCommitted(final TxCommittedView view)
    {
        events.add(tx(view));
    }

    public void onTxFailed(
        final DirectBuffer buffer, final long databaseId, final int edgeId, final int requestId,
        final long connectionIdLo, final long connectionIdHi, final long timestampMicros, final long energyUsed,
        final long durationMicros, final Outcome outcome, final int nameOffset, final int nameLength,
        final int messageOffset, final int messageLength)
    {
        events.add(new Failed(databaseId, requestId, connectionIdLo, outcome,
            buffer.getStringWithoutLengthUtf8(nameOffset, nameLength),
            buffer.getStringWithoutLengthUtf8(messageOffset, messageLength)));
    }

    public void onDurable(final long databaseId, final long upToTxOffset)
    {
        events.add(new Durable(databaseId, upToTxOffset));
    }

    public void onSchemaChanged(
        final DirectBuffer buffer, final long databaseId, final long txOffset, final int databaseIdentityOffset,
        final int nameOffset, final int nameLength, final int schemaOffset, final int schemaLength,
        final int ownerOffset, final int moduleDefOffset, final int moduleDefLength)
    {
        final byte[] owner = ownerOffset < 0 ? null : new byte[32];
        if (null != owner)
        {
            buffer.getBytes(ownerOffset, owner);
        }
        final byte[] moduleDef = new byte[moduleDefLength];
        buffer.getBytes(moduleDefOffset, moduleDef);
        events.add(new Schema(databaseId, txOffset, buffer.getStringWithoutLengthUtf8(nameOffset, nameLength),
            schemaLength, owner, moduleDef));
    }

    public void onSnapshotChunk(
        final DirectBuffer buffer, final long databaseId, final long txOffset, final int edgeId,
        final int chunkIndex, final boolean last, final int bytesOffset, final int bytesLength)
    {
        events.add(new Chunk(databaseId, txOffset, edgeId, chunkIndex, last, bytes(buffer, bytesOffset,
            bytesLength)));
    }

    public void onModuleLog(
        final DirectBuffer buffer, final long databaseId, final long timestampMicros, final LogLevel level,
        final int messageOffset, final int messageLength)
    {
        events.add(new Log(databaseId, buffer.getStringWithoutLengthUtf8(messageOffset, messageLength)));
    }

    public void onRequestCompleted(
        final DirectBuffer buffer, final long databaseId, final long txOffset, final int edgeId,
        final int requestId, final Outcome outcome, final int messageOffset, final int messageLength)
    {
        events.add(new Completed(databaseId, txOffset, requestId, outcome,
            buffer.getStringWithoutLengthUtf8(messageOffset, messageLength)));
    }

    public void onProcedureResult(
        final DirectBuffer buffer, final long databaseId, final long txOffset, final int edgeId,
        final int requestId, final long connectionIdLo, final long connectionIdHi, final long timestampMicros,
        final long durationMicros, final ProcedureStatus status, final int returnValueOffset,
        final int returnValueLength, final int errorMessageOffset, final int errorMessageLength)
    {
        events.add(new Procedure(databaseId, txOffset, requestId, connectionIdLo, status,
            bytes(buffer, returnValueOffset, returnValueLength),
            buffer.getStringWithoutLengthUtf8(errorMessageOffset, errorMessageLength)));
    }

    <T> List<T> all(final Class<T> type)
    {
        final List<T> result = new ArrayList<>();
        for (final Object event : events)
        {
            if (type.isInstance(event))
            {
                result.add(type.cast(event));
            }
        }
        return result;
    }

    <T> T find(final Class<T> type, final Predicate<T> predicate)
    {
        for (final Object event : events)
        {
            if (type.isInstance(event) && predicate.test(type.cast(event)))
            {
                return type.cast(event);
            }
        }
        return null;
    }

    static byte[] bytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
