package io.lightcone.core.sats;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * A bounds-checked cursor over BSATN bytes in a {@link DirectBuffer}: a flyweight, reusable with {@link #wrap}.
 * <p>
 * Every read checks the remaining length first and throws {@link BsatnDecodeException} naming the offset
 * (relative to the wrapped start) and what was expected; nothing reads outside {@code [offset, offset + length)}.
 */
public final class BsatnReader
{
    /** The high bit of each of eight bytes: zero for eight ASCII bytes. */
    private static final long ASCII_MASK = 0x8080_8080_8080_8080L;

    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private DirectBuffer buffer = EMPTY;
    private int start;
    private int position;
    private int limit;

    /**
     * A reader over nothing; call {@link #wrap} before reading.
     */
    public BsatnReader()
    {
    }

    /**
     * A reader over the whole array.
     *
     * @param bytes to read.
     */
    public BsatnReader(final byte[] bytes)
    {
        wrap(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /**
     * Points the reader at a region of a buffer.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length of the region.
     * @return this reader.
     */
    public BsatnReader wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IndexOutOfBoundsException(
                "region [" + offset + ", +" + length + ") outside buffer of " + buffer.capacity());
        }
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        this.limit = offset + length;
        return this;
    }

    /**
     * The buffer being read.
     *
     * @return the wrapped buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Absolute position in the buffer of the next byte to read.
     *
     * @return the absolute position.
     */
    public int position()
    {
        return position;
    }

    /**
     * Moves the cursor to an absolute position inside the wrapped region.
     *
     * @param position absolute position.
     */
    public void position(final int position)
    {
        if (position < start || position > limit)
        {
            throw new IndexOutOfBoundsException("position " + position + " outside [" + start + ", " + limit + "]");
        }
        this.position = position;
    }

    /**
     * Position relative to the start of the wrapped region, as used in error messages.
     *
     * @return bytes consumed so far.
     */
    public int relativePosition()
    {
        return position - start;
    }

    /**
     * Bytes left to read.
     *
     * @return the remaining length.
     */
    public int remaining()
    {
        return limit - position;
    }

    /**
     * Whether everything has been read.
     *
     * @return true when no bytes remain.
     */
    public boolean isExhausted()
    {
        return position == limit;
    }

    /**
     * Checks that {@code length} more bytes can be read.
     *
     * @param length needed.
     * @param what is being read, for the error message.
     */
    public void require(final int length, final String what)
    {
        if (length < 0 || limit - position < length)
        {
            throw error("truncated input: " + what + " needs " + Integer.toUnsignedString(length) +
                " bytes, " + (limit - position) + " remain");
        }
    }

    /**
     * A decode error at the current position.
     *
     * @param reason what was wrong.
     * @return the exception, for the caller to throw.
     */
    public BsatnDecodeException error(final String reason)
    {
        return new BsatnDecodeException(position - start, reason);
    }

    /**
     * Skips bytes.
     *
     * @param length to skip.
     * @param what is being skipped, for the error message.
     */
    public void skip(final int length, final String what)
    {
        require(length, what);
        position += length;
    }

    /**
     * Reads a bool, rejecting any byte other than 0 and 1.
     *
     * @return the value.
     */
    public boolean readBool()
    {
        require(1, "bool");
        final byte b = buffer.getByte(position);
        if (b != 0 && b != 1)
        {
            throw error("invalid bool byte 0x" + Integer.toHexString(b & 0xFF) + " (expected 0x00 or 0x01)");
        }
        position++;
        return b == 1;
    }

    /**
     * Reads one byte.
     *
     * @return the byte as a signed value (i8).
     */
    public byte readI8()
    {
        require(1, "i8/u8");
        return buffer.getByte(position++);
    }

    /**
     * Reads one unsigned byte.
     *
     * @return 0..255.
     */
    public int readU8()
    {
        return readI8() & 0xFF;
    }

    /**
     * Reads a little-endian 16-bit integer.
     *
     * @return the raw bits as a short.
     */
    public short readI16()
    {
        require(2, "i16/u16");
        final short v = buffer.getShort(position, LITTLE_ENDIAN);
        position += 2;
        return v;
    }

    /**
     * Reads a little-endian unsigned 16-bit integer.
     *
     * @return 0..65535.
     */
    public int readU16()
    {
        return readI16() & 0xFFFF;
    }

    /**
     * Reads a little-endian 32-bit integer.
     *
     * @return the raw bits as an int.
     */
    public int readI32()
    {
        require(4, "i32/u32");
        final int v = buffer.getInt(position, LITTLE_ENDIAN);
        position += 4;
        return v;
    }

    /**
     * Reads a little-endian 64-bit integer.
     *
     * @return the raw bits as a long.
     */
    public long readI64()
    {
        require(8, "i64/u64");
        final long v = buffer.getLong(position, LITTLE_ENDIAN);
        position += 8;
        return v;
    }

    /**
     * Reads an f32.
     *
     * @return the value.
     */
    public float readF32()
    {
        return Float.intBitsToFloat(readI32());
    }

    /**
     * Reads an f64.
     *
     * @return the value.
     */
    public double readF64()
    {
        return Double.longBitsToDouble(readI64());
    }

    /**
     * Reads a u32 length prefix and checks that at least {@code minBytesPerItem * length} bytes follow.
     *
     * @param minBytesPerItem the least size of one item (0 for items that may be empty).
     * @param what is being read, for the error message.
     * @return the length, as a non-negative int.
     */
    public int readLength(final int minBytesPerItem, final String what)
    {
        if (limit - position < 4)
        {
            throw error("truncated input: " + what + " length needs 4 bytes, " + (limit - position) + " remain");
        }
        final long length = buffer.getInt(position, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (length > Integer.MAX_VALUE - 8 ||
            (minBytesPerItem > 0 && length * minBytesPerItem > (long)(limit - position - 4)))
        {
            throw error("absurd " + what + " length " + length + ": only " + (limit - position - 4) + " bytes remain");
        }
        position += 4;
        return (int)length;
    }

    /**
     * Reads bytes into a new array.
     *
     * @param length to read.
     * @param what is being read, for the error message.
     * @return the bytes.
     */
    public byte[] readBytes(final int length, final String what)
    {
        require(length, what);
        final byte[] bytes = new byte[length];
        buffer.getBytes(position, bytes);
        position += length;
        return bytes;
    }

    /**
     * Reads a BSATN {@code Array<U8>}: u32 length then the bytes.
     *
     * @return the bytes.
     */
    public byte[] readByteArray()
    {
        final int length = readLength(1, "bytes");
        return readBytes(length, "bytes");
    }

    /**
     * Reads a BSATN String: u32 byte length then UTF-8, which must be valid.
     *
     * @return the string.
     */
    public String readString()
    {
        final int length = readLength(1, "string");
        final int at = position;
        validateUtf8(length);
        final byte[] bytes = new byte[length];
        buffer.getBytes(at, bytes);
        position = at + length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Checks that the next {@code length} bytes are valid UTF-8 and skips them, without building a String.
     *
     * @param length of the UTF-8 bytes.
     */
    public void validateUtf8(final int length)
    {
        require(length, "string bytes");
        final int at = position;
        final int end = at + length;
        int i = at;
        while (i < end)
        {
            // Eight ASCII bytes at a time: most strings are ASCII, and one test covers all eight.
            while (i + Long.BYTES <= end && (buffer.getLong(i) & ASCII_MASK) == 0)
            {
                i += Long.BYTES;
            }
            if (i == end)
            {
                break;
            }
            final int b = buffer.getByte(i) & 0xFF;
            if (b < 0x80)
            {
                i++;
                continue;
            }
            final int needed;
            final int min;
            if ((b & 0xE0) == 0xC0)
            {
                needed = 1;
                min = 0x80;
            }
            else if ((b & 0xF0) == 0xE0)
            {
                needed = 2;
                min = 0x800;
            }
            else if ((b & 0xF8) == 0xF0)
            {
                needed = 3;
                min = 0x10000;
            }
            else
            {
                throw new BsatnDecodeException(i - start, "invalid UTF-8 lead byte 0x" + Integer.toHexString(b));
            }
            if (i + needed >= end)
            {
                throw new BsatnDecodeException(i - start, "truncated UTF-8 sequence");
            }
            int codePoint = b & (0x3F >> needed);
            for (int k = 1; k <= needed; k++)
            {
                final int c = buffer.getByte(i + k) & 0xFF;
                if ((c & 0xC0) != 0x80)
                {
                    throw new BsatnDecodeException(i + k - start, "invalid UTF-8 continuation byte 0x" +
                        Integer.toHexString(c));
                }
                codePoint = (codePoint << 6) | (c & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                throw new BsatnDecodeException(i - start, "invalid UTF-8 code point U+" +
                    Integer.toHexString(codePoint));
            }
            i += needed + 1;
        }
        position = end;
    }
}
