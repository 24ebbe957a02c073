package io.lightcone.edge.protocol;

import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable flyweight view of one v2 {@code ClientMessage} in a {@link DirectBuffer}, plus the v2/v3 frame loops.
 * <p>
 * Decoding validates the whole message (tags, lengths, UTF-8, flags) but copies nothing: strings and the args are
 * remembered as offsets into the frame and turned into Java objects only when asked. Every error is a
 * {@link ProtocolException} naming the field and the byte offset in the frame.
 */
public final class ClientMessageDecoder
{
    private static final String[] TAG_NAMES =
    {
        "Subscribe", "Unsubscribe", "OneOffQuery", "CallReducer", "CallProcedure"
    };
    /** The field names a call's errors mention, made once per tag rather than concatenated on every call. */
    private static final String[][] CALL_FIELD_NAMES = new String[TAG_NAMES.length][];
    private static final int CALL_REQUEST_ID = 0;
    private static final int CALL_FLAGS = 1;
    private static final int CALL_NAME = 2;
    private static final int CALL_ARGS = 3;

    static
    {
        for (final int tag : new int[] {Protocol.CLIENT_CALL_REDUCER, Protocol.CLIENT_CALL_PROCEDURE})
        {
            final String name = TAG_NAMES[tag];
            CALL_FIELD_NAMES[tag] =
                new String[] {name + ".request_id", name + ".flags", name + ".name", name + ".args"};
        }
    }

    private final BsatnReader reader = new BsatnReader();
    private DirectBuffer buffer;
    private int frameOffset;
    private int messageIndex;
    private int messageStart;
    private int messageLength;
    private int tag = -1;
    private int requestId;
    private int querySetId;
    private boolean sendDroppedRows;
    private int flags;
    private int nameOffset;
    private int nameLength;
    private int argsOffset;
    private int argsLength;
    private int queryCount;
    private int[] queryOffsets = new int[8];
    private int[] queryLengths = new int[8];

    /**
     * Decodes a v2 frame: exactly one message, nothing after it; then calls the handler.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @param handler to call with the message.
     * @throws ProtocolException if the frame is malformed.
     */
    public void decodeV2Frame(
        final DirectBuffer buffer, final int offset, final int length, final ClientMessageHandler handler)
    {
        if (length == 0)
        {
            throw new ProtocolException(0, "empty v2 frame: expected one ClientMessage");
        }
        final int consumed = decode(buffer, offset, length, 0, 0);
        if (consumed != length)
        {
            throw new ProtocolException(consumed, "trailing " + (length - consumed) + " bytes after " +
                TAG_NAMES[tag] + " ClientMessage ending at byte " + consumed + " of a v2 frame of " + length);
        }
        dispatch(handler);
    }

    /**
     * Decodes a v3 frame: one or more messages back to back. The whole frame is validated before the first
     * callback, so a malformed frame has no effect at all.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @param handler to call with each message, in order.
     * @return how many messages the frame held.
     * @throws ProtocolException if the frame is empty or malformed.
     */
    public int decodeV3Frame(
        final DirectBuffer buffer, final int offset, final int length, final ClientMessageHandler handler)
    {
        if (length == 0)
        {
            throw new ProtocolException(0, "empty v3 frame: expected at least one ClientMessage");
        }
        int count = 0;
        int at = 0;
        while (at < length)
        {
            at += decode(buffer, offset, length, at, count);
            count++;
        }
        at = 0;
        for (int i = 0; i < count; i++)
        {
            at += decode(buffer, offset, length, at, i);
            dispatch(handler);
        }
        return count;
    }

    /**
     * Decodes a frame of either version.
     *
     * @param version of the connection.
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @param handler to call with each message.
     * @return how many messages the frame held.
     */
    public int decodeFrame(
        final ProtocolVersion version,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ClientMessageHandler handler)
    {
        if (version == ProtocolVersion.V3)
        {
            return decodeV3Frame(buffer, offset, length, handler);
        }
        decodeV2Frame(buffer, offset, length, handler);
        return 1;
    }

    /**
     * Decodes one message that starts {@code at} bytes into a frame and makes this view show it.
     *
     * @param buffer holding the frame.
     * @param frameOffset of the frame in the buffer.
     * @param frameLength of the frame.
     * @param at where the message starts, relative to the frame.
     * @param index of the message in the frame, for error messages.
     * @return bytes the message took.
     * @throws ProtocolException if the message is malformed or truncated.
     */
    public int decode(
        final DirectBuffer buffer, final int frameOffset, final int frameLength, final int at, final int index)
    {
        this.buffer = buffer;
        this.frameOffset = frameOffset;
        this.messageIndex = index;
        this.messageStart = at;
        this.tag = -1;
        reader.wrap(buffer, frameOffset, frameLength);
        reader.position(frameOffset + at);
        try
        {
            final int t = reader.readU8();
            switch (t)
            {
                case Protocol.CLIENT_SUBSCRIBE:
                    decodeSubscribe();
                    break;
                case Protocol.CLIENT_UNSUBSCRIBE:
                    decodeUnsubscribe();
                    break;
                case Protocol.CLIENT_ONE_OFF_QUERY:
                    requestId = u32("OneOffQuery.request_id");
                    queryCount = 0;
                    string("OneOffQuery.query_string");
                    break;
                case Protocol.CLIENT_CALL_REDUCER:
                case Protocol.CLIENT_CALL_PROCEDURE:
                    decodeCall(TAG_NAMES[t], CALL_FIELD_NAMES[t]);
                    break;
                default:
                    throw new ProtocolException(at, "unknown ClientMessage tag " + t + " at byte " + at +
                        where());
            }
            tag = t;
        }
        catch (final BsatnDecodeException e)
        {
            throw new ProtocolException(e.offset(), "malformed ClientMessage" + where() + ": " + e.getMessage(), e);
        }
        messageLength = reader.relativePosition() - at;
        return messageLength;
    }

    private void decodeSubscribe()
    {
        requestId = u32("Subscribe.request_id");
        querySetId = u32("Subscribe.query_set_id");
        final int count = reader.readLength(4, "Subscribe.query_strings");
        if (count > queryOffsets.length)
        {
            final int capacity = Math.max(count, queryOffsets.length * 2);
            queryOffsets = Arrays.copyOf(queryOffsets, capacity);
            queryLengths = Arrays.copyOf(queryLengths, capacity);
        }
        queryCount = 0;
        for (int i = 0; i < count; i++)
        {
            string("Subscribe.query_strings[" + i + "]");
        }
    }

    private void decodeUnsubscribe()
    {
        requestId = u32("Unsubscribe.request_id");
        querySetId = u32("Unsubscribe.query_set_id");
        reader.require(1, "Unsubscribe.flags");
        final int at = reader.relativePosition();
        final int f = reader.readU8();
        if (f > 1)
        {
            throw new ProtocolException(at, "invalid UnsubscribeFlags tag " + f + " at byte " + at + where() +
                " (expected 0 Default or 1 SendDroppedRows)");
        }
        sendDroppedRows = f == 1;
    }

    private void decodeCall(final String name, final String[] fields)
    {
        requestId = u32(fields[CALL_REQUEST_ID]);
        reader.require(1, fields[CALL_FLAGS]);
        final int at = reader.relativePosition();
        flags = reader.readU8();
        if (flags != 0)
        {
            throw new ProtocolException(at, "invalid " + name + " flags " + flags + " at byte " + at + where() +
                " (only 0 is valid)");
        }
        final int nameLen = reader.readLength(1, fields[CALL_NAME]);
        nameOffset = reader.position();
        nameLength = nameLen;
        reader.validateUtf8(nameLen);
        argsLength = reader.readLength(1, fields[CALL_ARGS]);
        argsOffset = reader.position();
        reader.skip(argsLength, fields[CALL_ARGS]);
    }

    private int u32(final String what)
    {
        reader.require(4, what);
        return reader.readI32();
    }

    private void string(final String what)
    {
        final int length = reader.readLength(1, what);
        queryOffsets[queryCount] = reader.position();
        queryLengths[queryCount] = length;
        reader.validateUtf8(length);
        queryCount++;
    }

    private String where()
    {
        return " (message " + messageIndex + " of the frame, starting at byte " + messageStart + ")";
    }

    private void dispatch(final ClientMessageHandler handler)
    {
        switch (tag)
        {
            case Protocol.CLIENT_SUBSCRIBE:
                handler.onSubscribe(this);
                break;
            case Protocol.CLIENT_UNSUBSCRIBE:
                handler.onUnsubscribe(this);
                break;
            case Protocol.CLIENT_ONE_OFF_QUERY:
                handler.onOneOffQuery(this);
                break;
            case Protocol.CLIENT_CALL_REDUCER:
                handler.onCallReducer(this);
                break;
            case Protocol.CLIENT_CALL_PROCEDURE:
                handler.onCallProcedure(this);
                break;
            default:
                throw new IllegalStateException("no message decoded");
        }
    }

    /**
     * The message tag, one of the {@code Protocol.CLIENT_*} constants.
     *
     * @return the tag.
     */
    public int tag()
    {
        return tag;
    }

    /**
     * The name of the message variant.
     *
     * @return e.g. "CallReducer".
     */
    public String tagName()
    {
        return TAG_NAMES[tag];
    }

    /**
     * The request id (u32 bits).
     *
     * @return the request id.
     */
    public int requestId()
    {
        return requestId;
    }

    /**
     * The query set id (u32 bits) of a Subscribe or Unsubscribe.
     *
     * @return the query set id.
     */
    public int querySetId()
    {
        return querySetId;
    }

    /**
     * Whether an Unsubscribe asked for the dropped rows ({@code SendDroppedRows}).
     *
     * @return true for SendDroppedRows, false for Default.
     */
    public boolean sendDroppedRows()
    {
        return sendDroppedRows;
    }

    /**
     * The flags byte of a CallReducer or CallProcedure (always 0 once decoded).
     *
     * @return the flags.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * How many query strings: the Subscribe's count, 1 for a OneOffQuery, else 0.
     *
     * @return the count.
     */
    public int queryCount()
    {
        return queryCount;
    }

    /**
     * Decodes query string {@code i} (allocates the String).
     *
     * @param i index, below {@link #queryCount}.
     * @return the query.
     */
    public String queryString(final int i)
    {
        checkQuery(i);
        return utf8(queryOffsets[i], queryLengths[i]);
    }

    /**
     * Absolute offset in {@link #buffer} of the UTF-8 bytes of query string {@code i}.
     *
     * @param i index, below {@link #queryCount}.
     * @return the offset.
     */
    public int queryStringOffset(final int i)
    {
        checkQuery(i);
        return queryOffsets[i];
    }

    /**
     * Length in bytes of the UTF-8 of query string {@code i}.
     *
     * @param i index, below {@link #queryCount}.
     * @return the length.
     */
    public int queryStringLength(final int i)
    {
        checkQuery(i);
        return queryLengths[i];
    }

    /**
     * The reducer or procedure name (allocates the String).
     *
     * @return the name.
     */
    public String functionName()
    {
        return utf8(nameOffset, nameLength);
    }

    /**
     * Whether the reducer or procedure name equals an ASCII name, without allocating.
     *
     * @param name to compare with; non-ASCII names never match.
     * @return true when equal.
     */
    public boolean functionNameEquals(final CharSequence name)
    {
        if (name.length() != nameLength)
        {
            return false;
        }
        for (int i = 0; i < nameLength; i++)
        {
            final char c = name.charAt(i);
            if (c >= 0x80 || buffer.getByte(nameOffset + i) != (byte)c)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Absolute offset in {@link #buffer} of the name's UTF-8 bytes.
     *
     * @return the offset.
     */
    public int functionNameOffset()
    {
        return nameOffset;
    }

    /**
     * Length of the name's UTF-8 bytes.
     *
     * @return the length.
     */
    public int functionNameLength()
    {
        return nameLength;
    }

    /**
     * The buffer holding the frame; name, query and args offsets are absolute in it.
     *
     * @return the buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Absolute offset in {@link #buffer} of the BSATN args of a CallReducer or CallProcedure.
     *
     * @return the offset.
     */
    public int argsOffset()
    {
        return argsOffset;
    }

    /**
     * Length of the BSATN args.
     *
     * @return the length.
     */
    public int argsLength()
    {
        return argsLength;
    }

    /**
     * Copies the args (allocates).
     *
     * @return the BSATN args.
     */
    public byte[] argsToArray()
    {
        final byte[] bytes = new byte[argsLength];
        buffer.getBytes(argsOffset, bytes);
        return bytes;
    }

    /**
     * Where the current message starts, relative to the frame.
     *
     * @return the offset.
     */
    public int messageOffset()
    {
        return messageStart;
    }

    /**
     * How many bytes the current message took.
     *
     * @return the length.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * Absolute offset of the frame in {@link #buffer}.
     *
     * @return the offset.
     */
    public int frameOffset()
    {
        return frameOffset;
    }

    private void checkQuery(final int i)
    {
        if (i < 0 || i >= queryCount)
        {
            throw new IndexOutOfBoundsException("query " + i + " of " + queryCount);
        }
    }

    private String utf8(final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
