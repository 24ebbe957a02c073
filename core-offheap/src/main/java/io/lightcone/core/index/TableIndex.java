package io.lightcone.core.index;

import org.agrona.DirectBuffer;

/**
 * An index from order-preserving encoded keys (see {@code OrderedKeyEncoder}) to row ids of one table.
 * <p>
 * Invariants:
 * <ul>
 *   <li>A unique index holds at most one row id per key; {@link #insert} refuses a second one and changes nothing.</li>
 *   <li>A non-unique index holds each (key, row id) pair at most once.</li>
 *   <li>Keys are copied in; callers may reuse their buffers after each call.</li>
 *   <li>Off-heap memory is released by {@link #close()}.</li>
 * </ul>
 */
public interface TableIndex extends AutoCloseable
{
    /**
     * Whether the index holds at most one row per key.
     *
     * @return true for unique indexes.
     */
    boolean isUnique();

    /**
     * Whether {@link #scan} visits keys in order (B-tree) or only supports point ranges (hash).
     *
     * @return true when range scans are supported.
     */
    boolean isOrdered();

    /**
     * Adds an entry.
     *
     * @param key    buffer holding the encoded key.
     * @param offset of the key.
     * @param length of the key.
     * @param rowId  the row.
     * @return true when added; false when the index is unique and the key is present (nothing changed), or the
     * pair is already present.
     */
    boolean insert(DirectBuffer key, int offset, int length, int rowId);

    /**
     * Removes an entry.
     *
     * @param key    buffer holding the encoded key.
     * @param offset of the key.
     * @param length of the key.
     * @param rowId  the row.
     * @return true when the entry was present.
     */
    boolean remove(DirectBuffer key, int offset, int length, int rowId);

    /**
     * Points an entry at another row: the entry (key, {@code oldRowId}) becomes (key, {@code newRowId}), as a
     * {@link #remove} then {@link #insert} would leave it, but in one lookup where the index can (an update that
     * keeps a row's key).
     *
     * @param key      buffer holding the encoded key.
     * @param offset   of the key.
     * @param length   of the key.
     * @param oldRowId the row the entry holds now.
     * @param newRowId the row it holds after.
     * @return true when replaced; false, with nothing changed, when the entry (key, {@code oldRowId}) is absent or
     * (non-unique) the entry (key, {@code newRowId}) is already present.
     * @throws IllegalArgumentException when {@code newRowId} is negative.
     */
    default boolean replace(
        final DirectBuffer key, final int offset, final int length, final int oldRowId, final int newRowId)
    {
        if (newRowId < 0)
        {
            throw new IllegalArgumentException("row id must be >= 0: " + newRowId);
        }
        if (!remove(key, offset, length, oldRowId))
        {
            return false;
        }
        if (!insert(key, offset, length, newRowId))
        {
            insert(key, offset, length, oldRowId);
            return false;
        }
        return true;
    }

    /**
     * Finds a row with exactly this key.
     *
     * @param key    buffer holding the encoded key.
     * @param offset of the key.
     * @param length of the key.
     * @return a row id with this key (the only one for a unique index), or -1 when none.
     */
    int get(DirectBuffer key, int offset, int length);

    /**
     * Visits every row whose key is in the range, in key order (then row id order) for ordered indexes. A hash
     * index supports only ranges whose two ends are the same INCLUSIVE full key (a point), and throws
     * {@link UnsupportedOperationException} otherwise.
     *
     * @param range    the range.
     * @param consumer receives each row id; returning false stops the scan.
     * @return the number of row ids passed to the consumer.
     */
    int scan(KeyRange range, RowIdConsumer consumer);

    /**
     * Number of entries.
     *
     * @return the entry count.
     */
    long size();

    /**
     * Removes every entry.
     */
    void clear();

    /**
     * Bytes of memory (on and off heap) held by the index, for metrics and the memory-per-row benchmark.
     *
     * @return the memory held.
     */
    long memoryBytes();

    /**
     * Releases off-heap memory; the index is unusable afterwards.
     */
    void close();
}
