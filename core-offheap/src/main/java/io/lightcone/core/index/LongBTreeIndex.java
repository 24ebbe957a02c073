package io.lightcone.core.index;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A B+tree over (key, row id) entries for indexes whose encoded keys all have one fixed length {@code L <= 8}
 * (u8..u64, i8..i64, f32/f64, bool, Timestamp, two u32 columns, ...), ordered by key then row id, unique or not.
 * Each key is held as a {@code long} made by {@link OrderedKeyEncoder#toLong} (big-endian, left-justified), so
 * unsigned long order is the byte order of the encoded keys; the tree stores it with the sign bit flipped so a
 * plain signed comparison does.
 * <p>
 * Node layout (one object and two or three primitive arrays per node, nothing per entry):
 * <pre>
 *   L &lt;= 4 ("packed"): leaf  keys   : long[] | key 0, row id 0 | key 1, row id 1 | ... |  one long per entry:
 *                                    the left-justified key in the high 32 bits, the row id in the low 32
 *   L &gt; 4           : leaf  keys   : long[] | key 0 | key 1 | ... |
 *                            rowIds : int[]  | row id 0 | row id 1 | ... |
 *   inner nodes             keys   : long[] separators (packed entries, or keys)
 *                           rowIds : int[]  separator row ids, only for non-unique L &gt; 4
 *                           children : Node[] | child 0 | ... | child n |  child i holds entries &lt; separator i
 *   leaves                  next   : the right sibling leaf, for scans
 * </pre>
 * A node holds at most {@code maxEntries} entries and, except the root, at least {@code maxEntries / 2}. An
 * overfull leaf first shares entries with a sibling that has room and splits only when both are full, which keeps
 * leaves well filled (ascending inserts fill them completely). Removal borrows from a sibling or merges with it.
 * Separators are lower bounds of their right subtree; in a unique packed tree they hold the key only (row id bits
 * zero), in a unique tree the order ignores row ids.
 * <p>
 * get, insert, remove and scan allocate nothing except nodes on a split. Not thread safe.
 */
public final class LongBTreeIndex implements TableIndex
{
    /** Default most entries per node. */
    public static final int DEFAULT_MAX_ENTRIES = 128;

    private static final long ROW_BITS = 0xFFFF_FFFFL;
    private static final long FLIP = Long.MIN_VALUE;
    private static final int NODE_OBJECT_BYTES = 32;
    private static final int ARRAY_HEADER_BYTES = 16;
    private static final int INDEX_OBJECT_BYTES = 96;

    private final int keyLength;
    private final boolean unique;
    private final boolean packed;
    private final boolean pairs;
    private final long separatorMask;
    private final long keyMask;
    private final long keyUnit;
    private final int maxEntries;
    private final int minEntries;
    private Node root;
    private long size;
    private long memoryBytes;
    private long searchKey;
    private int searchRowId;
    private long entryKey;
    private int entryRowId;
    private long promotedKey;
    private int promotedRowId;
    private Node splitSibling;
    private Node foundLeaf;
    /**
     * The rightmost leaf, or null when unknown (after a removal or a clear). Inserts keep it: one that splits it gives
     * it a right sibling ({@code next}), which tells it is no longer the rightmost.
     */
    private Node rightmostLeaf;
    private int foundIndex;
    private Node verifyPreviousLeaf;
    private int verifyLeafDepth;

    /**
     * A tree with the default node size.
     *
     * @param keyLength the encoded length of every key, 0..8.
     * @param unique    whether each key maps to at most one row.
     */
    public LongBTreeIndex(final int keyLength, final boolean unique)
    {
        this(keyLength, unique, DEFAULT_MAX_ENTRIES);
    }

    /**
     * A tree with a given node size (small sizes force splits and merges in tests).
     *
     * @param keyLength  the encoded length of every key, 0..8.
     * @param unique     whether each key maps to at most one row.
     * @param maxEntries most entries per node, at least 3.
     */
    LongBTreeIndex(final int keyLength, final boolean unique, final int maxEntries)
    {
        if (keyLength < 0 || keyLength > 8)
        {
            throw new IllegalArgumentException("key length must be 0..8: " + keyLength);
        }
        if (maxEntries < 3)
        {
            throw new IllegalArgumentException("maxEntries must be >= 3: " + maxEntries);
        }
        this.keyLength = keyLength;
        this.unique = unique;
        this.packed = keyLength <= 4;
        this.pairs = !unique && !packed;
        this.separatorMask = unique && packed ? ~ROW_BITS : -1L;
        this.keyMask = prefixMask(keyLength);
        this.keyUnit = keyLength == 0 ? 0 : 1L << (64 - 8 * keyLength);
        this.maxEntries = maxEntries;
        this.minEntries = maxEntries / 2;
        root = newNode(true);
    }

    /**
     * The encoded length of every key.
     *
     * @return the key length in bytes.
     */
    public int keyLength()
    {
        return keyLength;
    }

    /**
     * {@inheritDoc}
     */
    public boolean isUnique()
    {
        return unique;
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
     *
     * @throws IllegalArgumentException when the key length is not this index's or the row id is negative.
     */
    public boolean insert(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        if (rowId < 0)
        {
            throw new IllegalArgumentException("row id must be >= 0: " + rowId);
        }
        final long k = keyOf(key, offset, length);
        if (packed)
        {
            entryKey = (k | rowId) ^ FLIP;
            searchKey = entryKey & separatorMask;
        }
        else
        {
            entryKey = k ^ FLIP;
            searchKey = entryKey;
        }
        entryRowId = rowId;
        searchRowId = rowId;
        if (appendedToRightmostLeaf())
        {
            size++;
            return true;
        }
        final Node oldRoot = root;
        final int result = insert(oldRoot);
        if (result < 0)
        {
            return false;
        }
        if (result > 0)
        {
            final Node newRoot = newNode(false);
            newRoot.children[0] = oldRoot;
            split(newRoot, 0, oldRoot);
            root = newRoot;
        }
        size++;
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the key length is not this index's.
     */
    public boolean remove(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        final long k = keyOf(key, offset, length);
        if (rowId < 0)
        {
            return false;
        }
        searchKey = (packed ? k | rowId : k) ^ FLIP;
        searchRowId = rowId;
        rightmostLeaf = null;
        final boolean removed = remove(root);
        if (removed)
        {
            size--;
            if (null != root.children && root.count == 0)
            {
                final Node old = root;
                root = old.children[0];
                release(old);
            }
        }
        return removed;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the key length is not this index's.
     */
    public int get(final DirectBuffer key, final int offset, final int length)
    {
        final long k = keyOf(key, offset, length) ^ FLIP;
        if (!findFirstAtLeast(k))
        {
            return -1;
        }
        final long found = foundLeaf.keys[foundIndex];
        if (packed)
        {
            return (found & ~ROW_BITS) == k ? (int)found : -1;
        }
        return found == k ? foundLeaf.rowIds[foundIndex] : -1;
    }

    /**
     * {@inheritDoc}
     * <p>
     * A unique tree rewrites the entry's row id in place in its leaf (its order ignores row ids, and separators
     * hold no row id); a non-unique one, whose order is (key, row id), removes and inserts.
     *
     * @throws IllegalArgumentException when the key length is not this index's or {@code newRowId} is negative.
     */
    public boolean replace(
        final DirectBuffer key, final int offset, final int length, final int oldRowId, final int newRowId)
    {
        if (!unique)
        {
            return TableIndex.super.replace(key, offset, length, oldRowId, newRowId);
        }
        if (newRowId < 0)
        {
            throw new IllegalArgumentException("row id must be >= 0: " + newRowId);
        }
        final long k = keyOf(key, offset, length) ^ FLIP;
        if (oldRowId < 0 || !findFirstAtLeast(k))
        {
            return false;
        }
        final long[] keys = foundLeaf.keys;
        final int i = foundIndex;
        if (packed)
        {
            if (keys[i] != (k | oldRowId))
            {
                return false;
            }
            keys[i] = k | newRowId;
            return true;
        }
        if (keys[i] != k || foundLeaf.rowIds[i] != oldRowId)
        {
            return false;
        }
        foundLeaf.rowIds[i] = newRowId;
        return true;
    }

    /**
     * Finds the first leaf entry not below {@code flippedKey} (row id -1): sets {@link #foundLeaf} and
     * {@link #foundIndex}.
     *
     * @return false when every entry is below it.
     */
    private boolean findFirstAtLeast(final long flippedKey)
    {
        searchKey = flippedKey;
        searchRowId = -1;
        Node node = root;
        while (null != node.children)
        {
            node = node.children[childIndex(node)];
        }
        int i = leafIndex(node);
        if (i == node.count)
        {
            node = node.next;
            i = 0;
            if (null == node)
            {
                return false;
            }
        }
        foundLeaf = node;
        foundIndex = i;
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public int scan(final KeyRange range, final RowIdConsumer consumer)
    {
        final int lowerLength = range.lowerLength();
        final long from;
        if (lowerLength > keyLength)
        {
            final long v = OrderedKeyEncoder.toLong(range.lowerKey(), 0, keyLength);
            if (v == keyMask)
            {
                return 0;
            }
            from = v + keyUnit;
        }
        else
        {
            final long v = OrderedKeyEncoder.toLong(range.lowerKey(), 0, lowerLength);
            if (range.lowerKind() == BoundKind.INCLUSIVE)
            {
                from = v;
            }
            else
            {
                final long last = v | (keyMask & ~prefixMask(lowerLength));
                if (last == keyMask)
                {
                    return 0;
                }
                from = last + keyUnit;
            }
        }
        final int upperLength = range.upperLength();
        final long to;
        if (upperLength > keyLength)
        {
            to = OrderedKeyEncoder.toLong(range.upperKey(), 0, keyLength);
        }
        else
        {
            final long v = OrderedKeyEncoder.toLong(range.upperKey(), 0, upperLength);
            if (range.upperKind() == BoundKind.INCLUSIVE)
            {
                to = v | (keyMask & ~prefixMask(upperLength));
            }
            else
            {
                if (v == 0)
                {
                    return 0;
                }
                to = v - keyUnit;
            }
        }
        if (Long.compareUnsigned(from, to) > 0)
        {
            return 0;
        }
        return scanEntries(from ^ FLIP, (packed ? to | ROW_BITS : to) ^ FLIP, consumer);
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
        rightmostLeaf = null;
        root = null;
        memoryBytes = 0;
        size = 0;
        root = newNode(true);
    }

    /**
     * {@inheritDoc}
     */
    public long memoryBytes()
    {
        return memoryBytes + INDEX_OBJECT_BYTES;
    }

    /**
     * Height of the tree, 1 for a lone leaf (for tests and metrics).
     *
     * @return the number of levels.
     */
    public int height()
    {
        int height = 1;
        for (Node node = root; null != node.children; node = node.children[0])
        {
            height++;
        }
        return height;
    }

    /**
     * Checks the structural invariants (ordering, uniqueness, fill, separators, equal leaf depth, leaf chain, size)
     * and throws {@link IllegalStateException} when one fails. For tests; O(n).
     */
    public void verify()
    {
        verifyPreviousLeaf = null;
        verifyLeafDepth = -1;
        final long counted = verify(root, false, 0, 0, false, 0, 0, true, 1);
        if (null != verifyPreviousLeaf && null != verifyPreviousLeaf.next)
        {
            throw new IllegalStateException("last leaf has a successor");
        }
        verifyPreviousLeaf = null;
        if (counted != size)
        {
            throw new IllegalStateException("size " + size + " but " + counted + " entries");
        }
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        clear();
    }

    private long keyOf(final DirectBuffer key, final int offset, final int length)
    {
        if (length != keyLength)
        {
            throw new IllegalArgumentException("key of " + length + " bytes, index keys are " + keyLength);
        }
        return OrderedKeyEncoder.toLong(key, offset, length);
    }

    private int scanEntries(final long from, final long to, final RowIdConsumer consumer)
    {
        searchKey = from;
        searchRowId = -1;
        Node node = root;
        while (null != node.children)
        {
            node = node.children[childIndex(node)];
        }
        int i = leafIndex(node);
        int visited = 0;
        while (null != node)
        {
            final long[] keys = node.keys;
            final int[] rowIds = node.rowIds;
            for (final int count = node.count; i < count; i++)
            {
                final long entry = keys[i];
                if (entry > to)
                {
                    return visited;
                }
                visited++;
                if (!consumer.accept(packed ? (int)entry : rowIds[i]))
                {
                    return visited;
                }
            }
            node = node.next;
            i = 0;
        }
        return visited;
    }

    private int insert(final Node node)
    {
        if (null == node.children)
        {
            final int i = leafIndex(node);
            if (i < node.count && (node.keys[i] & separatorMask) == searchKey &&
                (!pairs || node.rowIds[i] == searchRowId))
            {
                return -1;
            }
            insertAt(node, i, entryKey, entryRowId);
            return node.count > maxEntries ? 1 : 0;
        }
        final int c = childIndex(node);
        final Node child = node.children[c];
        final int result = insert(child);
        if (result <= 0)
        {
            return result;
        }
        if (null == child.children && shareWithSibling(node, c, child))
        {
            return 0;
        }
        split(node, c, child);
        return node.count > maxEntries ? 1 : 0;
    }

    /**
     * The fast path of ascending inserts (auto-increment keys, a snapshot's rows in key order): an entry above every
     * entry of the tree goes at the end of the rightmost leaf when that leaf has room, without a search. Appending
     * the greatest entry to the rightmost leaf breaks no separator, since separators bound only the subtrees to
     * their right. Anything else (a full leaf, an empty tree, an entry not above the last) takes the normal path.
     *
     * @return true when appended.
     */
    private boolean appendedToRightmostLeaf()
    {
        Node leaf = rightmostLeaf;
        if (null == leaf || null != leaf.next)
        {
            leaf = root;
            while (null != leaf.children)
            {
                leaf = leaf.children[leaf.count];
            }
            rightmostLeaf = leaf;
        }
        final int count = leaf.count;
        if (count == 0 || count >= maxEntries)
        {
            return false;
        }
        final long last = leaf.keys[count - 1] & separatorMask;
        if (last > searchKey || (last == searchKey && (!pairs || leaf.rowIds[count - 1] >= searchRowId)))
        {
            return false;
        }
        leaf.keys[count] = entryKey;
        if (null != leaf.rowIds)
        {
            leaf.rowIds[count] = entryRowId;
        }
        leaf.count = count + 1;
        return true;
    }

    /**
     * Moves entries of an overfull leaf into a sibling with room, if there is one.
     */
    private boolean shareWithSibling(final Node parent, final int c, final Node child)
    {
        if (c > 0)
        {
            final Node left = parent.children[c - 1];
            if (left.count < maxEntries)
            {
                final int move = (child.count - left.count) >> 1;
                copy(child, 0, left, left.count, move);
                left.count += move;
                copy(child, move, child, 0, child.count - move);
                child.count -= move;
                setSeparator(parent, c - 1, child, 0);
                return true;
            }
        }
        if (c < parent.count)
        {
            final Node right = parent.children[c + 1];
            if (right.count < maxEntries)
            {
                final int move = (child.count - right.count) >> 1;
                copy(right, 0, right, move, right.count);
                right.count += move;
                child.count -= move;
                copy(child, child.count, right, 0, move);
                setSeparator(parent, c, right, 0);
                return true;
            }
        }
        return false;
    }

    /**
     * Splits the overfull {@code child} at position {@code c} of {@code parent} and inserts the new separator and
     * right half into the parent (which may then be overfull).
     */
    private void split(final Node parent, final int c, final Node child)
    {
        final int count = child.count;
        final int mid = count >> 1;
        if (null == child.children)
        {
            final Node right = newNode(true);
            copy(child, mid, right, 0, count - mid);
            right.count = count - mid;
            child.count = mid;
            right.next = child.next;
            child.next = right;
            promotedKey = right.keys[0] & separatorMask;
            promotedRowId = pairs ? right.rowIds[0] : 0;
            splitSibling = right;
        }
        else
        {
            final Node right = newNode(false);
            copy(child, mid + 1, right, 0, count - mid - 1);
            System.arraycopy(child.children, mid + 1, right.children, 0, count - mid);
            Arrays.fill(child.children, mid + 1, count + 1, null);
            right.count = count - mid - 1;
            promotedKey = child.keys[mid];
            promotedRowId = pairs ? child.rowIds[mid] : 0;
            child.count = mid;
            splitSibling = right;
        }
        insertAt(parent, c, promotedKey, promotedRowId);
        final Node[] children = parent.children;
        System.arraycopy(children, c + 1, children, c + 2, parent.count - c - 1);
        children[c + 1] = splitSibling;
        splitSibling = null;
    }

    private boolean remove(final Node node)
    {
        if (null == node.children)
        {
            final int i = leafIndex(node);
            if (i < node.count && node.keys[i] == searchKey && (packed || node.rowIds[i] == searchRowId))
            {
                removeAt(node, i);
                return true;
            }
            return false;
        }
        final int c = childIndex(node);
        final Node child = node.children[c];
        final boolean removed = remove(child);
        if (removed && child.count < minEntries)
        {
            rebalance(node, c);
        }
        return removed;
    }

    private void rebalance(final Node parent, final int c)
    {
        final Node child = parent.children[c];
        final Node left = c > 0 ? parent.children[c - 1] : null;
        final Node right = c < parent.count ? parent.children[c + 1] : null;
        if (null != left && left.count > minEntries)
        {
            borrowFromLeft(parent, c, left, child);
        }
        else if (null != right && right.count > minEntries)
        {
            borrowFromRight(parent, c, child, right);
        }
        else if (null != left)
        {
            merge(parent, c - 1, left, child);
        }
        else if (null != right)
        {
            merge(parent, c, child, right);
        }
    }

    private void borrowFromLeft(final Node parent, final int c, final Node left, final Node child)
    {
        final int last = left.count - 1;
        if (null == child.children)
        {
            copy(child, 0, child, 1, child.count);
            copy(left, last, child, 0, 1);
            child.count++;
            left.count = last;
            setSeparator(parent, c - 1, child, 0);
        }
        else
        {
            copy(child, 0, child, 1, child.count);
            copy(parent, c - 1, child, 0, 1);
            System.arraycopy(child.children, 0, child.children, 1, child.count + 1);
            child.children[0] = left.children[last + 1];
            left.children[last + 1] = null;
            child.count++;
            copy(left, last, parent, c - 1, 1);
            left.count = last;
        }
    }

    private void borrowFromRight(final Node parent, final int c, final Node child, final Node right)
    {
        if (null == child.children)
        {
            copy(right, 0, child, child.count, 1);
            child.count++;
            copy(right, 1, right, 0, right.count - 1);
            right.count--;
            setSeparator(parent, c, right, 0);
        }
        else
        {
            copy(parent, c, child, child.count, 1);
            child.count++;
            child.children[child.count] = right.children[0];
            copy(right, 0, parent, c, 1);
            copy(right, 1, right, 0, right.count - 1);
            System.arraycopy(right.children, 1, right.children, 0, right.count);
            right.children[right.count] = null;
            right.count--;
        }
    }

    private void merge(final Node parent, final int sep, final Node left, final Node right)
    {
        if (null == left.children)
        {
            copy(right, 0, left, left.count, right.count);
            left.count += right.count;
            left.next = right.next;
        }
        else
        {
            final int before = left.count;
            copy(parent, sep, left, before, 1);
            copy(right, 0, left, before + 1, right.count);
            System.arraycopy(right.children, 0, left.children, before + 1, right.count + 1);
            left.count = before + 1 + right.count;
        }
        removeAt(parent, sep);
        final Node[] children = parent.children;
        System.arraycopy(children, sep + 2, children, sep + 1, parent.count - sep);
        children[parent.count + 1] = null;
        release(right);
    }

    /**
     * The child of an inner node to descend into for the search entry: the number of separators at or below it.
     */
    private int childIndex(final Node node)
    {
        final long[] keys = node.keys;
        final long key = searchKey;
        if (pairs)
        {
            final int[] rowIds = node.rowIds;
            final int rowId = searchRowId;
            int low = 0;
            int high = node.count;
            while (low < high)
            {
                final int mid = (low + high) >>> 1;
                final long k = keys[mid];
                if (k < key || (k == key && rowIds[mid] <= rowId))
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }
            return low;
        }
        return firstAbove(keys, node.count, key);
    }

    /**
     * The position in a leaf of the first entry at or above the search entry.
     */
    private int leafIndex(final Node node)
    {
        final long[] keys = node.keys;
        final long key = searchKey;
        if (pairs)
        {
            final int[] rowIds = node.rowIds;
            final int rowId = searchRowId;
            int low = 0;
            int high = node.count;
            while (low < high)
            {
                final int mid = (low + high) >>> 1;
                final long k = keys[mid];
                if (k < key || (k == key && rowIds[mid] < rowId))
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }
            return low;
        }
        return key == Long.MIN_VALUE ? 0 : firstAbove(keys, node.count, key - 1);
    }

    /**
     * The first of {@code keys[0..count)}, ascending, above {@code key}, or {@code count}: a binary search whose
     * halving step is a conditional move rather than a branch, since a branch on random keys mispredicts half the
     * time.
     */
    private static int firstAbove(final long[] keys, final int count, final long key)
    {
        if (count == 0)
        {
            return 0;
        }
        int base = 0;
        int n = count;
        while (n > 1)
        {
            final int half = n >>> 1;
            base = keys[base + half] <= key ? base + half : base;
            n -= half;
        }
        return keys[base] <= key ? base + 1 : base;
    }

    private void setSeparator(final Node parent, final int i, final Node leaf, final int j)
    {
        parent.keys[i] = leaf.keys[j] & separatorMask;
        if (pairs)
        {
            parent.rowIds[i] = leaf.rowIds[j];
        }
    }

    private static void insertAt(final Node node, final int i, final long key, final int rowId)
    {
        final int count = node.count;
        System.arraycopy(node.keys, i, node.keys, i + 1, count - i);
        node.keys[i] = key;
        final int[] rowIds = node.rowIds;
        if (null != rowIds)
        {
            System.arraycopy(rowIds, i, rowIds, i + 1, count - i);
            rowIds[i] = rowId;
        }
        node.count = count + 1;
    }

    private static void removeAt(final Node node, final int i)
    {
        copy(node, i + 1, node, i, node.count - i - 1);
        node.count--;
    }

    /**
     * Copies {@code n} entries (keys and, when the nodes have them, row ids); ranges may overlap.
     */
    private static void copy(final Node src, final int from, final Node dst, final int to, final int n)
    {
        System.arraycopy(src.keys, from, dst.keys, to, n);
        if (null != src.rowIds)
        {
            System.arraycopy(src.rowIds, from, dst.rowIds, to, n);
        }
    }

    private static long prefixMask(final int bytes)
    {
        return bytes == 0 ? 0 : -1L << (64 - 8 * bytes);
    }

    private Node newNode(final boolean leaf)
    {
        final boolean withRowIds = leaf ? !packed : pairs;
        final Node node = new Node(
            new long[maxEntries + 1],
            withRowIds ? new int[maxEntries + 1] : null,
            leaf ? null : new Node[maxEntries + 2]);
        memoryBytes += nodeBytes(node);
        return node;
    }

    private void release(final Node node)
    {
        memoryBytes -= nodeBytes(node);
    }

    private static long nodeBytes(final Node node)
    {
        long bytes = NODE_OBJECT_BYTES + arrayBytes(8L * node.keys.length);
        if (null != node.rowIds)
        {
            bytes += arrayBytes(4L * node.rowIds.length);
        }
        if (null != node.children)
        {
            bytes += arrayBytes(4L * node.children.length);
        }
        return bytes;
    }

    private static long arrayBytes(final long payload)
    {
        return (ARRAY_HEADER_BYTES + payload + 7) & ~7L;
    }

    private int compareEntries(final long keyA, final int rowA, final long keyB, final int rowB)
    {
        final int c = Long.compare(keyA, keyB);
        return c != 0 || !pairs ? c : Integer.compare(rowA, rowB);
    }

    private long verify(
        final Node node,
        final boolean hasLow,
        final long lowKey,
        final int lowRowId,
        final boolean hasHigh,
        final long highKey,
        final int highRowId,
        final boolean isRoot,
        final int depth)
    {
        if (!isRoot && node.count < minEntries)
        {
            throw new IllegalStateException("underfull node: " + node.count + " < " + minEntries);
        }
        if (node.count > maxEntries)
        {
            throw new IllegalStateException("overfull node: " + node.count);
        }
        final boolean leaf = null == node.children;
        final long[] keys = node.keys;
        final int[] rowIds = node.rowIds;
        final boolean entryRowIds = leaf ? !packed : pairs;
        if ((null != rowIds) != entryRowIds)
        {
            throw new IllegalStateException("row id array present: " + (null != rowIds) + ", leaf " + leaf);
        }
        for (int i = 0; i < node.count; i++)
        {
            final int rowId = pairs ? rowIds[i] : 0;
            if (i > 0 && compareEntries(keys[i - 1], pairs ? rowIds[i - 1] : 0, keys[i], rowId) >= 0)
            {
                throw new IllegalStateException("entries out of order at " + i);
            }
            if (leaf && unique && packed && i > 0 && (keys[i] & ~ROW_BITS) == (keys[i - 1] & ~ROW_BITS))
            {
                throw new IllegalStateException("duplicate key in a unique index at " + i);
            }
            if (!leaf && (keys[i] & separatorMask) != keys[i])
            {
                throw new IllegalStateException("separator holds row id bits at " + i);
            }
            if (hasLow && compareEntries(keys[i], rowId, lowKey, lowRowId) < 0)
            {
                throw new IllegalStateException("entry below its separator at " + i);
            }
            if (hasHigh && compareEntries(keys[i], rowId, highKey, highRowId) >= 0)
            {
                throw new IllegalStateException("entry at or above the next separator at " + i);
            }
        }
        if (leaf)
        {
            if (verifyLeafDepth < 0)
            {
                verifyLeafDepth = depth;
            }
            else if (verifyLeafDepth != depth)
            {
                throw new IllegalStateException("leaves at depths " + verifyLeafDepth + " and " + depth);
            }
            if (null != verifyPreviousLeaf && verifyPreviousLeaf.next != node)
            {
                throw new IllegalStateException("leaf chain out of order");
            }
            verifyPreviousLeaf = node;
            return node.count;
        }
        long total = 0;
        for (int c = 0; c <= node.count; c++)
        {
            final Node child = node.children[c];
            if (null == child)
            {
                throw new IllegalStateException("missing child " + c);
            }
            total += verify(
                child,
                c > 0 || hasLow,
                c == 0 ? lowKey : keys[c - 1],
                c == 0 ? lowRowId : (pairs ? rowIds[c - 1] : 0),
                c < node.count || hasHigh,
                c == node.count ? highKey : keys[c],
                c == node.count ? highRowId : (pairs ? rowIds[c] : 0),
                false,
                depth + 1);
        }
        for (int c = node.count + 1; c < node.children.length; c++)
        {
            if (null != node.children[c])
            {
                throw new IllegalStateException("stale child pointer at " + c);
            }
        }
        return total;
    }

    /**
     * A tree node; see the class javadoc for the layout. Leaves have no children array.
     */
    static final class Node
    {
        final long[] keys;
        final int[] rowIds;
        final Node[] children;
        int count;
        Node next;

        Node(final long[] keys, final int[] rowIds, final Node[] children)
        {
            this.keys = keys;
            this.rowIds = rowIds;
            this.children = children;
        }
    }
}
