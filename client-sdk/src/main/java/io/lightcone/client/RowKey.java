package io.lightcone.client;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A byte region used as a hash key: the primary-key bytes of a row, or the whole row for tables without one. Equal
 * when the bytes are equal, so a reused probe over a received frame finds the owned key of a cached row without
 * allocating.
 */
final class RowKey
{
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int hash;

    RowKey wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.hash = hash(buffer, offset, length);
        return this;
    }

    /** Moves the region without changing its bytes (the row was rewritten with the same key). */
    void move(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof RowKey))
        {
            return false;
        }
        final RowKey that = (RowKey)o;
        return hash == that.hash && regionEquals(buffer, offset, length, that.buffer, that.offset, that.length);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int h = length;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            final long word = buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN);
            h = 31 * h + (int)(word ^ (word >>> 32));
        }
        for (; i < length; i++)
        {
            h = 31 * h + buffer.getByte(offset + i);
        }
        return h ^ (h >>> 16);
    }

    static boolean regionEquals(
        final DirectBuffer a, final int aOffset, final int length, final DirectBuffer b, final int bOffset,
        final int bLength)
    {
        if (length != bLength)
        {
            return false;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (a.getLong(aOffset + i) != b.getLong(bOffset + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
