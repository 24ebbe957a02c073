package io.lightcone.edge.protocol;

import io.lightcone.core.sats.BsatnWriter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Writes v2 {@code ServerMessage}s as BSATN straight into a {@link MutableDirectBuffer} (use an expandable one).
 * <p>
 * Flat messages are one call. Messages holding rows are streamed with begin/end pairs, e.g.
 * <pre>
 * enc.beginSubscribeApplied(req, qs);
 *   enc.beginTable("person"); enc.row(buf, off, len); ...; enc.endTable();
 * enc.endQueryRows();
 *
 * enc.beginTransactionUpdate();            // or beginReducerResultOk(req, ts, ret...)
 *   enc.beginQuerySet(qs);
 *     enc.beginTableUpdate("person");
 *       enc.beginPersistentRows(); enc.insert(...); enc.delete(...); enc.endPersistentRows();
 *     enc.endTableUpdate();
 *   enc.endQuerySet();
 * enc.endTransactionUpdate();
 * </pre>
 * Array counts are patched when their structure ends; each row list is staged in a {@link RowListBuilder} so its
 * {@code RowSizeHint} is exact, and inserts are always written before deletes whatever the call order. Structure
 * misuse (wrong end, row outside a list) throws {@link IllegalStateException}.
 */
public final class ServerMessageEncoder
{
    private static final int QUERY_ROWS = 1;
    private static final int SINGLE_TABLE = 2;
    private static final int TRANSACTION_UPDATE = 3;
    private static final int QUERY_SET = 4;
    private static final int TABLE_UPDATE = 5;
    private static final int PERSISTENT_ROWS = 6;
    private static final int EVENT_ROWS = 7;
    private static final String[] KIND_NAMES =
    {
        "message", "QueryRows", "SingleTableRows", "TransactionUpdate", "QuerySetUpdate", "TableUpdate",
        "PersistentTableRows", "EventTableRows"
    };
    private static final int MAX_DEPTH = 8;

    private final BsatnWriter writer = new BsatnWriter();
    private final RowListBuilder rows = new RowListBuilder();
    private final RowListBuilder deletes = new RowListBuilder();
    private final int[] kinds = new int[MAX_DEPTH];
    private final int[] countPositions = new int[MAX_DEPTH];
    private final int[] counts = new int[MAX_DEPTH];
    private int depth;
    private int messageStart;

    /**
     * Points the encoder at a buffer; the next message is written at {@code offset}.
     *
     * @param buffer to write to; expandable or big enough.
     * @param offset of the first byte.
     * @return this encoder.
     */
    public ServerMessageEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        writer.wrap(buffer, offset);
        messageStart = offset;
        depth = 0;
        return this;
    }

    /**
     * The buffer written to.
     *
     * @return the buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return writer.buffer();
    }

    /**
     * Absolute position of the next byte.
     *
     * @return the position.
     */
    public int position()
    {
        return writer.position();
    }

    /**
     * Bytes written since the current message started.
     *
     * @return the length.
     */
    public int messageLength()
    {
        return writer.position() - messageStart;
    }

    /**
     * Whether every structure that was begun has been ended.
     *
     * @return true when the message is complete.
     */
    public boolean isComplete()
    {
        return depth == 0;
    }

    private void startMessage(final int tag)
    {
        startFragment();
        writer.writeU8(tag);
    }

    /**
     * InitialConnection{identity, connection_id, token}.
     *
     * @param identity 32 bytes, BSATN (little-endian) form.
     * @param connectionId 16 bytes, BSATN (little-endian) form.
     * @param token the token the client authenticated with.
     * @return this encoder.
     */
    public ServerMessageEncoder initialConnection(final byte[] identity, final byte[] connectionId, final String token)
    {
        if (identity.length != Protocol.IDENTITY_BYTES || connectionId.length != Protocol.CONNECTION_ID_BYTES)
        {
            throw new IllegalArgumentException("identity must be 32 bytes and connection id 16 bytes");
        }
        startMessage(Protocol.SERVER_INITIAL_CONNECTION);
        writer.writeRaw(identity).writeRaw(connectionId).writeString(token);
        return this;
    }

    /**
     * Begins SubscribeApplied{request_id, query_set_id, rows}; continue with tables, end with {@link #endQueryRows}.
     *
     * @param requestId of the Subscribe.
     * @param querySetId of the Subscribe.
     * @return this encoder.
     */
    public ServerMessageEncoder beginSubscribeApplied(final int requestId, final int querySetId)
    {
        startMessage(Protocol.SERVER_SUBSCRIBE_APPLIED);
        writer.writeU32(requestId).writeU32(querySetId);
        push(QUERY_ROWS);
        return this;
    }

    /**
     * UnsubscribeApplied with {@code rows = None} (Unsubscribe with Default flags).
     *
     * @param requestId of the Unsubscribe.
     * @param querySetId of the Unsubscribe.
     * @return this encoder.
     */
    public ServerMessageEncoder unsubscribeApplied(final int requestId, final int querySetId)
    {
        startMessage(Protocol.SERVER_UNSUBSCRIBE_APPLIED);
        writer.writeU32(requestId).writeU32(querySetId).writeU8(Protocol.OPTION_NONE);
        return this;
    }

    /**
     * Begins UnsubscribeApplied with {@code rows = Some(QueryRows)}; end with {@link #endQueryRows}.
     *
     * @param requestId of the Unsubscribe.
     * @param querySetId of the Unsubscribe.
     * @return this encoder.
     */
    public ServerMessageEncoder beginUnsubscribeAppliedWithRows(final int requestId, final int querySetId)
    {
        startMessage(Protocol.SERVER_UNSUBSCRIBE_APPLIED);
        writer.writeU32(requestId).writeU32(querySetId).writeU8(Protocol.OPTION_SOME);
        push(QUERY_ROWS);
        return this;
    }

    /**
     * SubscriptionError{request_id: Option&lt;u32&gt;, query_set_id, error}.
     *
     * @param hasRequestId true for Some(requestId) (failed to apply), false for None (failed during an update).
     * @param requestId used only when {@code hasRequestId}.
     * @param querySetId the query set.
     * @param error the message.
     * @return this encoder.
     */
    public ServerMessageEncoder subscriptionError(
        final boolean hasRequestId, final int requestId, final int querySetId, final String error)
    {
        startMessage(Protocol.SERVER_SUBSCRIPTION_ERROR);
        if (hasRequestId)
        {
            writer.writeU8(Protocol.OPTION_SOME).writeU32(requestId);
        }
        else
        {
            writer.writeU8(Protocol.OPTION_NONE);
        }
        writer.writeU32(querySetId).writeString(error);
        return this;
    }

    /**
     * Begins TransactionUpdate{query_sets}; continue with query sets, end with {@link #endTransactionUpdate}.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder beginTransactionUpdate()
    {
        startMessage(Protocol.SERVER_TRANSACTION_UPDATE);
        push(TRANSACTION_UPDATE);
        return this;
    }

    /**
     * Begins OneOffQueryResult{request_id, Ok(QueryRows)}; end with {@link #endQueryRows}.
     *
     * @param requestId of the OneOffQuery.
     * @return this encoder.
     */
    public ServerMessageEncoder beginOneOffQueryOk(final int requestId)
    {
        startMessage(Protocol.SERVER_ONE_OFF_QUERY_RESULT);
        writer.writeU32(requestId).writeU8(Protocol.RESULT_OK);
        push(QUERY_ROWS);
        return this;
    }

    /**
     * OneOffQueryResult{request_id, Err(String)}.
     *
     * @param requestId of the OneOffQuery.
     * @param error the message.
     * @return this encoder.
     */
    public ServerMessageEncoder oneOffQueryError(final int requestId, final String error)
    {
        startMessage(Protocol.SERVER_ONE_OFF_QUERY_RESULT);
        writer.writeU32(requestId).writeU8(Protocol.RESULT_ERR).writeString(error);
        return this;
    }

    /**
     * Begins ReducerResult{request_id, timestamp, Ok(ReducerOk{ret_value, transaction_update})}; continue with
     * query sets (the caller's deltas, possibly none), end with {@link #endTransactionUpdate}.
     *
     * @param requestId of the CallReducer.
     * @param timestampMicros reducer start, microseconds since the Unix epoch.
     * @param retValue buffer of the BSATN return value.
     * @param retOffset of the return value.
     * @param retLength of the return value (0 for WASM reducers).
     * @return this encoder.
     */
    public ServerMessageEncoder beginReducerResultOk(
        final int requestId,
        final long timestampMicros,
        final DirectBuffer retValue,
        final int retOffset,
        final int retLength)
    {
        reducerHeader(requestId, timestampMicros, Protocol.REDUCER_OK);
        writer.writeU32(retLength);
        if (retLength > 0)
        {
            writer.writeRaw(retValue, retOffset, retLength);
        }
        push(TRANSACTION_UPDATE);
        return this;
    }

    /**
     * ReducerResult with outcome OkEmpty.
     *
     * @param requestId of the CallReducer.
     * @param timestampMicros reducer start.
     * @return this encoder.
     */
    public ServerMessageEncoder reducerResultOkEmpty(final int requestId, final long timestampMicros)
    {
        reducerHeader(requestId, timestampMicros, Protocol.REDUCER_OK_EMPTY);
        return this;
    }

    /**
     * ReducerResult with outcome Err: a user error, sent as Bytes holding the BSATN String of the message.
     *
     * @param requestId of the CallReducer.
     * @param timestampMicros reducer start.
     * @param error the message.
     * @return this encoder.
     */
    public ServerMessageEncoder reducerResultErr(final int requestId, final long timestampMicros, final String error)
    {
        reducerHeader(requestId, timestampMicros, Protocol.REDUCER_ERR);
        final byte[] utf8 = error.getBytes(StandardCharsets.UTF_8);
        writer.writeU32(4 + utf8.length).writeU32(utf8.length).writeRaw(utf8);
        return this;
    }

    /**
     * ReducerResult with outcome InternalError(String) (panic, trap, out of energy, unknown reducer, bad args).
     *
     * @param requestId of the CallReducer.
     * @param timestampMicros reducer start.
     * @param error the message.
     * @return this encoder.
     */
    public ServerMessageEncoder reducerResultInternalError(
        final int requestId, final long timestampMicros, final String error)
    {
        reducerHeader(requestId, timestampMicros, Protocol.REDUCER_INTERNAL_ERROR);
        writer.writeString(error);
        return this;
    }

    private void reducerHeader(final int requestId, final long timestampMicros, final int outcome)
    {
        startMessage(Protocol.SERVER_REDUCER_RESULT);
        writer.writeU32(requestId).writeU64(timestampMicros).writeU8(outcome);
    }

    /**
     * ProcedureResult{Returned(Bytes), timestamp, total_host_execution_duration, request_id}.
     *
     * @param requestId of the CallProcedure.
     * @param timestampMicros procedure start.
     * @param durationMicros total host execution duration.
     * @param value buffer of the BSATN return value.
     * @param offset of the return value.
     * @param length of the return value.
     * @return this encoder.
     */
    public ServerMessageEncoder procedureResultReturned(
        final int requestId,
        final long timestampMicros,
        final long durationMicros,
        final DirectBuffer value,
        final int offset,
        final int length)
    {
        startMessage(Protocol.SERVER_PROCEDURE_RESULT);
        writer.writeU8(Protocol.PROCEDURE_RETURNED).writeU32(length);
        if (length > 0)
        {
            writer.writeRaw(value, offset, length);
        }
        writer.writeU64(timestampMicros).writeU64(durationMicros).writeU32(requestId);
        return this;
    }

    /**
     * ProcedureResult{InternalError(String), timestamp, total_host_execution_duration, request_id}.
     *
     * @param requestId of the CallProcedure.
     * @param timestampMicros procedure start.
     * @param durationMicros total host execution duration.
     * @param error the message.
     * @return this encoder.
     */
    public ServerMessageEncoder procedureResultInternalError(
        final int requestId, final long timestampMicros, final long durationMicros, final String error)
    {
        startMessage(Protocol.SERVER_PROCEDURE_RESULT);
        writer.writeU8(Protocol.PROCEDURE_INTERNAL_ERROR).writeString(error);
        writer.writeU64(timestampMicros).writeU64(durationMicros).writeU32(requestId);
        return this;
    }

    /**
     * Begins a SingleTableRows inside QueryRows; append rows with {@link #row}, end with {@link #endTable}.
     *
     * @param table name of the table.
     * @return this encoder.
     */
    public ServerMessageEncoder beginTable(final String table)
    {
        child(QUERY_ROWS);
        writer.writeString(table);
        rows.reset();
        push(SINGLE_TABLE);
        return this;
    }

    /**
     * Appends a row to the open SingleTableRows or EventTableRows.
     *
     * @param source holding the row's BSATN.
     * @param offset of the row.
     * @param length of the row.
     * @return this encoder.
     */
    public ServerMessageEncoder row(final DirectBuffer source, final int offset, final int length)
    {
        final int kind = top();
        if (kind != SINGLE_TABLE && kind != EVENT_ROWS)
        {
            throw new IllegalStateException("row() needs an open SingleTableRows or EventTableRows, not " +
                KIND_NAMES[kind]);
        }
        rows.append(source, offset, length);
        return this;
    }

    /**
     * Ends the SingleTableRows, writing its row list.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder endTable()
    {
        pop(SINGLE_TABLE);
        rows.writeTo(writer);
        return this;
    }

    /**
     * Ends the QueryRows and with it the message.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder endQueryRows()
    {
        pop(QUERY_ROWS);
        return this;
    }

    /**
     * Begins a QuerySetUpdate{query_set_id, tables} inside a TransactionUpdate.
     *
     * @param querySetId the client's query set.
     * @return this encoder.
     */
    public ServerMessageEncoder beginQuerySet(final int querySetId)
    {
        child(TRANSACTION_UPDATE);
        writer.writeU32(querySetId);
        push(QUERY_SET);
        return this;
    }

    /**
     * Ends the QuerySetUpdate.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder endQuerySet()
    {
        pop(QUERY_SET);
        return this;
    }

    /**
     * Ends the TransactionUpdate and with it the message (TransactionUpdate or ReducerResult Ok).
     *
     * @return this encoder.
     */
    public ServerMessageEncoder endTransactionUpdate()
    {
        pop(TRANSACTION_UPDATE);
        return this;
    }

    /**
     * Begins a TableUpdate{table_name, rows} inside a QuerySetUpdate.
     *
     * @param table name of the table.
     * @return this encoder.
     */
    public ServerMessageEncoder beginTableUpdate(final String table)
    {
        child(QUERY_SET);
        writer.writeString(table);
        push(TABLE_UPDATE);
        return this;
    }

    /**
     * Ends the TableUpdate.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder endTableUpdate()
    {
        pop(TABLE_UPDATE);
        return this;
    }

    /**
     * Begins a PersistentTable{inserts, deletes} entry; add rows with {@link #insert} and {@link #delete} in any
     * order, end with {@link #endPersistentRows}.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder beginPersistentRows()
    {
        child(TABLE_UPDATE);
        writer.writeU8(Protocol.ROWS_PERSISTENT);
        rows.reset();
        deletes.reset();
        push(PERSISTENT_ROWS);
        return this;
    }

    /**
     * Begins a PersistentTable{inserts, deletes} entry on its own, outside any message, so that it can be encoded
     * once and copied into the TableUpdates of many clients with {@link #tableUpdate}. Add rows with {@link #insert}
     * and {@link #delete}, end with {@link #endPersistentRows}; the entry is then the {@link #messageLength()} bytes
     * before {@link #position()}.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder beginPersistentRowsFragment()
    {
        startFragment();
        writer.writeU8(Protocol.ROWS_PERSISTENT);
        rows.reset();
        deletes.reset();
        push(PERSISTENT_ROWS);
        return this;
    }

    /**
     * A whole TableUpdate{table_name, rows: [one entry]} inside a QuerySetUpdate, from bytes encoded before: the
     * table name's UTF-8 bytes and one TableUpdateRows entry (e.g. from {@link #beginPersistentRowsFragment}). Writes
     * exactly what {@link #beginTableUpdate} with that one entry and {@link #endTableUpdate} would, by copying.
     *
     * @param name       holding the table name, UTF-8.
     * @param nameOffset of the name.
     * @param nameLength of the name in bytes.
     * @param entry      holding the encoded TableUpdateRows entry.
     * @param offset     of the entry.
     * @param length     of the entry.
     * @return this encoder.
     */
    public ServerMessageEncoder tableUpdate(
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer entry,
        final int offset,
        final int length)
    {
        child(QUERY_SET);
        writer.writeU32(nameLength).writeRaw(name, nameOffset, nameLength);
        writer.writeU32(1).writeRaw(entry, offset, length);
        return this;
    }

    /**
     * Adds an inserted row.
     *
     * @param source holding the row's BSATN.
     * @param offset of the row.
     * @param length of the row.
     * @return this encoder.
     */
    public ServerMessageEncoder insert(final DirectBuffer source, final int offset, final int length)
    {
        expectTop(PERSISTENT_ROWS, "insert()");
        rows.append(source, offset, length);
        return this;
    }

    /**
     * Adds a deleted row.
     *
     * @param source holding the row's BSATN.
     * @param offset of the row.
     * @param length of the row.
     * @return this encoder.
     */
    public ServerMessageEncoder delete(final DirectBuffer source, final int offset, final int length)
    {
        expectTop(PERSISTENT_ROWS, "delete()");
        deletes.append(source, offset, length);
        return this;
    }

    /**
     * Ends the PersistentTable entry: writes inserts, then deletes.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder endPersistentRows()
    {
        pop(PERSISTENT_ROWS);
        rows.writeTo(writer);
        deletes.writeTo(writer);
        return this;
    }

    /**
     * Begins an EventTable{events} entry; add rows with {@link #row}, end with {@link #endEventRows}.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder beginEventRows()
    {
        child(TABLE_UPDATE);
        writer.writeU8(Protocol.ROWS_EVENT);
        rows.reset();
        push(EVENT_ROWS);
        return this;
    }

    /**
     * Ends the EventTable entry.
     *
     * @return this encoder.
     */
    public ServerMessageEncoder endEventRows()
    {
        pop(EVENT_ROWS);
        rows.writeTo(writer);
        return this;
    }

    private void startFragment()
    {
        if (depth != 0)
        {
            throw new IllegalStateException("a message is still open: " + KIND_NAMES[kinds[depth - 1]]);
        }
        messageStart = writer.position();
    }

    private void push(final int kind)
    {
        kinds[depth] = kind;
        switch (kind)
        {
            case QUERY_ROWS:
            case TRANSACTION_UPDATE:
            case QUERY_SET:
            case TABLE_UPDATE:
                countPositions[depth] = writer.position();
                counts[depth] = 0;
                writer.writeU32(0);
                break;
            default:
                countPositions[depth] = -1;
                break;
        }
        depth++;
    }

    private void pop(final int kind)
    {
        expectTop(kind, "end of " + KIND_NAMES[kind]);
        depth--;
        if (countPositions[depth] >= 0)
        {
            writer.buffer().putInt(countPositions[depth], counts[depth], LITTLE_ENDIAN);
        }
    }

    private void child(final int parentKind)
    {
        expectTop(parentKind, "an element of " + KIND_NAMES[parentKind]);
        counts[depth - 1]++;
    }

    private int top()
    {
        return depth == 0 ? 0 : kinds[depth - 1];
    }

    private void expectTop(final int kind, final String what)
    {
        if (top() != kind)
        {
            throw new IllegalStateException(what + " needs an open " + KIND_NAMES[kind] + ", but the innermost " +
                "open structure is " + (depth == 0 ? "none" : KIND_NAMES[top()]));
        }
    }
}
