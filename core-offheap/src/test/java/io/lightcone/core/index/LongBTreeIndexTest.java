package io.lightcone.core.index;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants: {@link LongBTreeIndex} answers every insert, remove, get and scan exactly as the on-heap
 * {@link IndexModel} and as {@link BTreeIndex}, for every key length, node size and bound shape, and keeps its
 * structural invariants ({@link LongBTreeIndex#verify()}).
 */
class LongBTreeIndexTest
{
    private static final int OPS = 6_000;
    private static final int KEY_OFFSET = 5;
    private static final int[] KEY_LENGTHS = {0, 1, 2, 3, 4, 5, 8};
    private static final byte[] ALPHABET = {0x00, 0x01, 0x7F, (byte)0x80, (byte)0xFF};
    private static final BoundKind[] KINDS = BoundKind.values();

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1L, 42L, 0x5EEDL})
    void shouldMatchModelForEveryKeyLengthAndNodeSize(final long seed)
    {
        for (final int keyLength : KEY_LENGTHS)
        {
            for (final int maxEntries : new int[] {3, 4, 7, 64})
            {
                for (final boolean unique : new boolean[] {false, true})
                {
                    final String context =
                        "seed=" + seed + " L=" + keyLength + " maxEntries=" + maxEntries + " unique=" + unique;
                    final LongBTreeIndex index = new LongBTreeIndex(keyLength, unique, maxEntries);
                    runAgainstModel(index, new IndexModel(unique), keyLength, new Random(seed), context);
                    index.verify();
                    index.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {3L, 99L, 0xD1FFL})
    void shouldAnswerEveryOperationAsBTreeIndex(final long seed)
    {
        for (final int keyLength : new int[] {1, 2, 4, 6, 8})
        {
            for (final boolean unique : new boolean[] {false, true})
            {
                for (final int maxEntries : new int[] {5, LongBTreeIndex.DEFAULT_MAX_ENTRIES})
                {
                    final String context =
                        "seed=" + seed + " L=" + keyLength + " unique=" + unique + " maxEntries=" + maxEntries;
                    differential(new LongBTreeIndex(keyLength, unique, maxEntries), new BTreeIndex(unique, 6),
                        keyLength, new Random(seed), context);
                }
            }
        }
    }

    @Test
    void shouldRejectWrongKeyLengthsAndRowIds()
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        for (final int keyLength : KEY_LENGTHS)
        {
            final LongBTreeIndex index = new LongBTreeIndex(keyLength, false);
            assertEquals(keyLength, index.keyLength());
            assertTrue(index.isOrdered());
            assertFalse(index.isUnique());
            assertThrows(IllegalArgumentException.class, () -> index.insert(key, 0, keyLength + 1, 1));
            assertThrows(IllegalArgumentException.class, () -> index.remove(key, 0, keyLength + 1, 1));
            assertThrows(IllegalArgumentException.class, () -> index.get(key, 0, keyLength + 1));
            if (keyLength > 0)
            {
                assertThrows(IllegalArgumentException.class, () -> index.insert(key, 0, keyLength - 1, 1));
                assertThrows(IllegalArgumentException.class, () -> index.get(key, 0, keyLength - 1));
            }
            assertThrows(IllegalArgumentException.class, () -> index.insert(key, 0, keyLength, -1));
            assertFalse(index.remove(key, 0, keyLength, -1));
            assertEquals(0, index.size());
        }
        assertThrows(IllegalArgumentException.class, () -> new LongBTreeIndex(9, true));
        assertThrows(IllegalArgumentException.class, () -> new LongBTreeIndex(-1, true));
        assertThrows(IllegalArgumentException.class, () -> new LongBTreeIndex(4, true, 2));
    }

    @Test
    void shouldKeepLeavesFullUnderAscendingInsertsAndShrinkWhenEmptied()
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[4]);
        final LongBTreeIndex index = new LongBTreeIndex(4, true);
        final long empty = index.memoryBytes();
        final int n = 100_000;
        for (int i = 0; i < n; i++)
        {
            key.putInt(0, i, java.nio.ByteOrder.BIG_ENDIAN);
            assertTrue(index.insert(key, 0, 4, n - i));
        }
        index.verify();
        final long full = index.memoryBytes();
        assertTrue(full < n * 10L, "bytes per entry " + (double)full / n);
        final int[] expected = {n};
        assertEquals(n, index.scan(new KeyRange().all(), (r) -> r == expected[0]--));
        for (int i = 0; i < n; i++)
        {
            key.putInt(0, i, java.nio.ByteOrder.BIG_ENDIAN);
            assertTrue(index.remove(key, 0, 4, n - i), "key " + i);
        }
        index.verify();
        assertEquals(1, index.height());
        assertEquals(empty, index.memoryBytes());
    }

    @Test
    void shouldStayCompactUnderRandomInserts()
    {
        final long seed = 0xC0FFEEL;
        final Random random = new Random(seed);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        final LongBTreeIndex narrow = new LongBTreeIndex(4, true);
        final LongBTreeIndex wide = new LongBTreeIndex(8, false);
        final int n = 200_000;
        for (int i = 0; i < n; i++)
        {
            key.putLong(0, random.nextLong());
            narrow.insert(key, 0, 4, i);
            wide.insert(key, 0, 8, i);
        }
        narrow.verify();
        wide.verify();
        assertEquals(n, wide.size(), "seed=" + seed);
        assertTrue(narrow.memoryBytes() < narrow.size() * 13L, "u32 bytes/entry " +
            (double)narrow.memoryBytes() / narrow.size() + " seed=" + seed);
        assertTrue(wide.memoryBytes() < n * 18L, "u64 bytes/entry " + (double)wide.memoryBytes() / n);
    }

    @Test
    void shouldStopScansWhenTheConsumerSaysSo()
    {
        final LongBTreeIndex index = new LongBTreeIndex(4, false, 4);
        for (int i = 0; i < 100; i++)
        {
            index.insert(new UnsafeBuffer(IndexModelTest.u32(i / 3)), 0, 4, i);
        }
        final int[] seen = new int[1];
        assertEquals(10, index.scan(new KeyRange().all(), (r) -> ++seen[0] < 10));
        assertEquals(10, seen[0]);
        final List<Integer> rows = new ArrayList<>();
        index.scan(new KeyRange().prefix(new UnsafeBuffer(IndexModelTest.u32(7)), 0, 4), rows::add);
        assertEquals(List.of(21, 22, 23), rows);
        assertEquals(21, index.get(new UnsafeBuffer(IndexModelTest.u32(7)), 0, 4));
        index.clear();
        assertEquals(0, index.size());
        assertEquals(0, index.scan(new KeyRange().all(), (r) -> true));
        assertEquals(-1, index.get(new UnsafeBuffer(IndexModelTest.u32(5)), 0, 4));
        index.verify();
    }

    @Test
    void getScanAndRemoveShouldNotAllocate()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        final KeyRange range = new KeyRange();
        final long[] sum = new long[1];
        final RowIdConsumer consumer = (r) ->
        {
            sum[0] += r;
            return true;
        };
        for (final int keyLength : new int[] {4, 8})
        {
            for (final boolean unique : new boolean[] {false, true})
            {
                final LongBTreeIndex index = new LongBTreeIndex(keyLength, unique);
                final int n = 50_000;
                for (int i = 0; i < n; i++)
                {
                    key.putLong(0, (long)i * 0x9E3779B97F4A7C15L);
                    index.insert(key, 0, keyLength, i);
                }
                for (int round = 0; round < 2; round++)
                {
                    final long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < n; i++)
                    {
                        key.putLong(0, (long)i * 0x9E3779B97F4A7C15L);
                        sum[0] += index.get(key, 0, keyLength);
                        range.lower(key, 0, 2, BoundKind.INCLUSIVE).upper(key, 0, 2, BoundKind.INCLUSIVE);
                        index.scan(range, consumer);
                        if (round == 1 && (i & 1) == 0)
                        {
                            index.remove(key, 0, keyLength, i);
                        }
                    }
                    final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    assertTrue(allocated < 4096, "L=" + keyLength + " unique=" + unique + " round " + round +
                        " allocated " + allocated);
                }
                index.verify();
                assertEquals(n / 2, index.size());
            }
        }
        assertTrue(sum[0] != 0);
    }

    private static void runAgainstModel(
        final LongBTreeIndex index,
        final IndexModel model,
        final int keyLength,
        final Random random,
        final String context)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer lowerBuffer = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer upperBuffer = new UnsafeBuffer(new byte[16]);
        final KeyRange range = new KeyRange();
        final List<Integer> actual = new ArrayList<>();
        for (int op = 0; op < OPS; op++)
        {
            final String where = context + " op=" + op;
            final int choice = random.nextInt(100);
            if (choice < 45)
            {
                final byte[] key = randomKey(keyLength, random);
                final int rowId = random.nextInt(model.size() < 50 ? 8 : 1000);
                buffer.putBytes(KEY_OFFSET, key);
                assertEquals(model.insert(key, rowId), index.insert(buffer, KEY_OFFSET, keyLength, rowId), where);
            }
            else if (choice < 72)
            {
                final Map.Entry<byte[], Integer> present = model.randomEntry(random);
                final boolean hit = null != present && random.nextBoolean();
                final byte[] key = hit ? present.getKey() : randomKey(keyLength, random);
                final int rowId = hit ? present.getValue() : random.nextInt(8);
                buffer.putBytes(KEY_OFFSET, key);
                assertEquals(model.remove(key, rowId), index.remove(buffer, KEY_OFFSET, keyLength, rowId), where);
            }
            else if (choice < 84)
            {
                final Map.Entry<byte[], Integer> present = model.randomEntry(random);
                final byte[] key = null != present && random.nextBoolean() ?
                    present.getKey() : randomKey(keyLength, random);
                buffer.putBytes(KEY_OFFSET, key);
                assertEquals(model.get(key), index.get(buffer, KEY_OFFSET, keyLength), where);
            }
            else if (choice < 99)
            {
                final byte[] lower = randomPrefix(keyLength, model, random);
                final byte[] upper = random.nextInt(4) == 0 ? lower : randomPrefix(keyLength, model, random);
                lowerBuffer.putBytes(0, lower);
                upperBuffer.putBytes(0, upper);
                for (final BoundKind lowerKind : KINDS)
                {
                    for (final BoundKind upperKind : KINDS)
                    {
                        actual.clear();
                        range.lower(lowerBuffer, 0, lower.length, lowerKind);
                        range.upper(upperBuffer, 0, upper.length, upperKind);
                        final int count = index.scan(range, actual::add);
                        final List<Integer> expected = model.scan(lower, lowerKind, upper, upperKind);
                        final String scan = where + " scan " + Arrays.toString(lower) + " " + lowerKind + " .. " +
                            Arrays.toString(upper) + " " + upperKind;
                        assertEquals(expected, actual, scan);
                        assertEquals(expected.size(), count, scan);
                    }
                }
            }
            else
            {
                if (random.nextInt(20) == 0)
                {
                    index.clear();
                    model.clear();
                }
                verify(index, where);
            }
            assertEquals(model.size(), index.size(), where);
        }
        verify(index, context + " end");
    }

    private static void differential(
        final LongBTreeIndex index,
        final BTreeIndex reference,
        final int keyLength,
        final Random random,
        final String context)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer lowerBuffer = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer upperBuffer = new UnsafeBuffer(new byte[16]);
        final KeyRange range = new KeyRange();
        final List<Integer> actual = new ArrayList<>();
        final List<Integer> expected = new ArrayList<>();
        final List<byte[]> inserted = new ArrayList<>();
        final int ops = 30_000;
        for (int op = 0; op < ops; op++)
        {
            final String where = context + " op=" + op;
            final int choice = random.nextInt(100);
            final byte[] key = !inserted.isEmpty() && random.nextInt(3) > 0 ?
                inserted.get(random.nextInt(inserted.size())) : wideKey(keyLength, random);
            buffer.putBytes(0, key);
            final int rowId = random.nextInt(op < ops / 2 ? 100_000 : 16);
            if (choice < (op < ops / 2 ? 60 : 30))
            {
                final boolean added = reference.insert(buffer, 0, keyLength, rowId);
                assertEquals(added, index.insert(buffer, 0, keyLength, rowId), where);
                if (added)
                {
                    inserted.add(key);
                }
            }
            else if (choice < 75)
            {
                final int row = random.nextBoolean() ? rowId : reference.get(buffer, 0, keyLength);
                assertEquals(reference.remove(buffer, 0, keyLength, row), index.remove(buffer, 0, keyLength, row),
                    where);
            }
            else if (choice < 90)
            {
                assertEquals(reference.get(buffer, 0, keyLength), index.get(buffer, 0, keyLength), where);
            }
            else
            {
                final int lowerLength = random.nextInt(keyLength + 2);
                final int upperLength = random.nextInt(keyLength + 2);
                final byte[] other = wideKey(keyLength + 1, random);
                lowerBuffer.putBytes(0, key);
                lowerBuffer.putBytes(keyLength, other, 0, 1);
                upperBuffer.putBytes(0, random.nextBoolean() ? key : other);
                if (upperLength > 0 && random.nextBoolean())
                {
                    upperBuffer.putByte(upperLength - 1, (byte)(upperBuffer.getByte(upperLength - 1) + 1));
                }
                for (final BoundKind lowerKind : KINDS)
                {
                    for (final BoundKind upperKind : KINDS)
                    {
                        range.lower(lowerBuffer, 0, lowerLength, lowerKind);
                        range.upper(upperBuffer, 0, upperLength, upperKind);
                        actual.clear();
                        expected.clear();
                        final int limit = random.nextInt(4) == 0 ? random.nextInt(50) : Integer.MAX_VALUE;
                        final int expectedCount =
                            reference.scan(range, (r) -> expected.add(r) && expected.size() < limit);
                        final int count = index.scan(range, (r) -> actual.add(r) && actual.size() < limit);
                        final String scan = where + " scan " + lowerLength + " " + lowerKind + " .. " + upperLength +
                            " " + upperKind;
                        assertEquals(expected, actual, scan);
                        assertEquals(expectedCount, count, scan);
                    }
                }
            }
            assertEquals(reference.size(), index.size(), where);
        }
        verify(index, context + " end");
        range.all();
        actual.clear();
        expected.clear();
        reference.scan(range, expected::add);
        index.scan(range, actual::add);
        assertEquals(expected, actual, context + " all");
    }

    private static void verify(final LongBTreeIndex index, final String where)
    {
        try
        {
            index.verify();
        }
        catch (final IllegalStateException ex)
        {
            throw new AssertionError(where + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * A key from a small alphabet per byte (so keys collide and share prefixes), now and then a random byte.
     */
    private static byte[] randomKey(final int keyLength, final Random random)
    {
        final byte[] key = new byte[keyLength];
        for (int i = 0; i < keyLength; i++)
        {
            key[i] = random.nextInt(8) == 0 ? (byte)random.nextInt(256) : ALPHABET[random.nextInt(3) + i % 3];
        }
        return key;
    }

    /**
     * A key with a few common leading bytes and random trailing bytes, for larger trees.
     */
    private static byte[] wideKey(final int keyLength, final Random random)
    {
        final byte[] key = new byte[keyLength];
        random.nextBytes(key);
        if (keyLength > 1)
        {
            key[0] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return key;
    }

    /**
     * A bound prefix of a random length 0..L+1, cut from a present or random key and sometimes nudged.
     */
    private static byte[] randomPrefix(final int keyLength, final IndexModel model, final Random random)
    {
        final Map.Entry<byte[], Integer> present = model.randomEntry(random);
        final byte[] source = null != present && random.nextBoolean() ?
            present.getKey() : randomKey(keyLength, random);
        final int length = random.nextInt(keyLength + 2);
        final byte[] prefix = Arrays.copyOf(source, length);
        if (length > keyLength)
        {
            prefix[keyLength] = (byte)random.nextInt(256);
        }
        if (length > 0 && random.nextInt(3) == 0)
        {
            final int at = random.nextInt(length);
            prefix[at] = random.nextBoolean() ? (byte)(prefix[at] + (random.nextBoolean() ? 1 : -1)) :
                ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return prefix;
    }
}
