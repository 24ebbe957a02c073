package io.lightcone.client;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A flyweight over one row's BSATN bytes (the row product of the table, no header). Listeners and iteration receive
 * a reused view that is valid only during the call: decode what you keep ({@link #decode}) or copy it
 * ({@link #toByteArray}).
 */
public final class RowView
{
    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Points the view at a row.
     *
     * @param buffer holding the row.
     * @param offset of the row's first byte.
     * @param length of the row.
     * @return this view.
     */
    public RowView wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * The buffer holding the row.
     *
     * @return the buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Offset of the row's first byte in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Length of the row in bytes.
     *
     * @return the length.
     */
    public int length()
    {
        return length;
    }

    /**
     * A little-endian i32 at a byte offset within the row.
     *
     * @param at offset from the row's first byte.
     * @return the value.
     */
    public int getI32(final int at)
    {
        return buffer.getInt(offset + at, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A little-endian i64 at a byte offset within the row.
     *
     * @param at offset from the row's first byte.
     * @return the value.
     */
    public long getI64(final int at)
    {
        return buffer.getLong(offset + at, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Decodes the row with a (generated or hand-written) decoder.
     *
     * @param decoder the decoder.
     * @param <T>     the row type.
     * @return the decoded row.
     */
    public <T> T decode(final RowDecoder<T> decoder)
    {
        return decoder.decode(buffer, offset, length);
    }

    /**
     * A copy of the row's bytes.
     *
     * @return the bytes.
     */
    public byte[] toByteArray()
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /**
     * Whether two views hold the same bytes.
     *
     * @param other the other view.
     * @return true when the bytes are equal.
     */
    public boolean contentEquals(final RowView other)
    {
        return RowKey.regionEquals(buffer, offset, length, other.buffer, other.offset, other.length);
    }

    @Override
    public String toString()
    {
        return "RowView" + Arrays.toString(toByteArray());
    }
}
