package io.lightcone.core.table;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants: clear and close release memory (close idempotently), the (u32, i64) layout costs about 12 bytes a
 * row, misuse is refused with the documented exceptions, and the hash is XXH64.
 */
class TableLifecycleTest
{
    private static final ProductType PAIR = ProductType.of("id", PrimitiveType.U32, "value", PrimitiveType.I64);
    private static final ProductType NAMED = ProductType.of("id", PrimitiveType.U32, "name", PrimitiveType.STRING);

    @Test
    void shouldReleaseMemoryOnClearAndCloseIdempotently()
    {
        final long empty;
        try (Table fresh = new Table(NAMED, 64, 1024))
        {
            empty = fresh.memoryBytes();
        }
        final Table table = new Table(NAMED, 64, 1024);
        final UnsafeBuffer row = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 2000; i++)
        {
            table.insert(row, 0, writeNamed(row, i, "name-" + i + "-" + "x".repeat(i % 300)));
        }
        final long full = table.memoryBytes();
        assertTrue(full > empty + 2000 * 8, "rows must be accounted: " + full);
        table.clear();
        assertEquals(0, table.rowCount());
        assertEquals(-1, table.nextLive(0));
        assertEquals(empty, table.memoryBytes(), "clear keeps only the minimal on-heap structures");
        final int rowId = table.insert(row, 0, writeNamed(row, 7, "again"));
        assertEquals(0, rowId, "slots restart after clear");
        assertEquals(7, table.getLong(rowId, 0));
        table.close();
        assertTrue(table.memoryBytes() <= empty, "close releases everything off-heap");
        table.close();
        assertThrows(IllegalStateException.class, () -> table.insert(row, 0, 9));
        assertFalse(table.isLive(0));
    }

    @Test
    void shouldCostAboutTwelveBytesPerRowForU32I64()
    {
        try (Table table = new Table(PAIR))
        {
            final UnsafeBuffer row = new UnsafeBuffer(new byte[12]);
            final int rows = 4 * table.chunkRows();
            for (int i = 0; i < rows; i++)
            {
                row.putInt(0, i, LITTLE_ENDIAN);
                row.putLong(4, -i, LITTLE_ENDIAN);
                assertEquals(i, table.insert(row, 0, 12));
            }
            final double perRow = (double)table.memoryBytes() / rows;
            assertTrue(perRow > 12.0 && perRow < 12.5, "bytes per row: " + perRow);
            assertEquals(rows - 1, table.getLong(rows - 1, 0));
            assertEquals(-(rows - 1), table.getLong(rows - 1, 1));
        }
    }

    @Test
    void shouldRejectTypeReferences()
    {
        assertThrows(IllegalArgumentException.class, () -> new Table(ProductType.of("r", AlgebraicType.ref(0))));
        assertThrows(IllegalArgumentException.class,
            () -> new Table(ProductType.of("o", SpecialTypes.option(AlgebraicType.array(AlgebraicType.ref(3))))));
    }

    @Test
    void shouldRefuseMisuse()
    {
        final ProductType rowType = ProductType.of(
            "flag", PrimitiveType.BOOL,
            "small", PrimitiveType.I8,
            "color", SumType.enumOf("red", "green", "blue"),
            "big", PrimitiveType.U128,
            "name", PrimitiveType.STRING);
        try (Table table = new Table(rowType))
        {
            final byte[] bytes = { 1, -5, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
            final int rowId = table.insert(new UnsafeBuffer(bytes), 0, bytes.length);
            assertEquals(1, table.getLong(rowId, 0));
            assertEquals(-5, table.getLong(rowId, 1));
            assertEquals(2, table.getLong(rowId, 2));
            assertThrows(IllegalArgumentException.class, () -> table.getLong(rowId, 3));
            assertThrows(IllegalArgumentException.class, () -> table.getLong(rowId, 4));
            assertThrows(IllegalArgumentException.class, () -> table.putLong(rowId, 0, 2));
            assertThrows(IllegalArgumentException.class, () -> table.putLong(rowId, 1, 128));
            assertThrows(IllegalArgumentException.class, () -> table.putLong(rowId, 2, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> table.getLong(rowId, 5));
            assertThrows(IllegalStateException.class, () -> table.getLong(rowId + 1, 0));
            assertThrows(IllegalStateException.class, () -> table.delete(-1));
            assertThrows(IllegalStateException.class, () -> table.writeRow(99, new ExpandableArrayBuffer(), 0));
            assertFalse(table.isLive(-1));
            assertFalse(table.isLive(Integer.MAX_VALUE));
            table.putLong(rowId, 1, -128);
            assertEquals(-128, table.getLong(rowId, 1));
            assertEquals(-1, table.nextLive(rowId + 1));
            assertEquals(rowId, table.nextLive(-10));
        }
    }

    @Test
    void shouldSkipDeadWordsInNextLive()
    {
        try (Table table = new Table(PAIR, 64, 1024))
        {
            final UnsafeBuffer row = new UnsafeBuffer(new byte[12]);
            for (int i = 0; i < 5000; i++)
            {
                table.insert(row, 0, 12);
            }
            final Set<Integer> keep = Set.of(0, 63, 64, 700, 4095, 4096, 4999);
            for (int i = 0; i < 5000; i++)
            {
                if (!keep.contains(i))
                {
                    table.delete(i);
                }
            }
            final Set<Integer> seen = new HashSet<>();
            int previous = -1;
            for (int r = table.nextLive(0); r >= 0; r = table.nextLive(r + 1))
            {
                assertTrue(r > previous);
                seen.add(r);
                previous = r;
            }
            assertEquals(keep, seen);
            assertEquals(7, table.rowCount());
        }
    }

    @Test
    void shouldHashAsXxHash64()
    {
        assertEquals(0xEF46DB3751D8E999L, hash(""));
        assertEquals(0xD24EC4F1A98C6E5BL, hash("a"));
        assertEquals(0x44BC2CF5AD770999L, hash("abc"));
        final Random random = new Random(3);
        final Set<Long> hashes = new HashSet<>();
        final byte[] bytes = new byte[200];
        random.nextBytes(bytes);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int offset = 0; offset < 8; offset++)
        {
            for (int length = 0 == offset ? 0 : 1; length + offset <= bytes.length; length++)
            {
                assertTrue(hashes.add(Table.hashBsatn(buffer, offset, length)), "offset=" + offset + " len=" + length);
            }
        }
    }

    private static long hash(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Table.hashBsatn(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static int writeNamed(final UnsafeBuffer row, final int id, final String name)
    {
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (row.capacity() < 8 + utf8.length)
        {
            row.wrap(new byte[8 + utf8.length]);
        }
        row.putInt(0, id, LITTLE_ENDIAN);
        row.putInt(4, utf8.length, LITTLE_ENDIAN);
        row.putBytes(8, utf8);
        return 8 + utf8.length;
    }
}
