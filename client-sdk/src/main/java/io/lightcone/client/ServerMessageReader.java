package io.lightcone.client;

import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.edge.protocol.Protocol;
import io.lightcone.edge.protocol.ProtocolException;
import org.agrona.DirectBuffer;

/**
 * Reads v2 {@code ServerMessage}s in place and hands them to a {@link Handler}: the SDK's steady-state path.
 * Row-bearing parts arrive as a {@link RowLists} flyweight over the frame, so a TransactionUpdate or ReducerResult
 * allocates nothing here; only strings that are kept or shown (token, error messages) become {@link String}s.
 * <p>
 * It walks the same wire layout as ws-edge's {@link io.lightcone.edge.protocol.ServerMessageDecoder} (which builds
 * immutable objects for tests and tools); {@code ServerMessageReaderTest} checks the two agree on encoded messages.
 */
final class ServerMessageReader
{
    /**
     * Receives decoded messages; every flyweight is valid during the call only.
     */
    interface Handler
    {
        void onInitialConnection(DirectBuffer buffer, int identityOffset, int connectionIdOffset, String token);

        void onSubscribeApplied(int requestId, int querySetId, RowLists rows);

        void onUnsubscribeApplied(int requestId, int querySetId, RowLists droppedRows);

        void onSubscriptionError(boolean hasRequestId, int requestId, int querySetId, String error);

        void onTransactionUpdate(RowLists updates);

        void onOneOffQueryResult(int requestId, RowLists rows, String error);

        /**
         * A ReducerResult.
         *
         * @param requestId       the call.
         * @param timestampMicros reducer start.
         * @param outcome         {@link Protocol#REDUCER_OK} .. {@link Protocol#REDUCER_INTERNAL_ERROR}.
         * @param updates         the caller's deltas (empty unless Ok).
         * @param error           the message of Err and InternalError, else null.
         */
        void onReducerResult(int requestId, long timestampMicros, int outcome, RowLists updates, String error);

        void onProcedureResult(
            int requestId,
            long timestampMicros,
            long durationMicros,
            DirectBuffer buffer,
            int returnedOffset,
            int returnedLength,
            String error);
    }

    private final BsatnReader reader = new BsatnReader();
    private final RowLists rowLists = new RowLists();

    /**
     * Reads one message and calls the handler.
     *
     * @param buffer  holding the message.
     * @param offset  of the message's tag byte.
     * @param limit   absolute end of the region the message must lie in.
     * @param handler to call.
     * @return the absolute offset just after the message.
     * @throws ProtocolException on malformed input, saying where.
     */
    int read(final DirectBuffer buffer, final int offset, final int limit, final Handler handler)
    {
        reader.wrap(buffer, offset, limit - offset);
        try
        {
            final int tag = reader.readU8();
            switch (tag)
            {
                case Protocol.SERVER_INITIAL_CONNECTION:
                {
                    final int identityOffset = reader.position();
                    reader.skip(Protocol.IDENTITY_BYTES + Protocol.CONNECTION_ID_BYTES, "identity, connection_id");
                    final String token = reader.readString();
                    final int end = reader.position();
                    handler.onInitialConnection(buffer, identityOffset, identityOffset + Protocol.IDENTITY_BYTES,
                        token);
                    return end;
                }
                case Protocol.SERVER_SUBSCRIBE_APPLIED:
                {
                    final int requestId = reader.readI32();
                    final int querySetId = reader.readI32();
                    final int end = queryRows(buffer, limit, RowLists.INSERTS);
                    handler.onSubscribeApplied(requestId, querySetId, rowLists);
                    return end;
                }
                case Protocol.SERVER_UNSUBSCRIBE_APPLIED:
                {
                    final int requestId = reader.readI32();
                    final int querySetId = reader.readI32();
                    final int end = option("rows") ? queryRows(buffer, limit, RowLists.DELETES) : none();
                    handler.onUnsubscribeApplied(requestId, querySetId, rowLists);
                    return end;
                }
                case Protocol.SERVER_SUBSCRIPTION_ERROR:
                {
                    final boolean hasRequestId = option("request_id");
                    final int requestId = hasRequestId ? reader.readI32() : -1;
                    final int querySetId = reader.readI32();
                    final String error = reader.readString();
                    final int end = reader.position();
                    handler.onSubscriptionError(hasRequestId, requestId, querySetId, error);
                    return end;
                }
                case Protocol.SERVER_TRANSACTION_UPDATE:
                {
                    final int end = transactionUpdate(buffer, limit);
                    handler.onTransactionUpdate(rowLists);
                    return end;
                }
                case Protocol.SERVER_ONE_OFF_QUERY_RESULT:
                {
                    final int requestId = reader.readI32();
                    if (option("result"))
                    {
                        final int end = queryRows(buffer, limit, RowLists.INSERTS);
                        handler.onOneOffQueryResult(requestId, rowLists, null);
                        return end;
                    }
                    final String error = reader.readString();
                    final int end = reader.position();
                    handler.onOneOffQueryResult(requestId, rowLists.wrapNone(), error);
                    return end;
                }
                case Protocol.SERVER_REDUCER_RESULT:
                    return reducerResult(buffer, limit, handler);
                case Protocol.SERVER_PROCEDURE_RESULT:
                    return procedureResult(buffer, handler);
                default:
                    throw reader.error("unknown ServerMessage tag " + tag);
            }
        }
        catch (final BsatnDecodeException e)
        {
            throw new ProtocolException(e.offset(), "malformed ServerMessage starting at byte " + offset + ": " +
                e.getMessage(), e);
        }
    }

    private int reducerResult(final DirectBuffer buffer, final int limit, final Handler handler)
    {
        final int requestId = reader.readI32();
        final long timestampMicros = reader.readI64();
        final int outcome = reader.readU8();
        switch (outcome)
        {
            case Protocol.REDUCER_OK:
            {
                final int retLength = reader.readLength(1, "ret_value");
                reader.skip(retLength, "ret_value");
                final int end = transactionUpdate(buffer, limit);
                handler.onReducerResult(requestId, timestampMicros, outcome, rowLists, null);
                return end;
            }
            case Protocol.REDUCER_OK_EMPTY:
            {
                final int end = none();
                handler.onReducerResult(requestId, timestampMicros, outcome, rowLists, null);
                return end;
            }
            case Protocol.REDUCER_ERR:
            {
                final int bytes = reader.readLength(1, "Err bytes");
                final int start = reader.position();
                final String message = reader.readString();
                if (reader.position() != start + bytes)
                {
                    throw reader.error("ReducerOutcome::Err bytes hold more than one String");
                }
                final int end = none();
                handler.onReducerResult(requestId, timestampMicros, outcome, rowLists, message);
                return end;
            }
            case Protocol.REDUCER_INTERNAL_ERROR:
            {
                final String message = reader.readString();
                final int end = none();
                handler.onReducerResult(requestId, timestampMicros, outcome, rowLists, message);
                return end;
            }
            default:
                throw reader.error("invalid ReducerOutcome tag " + outcome);
        }
    }

    private int procedureResult(final DirectBuffer buffer, final Handler handler)
    {
        final int status = reader.readU8();
        int returnedOffset = 0;
        int returnedLength = 0;
        String error = null;
        if (status == Protocol.PROCEDURE_RETURNED)
        {
            returnedLength = reader.readLength(1, "returned");
            returnedOffset = reader.position();
            reader.skip(returnedLength, "returned");
        }
        else if (status == Protocol.PROCEDURE_INTERNAL_ERROR)
        {
            error = reader.readString();
        }
        else
        {
            throw reader.error("invalid ProcedureStatus tag " + status);
        }
        final long timestampMicros = reader.readI64();
        final long durationMicros = reader.readI64();
        final int requestId = reader.readI32();
        final int end = reader.position();
        handler.onProcedureResult(requestId, timestampMicros, durationMicros, buffer, returnedOffset, returnedLength,
            error);
        return end;
    }

    /** Reads an Option or Result tag: true for Some / Ok (tag 0), false for None / Err (tag 1). */
    private boolean option(final String what)
    {
        final int tag = reader.readU8();
        if (tag > 1)
        {
            throw reader.error("invalid Option/Result tag " + tag + " for " + what);
        }
        return tag == 0;
    }

    private int none()
    {
        rowLists.wrapNone();
        return reader.position();
    }

    private int queryRows(final DirectBuffer buffer, final int limit, final int kind)
    {
        return rowLists.wrapQueryRows(buffer, reader.position(), limit, kind).walk(null);
    }

    private int transactionUpdate(final DirectBuffer buffer, final int limit)
    {
        return rowLists.wrapTransactionUpdate(buffer, reader.position(), limit).walk(null);
    }
}
