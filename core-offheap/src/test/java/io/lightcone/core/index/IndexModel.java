package io.lightcone.core.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The on-heap oracle for index tests: encoded keys (compared unsigned) to sets of row ids, and the BoundKind
 * semantics written out literally.
 */
final class IndexModel
{
    private final boolean unique;
    private final TreeMap<byte[], TreeSet<Integer>> entries = new TreeMap<>(Arrays::compareUnsigned);
    private long size;

    IndexModel(final boolean unique)
    {
        this.unique = unique;
    }

    boolean insert(final byte[] key, final int rowId)
    {
        final TreeSet<Integer> rows = entries.computeIfAbsent(key, (k) -> new TreeSet<>());
        if (unique && !rows.isEmpty())
        {
            return false;
        }
        final boolean added = rows.add(rowId);
        if (added)
        {
            size++;
        }
        return added;
    }

    boolean remove(final byte[] key, final int rowId)
    {
        final TreeSet<Integer> rows = entries.get(key);
        if (null == rows || !rows.remove(rowId))
        {
            return false;
        }
        if (rows.isEmpty())
        {
            entries.remove(key);
        }
        size--;
        return true;
    }

    boolean replace(final byte[] key, final int oldRowId, final int newRowId)
    {
        final TreeSet<Integer> rows = entries.get(key);
        if (null == rows || !rows.contains(oldRowId) || (newRowId != oldRowId && rows.contains(newRowId)))
        {
            return false;
        }
        rows.remove(oldRowId);
        rows.add(newRowId);
        return true;
    }

    int get(final byte[] key)
    {
        final TreeSet<Integer> rows = entries.get(key);
        return null == rows ? -1 : rows.first();
    }

    long size()
    {
        return size;
    }

    void clear()
    {
        entries.clear();
        size = 0;
    }

    /**
     * A random present entry as (key, rowId), or null when empty.
     */
    Map.Entry<byte[], Integer> randomEntry(final java.util.Random random)
    {
        if (entries.isEmpty())
        {
            return null;
        }
        final byte[] probe = entries.ceilingKey(new byte[] {(byte)random.nextInt(256)});
        final byte[] key = null == probe ? entries.lastKey() : probe;
        final TreeSet<Integer> rows = entries.get(key);
        return Map.entry(key, rows.first());
    }

    List<Integer> scan(final byte[] lower, final BoundKind lowerKind, final byte[] upper, final BoundKind upperKind)
    {
        final List<Integer> result = new ArrayList<>();
        for (final Map.Entry<byte[], TreeSet<Integer>> e : entries.entrySet())
        {
            if (lowerOk(e.getKey(), lower, lowerKind) && upperOk(e.getKey(), upper, upperKind))
            {
                result.addAll(e.getValue());
            }
        }
        return result;
    }

    static boolean lowerOk(final byte[] key, final byte[] prefix, final BoundKind kind)
    {
        if (kind == BoundKind.INCLUSIVE)
        {
            return Arrays.compareUnsigned(key, prefix) >= 0;
        }
        return !startsWith(key, prefix) && Arrays.compareUnsigned(key, prefix) > 0;
    }

    static boolean upperOk(final byte[] key, final byte[] prefix, final BoundKind kind)
    {
        if (kind == BoundKind.INCLUSIVE)
        {
            return Arrays.compareUnsigned(key, prefix) < 0 || startsWith(key, prefix);
        }
        return Arrays.compareUnsigned(key, prefix) < 0;
    }

    static boolean startsWith(final byte[] key, final byte[] prefix)
    {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
