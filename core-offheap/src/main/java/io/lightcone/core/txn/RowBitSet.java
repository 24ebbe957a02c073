package io.lightcone.core.txn;

import java.util.Arrays;

/**
 * A set of row ids as a growable bitmap: one bit per row id up to the largest id added. Membership tests and
 * updates are a shift and a mask, with no hashing; {@link #size()} is kept as a count. Used for the rows a
 * transaction inserted or hid, which it also lists, so it is emptied by removing those rows one by one.
 */
final class RowBitSet
{
    private long[] words = new long[16];
    private int size;

    boolean contains(final int rowId)
    {
        final int word = rowId >>> 6;
        return word < words.length && (words[word] & (1L << rowId)) != 0;
    }

    /**
     * Adds a row id.
     *
     * @param rowId a non-negative row id.
     * @return true when it was not present.
     */
    boolean add(final int rowId)
    {
        final int word = rowId >>> 6;
        if (word >= words.length)
        {
            words = Arrays.copyOf(words, Math.max(word + 1, words.length * 2));
        }
        final long bit = 1L << rowId;
        if ((words[word] & bit) != 0)
        {
            return false;
        }
        words[word] |= bit;
        size++;
        return true;
    }

    /**
     * Removes a row id.
     *
     * @param rowId a row id.
     * @return true when it was present.
     */
    boolean remove(final int rowId)
    {
        final int word = rowId >>> 6;
        final long bit = 1L << rowId;
        if (word >= words.length || (words[word] & bit) == 0)
        {
            return false;
        }
        words[word] &= ~bit;
        size--;
        return true;
    }

    int size()
    {
        return size;
    }

    /**
     * Gives back the memory of a large, now empty set.
     */
    void trim()
    {
        if (size == 0 && words.length > 1024)
        {
            words = new long[16];
        }
    }
}
