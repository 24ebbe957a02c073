package io.lightcone.edge.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decoded v2 {@code ServerMessage}s as plain immutable objects: what {@link ServerMessageDecoder} returns for tests
 * and the Java SDK. The server side never builds these; it streams with {@link ServerMessageEncoder}.
 */
public sealed interface ServerMessage
{
    /**
     * Bytes with value equality.
     *
     * @param bytes the bytes (not copied).
     */
    record Blob(byte[] bytes)
    {
        /**
         * A blob from UTF-8 text.
         *
         * @param text to encode.
         * @return the blob.
         */
        public static Blob utf8(final String text)
        {
            return new Blob(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Blob && Arrays.equals(bytes, ((Blob)o).bytes);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder("Blob[");
            for (final byte b : bytes)
            {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.append(']').toString();
        }
    }

    /**
     * A BsatnRowList.
     *
     * @param fixedSize n for {@code FixedSize(n)}, -1 for {@code RowOffsets}.
     * @param rows the rows' BSATN.
     */
    record RowList(int fixedSize, List<Blob> rows)
    {
        /**
         * The row list our encoder writes for these rows (FixedSize when all have one size in 1..65535).
         *
         * @param rows the rows.
         * @return the row list with the expected hint.
         */
        public static RowList of(final List<Blob> rows)
        {
            int size = rows.isEmpty() ? -1 : rows.get(0).bytes().length;
            for (final Blob row : rows)
            {
                if (row.bytes().length != size)
                {
                    size = -1;
                }
            }
            return new RowList(size > 0 && size <= 0xFFFF ? size : -1, List.copyOf(rows));
        }

        /**
         * The row list with no rows.
         *
         * @return {@code RowOffsets([])} and no data.
         */
        public static RowList empty()
        {
            return new RowList(-1, List.of());
        }
    }

    /**
     * SingleTableRows.
     *
     * @param table name.
     * @param rows the rows.
     */
    record SingleTableRows(String table, RowList rows)
    {
    }

    /**
     * QueryRows.
     *
     * @param tables one entry per (query, table).
     */
    record QueryRows(List<SingleTableRows> tables)
    {
    }

    /**
     * TableUpdateRows.
     */
    sealed interface TableUpdateRows
    {
    }

    /**
     * TableUpdateRows::PersistentTable.
     *
     * @param inserts inserted rows (first on the wire).
     * @param deletes deleted rows.
     */
    record PersistentRows(RowList inserts, RowList deletes) implements TableUpdateRows
    {
    }

    /**
     * TableUpdateRows::EventTable.
     *
     * @param events the event rows.
     */
    record EventRows(RowList events) implements TableUpdateRows
    {
    }

    /**
     * TableUpdate.
     *
     * @param tableName the table.
     * @param rows the row groups.
     */
    record TableUpdate(String tableName, List<TableUpdateRows> rows)
    {
    }

    /**
     * QuerySetUpdate.
     *
     * @param querySetId the query set.
     * @param tables the table updates.
     */
    record QuerySetUpdate(int querySetId, List<TableUpdate> tables)
    {
    }

    /**
     * ServerMessage::InitialConnection.
     *
     * @param identity 32 bytes little-endian.
     * @param connectionId 16 bytes little-endian.
     * @param token the token.
     */
    record InitialConnection(Blob identity, Blob connectionId, String token) implements ServerMessage
    {
    }

    /**
     * ServerMessage::SubscribeApplied.
     *
     * @param requestId the request.
     * @param querySetId the query set.
     * @param rows the initial rows.
     */
    record SubscribeApplied(int requestId, int querySetId, QueryRows rows) implements ServerMessage
    {
    }

    /**
     * ServerMessage::UnsubscribeApplied.
     *
     * @param requestId the request.
     * @param querySetId the query set.
     * @param rows the dropped rows, or null for None.
     */
    record UnsubscribeApplied(int requestId, int querySetId, QueryRows rows) implements ServerMessage
    {
    }

    /**
     * ServerMessage::SubscriptionError.
     *
     * @param requestId the request, or null for None.
     * @param querySetId the query set.
     * @param error the message.
     */
    record SubscriptionError(Integer requestId, int querySetId, String error) implements ServerMessage
    {
    }

    /**
     * ServerMessage::TransactionUpdate (also the payload of ReducerOk).
     *
     * @param querySets the updates.
     */
    record TransactionUpdate(List<QuerySetUpdate> querySets) implements ServerMessage
    {
    }

    /**
     * ServerMessage::OneOffQueryResult: exactly one of rows and error is non-null.
     *
     * @param requestId the request.
     * @param rows Ok rows, or null.
     * @param error Err message, or null.
     */
    record OneOffQueryResult(int requestId, QueryRows rows, String error) implements ServerMessage
    {
    }

    /**
     * ReducerOutcome.
     */
    sealed interface ReducerOutcome
    {
    }

    /**
     * ReducerOutcome::Ok.
     *
     * @param retValue BSATN return value.
     * @param transactionUpdate the caller's deltas.
     */
    record ReducerOk(Blob retValue, TransactionUpdate transactionUpdate) implements ReducerOutcome
    {
    }

    /**
     * ReducerOutcome::OkEmpty.
     */
    record ReducerOkEmpty() implements ReducerOutcome
    {
    }

    /**
     * ReducerOutcome::Err: Bytes holding a BSATN String.
     *
     * @param message the decoded String.
     */
    record ReducerErr(String message) implements ReducerOutcome
    {
    }

    /**
     * ReducerOutcome::InternalError.
     *
     * @param message the error.
     */
    record ReducerInternalError(String message) implements ReducerOutcome
    {
    }

    /**
     * ServerMessage::ReducerResult.
     *
     * @param requestId the request.
     * @param timestampMicros reducer start.
     * @param outcome the outcome.
     */
    record ReducerResult(int requestId, long timestampMicros, ReducerOutcome outcome) implements ServerMessage
    {
    }

    /**
     * ServerMessage::ProcedureResult: exactly one of returned and internalError is non-null.
     *
     * @param returned Returned(Bytes), or null.
     * @param internalError InternalError(String), or null.
     * @param timestampMicros procedure start.
     * @param durationMicros total host execution duration.
     * @param requestId the request.
     */
    record ProcedureResult(
        Blob returned, String internalError, long timestampMicros, long durationMicros, int requestId)
        implements ServerMessage
    {
    }

    /**
     * Convenience for building lists in tests and SDK code.
     *
     * @param rows the rows.
     * @return a mutable list of blobs.
     */
    static List<Blob> blobs(final byte[]... rows)
    {
        final List<Blob> list = new ArrayList<>(rows.length);
        for (final byte[] row : rows)
        {
            list.add(new Blob(row));
        }
        return list;
    }
}
