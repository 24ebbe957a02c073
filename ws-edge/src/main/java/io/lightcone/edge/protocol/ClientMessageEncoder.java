package io.lightcone.edge.protocol;

import io.lightcone.core.sats.BsatnWriter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.List;

/**
 * Writes v2 {@code ClientMessage}s (the client side: tests and the Java SDK). Messages are appended one after the
 * other, so a v3 frame is simply several calls in a row.
 */
public final class ClientMessageEncoder
{
    private final BsatnWriter writer = new BsatnWriter();

    /**
     * Points the encoder at a buffer.
     *
     * @param buffer to write to; expandable or big enough.
     * @param offset of the first byte.
     * @return this encoder.
     */
    public ClientMessageEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        writer.wrap(buffer, offset);
        return this;
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
     * Bytes written since {@link #wrap}.
     *
     * @return the length.
     */
    public int length()
    {
        return writer.length();
    }

    /**
     * Subscribe{request_id, query_set_id, query_strings}.
     *
     * @param requestId the request id.
     * @param querySetId the query set id.
     * @param queries the query strings.
     * @return this encoder.
     */
    public ClientMessageEncoder subscribe(final int requestId, final int querySetId, final List<String> queries)
    {
        writer.writeU8(Protocol.CLIENT_SUBSCRIBE).writeU32(requestId).writeU32(querySetId).writeU32(queries.size());
        for (final String query : queries)
        {
            writer.writeString(query);
        }
        return this;
    }

    /**
     * Unsubscribe{request_id, query_set_id, flags}.
     *
     * @param requestId the request id.
     * @param querySetId the query set id.
     * @param sendDroppedRows true for SendDroppedRows, false for Default.
     * @return this encoder.
     */
    public ClientMessageEncoder unsubscribe(final int requestId, final int querySetId, final boolean sendDroppedRows)
    {
        writer.writeU8(Protocol.CLIENT_UNSUBSCRIBE).writeU32(requestId).writeU32(querySetId)
            .writeU8(sendDroppedRows ? 1 : 0);
        return this;
    }

    /**
     * OneOffQuery{request_id, query_string}.
     *
     * @param requestId the request id.
     * @param query the query.
     * @return this encoder.
     */
    public ClientMessageEncoder oneOffQuery(final int requestId, final String query)
    {
        writer.writeU8(Protocol.CLIENT_ONE_OFF_QUERY).writeU32(requestId).writeString(query);
        return this;
    }

    /**
     * CallReducer{request_id, flags = 0, reducer, args}.
     *
     * @param requestId the request id.
     * @param reducer the reducer name.
     * @param args buffer holding the BSATN args.
     * @param offset of the args.
     * @param length of the args.
     * @return this encoder.
     */
    public ClientMessageEncoder callReducer(
        final int requestId, final String reducer, final DirectBuffer args, final int offset, final int length)
    {
        return call(Protocol.CLIENT_CALL_REDUCER, requestId, reducer, args, offset, length);
    }

    /**
     * CallProcedure{request_id, flags = 0, procedure, args}.
     *
     * @param requestId the request id.
     * @param procedure the procedure name.
     * @param args buffer holding the BSATN args.
     * @param offset of the args.
     * @param length of the args.
     * @return this encoder.
     */
    public ClientMessageEncoder callProcedure(
        final int requestId, final String procedure, final DirectBuffer args, final int offset, final int length)
    {
        return call(Protocol.CLIENT_CALL_PROCEDURE, requestId, procedure, args, offset, length);
    }

    private ClientMessageEncoder call(
        final int tag,
        final int requestId,
        final String name,
        final DirectBuffer args,
        final int offset,
        final int length)
    {
        writer.writeU8(tag).writeU32(requestId).writeU8(0).writeString(name).writeU32(length);
        if (length > 0)
        {
            writer.writeRaw(args, offset, length);
        }
        return this;
    }
}
