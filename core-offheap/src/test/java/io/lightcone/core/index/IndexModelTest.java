package io.lightcone.core.index;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: every index answers every insert, remove, replace, get and scan exactly as the on-heap
 * {@link IndexModel}.
 */
class IndexModelTest
{
    private static final int OPS = 20_000;
    private static final int KEY_OFFSET = 3;
    private static final String[] PIECES = {"a", "b", "\0", "\u00e9", "zz", "\uD83D\uDE00"};

    @FunctionalInterface
    interface KeyGen
    {
        byte[] next(Random random);
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1L, 7L, 0x5EEDL})
    void btreeShouldMatchModelOnTupleKeys(final long seed)
    {
        for (final int maxEntries : new int[] {3, 4, 7, 64})
        {
            for (final boolean unique : new boolean[] {false, true})
            {
                final BTreeIndex index = new BTreeIndex(unique, maxEntries);
                final String context = "seed=" + seed + " maxEntries=" + maxEntries + " unique=" + unique;
                run(index, new IndexModel(unique), IndexModelTest::tupleKey, new Random(seed), true, context);
                index.verify();
                index.close();
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {2L, 11L, 0xBEEFL})
    void btreeShouldMatchModelOnFixedKeys(final long seed)
    {
        for (final boolean unique : new boolean[] {false, true})
        {
            final BTreeIndex index = new BTreeIndex(unique, 5);
            run(index, new IndexModel(unique), IndexModelTest::u32Key, new Random(seed), true,
                "seed=" + seed + " unique=" + unique);
            index.verify();
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {2L, 11L, 0xBEEFL})
    void longBtreeShouldMatchModelOnFixedKeys(final long seed)
    {
        for (final int maxEntries : new int[] {3, 5, 64})
        {
            for (final boolean unique : new boolean[] {false, true})
            {
                final String context = "seed=" + seed + " maxEntries=" + maxEntries + " unique=" + unique;
                final LongBTreeIndex u32 = new LongBTreeIndex(4, unique, maxEntries);
                run(u32, new IndexModel(unique), IndexModelTest::u32Key, new Random(seed), true, "u32 " + context);
                u32.verify();
                final LongBTreeIndex i64 = new LongBTreeIndex(8, unique, maxEntries);
                run(i64, new IndexModel(unique), IndexModelTest::i64Key, new Random(seed), true, "i64 " + context);
                i64.verify();
            }
        }
    }

    /**
     * Mostly ascending keys (auto-increment ids, a snapshot's rows in key order) go through the append-to-the-
     * rightmost-leaf path, mixed with removals, replaces, clears and keys below the last: still the model's answers.
     */
    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {5L, 19L, 0xFACEL})
    void longBtreeShouldMatchModelOnMostlyAscendingKeys(final long seed)
    {
        for (final int maxEntries : new int[] {3, 5, 64})
        {
            for (final boolean unique : new boolean[] {false, true})
            {
                final String context = "seed=" + seed + " maxEntries=" + maxEntries + " unique=" + unique;
                final int[] next = {0};
                final KeyGen ascending = (random) -> u32(random.nextInt(10) == 0 ? random.nextInt(next[0] + 1) :
                    next[0]++ / 2);
                final LongBTreeIndex u32 = new LongBTreeIndex(4, unique, maxEntries);
                run(u32, new IndexModel(unique), ascending, new Random(seed), true, "u32 " + context);
                u32.verify();
                next[0] = 0;
                final LongBTreeIndex wide = new LongBTreeIndex(8, unique, maxEntries);
                run(wide, new IndexModel(unique), (random) -> longKey(ascending.next(random)), new Random(seed), true,
                    "u64 " + context);
                wide.verify();
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {3L, 13L, 0xCAFEL})
    void hashShouldMatchModelForEveryLayout(final long seed)
    {
        try (HashIndex ints = new HashIndex(4, 1))
        {
            run(ints, new IndexModel(true), IndexModelTest::u32Key, new Random(seed), false, "int seed=" + seed);
        }
        try (HashIndex longs = new HashIndex(8, 1))
        {
            run(longs, new IndexModel(true), IndexModelTest::i64Key, new Random(seed), false, "long seed=" + seed);
        }
        try (HashIndex vars = new HashIndex(-1, 1))
        {
            run(vars, new IndexModel(true), IndexModelTest::tupleKey, new Random(seed), false, "var seed=" + seed);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {4L, 17L, 0xD1CEL})
    void directShouldMatchModel(final long seed)
    {
        final DirectIndex index = new DirectIndex(4, 20_000);
        run(index, new IndexModel(true), (r) -> u32(r.nextInt(9_000)), new Random(seed), true, "seed=" + seed);
        index.close();
    }

    @Test
    void hashShouldGrowToManyEntriesAndKeepThem()
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[4]);
        try (HashIndex index = new HashIndex(4, 16))
        {
            for (int i = 0; i < 200_000; i++)
            {
                key.putInt(0, i * 31);
                assertTrue(index.insert(key, 0, 4, i));
            }
            for (int i = 0; i < 200_000; i += 2)
            {
                key.putInt(0, i * 31);
                assertTrue(index.remove(key, 0, 4, i));
            }
            for (int i = 0; i < 200_000; i++)
            {
                key.putInt(0, i * 31);
                assertEquals(i % 2 == 0 ? -1 : i, index.get(key, 0, 4), "key " + i);
            }
            assertEquals(100_000, index.size());
            assertTrue(index.memoryBytes() <= 8L * 524_288 + 1024, "bytes " + index.memoryBytes());
        }
    }

    @Test
    void hashShouldRefuseNonPointScansAndWrongKeyLengths()
    {
        try (HashIndex index = new HashIndex(4, 16))
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[] {0, 0, 0, 5});
            assertTrue(index.insert(key, 0, 4, 9));
            final KeyRange range = new KeyRange().prefix(key, 0, 4);
            final List<Integer> seen = new ArrayList<>();
            assertEquals(1, index.scan(range, (r) -> seen.add(r)));
            assertEquals(List.of(9), seen);
            assertThrows(UnsupportedOperationException.class, () -> index.scan(new KeyRange().all(), (r) -> true));
            assertThrows(UnsupportedOperationException.class,
                () -> index.scan(new KeyRange().prefix(key, 0, 2), (r) -> true));
            assertThrows(IllegalArgumentException.class, () -> index.insert(key, 0, 3, 1));
        }
    }

    @Test
    void directShouldRejectKeysAboveMax()
    {
        final DirectIndex index = new DirectIndex(4, 1000);
        final UnsafeBuffer key = new UnsafeBuffer(u32(1001));
        assertThrows(IllegalArgumentException.class, () -> index.insert(key, 0, 4, 1));
        assertEquals(-1, index.get(key, 0, 4));
    }

    @Test
    void scansShouldStopWhenTheConsumerSaysSo()
    {
        final TableIndex[] indexes = {
            new BTreeIndex(false, 4), new DirectIndex(4, 1000), new LongBTreeIndex(4, false, 4)};
        for (final TableIndex index : indexes)
        {
            for (int i = 0; i < 100; i++)
            {
                index.insert(new UnsafeBuffer(u32(i)), 0, 4, i);
            }
            final int[] seen = new int[1];
            assertEquals(10, index.scan(new KeyRange().all(), (r) -> ++seen[0] < 10), index.toString());
            assertEquals(10, seen[0]);
            index.clear();
            assertEquals(0, index.size());
            assertEquals(0, index.scan(new KeyRange().all(), (r) -> true));
            assertEquals(-1, index.get(new UnsafeBuffer(u32(5)), 0, 4));
            index.close();
        }
    }

    @Test
    void btreeMemoryShouldGrowAndShrinkWithEntries()
    {
        final BTreeIndex index = new BTreeIndex(true);
        final long empty = index.memoryBytes();
        for (int i = 0; i < 100_000; i++)
        {
            index.insert(new UnsafeBuffer(u32(i)), 0, 4, i);
        }
        final long full = index.memoryBytes();
        assertTrue(full > 100_000L * 12 && full < 100_000L * 40, "bytes " + full);
        for (int i = 0; i < 100_000; i++)
        {
            assertTrue(index.remove(new UnsafeBuffer(u32(i)), 0, 4, i));
        }
        index.verify();
        assertEquals(1, index.height());
        assertTrue(index.memoryBytes() < empty + 4096, "bytes " + index.memoryBytes());
    }

    private static void run(
        final TableIndex index,
        final IndexModel model,
        final KeyGen gen,
        final Random random,
        final boolean ordered,
        final String context)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final KeyRange range = new KeyRange();
        final List<Integer> actual = new ArrayList<>();
        for (int op = 0; op < OPS; op++)
        {
            final String where = context + " op=" + op;
            final int choice = random.nextInt(100);
            if (choice < 45)
            {
                final byte[] key = gen.next(random);
                final int rowId = random.nextInt(model.size() < 50 ? 8 : 1000);
                buffer.putBytes(KEY_OFFSET, key);
                assertEquals(model.insert(key, rowId), index.insert(buffer, KEY_OFFSET, key.length, rowId), where);
            }
            else if (choice < 67)
            {
                final Map.Entry<byte[], Integer> present = model.randomEntry(random);
                final byte[] key = null != present && random.nextBoolean() ? present.getKey() : gen.next(random);
                final int rowId = null != present && key == present.getKey() ? present.getValue() :
                    random.nextInt(8);
                buffer.putBytes(KEY_OFFSET, key);
                assertEquals(model.remove(key, rowId), index.remove(buffer, KEY_OFFSET, key.length, rowId), where);
            }
            else if (choice < 75)
            {
                final Map.Entry<byte[], Integer> present = model.randomEntry(random);
                final byte[] key = null != present && random.nextInt(4) != 0 ? present.getKey() : gen.next(random);
                final int oldRowId = null != present && key == present.getKey() && random.nextInt(8) != 0 ?
                    present.getValue() : random.nextInt(8);
                final int newRowId = random.nextInt(model.size() < 50 ? 8 : 1000);
                buffer.putBytes(KEY_OFFSET, key);
                assertEquals(model.replace(key, oldRowId, newRowId),
                    index.replace(buffer, KEY_OFFSET, key.length, oldRowId, newRowId), where + " replace");
            }
            else if (choice < 88)
            {
                final byte[] key = gen.next(random);
                buffer.putBytes(KEY_OFFSET, key);
                assertEquals(model.get(key), index.get(buffer, KEY_OFFSET, key.length), where);
            }
            else if (choice < 99)
            {
                actual.clear();
                if (ordered)
                {
                    final byte[] lower = randomBound(gen, random);
                    final byte[] upper = randomBound(gen, random);
                    final BoundKind lowerKind = random.nextBoolean() ? BoundKind.INCLUSIVE : BoundKind.EXCLUSIVE;
                    final BoundKind upperKind = random.nextBoolean() ? BoundKind.INCLUSIVE : BoundKind.EXCLUSIVE;
                    range.lower(new UnsafeBuffer(lower), 0, lower.length, lowerKind);
                    range.upper(new UnsafeBuffer(upper), 0, upper.length, upperKind);
                    final int count = index.scan(range, actual::add);
                    final List<Integer> expected = model.scan(lower, lowerKind, upper, upperKind);
                    assertEquals(expected, actual, where + " scan");
                    assertEquals(expected.size(), count, where);
                }
                else
                {
                    final byte[] key = gen.next(random);
                    range.prefix(new UnsafeBuffer(key), 0, key.length);
                    final int count = index.scan(range, actual::add);
                    final int expected = model.get(key);
                    assertEquals(expected < 0 ? List.of() : List.of(expected), actual, where + " point");
                    assertEquals(actual.size(), count, where);
                }
            }
            else
            {
                if (random.nextInt(20) == 0)
                {
                    index.clear();
                    model.clear();
                }
                if (index instanceof BTreeIndex)
                {
                    ((BTreeIndex)index).verify();
                }
                if (index instanceof LongBTreeIndex)
                {
                    ((LongBTreeIndex)index).verify();
                }
            }
            assertEquals(model.size(), index.size(), where);
        }
    }

    private static byte[] randomBound(final KeyGen gen, final Random random)
    {
        final byte[] key = gen.next(random);
        final int shape = random.nextInt(10);
        if (shape == 0)
        {
            return new byte[0];
        }
        if (shape < 4)
        {
            return key;
        }
        if (shape < 7)
        {
            return java.util.Arrays.copyOf(key, Math.min(4, key.length));
        }
        final byte[] cut = java.util.Arrays.copyOf(key, random.nextInt(key.length + 1));
        if (cut.length > 0 && random.nextBoolean())
        {
            cut[cut.length - 1] = (byte)random.nextInt(256);
        }
        return cut;
    }

    static byte[] u32(final int value)
    {
        return new byte[] {(byte)(value >>> 24), (byte)(value >>> 16), (byte)(value >>> 8), (byte)value};
    }

    private static byte[] u32Key(final Random random)
    {
        return u32(random.nextInt(600));
    }

    private static byte[] i64Key(final Random random)
    {
        final ExpandableArrayBuffer bsatn = new ExpandableArrayBuffer(16);
        new BsatnWriter(bsatn, 0).writeU64((random.nextInt(600) - 300) * 0x1_0000_0001L);
        return encode(bsatn, 8, new AlgebraicType[] {AlgebraicType.I64});
    }

    private static byte[] longKey(final byte[] u32)
    {
        final byte[] key = new byte[8];
        System.arraycopy(u32, 0, key, 4, 4);
        return key;
    }

    static byte[] tupleKey(final Random random)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--)
        {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        final ExpandableArrayBuffer bsatn = new ExpandableArrayBuffer(64);
        final BsatnWriter writer = new BsatnWriter(bsatn, 0);
        writer.writeU32(random.nextInt(12)).writeString(text.toString());
        return encode(bsatn, writer.length(), new AlgebraicType[] {AlgebraicType.U32, AlgebraicType.STRING});
    }

    private static byte[] encode(final ExpandableArrayBuffer bsatn, final int length, final AlgebraicType[] types)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        final int written = OrderedKeyEncoder.encodeColumns(
            new BsatnReader().wrap(bsatn, 0, length), types, 0, types.length, out, 0);
        final byte[] key = new byte[written];
        out.getBytes(0, key);
        return key;
    }
}
