package io.lightcone.core.index;

import io.lightcone.core.sats.AlgebraicType;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A unique hash index, off-heap, open addressing with linear probing and backward-shift deletion (no tombstones).
 * Used for primary keys and unique constraints. The table doubles when it would pass {@link #LOAD_FACTOR}.
 * <p>
 * Three slot layouts, chosen by the fixed encoded key length given at construction:
 * <pre>
 *   keys of 1..4 bytes (8-byte slots):
 *   +-------------------------+-------------------------+
 *   |   key, right-justified  |  row id + 1 (0 = empty) |
 *   +-------------------------+-------------------------+
 *
 *   keys of 5..8 bytes (12-byte slots):
 *   +---------------------------------------------------+-------------------------+
 *   |            key, left-justified big-endian (int64)  |  row id + 1 (0 = empty) |
 *   +---------------------------------------------------+-------------------------+
 *
 *   longer or variable keys (12-byte slots, keys in an off-heap arena):
 *   +-------------------------+-------------------------+-------------------------+
 *   |        hash (int32)     |  row id + 1 (0 = empty) |   arena offset (int32)  |
 *   +-------------------------+-------------------------+-------------------------+
 *   arena entry:  | length (int32) | key bytes ... |   (append only; compacted when it grows)
 * </pre>
 * All values are native byte order. At the load factor 0.7 a u32 key costs 8 / 0.7 .. 8 / 0.35 = 11.4 .. 22.9
 * bytes per entry, and a u64 key 17 .. 34.
 * <p>
 * {@link #scan} supports only point ranges on a full key. Not thread safe. {@link #close()} frees the memory.
 */
public final class HashIndex implements TableIndex
{
    /** Most entries per slot before the table doubles. */
    public static final double LOAD_FACTOR = 0.7;
    /** Smallest table, in slots. */
    public static final int MIN_CAPACITY = 16;

    private static final int MODE_INT = 0;
    private static final int MODE_LONG = 1;
    private static final int MODE_VAR = 2;
    private static final int ALIGNMENT = 64;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final int OBJECT_BYTES = 96;

    private final int fixedKeyLength;
    private final int mode;
    private final int slotBytes;
    private final int rowIdOffset;
    private ByteBuffer tableMemory;
    private UnsafeBuffer table;
    private int capacity;
    private int mask;
    private int shift;
    private int resizeAt;
    private int size;
    private ByteBuffer arenaMemory;
    private UnsafeBuffer arena;
    private int arenaUsed;
    private int arenaGarbage;
    private boolean closed;

    /**
     * A hash index for keys of these column types; the fixed-width fast paths apply when every key encodes to the
     * same length of at most 8 bytes.
     *
     * @param keyColumnTypes  the key's column types.
     * @param initialCapacity expected entries.
     * @return the index.
     */
    public static HashIndex forKeyTypes(final AlgebraicType[] keyColumnTypes, final int initialCapacity)
    {
        return new HashIndex(OrderedKeyEncoder.fixedEncodedLength(keyColumnTypes), initialCapacity);
    }

    /**
     * A hash index.
     *
     * @param fixedKeyLength  the encoded length of every key when fixed, or -1 for variable-length keys.
     * @param initialCapacity expected entries.
     */
    public HashIndex(final int fixedKeyLength, final int initialCapacity)
    {
        this.fixedKeyLength = fixedKeyLength;
        if (fixedKeyLength >= 0 && fixedKeyLength <= 4)
        {
            mode = MODE_INT;
            slotBytes = 8;
            rowIdOffset = 4;
        }
        else if (fixedKeyLength >= 0 && fixedKeyLength <= 8)
        {
            mode = MODE_LONG;
            slotBytes = 12;
            rowIdOffset = 8;
        }
        else
        {
            mode = MODE_VAR;
            slotBytes = 12;
            rowIdOffset = 4;
            arenaMemory = ByteBuffer.allocateDirect(1024 + ALIGNMENT);
            arena = aligned(arenaMemory, 1024);
        }
        int slots = MIN_CAPACITY;
        while (slots * LOAD_FACTOR < initialCapacity && slots < (1 << 29))
        {
            slots <<= 1;
        }
        allocateTable(slots);
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
        return false;
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
        checkLength(length);
        if (size >= resizeAt)
        {
            resize(capacity << 1);
        }
        if (mode == MODE_VAR)
        {
            return insertVar(key, offset, length, rowId);
        }
        final long k = fixedKey(key, offset, length);
        final UnsafeBuffer table = this.table;
        int index = home(k);
        while (true)
        {
            final int slot = index * slotBytes;
            final int stored = table.getInt(slot + rowIdOffset);
            if (stored == 0)
            {
                putFixedKey(slot, k);
                table.putInt(slot + rowIdOffset, rowId + 1);
                size++;
                return true;
            }
            if (fixedKeyAt(slot) == k)
            {
                return false;
            }
            index = (index + 1) & mask;
        }
    }

    /**
     * {@inheritDoc}
     */
    public boolean remove(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        checkLength(length);
        final int index = find(key, offset, length);
        if (index < 0 || table.getInt(index * slotBytes + rowIdOffset) != rowId + 1)
        {
            return false;
        }
        if (mode == MODE_VAR)
        {
            final int entry = table.getInt(index * slotBytes + 8);
            arenaGarbage += 4 + arena.getInt(entry);
        }
        deleteSlot(index);
        size--;
        return true;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Rewrites the slot's row id in place.
     */
    public boolean replace(
        final DirectBuffer key, final int offset, final int length, final int oldRowId, final int newRowId)
    {
        if (newRowId < 0 || newRowId == Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("row id out of range: " + newRowId);
        }
        checkLength(length);
        final int index = find(key, offset, length);
        final int at = index * slotBytes + rowIdOffset;
        if (index < 0 || oldRowId < 0 || table.getInt(at) != oldRowId + 1)
        {
            return false;
        }
        table.putInt(at, newRowId + 1);
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public int get(final DirectBuffer key, final int offset, final int length)
    {
        checkLength(length);
        final int index = find(key, offset, length);
        return index < 0 ? -1 : table.getInt(index * slotBytes + rowIdOffset) - 1;
    }

    /**
     * {@inheritDoc}
     */
    public int scan(final KeyRange range, final RowIdConsumer consumer)
    {
        if (!range.isPrefix() || range.lowerLength() == 0 ||
            (fixedKeyLength >= 0 && range.lowerLength() != fixedKeyLength))
        {
            throw new UnsupportedOperationException("a hash index scans only a point range on a full key");
        }
        final int rowId = get(range.lowerKey(), 0, range.lowerLength());
        if (rowId < 0)
        {
            return 0;
        }
        consumer.accept(rowId);
        return 1;
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
        table.setMemory(0, table.capacity(), (byte)0);
        size = 0;
        arenaUsed = 0;
        arenaGarbage = 0;
    }

    /**
     * {@inheritDoc}
     */
    public long memoryBytes()
    {
        return OBJECT_BYTES + (long)capacity * slotBytes + (null == arenaMemory ? 0 : arenaMemory.capacity());
    }

    /**
     * Slots in the table (for tests and metrics).
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            size = 0;
            capacity = 0;
            BufferUtil.free(tableMemory);
            tableMemory = null;
            table.wrap(new byte[0]);
            if (null != arenaMemory)
            {
                BufferUtil.free(arenaMemory);
                arenaMemory = null;
                arena.wrap(new byte[0]);
            }
        }
    }

    private void checkLength(final int length)
    {
        if (closed)
        {
            throw new IllegalStateException("closed");
        }
        if (fixedKeyLength >= 0 ? length != fixedKeyLength : length < 0)
        {
            throw new IllegalArgumentException("key of " + length + " bytes, index keys are " + fixedKeyLength);
        }
    }

    private int find(final DirectBuffer key, final int offset, final int length)
    {
        final UnsafeBuffer table = this.table;
        if (mode == MODE_VAR)
        {
            final int hash = hashBytes(key, offset, length);
            int index = homeOfHash(hash);
            while (true)
            {
                final int slot = index * slotBytes;
                if (table.getInt(slot + 4) == 0)
                {
                    return -1;
                }
                if (table.getInt(slot) == hash && arenaEquals(table.getInt(slot + 8), key, offset, length))
                {
                    return index;
                }
                index = (index + 1) & mask;
            }
        }
        final long k = fixedKey(key, offset, length);
        int index = home(k);
        while (true)
        {
            final int slot = index * slotBytes;
            if (table.getInt(slot + rowIdOffset) == 0)
            {
                return -1;
            }
            if (fixedKeyAt(slot) == k)
            {
                return index;
            }
            index = (index + 1) & mask;
        }
    }

    private boolean insertVar(final DirectBuffer key, final int offset, final int length, final int rowId)
    {
        final int hash = hashBytes(key, offset, length);
        int index = homeOfHash(hash);
        while (true)
        {
            final int slot = index * slotBytes;
            if (table.getInt(slot + 4) == 0)
            {
                break;
            }
            if (table.getInt(slot) == hash && arenaEquals(table.getInt(slot + 8), key, offset, length))
            {
                return false;
            }
            index = (index + 1) & mask;
        }
        if (arenaUsed + 4 + length > arena.capacity())
        {
            rebuildArena(4 + length);
        }
        final int entry = arenaUsed;
        arena.putInt(entry, length);
        arena.putBytes(entry + 4, key, offset, length);
        arenaUsed += 4 + length;
        final int slot = index * slotBytes;
        table.putInt(slot, hash);
        table.putInt(slot + 4, rowId + 1);
        table.putInt(slot + 8, entry);
        size++;
        return true;
    }

    private void deleteSlot(final int removed)
    {
        final UnsafeBuffer table = this.table;
        int hole = removed;
        int index = removed;
        while (true)
        {
            index = (index + 1) & mask;
            final int slot = index * slotBytes;
            if (table.getInt(slot + rowIdOffset) == 0)
            {
                break;
            }
            final int home = mode == MODE_VAR ? homeOfHash(table.getInt(slot)) : home(fixedKeyAt(slot));
            final boolean stays = hole <= index ? (hole < home && home <= index) : (hole < home || home <= index);
            if (!stays)
            {
                table.putBytes(hole * slotBytes, table, slot, slotBytes);
                hole = index;
            }
        }
        table.setMemory(hole * slotBytes, slotBytes, (byte)0);
    }

    private void resize(final int newCapacity)
    {
        if (newCapacity > (Integer.MAX_VALUE / slotBytes))
        {
            throw new IllegalStateException("hash index full: " + size);
        }
        final ByteBuffer oldMemory = tableMemory;
        final UnsafeBuffer old = table;
        final int oldCapacity = capacity;
        allocateTable(newCapacity);
        for (int i = 0; i < oldCapacity; i++)
        {
            final int slot = i * slotBytes;
            if (old.getInt(slot + rowIdOffset) != 0)
            {
                final int home = mode == MODE_VAR ? homeOfHash(old.getInt(slot)) : homeOfOld(old, slot);
                int index = home;
                while (table.getInt(index * slotBytes + rowIdOffset) != 0)
                {
                    index = (index + 1) & mask;
                }
                table.putBytes(index * slotBytes, old, slot, slotBytes);
            }
        }
        BufferUtil.free(oldMemory);
    }

    private int homeOfOld(final UnsafeBuffer old, final int slot)
    {
        return home(mode == MODE_INT ? old.getInt(slot) & 0xFFFF_FFFFL : old.getLong(slot));
    }

    private void allocateTable(final int slots)
    {
        tableMemory = ByteBuffer.allocateDirect(slots * slotBytes + ALIGNMENT);
        table = aligned(tableMemory, slots * slotBytes);
        table.setMemory(0, table.capacity(), (byte)0);
        capacity = slots;
        mask = slots - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots);
        resizeAt = (int)(slots * LOAD_FACTOR);
    }

    /**
     * A view of {@code length} bytes of a direct buffer starting at its first 64-byte aligned address; the whole
     * buffer (not a slice) is kept for {@link BufferUtil#free(ByteBuffer)}.
     */
    private static UnsafeBuffer aligned(final ByteBuffer memory, final int length)
    {
        final long address = new UnsafeBuffer(memory).addressOffset();
        final int skip = (int)(((address + ALIGNMENT - 1) & -ALIGNMENT) - address);
        return new UnsafeBuffer(memory, skip, length);
    }

    private void rebuildArena(final int needed)
    {
        final long live = (long)arenaUsed - arenaGarbage;
        long newCapacity = Math.max(1024, arena.capacity());
        while (newCapacity < 2 * (live + needed))
        {
            newCapacity <<= 1;
        }
        if (newCapacity > Integer.MAX_VALUE - ALIGNMENT)
        {
            throw new IllegalStateException("hash index key arena full");
        }
        final ByteBuffer newMemory = ByteBuffer.allocateDirect((int)newCapacity + ALIGNMENT);
        final UnsafeBuffer newArena = aligned(newMemory, (int)newCapacity);
        int used = 0;
        for (int i = 0; i < capacity; i++)
        {
            final int slot = i * slotBytes;
            if (table.getInt(slot + 4) != 0)
            {
                final int entry = table.getInt(slot + 8);
                final int length = 4 + arena.getInt(entry);
                newArena.putBytes(used, arena, entry, length);
                table.putInt(slot + 8, used);
                used += length;
            }
        }
        BufferUtil.free(arenaMemory);
        arenaMemory = newMemory;
        arena = newArena;
        arenaUsed = used;
        arenaGarbage = 0;
    }

    private boolean arenaEquals(final int entry, final DirectBuffer key, final int offset, final int length)
    {
        final UnsafeBuffer arena = this.arena;
        if (arena.getInt(entry) != length)
        {
            return false;
        }
        final int base = entry + 4;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (arena.getLong(base + i) != key.getLong(offset + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (arena.getByte(base + i) != key.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private long fixedKey(final DirectBuffer key, final int offset, final int length)
    {
        final long left = OrderedKeyEncoder.toLong(key, offset, length);
        return mode == MODE_INT ? left >>> 32 : left;
    }

    private long fixedKeyAt(final int slot)
    {
        return mode == MODE_INT ? table.getInt(slot) & 0xFFFF_FFFFL : table.getLong(slot);
    }

    private void putFixedKey(final int slot, final long k)
    {
        if (mode == MODE_INT)
        {
            table.putInt(slot, (int)k);
        }
        else
        {
            table.putLong(slot, k);
        }
    }

    private int home(final long k)
    {
        return (int)((k * GOLDEN) >>> shift) & mask;
    }

    private int homeOfHash(final int hash)
    {
        return (int)(((hash & 0xFFFF_FFFFL) * GOLDEN) >>> shift) & mask;
    }

    private static int hashBytes(final DirectBuffer key, final int offset, final int length)
    {
        long h = length * GOLDEN;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            h = Long.rotateLeft(h ^ (key.getLong(offset + i) * 0xC2B2AE3D27D4EB4FL), 31) * GOLDEN;
        }
        for (; i < length; i++)
        {
            h = (h ^ (key.getByte(offset + i) & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int)h;
    }
}
