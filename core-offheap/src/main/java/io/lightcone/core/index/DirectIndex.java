package io.lightcone.core.index;

import io.lightcone.core.sats.AlgebraicType;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * The {@code Direct} index algorithm: a unique index on one unsigned integer column with small values, kept as a
 * dense array from key to row id, in chunks allocated on first use.
 * <pre>
 *   chunks : int[][]   chunk c holds keys [c * 4096, (c + 1) * 4096)
 *   chunk  : int[4096] | row id + 1 of key c*4096 (0 = absent) | row id + 1 of key c*4096+1 | ...
 * </pre>
 * Keys arrive encoded by {@link OrderedKeyEncoder} (big-endian unsigned, 1, 2, 4 or 8 bytes). Keys above
 * {@code maxKey} are refused with {@link IllegalArgumentException} on insert. Range scans visit keys in order.
 * Not thread safe.
 */
public final class DirectIndex implements TableIndex
{
    /** Default largest key. */
    public static final long DEFAULT_MAX_KEY = 1L << 26;

    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;
    private static final int CHUNK_BYTES = 16 + 4 * CHUNK_SIZE;
    private static final int OBJECT_BYTES = 48;

    private final int keyLength;
    private final long maxKey;
    private int[][] chunks = new int[4][];
    private int allocatedChunks;
    private long size;

    /**
     * A direct index for a key column type.
     *
     * @param keyType an unsigned integer type (U8, U16, U32 or U64).
     * @param maxKey  the largest key accepted.
     * @return the index.
     */
    public static DirectIndex forKeyType(final AlgebraicType keyType, final long maxKey)
    {
        if (!keyType.kind().isUnsignedInteger() || keyType.kind().fixedSize() > 8)
        {
            throw new IllegalArgumentException("a direct index needs a U8..U64 key: " + keyType);
        }
        return new DirectIndex(keyType.kind().fixedSize(), maxKey);
    }

    /**
     * A direct index.
     *
     * @param keyLength encoded key length: 1, 2, 4 or 8.
     * @param maxKey    the largest key accepted, below 2^31 - 1.
     */
    public DirectIndex(final int keyLength, final long maxKey)
    {
        if (keyLength != 1 && keyLength != 2 && keyLength != 4 && keyLength != 8)
        {
            throw new IllegalArgumentException("key length must be 1, 2, 4 or 8: " + keyLength);
        }
        if (maxKey < 0 || maxKey >= Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("maxKey out of range: " + maxKey);
        }
        this.keyLength = keyLength;
        this.maxKey = maxKey;
    }

    /**
     * {@inheritDoc}
     */
    public boolean isUnique()
    {
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public boolean isOrdered()
    {
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public boolean insert(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        if (rowId < 0 || rowId == Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("row id out of range: " + rowId);
        }
        final long k = decode(key, offset, length);
        if (Long.compareUnsigned(k, maxKey) > 0)
        {
            throw new IllegalArgumentException("key " + Long.toUnsignedString(k) + " above maxKey " + maxKey);
        }
        final int chunkIndex = (int)(k >>> CHUNK_SHIFT);
        if (chunkIndex >= chunks.length)
        {
            chunks = Arrays.copyOf(chunks, Math.max(chunkIndex + 1, chunks.length * 2));
        }
        int[] chunk = chunks[chunkIndex];
        if (null == chunk)
        {
            chunk = new int[CHUNK_SIZE];
            chunks[chunkIndex] = chunk;
            allocatedChunks++;
        }
        final int slot = (int)k & CHUNK_MASK;
        if (chunk[slot] != 0)
        {
            return false;
        }
        chunk[slot] = rowId + 1;
        size++;
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public boolean remove(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        final long k = decode(key, offset, length);
        final int[] chunk = chunkOf(k);
        final int slot = (int)k & CHUNK_MASK;
        if (null == chunk || chunk[slot] != rowId + 1 || rowId < 0)
        {
            return false;
        }
        chunk[slot] = 0;
        size--;
        return true;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Rewrites the key's slot in place.
     */
    public boolean replace(
        final DirectBuffer key, final int offset, final int length, final int oldRowId, final int newRowId)
    {
        if (newRowId < 0 || newRowId == Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("row id out of range: " + newRowId);
        }
        final long k = decode(key, offset, length);
        final int[] chunk = chunkOf(k);
        final int slot = (int)k & CHUNK_MASK;
        if (null == chunk || oldRowId < 0 || chunk[slot] != oldRowId + 1)
        {
            return false;
        }
        chunk[slot] = newRowId + 1;
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public int get(final DirectBuffer key, final int offset, final int length)
    {
        final long k = decode(key, offset, length);
        final int[] chunk = chunkOf(k);
        return null == chunk ? -1 : chunk[(int)k & CHUNK_MASK] - 1;
    }

    /**
     * {@inheritDoc}
     */
    public int scan(final KeyRange range, final RowIdConsumer consumer)
    {
        final long all = keyLength == 8 ? -1L : (1L << (8 * keyLength)) - 1;
        final long low;
        final long high;
        final int lowerLength = checkPrefix(range.lowerLength());
        final int upperLength = checkPrefix(range.upperLength());
        if (lowerLength == 0)
        {
            if (range.lowerKind() == BoundKind.EXCLUSIVE)
            {
                return 0;
            }
            low = 0;
        }
        else if (range.lowerKind() == BoundKind.INCLUSIVE)
        {
            low = padZeros(range.lowerKey(), lowerLength);
        }
        else
        {
            final long padded = padOnes(range.lowerKey(), lowerLength);
            if (padded == all)
            {
                return 0;
            }
            low = padded + 1;
        }
        if (upperLength == 0)
        {
            if (range.upperKind() == BoundKind.EXCLUSIVE)
            {
                return 0;
            }
            high = maxKey;
        }
        else if (range.upperKind() == BoundKind.INCLUSIVE)
        {
            high = padOnes(range.upperKey(), upperLength);
        }
        else
        {
            final long padded = padZeros(range.upperKey(), upperLength);
            if (padded == 0)
            {
                return 0;
            }
            high = padded - 1;
        }
        final long last = Long.compareUnsigned(high, maxKey) > 0 ? maxKey : high;
        if (Long.compareUnsigned(low, last) > 0)
        {
            return 0;
        }
        return visit((int)low, (int)last, consumer);
    }

    /**
     * {@inheritDoc}
     */
    public long size()
    {
        return size;
    }

    /**
     * {@inheritDoc}
     */
    public void clear()
    {
        chunks = new int[4][];
        allocatedChunks = 0;
        size = 0;
    }

    /**
     * {@inheritDoc}
     */
    public long memoryBytes()
    {
        return OBJECT_BYTES + 16L + 4L * chunks.length + (long)allocatedChunks * CHUNK_BYTES;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        clear();
    }

    private int visit(final int low, final int last, final RowIdConsumer consumer)
    {
        int visited = 0;
        int k = low;
        while (k <= last)
        {
            final int chunkIndex = k >>> CHUNK_SHIFT;
            if (chunkIndex >= chunks.length)
            {
                break;
            }
            final int[] chunk = chunks[chunkIndex];
            final int chunkEnd = Math.min(last, (chunkIndex << CHUNK_SHIFT) + CHUNK_MASK);
            if (null != chunk)
            {
                for (int i = k; i <= chunkEnd; i++)
                {
                    final int stored = chunk[i & CHUNK_MASK];
                    if (stored != 0)
                    {
                        visited++;
                        if (!consumer.accept(stored - 1))
                        {
                            return visited;
                        }
                    }
                }
            }
            k = chunkEnd + 1;
        }
        return visited;
    }

    private int checkPrefix(final int length)
    {
        if (length > keyLength)
        {
            throw new IllegalArgumentException("range prefix of " + length + " bytes, keys are " + keyLength);
        }
        return length;
    }

    private long padZeros(final DirectBuffer prefix, final int length)
    {
        return OrderedKeyEncoder.toLong(prefix, 0, length) >>> (64 - 8 * keyLength);
    }

    private long padOnes(final DirectBuffer prefix, final int length)
    {
        final int freeBits = 8 * (keyLength - length);
        return padZeros(prefix, length) | (freeBits == 0 ? 0 : (1L << freeBits) - 1);
    }

    private int[] chunkOf(final long k)
    {
        if (Long.compareUnsigned(k, maxKey) > 0)
        {
            return null;
        }
        final int chunkIndex = (int)(k >>> CHUNK_SHIFT);
        return chunkIndex < chunks.length ? chunks[chunkIndex] : null;
    }

    private long decode(final DirectBuffer key, final int offset, final int length)
    {
        if (length != keyLength)
        {
            throw new IllegalArgumentException("key of " + length + " bytes, index keys are " + keyLength);
        }
        return OrderedKeyEncoder.toLong(key, offset, length) >>> (64 - 8 * keyLength);
    }
}
