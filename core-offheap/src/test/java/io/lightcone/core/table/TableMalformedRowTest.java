package io.lightcone.core.table;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: a malformed row (truncated, trailing bytes, bad bool, bad sum tag, invalid UTF-8, absurd length)
 * is rejected with {@link BsatnDecodeException} and leaves the table exactly as it was: same rows, same bytes,
 * same memory, same var-len allocation, and the reader where it was.
 */
class TableMalformedRowTest
{
    private static final int TRIALS = 400;

    private boolean isTrailing;

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 5L, 99L, 0xBADL, 123_456L })
    void shouldRejectCorruptRowsWithoutChangingTheTable(final long seed)
    {
        final Random random = new Random(seed);
        final TableTestRows rows = new TableTestRows(random);
        final ProductType[] rowTypes = { TableTestRows.allKindsRowType(), rows.randomRowType(6, 2) };
        int rejected = 0;
        for (final ProductType rowType : rowTypes)
        {
            final String context = "seed=" + seed + " rowType=" + rowType;
            try (Table table = new Table(rowType, 16, 1024))
            {
                final Map<Integer, byte[]> model = new HashMap<>();
                for (int i = 0; i < 40; i++)
                {
                    final byte[] bytes = rows.randomRow(rowType).bytes();
                    model.put(table.insert(new UnsafeBuffer(bytes), 0, bytes.length), bytes);
                }
                for (int i = 0; i < 10; i++)
                {
                    final int victim = model.keySet().iterator().next();
                    table.delete(victim);
                    model.remove(victim);
                }
                final long memory = table.memoryBytes();
                final long varLen = table.varLenAllocatedBytes();
                for (int trial = 0; trial < TRIALS; trial++)
                {
                    final String where = context + " trial=" + trial;
                    final byte[] corrupt = corrupt(rows.randomRow(rowType), random);
                    if (null == corrupt)
                    {
                        continue;
                    }
                    final UnsafeBuffer buffer = new UnsafeBuffer(corrupt);
                    assertThrows(BsatnDecodeException.class, () -> table.insert(buffer, 0, corrupt.length),
                        where + " bytes=" + Arrays.toString(corrupt));
                    if (!isTrailing)
                    {
                        final BsatnReader reader = new BsatnReader().wrap(buffer, 0, corrupt.length);
                        assertThrows(BsatnDecodeException.class, () -> table.insert(reader), where);
                        assertEquals(0, reader.position(), where + ": reader must be restored");
                    }
                    rejected++;
                    assertEquals(model.size(), table.rowCount(), where);
                    assertEquals(memory, table.memoryBytes(), where);
                    assertEquals(varLen, table.varLenAllocatedBytes(), where);
                }
                final ExpandableArrayBuffer out = new ExpandableArrayBuffer();
                for (final Map.Entry<Integer, byte[]> entry : model.entrySet())
                {
                    final int length = table.writeRow(entry.getKey(), out, 0);
                    final byte[] actual = new byte[length];
                    out.getBytes(0, actual);
                    assertArrayEquals(entry.getValue(), actual, context + " row=" + entry.getKey());
                }
                final byte[] fresh = rows.randomRow(rowType).bytes();
                final int rowId = table.insert(new UnsafeBuffer(fresh), 0, fresh.length);
                assertTrue(table.rowEquals(rowId, new UnsafeBuffer(fresh), 0, fresh.length), context);
            }
        }
        assertTrue(rejected > TRIALS, "seed=" + seed + ": too few corruptions exercised: " + rejected);
    }

    @Test
    void shouldRejectEachKindOfCorruption()
    {
        final ProductType rowType = ProductType.of(
            "flag", PrimitiveType.BOOL,
            "color", SumType.enumOf("red", "green"),
            "name", PrimitiveType.STRING,
            "maybe", SpecialTypes.option(PrimitiveType.U32),
            "blob", AlgebraicType.bytes());
        final byte[] valid = {
            1,
            1,
            2, 0, 0, 0, 'h', 'i',
            0, 7, 0, 0, 0,
            3, 0, 0, 0, 9, 8, 7 };
        try (Table table = new Table(rowType))
        {
            final int rowId = table.insert(new UnsafeBuffer(valid), 0, valid.length);
            assertTrue(table.rowEquals(rowId, new UnsafeBuffer(valid), 0, valid.length));
            final long memory = table.memoryBytes();
            final long varLen = table.varLenAllocatedBytes();
            final int[][] edits = {
                { 0, 2 },
                { 0, 0xFF },
                { 1, 2 },
                { 6, 0xC3 },
                { 7, 0xFF },
                { 6, 0xED },
                { 8, 2 },
                { 2, 0xFF },
                { 13, 0xFF },
                { 15, 0x7F },
            };
            for (final int[] edit : edits)
            {
                final byte[] bad = valid.clone();
                bad[edit[0]] = (byte)edit[1];
                assertThrows(BsatnDecodeException.class, () -> table.insert(new UnsafeBuffer(bad), 0, bad.length),
                    "edit at " + edit[0]);
            }
            for (int length = 0; length < valid.length; length++)
            {
                final int truncated = length;
                assertThrows(BsatnDecodeException.class,
                    () -> table.insert(new UnsafeBuffer(valid), 0, truncated), "truncated to " + truncated);
            }
            final byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
            assertThrows(BsatnDecodeException.class,
                () -> table.insert(new UnsafeBuffer(trailing), 0, trailing.length));
            assertEquals(1, table.rowCount());
            assertEquals(memory, table.memoryBytes());
            assertEquals(varLen, table.varLenAllocatedBytes());
        }
    }

    private byte[] corrupt(final TableTestRows.Row row, final Random random)
    {
        final byte[] bytes = row.bytes();
        isTrailing = false;
        final int choice = random.nextInt(4);
        if (choice == 0 && bytes.length > 0)
        {
            return Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
        if (choice == 1 || row.points().isEmpty())
        {
            isTrailing = true;
            return Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(3));
        }
        final TableTestRows.Point point = row.points().get(random.nextInt(row.points().size()));
        final byte[] bad = bytes.clone();
        switch (point.kind())
        {
            case TableTestRows.POINT_BOOL:
                bad[point.position()] = (byte)(2 + random.nextInt(254));
                return bad;
            case TableTestRows.POINT_TAG:
                if (point.extra() >= 256)
                {
                    return null;
                }
                bad[point.position()] = (byte)(point.extra() + random.nextInt(256 - point.extra()));
                return bad;
            case TableTestRows.POINT_UTF8:
                bad[point.position()] = (byte)0xFF;
                return bad;
            default:
                final int absurd = random.nextBoolean() ? -1 : 0x7FFF_FFF0;
                for (int i = 0; i < 4; i++)
                {
                    bad[point.position() + i] = (byte)(absurd >>> (8 * i));
                }
                return bad;
        }
    }
}
