package io.lightcone.core.index;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A range of encoded keys: a lower and an upper prefix, each with a {@link BoundKind}. Mutable and reusable so a
 * scan allocates nothing; copy-in setters keep their own buffers.
 */
public final class KeyRange
{
    private final UnsafeBuffer lower = new UnsafeBuffer(new byte[64]);
    private final UnsafeBuffer upper = new UnsafeBuffer(new byte[64]);
    private int lowerLength;
    private int upperLength;
    private BoundKind lowerKind = BoundKind.INCLUSIVE;
    private BoundKind upperKind = BoundKind.INCLUSIVE;

    /**
     * Sets the lower end.
     *
     * @param key    buffer holding the prefix.
     * @param offset of the prefix.
     * @param length of the prefix; 0 with INCLUSIVE means unbounded.
     * @param kind   how the prefix bounds the range.
     * @return this range.
     */
    public KeyRange lower(final DirectBuffer key, final int offset, final int length, final BoundKind kind)
    {
        ensure(lower, length);
        lower.putBytes(0, key, offset, length);
        lowerLength = length;
        lowerKind = kind;
        return this;
    }

    /**
     * Sets the upper end.
     *
     * @param key    buffer holding the prefix.
     * @param offset of the prefix.
     * @param length of the prefix; 0 with INCLUSIVE means unbounded.
     * @param kind   how the prefix bounds the range.
     * @return this range.
     */
    public KeyRange upper(final DirectBuffer key, final int offset, final int length, final BoundKind kind)
    {
        ensure(upper, length);
        upper.putBytes(0, key, offset, length);
        upperLength = length;
        upperKind = kind;
        return this;
    }

    /**
     * Makes this the range of keys that start with {@code key} (both ends INCLUSIVE on the same prefix); with a
     * full key that is a point lookup.
     *
     * @param key    buffer holding the prefix.
     * @param offset of the prefix.
     * @param length of the prefix.
     * @return this range.
     */
    public KeyRange prefix(final DirectBuffer key, final int offset, final int length)
    {
        lower(key, offset, length, BoundKind.INCLUSIVE);
        return upper(key, offset, length, BoundKind.INCLUSIVE);
    }

    /**
     * Makes this the range of all keys.
     *
     * @return this range.
     */
    public KeyRange all()
    {
        lowerLength = 0;
        upperLength = 0;
        lowerKind = BoundKind.INCLUSIVE;
        upperKind = BoundKind.INCLUSIVE;
        return this;
    }

    /**
     * The lower prefix bytes, valid for {@link #lowerLength()} bytes from 0.
     *
     * @return the buffer.
     */
    public DirectBuffer lowerKey()
    {
        return lower;
    }

    /**
     * Length of the lower prefix.
     *
     * @return the length.
     */
    public int lowerLength()
    {
        return lowerLength;
    }

    /**
     * How the lower prefix bounds the range.
     *
     * @return the kind.
     */
    public BoundKind lowerKind()
    {
        return lowerKind;
    }

    /**
     * The upper prefix bytes, valid for {@link #upperLength()} bytes from 0.
     *
     * @return the buffer.
     */
    public DirectBuffer upperKey()
    {
        return upper;
    }

    /**
     * Length of the upper prefix.
     *
     * @return the length.
     */
    public int upperLength()
    {
        return upperLength;
    }

    /**
     * How the upper prefix bounds the range.
     *
     * @return the kind.
     */
    public BoundKind upperKind()
    {
        return upperKind;
    }

    /**
     * Whether both ends are the same INCLUSIVE prefix, i.e. the range is "keys starting with this prefix".
     *
     * @return true for prefix (and point) ranges.
     */
    public boolean isPrefix()
    {
        if (lowerKind != BoundKind.INCLUSIVE || upperKind != BoundKind.INCLUSIVE || lowerLength != upperLength)
        {
            return false;
        }
        for (int i = 0; i < lowerLength; i++)
        {
            if (lower.getByte(i) != upper.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    private static void ensure(final UnsafeBuffer buffer, final int length)
    {
        if (buffer.capacity() < length)
        {
            buffer.wrap(new byte[Math.max(length, buffer.capacity() * 2)]);
        }
    }
}
