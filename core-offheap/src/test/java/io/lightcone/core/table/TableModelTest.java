package io.lightcone.core.table;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Invariant: after any sequence of inserts, deletes and putLongs, the table holds exactly the rows of an on-heap
 * model (row id to BSATN bytes), reads every row and column back byte for byte, and reuses freed slots.
 */
class TableModelTest
{
    private static final int OPERATIONS = 5_000;
    private static final int CHUNK_ROWS = 64;

    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 2L, 3L, 42L, 0x5EEDL, 0xC0FFEEL, 987_654_321L })
    void shouldMatchModelForRandomSchemas(final long seed)
    {
        final Random random = new Random(seed);
        final TableTestRows rows = new TableTestRows(random);
        for (int schema = 0; schema < 3; schema++)
        {
            final ProductType rowType = rows.randomRowType(6, 2);
            run(seed, rowType, random, rows, random.nextBoolean() ? 1024 : 4096);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 11L, 12L, 13L })
    void shouldMatchModelForEveryColumnKind(final long seed)
    {
        final Random random = new Random(seed);
        run(seed, TableTestRows.allKindsRowType(), random, new TableTestRows(random), 1024);
    }

    private void run(
        final long seed, final ProductType rowType, final Random random, final TableTestRows rows, final int pageSize)
    {
        final String context = "seed=" + seed + " rowType=" + rowType;
        final Map<Integer, byte[]> model = new HashMap<>();
        final Map<Integer, int[]> offsets = new HashMap<>();
        final List<Integer> live = new ArrayList<>();
        final Set<Integer> freed = new HashSet<>();
        final List<Integer> longColumns = new ArrayList<>();
        for (int c = 0; c < rowType.size(); c++)
        {
            if (TableTestRows.isLongColumn(rowType.typeAt(c)))
            {
                longColumns.add(c);
            }
        }
        int highWater = 0;
        try (Table table = new Table(rowType, CHUNK_ROWS, pageSize))
        {
            final int target = 150 + random.nextInt(400);
            for (int op = 0; op < OPERATIONS; op++)
            {
                final String where = context + " op=" + op;
                final int action = random.nextInt(100);
                final boolean grow = live.size() < target;
                if (live.isEmpty() || action < (grow ? 60 : 40))
                {
                    final TableTestRows.Row row;
                    if (!live.isEmpty() && random.nextInt(8) == 0)
                    {
                        final int twin = live.get(random.nextInt(live.size()));
                        row = new TableTestRows.Row(model.get(twin).clone(), offsets.get(twin), List.of());
                    }
                    else
                    {
                        row = rows.randomRow(rowType);
                    }
                    final int rowId = insert(table, row.bytes(), random, where);
                    if (freed.isEmpty())
                    {
                        assertEquals(highWater, rowId, where + ": a new slot follows the high-water mark");
                        highWater++;
                    }
                    else
                    {
                        assertTrue(freed.remove(rowId), where + ": must reuse a freed slot, got " + rowId);
                    }
                    assertFalse(model.containsKey(rowId), where);
                    model.put(rowId, row.bytes());
                    offsets.put(rowId, row.columnOffsets());
                    live.add(rowId);
                    checkRow(table, rowType, rowId, model.get(rowId), offsets.get(rowId), where);
                }
                else if (action < 90)
                {
                    final int index = random.nextInt(live.size());
                    final int rowId = live.get(index);
                    live.set(index, live.get(live.size() - 1));
                    live.remove(live.size() - 1);
                    table.delete(rowId);
                    model.remove(rowId);
                    freed.add(rowId);
                    assertFalse(table.isLive(rowId), where);
                    if (random.nextInt(10) == 0)
                    {
                        assertThrows(IllegalStateException.class, () -> table.delete(rowId), where);
                        assertThrows(IllegalStateException.class, () -> table.rowLength(rowId), where);
                    }
                }
                else if (!longColumns.isEmpty())
                {
                    final int rowId = live.get(random.nextInt(live.size()));
                    final int column = longColumns.get(random.nextInt(longColumns.size()));
                    final AlgebraicType type = rowType.typeAt(column);
                    final long value = rows.randomLong(type);
                    table.putLong(rowId, column, value);
                    TableTestRows.putLong(type, value, model.get(rowId), offsets.get(rowId)[column]);
                    assertEquals(value, table.getLong(rowId, column), where + " column=" + column);
                    checkRow(table, rowType, rowId, model.get(rowId), offsets.get(rowId), where);
                }
                assertEquals(model.size(), table.rowCount(), where);
                if (op % 500 == 499)
                {
                    checkAll(table, rowType, model, offsets, where);
                }
            }
            checkAll(table, rowType, model, offsets, context + " end");
            assertTrue(highWater > 2 * CHUNK_ROWS, context + ": rows must span several chunks, high water " +
                highWater);
        }
    }

    private int insert(final Table table, final byte[] bytes, final Random random, final String where)
    {
        if (random.nextBoolean())
        {
            final int offset = random.nextInt(9);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + bytes.length + 3]);
            buffer.putBytes(offset, bytes);
            return table.insert(buffer, offset, bytes.length);
        }
        final int offset = random.nextInt(9);
        final int trailing = random.nextInt(5);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + bytes.length + trailing]);
        buffer.putBytes(offset, bytes);
        final BsatnReader reader = new BsatnReader().wrap(buffer, offset, bytes.length + trailing);
        final int rowId = table.insert(reader);
        assertEquals(offset + bytes.length, reader.position(), where + ": reader must move past exactly one row");
        return rowId;
    }

    private void checkRow(
        final Table table,
        final ProductType rowType,
        final int rowId,
        final byte[] expected,
        final int[] columnOffsets,
        final String where)
    {
        final String at = where + " row=" + rowId;
        assertTrue(table.isLive(rowId), at);
        assertEquals(expected.length, table.rowLength(rowId), at);
        final int base = 5;
        final int written = table.writeRow(rowId, out, base);
        assertEquals(expected.length, written, at);
        final byte[] actual = new byte[written];
        out.getBytes(base, actual);
        assertArrayEquals(expected, actual, at);
        final UnsafeBuffer view = new UnsafeBuffer(expected);
        assertTrue(table.rowEquals(rowId, view, 0, expected.length), at);
        assertEquals(Table.hashBsatn(view, 0, expected.length), table.rowHash(rowId), at);
        if (expected.length > 0)
        {
            assertFalse(table.rowEquals(rowId, view, 0, expected.length - 1), at + ": shorter");
            final byte[] flipped = expected.clone();
            flipped[flipped.length - 1] ^= 0x40;
            assertFalse(table.rowEquals(rowId, new UnsafeBuffer(flipped), 0, flipped.length), at + ": flipped");
        }
        final byte[] longer = Arrays.copyOf(expected, expected.length + 1);
        assertFalse(table.rowEquals(rowId, new UnsafeBuffer(longer), 0, longer.length), at + ": longer");
        for (int c = 0; c < rowType.size(); c++)
        {
            final int from = columnOffsets[c];
            final int length = columnOffsets[c + 1] - from;
            assertEquals(length, table.writeColumn(rowId, c, out, 3), at + " column=" + c);
            final byte[] column = new byte[length];
            out.getBytes(3, column);
            assertArrayEquals(Arrays.copyOfRange(expected, from, from + length), column, at + " column=" + c);
            final AlgebraicType type = rowType.typeAt(c);
            if (TableTestRows.isLongColumn(type))
            {
                assertEquals(TableTestRows.expectedLong(type, expected, from), table.getLong(rowId, c),
                    at + " column=" + c);
            }
            else
            {
                final int column0 = c;
                assertThrows(IllegalArgumentException.class, () -> table.getLong(rowId, column0), at);
            }
        }
    }

    private void checkAll(
        final Table table,
        final ProductType rowType,
        final Map<Integer, byte[]> model,
        final Map<Integer, int[]> offsets,
        final String where)
    {
        assertEquals(model.size(), table.rowCount(), where);
        final TreeMap<Integer, byte[]> sorted = new TreeMap<>(model);
        final List<Integer> visited = new ArrayList<>();
        for (int rowId = table.nextLive(0); rowId >= 0; rowId = table.nextLive(rowId + 1))
        {
            visited.add(rowId);
            if (visited.size() > model.size())
            {
                fail(where + ": nextLive visits more rows than live");
            }
        }
        assertEquals(new ArrayList<>(sorted.keySet()), visited, where + ": nextLive must visit the live set in order");
        final Map<String, Long> hashes = new HashMap<>();
        for (final Map.Entry<Integer, byte[]> entry : sorted.entrySet())
        {
            checkRow(table, rowType, entry.getKey(), entry.getValue(), offsets.get(entry.getKey()), where);
            final Long previous = hashes.putIfAbsent(Arrays.toString(entry.getValue()), table.rowHash(entry.getKey()));
            if (null != previous)
            {
                assertEquals(previous.longValue(), table.rowHash(entry.getKey()), where + ": equal rows, equal hashes");
            }
        }
    }
}
