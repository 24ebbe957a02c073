package io.lightcone.core.index;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A B+tree over (encoded key bytes, row id) entries, ordered by key (unsigned lexicographic) then row id, unique or
 * not. Keys come from {@link OrderedKeyEncoder}, so one tree serves every key type.
 * <p>
 * Node layout (one object and three or four arrays per node, nothing per entry):
 * <pre>
 *   keys   : byte[]  | key 0 bytes | key 1 bytes | ... | key n-1 bytes | spare capacity |
 *   ends   : int[]   | end of key 0 | end of key 1 | ... |   (key i spans [ends[i-1], ends[i]), ends[-1] = 0)
 *   rowIds : int[]   | row id of key 0 | ... |
 *   children (inner only): Node[] | child 0 | ... | child n |   child i holds entries &lt; separator i
 *   next   (leaf only): the right sibling leaf, for scans
 * </pre>
 * A node holds at most {@code maxEntries} keys and, except the root, at least {@code maxEntries / 2}: removal
 * borrows from a sibling or merges with it. Inner separators are lower bounds of their right subtree (after
 * removals they may be smaller than its least entry, which descent tolerates).
 * <p>
 * In a unique tree, keys are distinct so the order ignores row ids. Scans allocate nothing. Not thread safe.
 */
public final class BTreeIndex implements TableIndex
{
    /** Default most keys per node. */
    public static final int DEFAULT_MAX_ENTRIES = 64;

    private static final int NODE_OBJECT_BYTES = 40;
    private static final int ARRAY_HEADER_BYTES = 16;
    private static final int INITIAL_KEY_BYTES_PER_ENTRY = 8;

    private final boolean unique;
    private final int maxEntries;
    private final int minEntries;
    private Node root;
    private Node splitSibling;
    private long size;
    private long memoryBytes;
    private byte[] searchKey = new byte[64];
    private int searchLength;
    private int searchRowId;
    private byte[] promotedKey = new byte[64];
    private int promotedLength;
    private int promotedRowId;
    private byte[] lowerScratch = new byte[64];
    private byte[] upperScratch = new byte[64];

    /**
     * A tree with the default node size.
     *
     * @param unique whether each key maps to at most one row.
     */
    public BTreeIndex(final boolean unique)
    {
        this(unique, DEFAULT_MAX_ENTRIES);
    }

    /**
     * A tree with a given node size (small sizes force splits and merges in tests).
     *
     * @param unique     whether each key maps to at most one row.
     * @param maxEntries most keys per node, at least 3.
     */
    public BTreeIndex(final boolean unique, final int maxEntries)
    {
        if (maxEntries < 3)
        {
            throw new IllegalArgumentException("maxEntries must be >= 3: " + maxEntries);
        }
        this.unique = unique;
        this.maxEntries = maxEntries;
        this.minEntries = maxEntries / 2;
        root = newNode(true);
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
     */
    public boolean insert(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        checkRowId(rowId);
        loadSearchKey(key, offset, length, rowId);
        final Node oldRoot = root;
        final int result = insert(oldRoot);
        if (result < 0)
        {
            return false;
        }
        if (result > 0)
        {
            final Node newRoot = newNode(false);
            insertKey(newRoot, 0, promotedKey, promotedLength, promotedRowId);
            newRoot.children[0] = oldRoot;
            newRoot.children[1] = splitSibling;
            splitSibling = null;
            root = newRoot;
        }
        size++;
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public boolean remove(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        loadSearchKey(key, offset, length, rowId);
        final boolean removed = remove(root);
        if (removed)
        {
            size--;
            if (!root.leaf && root.count == 0)
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
     */
    public int get(final DirectBuffer key, final int offset, final int length)
    {
        loadSearchKey(key, offset, length, Integer.MIN_VALUE);
        Node node = root;
        while (!node.leaf)
        {
            node = node.children[upperBound(node)];
        }
        int i = lowerBound(node);
        if (i == node.count)
        {
            node = node.next;
            i = 0;
            if (null == node)
            {
                return -1;
            }
        }
        return keyEquals(node, i) ? node.rowIds[i] : -1;
    }

    /**
     * {@inheritDoc}
     */
    public int scan(final KeyRange range, final RowIdConsumer consumer)
    {
        final int lowerLength = range.lowerLength();
        final int upperLength = range.upperLength();
        final byte[] lower = bytesOf(range.lowerKey(), lowerLength, true);
        final byte[] upper = bytesOf(range.upperKey(), upperLength, false);
        final int lowerThreshold = range.lowerKind() == BoundKind.EXCLUSIVE ? 1 : 0;
        final boolean upperInclusive = range.upperKind() == BoundKind.INCLUSIVE;
        final boolean upperUnbounded = upperInclusive && upperLength == 0;

        Node node = root;
        while (!node.leaf)
        {
            node = node.children[firstAtOrAbove(node, lower, lowerLength, lowerThreshold)];
        }
        int i = firstAtOrAbove(node, lower, lowerLength, lowerThreshold);
        int visited = 0;
        while (null != node)
        {
            final int[] rowIds = node.rowIds;
            for (final int count = node.count; i < count; i++)
            {
                if (!upperUnbounded)
                {
                    final int c = comparePrefix(node, i, upper, upperLength);
                    if (upperInclusive ? c > 0 : c >= 0)
                    {
                        return visited;
                    }
                }
                visited++;
                if (!consumer.accept(rowIds[i]))
                {
                    return visited;
                }
            }
            node = node.next;
            i = 0;
        }
        return visited;
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
        return memoryBytes + 5L * ARRAY_HEADER_BYTES + searchKey.length + promotedKey.length +
            lowerScratch.length + upperScratch.length;
    }

    /**
     * Height of the tree, 1 for a lone leaf (for tests and metrics).
     *
     * @return the number of levels.
     */
    public int height()
    {
        int height = 1;
        for (Node node = root; !node.leaf; node = node.children[0])
        {
            height++;
        }
        return height;
    }

    /**
     * Checks the structural invariants (ordering, fill, separators, leaf chain, size) and throws
     * {@link IllegalStateException} when one fails. For tests; O(n).
     */
    public void verify()
    {
        final long counted = verify(root, null, -1, 0, null, -1, 0, true);
        if (counted != size)
        {
            throw new IllegalStateException("size " + size + " but " + counted + " entries");
        }
        Node leftmost = root;
        while (!leftmost.leaf)
        {
            leftmost = leftmost.children[0];
        }
        long chained = 0;
        for (Node node = leftmost; null != node; node = node.next)
        {
            chained += node.count;
        }
        if (chained != size)
        {
            throw new IllegalStateException("leaf chain holds " + chained + " entries, size " + size);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        clear();
    }

    private int insert(final Node node)
    {
        if (node.leaf)
        {
            final int i = lowerBound(node);
            if (i < node.count && (unique ? keyEquals(node, i) : compare(node, i) == 0))
            {
                return -1;
            }
            insertKey(node, i, searchKey, searchLength, searchRowId);
            if (node.count <= maxEntries)
            {
                return 0;
            }
            splitLeaf(node);
            return 1;
        }
        final int c = upperBound(node);
        final int result = insert(node.children[c]);
        if (result <= 0)
        {
            return result;
        }
        insertKey(node, c, promotedKey, promotedLength, promotedRowId);
        System.arraycopy(node.children, c + 1, node.children, c + 2, node.count - c - 1);
        node.children[c + 1] = splitSibling;
        splitSibling = null;
        if (node.count <= maxEntries)
        {
            return 0;
        }
        splitInner(node);
        return 1;
    }

    private void splitLeaf(final Node node)
    {
        final int mid = node.count / 2;
        final Node right = newNode(true);
        appendRange(node, mid, node.count, right);
        truncate(node, mid);
        right.next = node.next;
        node.next = right;
        setPromoted(right, 0);
        splitSibling = right;
    }

    private void splitInner(final Node node)
    {
        final int count = node.count;
        final int mid = count / 2;
        final Node right = newNode(false);
        appendRange(node, mid + 1, count, right);
        System.arraycopy(node.children, mid + 1, right.children, 0, count - mid);
        Arrays.fill(node.children, mid + 1, count + 1, null);
        setPromoted(node, mid);
        truncate(node, mid);
        splitSibling = right;
    }

    private boolean remove(final Node node)
    {
        if (node.leaf)
        {
            final int i = lowerBound(node);
            if (i < node.count && compare(node, i) == 0 && node.rowIds[i] == searchRowId)
            {
                removeKey(node, i);
                return true;
            }
            return false;
        }
        final int c = upperBound(node);
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
        if (child.leaf)
        {
            moveKey(left, last, child, 0);
            removeKey(left, last);
            removeKey(parent, c - 1);
            moveKey(child, 0, parent, c - 1);
        }
        else
        {
            moveKey(parent, c - 1, child, 0);
            System.arraycopy(child.children, 0, child.children, 1, child.count);
            child.children[0] = left.children[last + 1];
            left.children[last + 1] = null;
            removeKey(parent, c - 1);
            moveKey(left, last, parent, c - 1);
            removeKey(left, last);
        }
    }

    private void borrowFromRight(final Node parent, final int c, final Node child, final Node right)
    {
        if (child.leaf)
        {
            moveKey(right, 0, child, child.count);
            removeKey(right, 0);
            removeKey(parent, c);
            moveKey(right, 0, parent, c);
        }
        else
        {
            moveKey(parent, c, child, child.count);
            child.children[child.count] = right.children[0];
            System.arraycopy(right.children, 1, right.children, 0, right.count);
            right.children[right.count] = null;
            removeKey(parent, c);
            moveKey(right, 0, parent, c);
            removeKey(right, 0);
        }
    }

    private void merge(final Node parent, final int sep, final Node left, final Node right)
    {
        if (left.leaf)
        {
            appendRange(right, 0, right.count, left);
            left.next = right.next;
        }
        else
        {
            final int before = left.count;
            moveKey(parent, sep, left, before);
            appendRange(right, 0, right.count, left);
            System.arraycopy(right.children, 0, left.children, before + 1, right.count + 1);
        }
        removeKey(parent, sep);
        System.arraycopy(parent.children, sep + 2, parent.children, sep + 1, parent.count - sep);
        parent.children[parent.count + 1] = null;
        release(right);
    }

    private int lowerBound(final Node node)
    {
        int low = 0;
        int high = node.count;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (compare(node, mid) < 0)
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

    private int upperBound(final Node node)
    {
        int low = 0;
        int high = node.count;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (compare(node, mid) <= 0)
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

    private static int firstAtOrAbove(final Node node, final byte[] prefix, final int length, final int threshold)
    {
        int low = 0;
        int high = node.count;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (comparePrefix(node, mid, prefix, length) < threshold)
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

    /**
     * Compares entry i with the search entry: key bytes, then (non-unique only) row id.
     */
    private int compare(final Node node, final int i)
    {
        final int start = i == 0 ? 0 : node.ends[i - 1];
        final int c = Arrays.compareUnsigned(node.keys, start, node.ends[i], searchKey, 0, searchLength);
        if (c != 0 || unique)
        {
            return c;
        }
        return Integer.compare(node.rowIds[i], searchRowId);
    }

    private boolean keyEquals(final Node node, final int i)
    {
        final int start = i == 0 ? 0 : node.ends[i - 1];
        return Arrays.equals(node.keys, start, node.ends[i], searchKey, 0, searchLength);
    }

    /**
     * 0 when key i starts with the prefix, else the sign of the lexicographic comparison.
     */
    private static int comparePrefix(final Node node, final int i, final byte[] prefix, final int length)
    {
        final int start = i == 0 ? 0 : node.ends[i - 1];
        final int end = node.ends[i];
        final int keyLength = end - start;
        final int m = Arrays.mismatch(node.keys, start, end, prefix, 0, length);
        if (m < 0 || m == length)
        {
            return 0;
        }
        if (m == keyLength)
        {
            return -1;
        }
        return (node.keys[start + m] & 0xFF) - (prefix[m] & 0xFF);
    }

    private byte[] bytesOf(final DirectBuffer buffer, final int length, final boolean isLower)
    {
        final byte[] array = buffer.byteArray();
        if (null != array && buffer.wrapAdjustment() == 0)
        {
            return array;
        }
        byte[] scratch = isLower ? lowerScratch : upperScratch;
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
            if (isLower)
            {
                lowerScratch = scratch;
            }
            else
            {
                upperScratch = scratch;
            }
        }
        buffer.getBytes(0, scratch, 0, length);
        return scratch;
    }

    private void loadSearchKey(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        if (searchKey.length < length)
        {
            searchKey = new byte[Math.max(length, searchKey.length * 2)];
        }
        key.getBytes(offset, searchKey, 0, length);
        searchLength = length;
        searchRowId = rowId;
    }

    private void setPromoted(final Node node, final int i)
    {
        final int start = i == 0 ? 0 : node.ends[i - 1];
        final int length = node.ends[i] - start;
        if (promotedKey.length < length)
        {
            promotedKey = new byte[Math.max(length, promotedKey.length * 2)];
        }
        System.arraycopy(node.keys, start, promotedKey, 0, length);
        promotedLength = length;
        promotedRowId = node.rowIds[i];
    }

    private void insertKey(final Node node, final int i, final byte[] src, final int length, final int rowId)
    {
        final int count = node.count;
        final int used = count == 0 ? 0 : node.ends[count - 1];
        final int start = i == 0 ? 0 : node.ends[i - 1];
        ensureKeyCapacity(node, used + length);
        final byte[] keys = node.keys;
        System.arraycopy(keys, start, keys, start + length, used - start);
        System.arraycopy(src, 0, keys, start, length);
        final int[] ends = node.ends;
        for (int j = count; j > i; j--)
        {
            ends[j] = ends[j - 1] + length;
        }
        ends[i] = start + length;
        System.arraycopy(node.rowIds, i, node.rowIds, i + 1, count - i);
        node.rowIds[i] = rowId;
        node.count = count + 1;
    }

    /**
     * Copies entry i of {@code from} to position j of {@code to}; {@code from} and {@code to} must differ.
     */
    private void moveKey(final Node from, final int i, final Node to, final int j)
    {
        final int start = i == 0 ? 0 : from.ends[i - 1];
        final int length = from.ends[i] - start;
        final int count = to.count;
        final int used = count == 0 ? 0 : to.ends[count - 1];
        final int at = j == 0 ? 0 : to.ends[j - 1];
        ensureKeyCapacity(to, used + length);
        System.arraycopy(to.keys, at, to.keys, at + length, used - at);
        System.arraycopy(from.keys, start, to.keys, at, length);
        final int[] ends = to.ends;
        for (int k = count; k > j; k--)
        {
            ends[k] = ends[k - 1] + length;
        }
        ends[j] = at + length;
        System.arraycopy(to.rowIds, j, to.rowIds, j + 1, count - j);
        to.rowIds[j] = from.rowIds[i];
        to.count = count + 1;
    }

    private static void removeKey(final Node node, final int i)
    {
        final int count = node.count;
        final int start = i == 0 ? 0 : node.ends[i - 1];
        final int length = node.ends[i] - start;
        final int used = node.ends[count - 1];
        System.arraycopy(node.keys, start + length, node.keys, start, used - start - length);
        final int[] ends = node.ends;
        for (int j = i; j < count - 1; j++)
        {
            ends[j] = ends[j + 1] - length;
        }
        System.arraycopy(node.rowIds, i + 1, node.rowIds, i, count - i - 1);
        node.count = count - 1;
    }

    /**
     * Appends entries [from, to) of {@code src} to the end of {@code dst}.
     */
    private void appendRange(final Node src, final int from, final int to, final Node dst)
    {
        if (from >= to)
        {
            return;
        }
        final int srcStart = from == 0 ? 0 : src.ends[from - 1];
        final int srcEnd = src.ends[to - 1];
        final int dstCount = dst.count;
        final int dstUsed = dstCount == 0 ? 0 : dst.ends[dstCount - 1];
        ensureKeyCapacity(dst, dstUsed + srcEnd - srcStart);
        System.arraycopy(src.keys, srcStart, dst.keys, dstUsed, srcEnd - srcStart);
        final int shift = dstUsed - srcStart;
        for (int k = from; k < to; k++)
        {
            dst.ends[dstCount + k - from] = src.ends[k] + shift;
        }
        System.arraycopy(src.rowIds, from, dst.rowIds, dstCount, to - from);
        dst.count = dstCount + to - from;
    }

    private static void truncate(final Node node, final int count)
    {
        node.count = count;
    }

    private void ensureKeyCapacity(final Node node, final int needed)
    {
        final int capacity = node.keys.length;
        if (capacity < needed)
        {
            final int newCapacity = Math.max(needed, capacity + (capacity >> 1));
            node.keys = Arrays.copyOf(node.keys, newCapacity);
            memoryBytes += newCapacity - capacity;
        }
    }

    private Node newNode(final boolean leaf)
    {
        final Node node = new Node(leaf, maxEntries);
        memoryBytes += nodeBytes(node);
        return node;
    }

    private void release(final Node node)
    {
        memoryBytes -= nodeBytes(node);
    }

    private static long nodeBytes(final Node node)
    {
        long bytes = NODE_OBJECT_BYTES + 3L * ARRAY_HEADER_BYTES + node.keys.length + 4L * node.ends.length +
            4L * node.rowIds.length;
        if (null != node.children)
        {
            bytes += ARRAY_HEADER_BYTES + 4L * node.children.length;
        }
        return bytes;
    }

    private static void checkRowId(final int rowId)
    {
        if (rowId < 0)
        {
            throw new IllegalArgumentException("row id must be >= 0: " + rowId);
        }
    }

    private long verify(
        final Node node,
        final byte[] lowKey,
        final int lowRowId,
        final int lowLength,
        final byte[] highKey,
        final int highRowId,
        final int highLength,
        final boolean isRoot)
    {
        if (!isRoot && node.count < minEntries)
        {
            throw new IllegalStateException("underfull node: " + node.count + " < " + minEntries);
        }
        if (node.count > maxEntries)
        {
            throw new IllegalStateException("overfull node: " + node.count);
        }
        for (int i = 0; i < node.count; i++)
        {
            final byte[] key = keyAt(node, i);
            if (i > 0 && compareEntries(keyAt(node, i - 1), node.rowIds[i - 1], key, node.rowIds[i]) >= 0)
            {
                throw new IllegalStateException("entries out of order at " + i);
            }
            if (null != lowKey && compareEntries(key, node.rowIds[i], lowKey, lowRowId) < 0)
            {
                throw new IllegalStateException("entry below its separator");
            }
            if (null != highKey && compareEntries(key, node.rowIds[i], highKey, highRowId) >= 0)
            {
                throw new IllegalStateException("entry at or above the next separator");
            }
        }
        if (node.leaf)
        {
            return node.count;
        }
        long total = 0;
        for (int c = 0; c <= node.count; c++)
        {
            final byte[] low = c == 0 ? lowKey : keyAt(node, c - 1);
            final int lowId = c == 0 ? lowRowId : node.rowIds[c - 1];
            final byte[] high = c == node.count ? highKey : keyAt(node, c);
            final int highId = c == node.count ? highRowId : node.rowIds[c];
            total += verify(node.children[c], low, lowId, lowLength, high, highId, highLength, false);
        }
        return total;
    }

    private int compareEntries(final byte[] a, final int rowA, final byte[] b, final int rowB)
    {
        final int c = Arrays.compareUnsigned(a, b);
        return c != 0 || unique ? c : Integer.compare(rowA, rowB);
    }

    private static byte[] keyAt(final Node node, final int i)
    {
        final int start = i == 0 ? 0 : node.ends[i - 1];
        return Arrays.copyOfRange(node.keys, start, node.ends[i]);
    }

    /**
     * A tree node; see the class javadoc for the layout.
     */
    static final class Node
    {
        final boolean leaf;
        final int[] ends;
        final int[] rowIds;
        final Node[] children;
        byte[] keys;
        int count;
        Node next;

        Node(final boolean leaf, final int maxEntries)
        {
            this.leaf = leaf;
            this.ends = new int[maxEntries + 1];
            this.rowIds = new int[maxEntries + 1];
            this.children = leaf ? null : new Node[maxEntries + 2];
            this.keys = new byte[INITIAL_KEY_BYTES_PER_ENTRY * 4];
        }
    }
}
