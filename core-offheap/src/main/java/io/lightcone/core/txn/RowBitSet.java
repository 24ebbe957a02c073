package io.lightcone.core.txn;

import java.util.Arrays;

/**
 * A set of row ids as a growable bitmap: one bit per row id up to the largest id added. Membership tests and
 * updates are a shift and a mask, with no hashing; {@link #size()} is kept as a count. Used for the rows a
 * transaction inserted or hid, which it also lists, so it is emptied by removing those rows one by one.
 */
final class RowBitSet
{
    private static final int INITIAL_WORDS = 16;
    private static final int MIN_TRIMMED_WORDS = 1024;

    private long[] words = new long[INITIAL_WORDS];
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
     * Gives back the memory of a large, now empty set whose words are more than twice what a table's row ids need.
     * The bitmap is sized by the largest row id added, not by how many were added, so a set used by transactions on
     * a large table keeps its words (1 bit per row, as the table's own live bitmap): shrinking it after each
     * transaction would make the next one allocate and zero them all again.
     *
     * @param rowIdLimit one past the largest row id the set can hold from now on (the table's
     *                   {@link io.lightcone.core.table.Table#rowIdLimit()}).
     */
    void trim(final int rowIdLimit)
    {
        if (size == 0 && words.length > MIN_TRIMMED_WORDS && words.length > 2 * ((rowIdLimit >>> 6) + 1))
        {
            words = new long[INITIAL_WORDS];
        }
    }

    /**
     * @return the number of 64-bit words held (memory, for tests).
     */
    int wordCapacity()
    {
        return words.length;
    }
}
