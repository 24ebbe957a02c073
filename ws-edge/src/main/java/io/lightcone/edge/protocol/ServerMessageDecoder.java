package io.lightcone.edge.protocol;

import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.EventRows;
import io.lightcone.edge.protocol.ServerMessage.PersistentRows;
import io.lightcone.edge.protocol.ServerMessage.QueryRows;
import io.lightcone.edge.protocol.ServerMessage.QuerySetUpdate;
import io.lightcone.edge.protocol.ServerMessage.RowList;
import io.lightcone.edge.protocol.ServerMessage.SingleTableRows;
import io.lightcone.edge.protocol.ServerMessage.TableUpdate;
import io.lightcone.edge.protocol.ServerMessage.TableUpdateRows;
import io.lightcone.edge.protocol.ServerMessage.TransactionUpdate;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Decodes server frames and v2 {@code ServerMessage}s into {@link ServerMessage} objects (client side: tests and the
 * Java SDK; it allocates freely). Row lists are checked against their {@code RowSizeHint}. Malformed input throws
 * {@link ProtocolException}.
 */
public final class ServerMessageDecoder
{
    private final BsatnReader reader = new BsatnReader();

    /**
     * Decodes a whole frame: compression tag, (decompressed) body, then messages until the body is exhausted.
     *
     * @param buffer holding the frame.
     * @param offset of the tag byte.
     * @param length of tag plus body.
     * @return the messages, at least one.
     */
    public List<ServerMessage> decodeFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1)
        {
            throw new ProtocolException(0, "empty server frame: no compression tag");
        }
        final int tag = buffer.getByte(offset);
        final DirectBuffer body;
        final int bodyOffset;
        final int bodyLength;
        switch (tag)
        {
            case Protocol.COMPRESSION_TAG_NONE:
                body = buffer;
                bodyOffset = offset + 1;
                bodyLength = length - 1;
                break;
            case Protocol.COMPRESSION_TAG_GZIP:
                final byte[] plain = gunzip(buffer, offset + 1, length - 1);
                body = new UnsafeBuffer(plain);
                bodyOffset = 0;
                bodyLength = plain.length;
                break;
            case Protocol.COMPRESSION_TAG_BROTLI:
                final byte[] unbrotli = BrotliFrames.decompress(buffer, offset + 1, length - 1);
                body = new UnsafeBuffer(unbrotli);
                bodyOffset = 0;
                bodyLength = unbrotli.length;
                break;
            default:
                throw new ProtocolException(0, "unsupported server frame compression tag " + tag);
        }
        if (bodyLength == 0)
        {
            throw new ProtocolException(1, "empty server frame body");
        }
        final List<ServerMessage> messages = new ArrayList<>();
        reader.wrap(body, bodyOffset, bodyLength);
        while (!reader.isExhausted())
        {
            messages.add(decodeNext());
        }
        return messages;
    }

    /**
     * Decodes exactly one message filling the region (v2 body without the tag byte).
     *
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return the message.
     */
    public ServerMessage decode(final DirectBuffer buffer, final int offset, final int length)
    {
        reader.wrap(buffer, offset, length);
        final ServerMessage message = decodeNext();
        if (!reader.isExhausted())
        {
            throw new ProtocolException(reader.relativePosition(), "trailing " + reader.remaining() +
                " bytes after ServerMessage");
        }
        return message;
    }

    private ServerMessage decodeNext()
    {
        final int start = reader.relativePosition();
        try
        {
            final int tag = reader.readU8();
            switch (tag)
            {
                case Protocol.SERVER_INITIAL_CONNECTION:
                    return new ServerMessage.InitialConnection(
                        new Blob(reader.readBytes(Protocol.IDENTITY_BYTES, "identity")),
                        new Blob(reader.readBytes(Protocol.CONNECTION_ID_BYTES, "connection_id")),
                        reader.readString());
                case Protocol.SERVER_SUBSCRIBE_APPLIED:
                    return new ServerMessage.SubscribeApplied(reader.readI32(), reader.readI32(), queryRows());
                case Protocol.SERVER_UNSUBSCRIBE_APPLIED:
                    return new ServerMessage.UnsubscribeApplied(
                        reader.readI32(), reader.readI32(), option("rows") ? queryRows() : null);
                case Protocol.SERVER_SUBSCRIPTION_ERROR:
                    return new ServerMessage.SubscriptionError(
                        option("request_id") ? Integer.valueOf(reader.readI32()) : null,
                        reader.readI32(),
                        reader.readString());
                case Protocol.SERVER_TRANSACTION_UPDATE:
                    return transactionUpdate();
                case Protocol.SERVER_ONE_OFF_QUERY_RESULT:
                    final int requestId = reader.readI32();
                    return option("result") ?
                        new ServerMessage.OneOffQueryResult(requestId, queryRows(), null) :
                        new ServerMessage.OneOffQueryResult(requestId, null, reader.readString());
                case Protocol.SERVER_REDUCER_RESULT:
                    return new ServerMessage.ReducerResult(reader.readI32(), reader.readI64(), reducerOutcome());
                case Protocol.SERVER_PROCEDURE_RESULT:
                    return procedureResult();
                default:
                    throw reader.error("unknown ServerMessage tag " + tag);
            }
        }
        catch (final BsatnDecodeException e)
        {
            throw new ProtocolException(e.offset(), "malformed ServerMessage starting at byte " + start + ": " +
                e.getMessage(), e);
        }
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

    private ServerMessage procedureResult()
    {
        final int status = reader.readU8();
        Blob returned = null;
        String internalError = null;
        if (status == Protocol.PROCEDURE_RETURNED)
        {
            returned = new Blob(reader.readByteArray());
        }
        else if (status == Protocol.PROCEDURE_INTERNAL_ERROR)
        {
            internalError = reader.readString();
        }
        else
        {
            throw reader.error("invalid ProcedureStatus tag " + status);
        }
        return new ServerMessage.ProcedureResult(returned, internalError, reader.readI64(), reader.readI64(),
            reader.readI32());
    }

    private ServerMessage.ReducerOutcome reducerOutcome()
    {
        final int tag = reader.readU8();
        switch (tag)
        {
            case Protocol.REDUCER_OK:
                return new ServerMessage.ReducerOk(new Blob(reader.readByteArray()), transactionUpdate());
            case Protocol.REDUCER_OK_EMPTY:
                return new ServerMessage.ReducerOkEmpty();
            case Protocol.REDUCER_ERR:
                final byte[] bytes = reader.readByteArray();
                final BsatnReader inner = new BsatnReader(bytes);
                final String message = inner.readString();
                if (!inner.isExhausted())
                {
                    throw reader.error("ReducerOutcome::Err bytes hold more than one String");
                }
                return new ServerMessage.ReducerErr(message);
            case Protocol.REDUCER_INTERNAL_ERROR:
                return new ServerMessage.ReducerInternalError(reader.readString());
            default:
                throw reader.error("invalid ReducerOutcome tag " + tag);
        }
    }

    private TransactionUpdate transactionUpdate()
    {
        final int count = reader.readLength(8, "query_sets");
        final List<QuerySetUpdate> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final int querySetId = reader.readI32();
            final int tableCount = reader.readLength(8, "tables");
            final List<TableUpdate> tables = new ArrayList<>(tableCount);
            for (int t = 0; t < tableCount; t++)
            {
                final String name = reader.readString();
                final int rowsCount = reader.readLength(1, "rows");
                final List<TableUpdateRows> rows = new ArrayList<>(rowsCount);
                for (int r = 0; r < rowsCount; r++)
                {
                    final int tag = reader.readU8();
                    if (tag == Protocol.ROWS_PERSISTENT)
                    {
                        rows.add(new PersistentRows(rowList(), rowList()));
                    }
                    else if (tag == Protocol.ROWS_EVENT)
                    {
                        rows.add(new EventRows(rowList()));
                    }
                    else
                    {
                        throw reader.error("invalid TableUpdateRows tag " + tag);
                    }
                }
                tables.add(new TableUpdate(name, rows));
            }
            sets.add(new QuerySetUpdate(querySetId, tables));
        }
        return new TransactionUpdate(sets);
    }

    private QueryRows queryRows()
    {
        final int count = reader.readLength(4, "tables");
        final List<SingleTableRows> tables = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            tables.add(new SingleTableRows(reader.readString(), rowList()));
        }
        return new QueryRows(tables);
    }

    private RowList rowList()
    {
        final int hint = reader.readU8();
        int fixedSize = -1;
        long[] offsets = null;
        if (hint == Protocol.HINT_FIXED_SIZE)
        {
            fixedSize = reader.readU16();
            if (fixedSize == 0)
            {
                throw reader.error("RowSizeHint::FixedSize(0)");
            }
        }
        else if (hint == Protocol.HINT_ROW_OFFSETS)
        {
            final int count = reader.readLength(8, "row offsets");
            offsets = new long[count];
            for (int i = 0; i < count; i++)
            {
                offsets[i] = reader.readI64();
            }
        }
        else
        {
            throw reader.error("invalid RowSizeHint tag " + hint);
        }
        final byte[] data = reader.readByteArray();
        final List<Blob> rows = new ArrayList<>();
        if (offsets == null)
        {
            if (data.length % fixedSize != 0)
            {
                throw reader.error("rows_data of " + data.length + " bytes is not a multiple of FixedSize(" +
                    fixedSize + ")");
            }
            for (int at = 0; at < data.length; at += fixedSize)
            {
                rows.add(new Blob(Arrays.copyOfRange(data, at, at + fixedSize)));
            }
        }
        else
        {
            if (offsets.length == 0 && data.length != 0)
            {
                throw reader.error("RowOffsets([]) with " + data.length + " bytes of rows_data");
            }
            for (int i = 0; i < offsets.length; i++)
            {
                final long from = offsets[i];
                final long to = i + 1 < offsets.length ? offsets[i + 1] : data.length;
                if ((i == 0 && from != 0) || from < 0 || to < from || to > data.length)
                {
                    throw reader.error("RowOffsets entry " + i + " = " + from + " inconsistent with " +
                        data.length + " bytes of rows_data");
                }
                rows.add(new Blob(Arrays.copyOfRange(data, (int)from, (int)to)));
            }
        }
        return new RowList(fixedSize, rows);
    }

    private static byte[] gunzip(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] compressed = new byte[length];
        buffer.getBytes(offset, compressed);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed)))
        {
            return in.readAllBytes();
        }
        catch (final IOException e)
        {
            throw new ProtocolException(1, "corrupt gzip server frame body: " + e.getMessage(), e);
        }
    }
}
