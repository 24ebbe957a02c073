package io.lightcone.core.sats;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Appends BSATN to a {@link MutableDirectBuffer}: a reusable cursor; use an expandable buffer to grow on demand.
 */
public final class BsatnWriter
{
    private MutableDirectBuffer buffer;
    private int start;
    private int position;

    /**
     * A writer over a new expandable on-heap buffer.
     */
    public BsatnWriter()
    {
        this(new ExpandableArrayBuffer(128), 0);
    }

    /**
     * A writer that appends at {@code offset}.
     *
     * @param buffer to write to; it must be expandable or big enough.
     * @param offset of the first byte to write.
     */
    public BsatnWriter(final MutableDirectBuffer buffer, final int offset)
    {
        wrap(buffer, offset);
    }

    /**
     * Points the writer at a buffer.
     *
     * @param buffer to write to.
     * @param offset of the first byte to write.
     * @return this writer.
     */
    public BsatnWriter wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        return this;
    }

    /**
     * Starts writing again from the wrapped offset.
     *
     * @return this writer.
     */
    public BsatnWriter reset()
    {
        position = start;
        return this;
    }

    /**
     * The buffer written to.
     *
     * @return the buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * The offset the writer started at.
     *
     * @return the start offset.
     */
    public int start()
    {
        return start;
    }

    /**
     * Absolute position of the next byte to write.
     *
     * @return the position.
     */
    public int position()
    {
        return position;
    }

    /**
     * Bytes written since the start offset.
     *
     * @return the length written.
     */
    public int length()
    {
        return position - start;
    }

    /**
     * Copies what was written into a new array.
     *
     * @return the bytes written since the start offset.
     */
    public byte[] toByteArray()
    {
        final byte[] bytes = new byte[position - start];
        buffer.getBytes(start, bytes);
        return bytes;
    }

    /**
     * Writes a bool.
     *
     * @param value to write.
     * @return this writer.
     */
    public BsatnWriter writeBool(final boolean value)
    {
        buffer.putByte(position++, value ? (byte)1 : (byte)0);
        return this;
    }

    /**
     * Writes one byte (i8 or u8).
     *
     * @param value the low 8 bits are written.
     * @return this writer.
     */
    public BsatnWriter writeU8(final int value)
    {
        buffer.putByte(position++, (byte)value);
        return this;
    }

    /**
     * Writes a little-endian 16-bit integer.
     *
     * @param value the low 16 bits are written.
     * @return this writer.
     */
    public BsatnWriter writeU16(final int value)
    {
        buffer.putShort(position, (short)value, LITTLE_ENDIAN);
        position += 2;
        return this;
    }

    /**
     * Writes a little-endian 32-bit integer.
     *
     * @param value to write.
     * @return this writer.
     */
    public BsatnWriter writeU32(final int value)
    {
        buffer.putInt(position, value, LITTLE_ENDIAN);
        position += 4;
        return this;
    }

    /**
     * Writes a little-endian 64-bit integer.
     *
     * @param value to write.
     * @return this writer.
     */
    public BsatnWriter writeU64(final long value)
    {
        buffer.putLong(position, value, LITTLE_ENDIAN);
        position += 8;
        return this;
    }

    /**
     * Writes an f32 as its IEEE-754 bits.
     *
     * @param value to write.
     * @return this writer.
     */
    public BsatnWriter writeF32(final float value)
    {
        return writeU32(Float.floatToRawIntBits(value));
    }

    /**
     * Writes an f64 as its IEEE-754 bits.
     *
     * @param value to write.
     * @return this writer.
     */
    public BsatnWriter writeF64(final double value)
    {
        return writeU64(Double.doubleToRawLongBits(value));
    }

    /**
     * Writes raw bytes with no length prefix.
     *
     * @param bytes to write.
     * @return this writer.
     */
    public BsatnWriter writeRaw(final byte[] bytes)
    {
        buffer.putBytes(position, bytes);
        position += bytes.length;
        return this;
    }

    /**
     * Writes raw bytes from another buffer with no length prefix.
     *
     * @param source holding the bytes.
     * @param offset of the first byte.
     * @param length to copy.
     * @return this writer.
     */
    public BsatnWriter writeRaw(final DirectBuffer source, final int offset, final int length)
    {
        buffer.putBytes(position, source, offset, length);
        position += length;
        return this;
    }

    /**
     * Writes {@code Array<U8>}: u32 length then the bytes.
     *
     * @param bytes to write.
     * @return this writer.
     */
    public BsatnWriter writeByteArray(final byte[] bytes)
    {
        writeU32(bytes.length);
        return writeRaw(bytes);
    }

    /**
     * Writes a String: u32 UTF-8 byte length then the UTF-8 bytes.
     *
     * @param value to write.
     * @return this writer.
     */
    public BsatnWriter writeString(final String value)
    {
        return writeByteArray(value.getBytes(StandardCharsets.UTF_8));
    }
}
