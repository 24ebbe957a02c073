package io.lightcone.core.txn;

import io.lightcone.core.index.BoundKind;
import io.lightcone.core.index.KeyRange;
import io.lightcone.core.index.KeyRanges;
import io.lightcone.core.index.OrderedKeyEncoder;
import io.lightcone.core.index.TableIndex;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.sats.RandomSats;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumValue;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.snapshot.Snapshot;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Model-based test of {@link MutTx} over random schemas: every column type, a random primary key (or none, giving
 * set semantics), random BTREE / HASH / DIRECT indexes and unique constraints, maybe an auto-increment column,
 * maybe an event table. Rows come from a small value domain so keys collide.
 * <p>
 * Invariants, checked after every step against a plain on-heap model of decoded rows: the visible rows and their
 * count; unique-key conflicts (UNIQUE_ALREADY_EXISTS unless the row is identical, then a no-op); finds and scans
 * (content as a multiset, order by the reference SATS order of the key); a commit's delta is the bag difference
 * between the last commit and now; a rollback restores the last commit exactly; a snapshot round trip loads the
 * same rows, and the test then carries on against the loaded datastore.
 */
class MutTxRandomSchemaTest
{
    private static final HexFormat HEX = HexFormat.of();
    private static final int STEPS = 3_000;
    private static final int TABLES = 2;
    private static final String[] STRINGS = { "", "a", "ab", "b", "\u0000", "a\u0000", "é", "zoë 🚀" };
    private static final double[] DOUBLES =
    {
        Double.NEGATIVE_INFINITY, -1.5, -0.0, 0.0, 1.0, 2.5, Double.POSITIVE_INFINITY, Double.NaN,
        Double.longBitsToDouble(0xFFF8_0000_0000_0000L)
    };
    private static final AlgebraicType[] POOL =
    {
        PrimitiveType.BOOL, PrimitiveType.I8, PrimitiveType.U8, PrimitiveType.I16, PrimitiveType.U16,
        PrimitiveType.I32, PrimitiveType.U32, PrimitiveType.I64, PrimitiveType.U64, PrimitiveType.I128,
        PrimitiveType.U128, PrimitiveType.I256, PrimitiveType.U256, PrimitiveType.F32, PrimitiveType.F64,
        PrimitiveType.STRING, PrimitiveType.STRING, ArrayType.BYTES, new ArrayType(PrimitiveType.I32),
        new ArrayType(PrimitiveType.STRING), SpecialTypes.option(PrimitiveType.I32),
        SpecialTypes.option(PrimitiveType.STRING), SpecialTypes.option(PrimitiveType.F64),
        SumType.enumOf("Red", "Green", "Blue"),
        SumType.of("n", PrimitiveType.I32, "s", PrimitiveType.STRING, "u", ProductType.UNIT),
        ProductType.of("a", PrimitiveType.I16, "b", SpecialTypes.option(PrimitiveType.BOOL)),
        SpecialTypes.IDENTITY, SpecialTypes.TIMESTAMP, SpecialTypes.CONNECTION_ID, SpecialTypes.TIME_DURATION,
        SpecialTypes.UUID, SpecialTypes.SCHEDULE_AT, SpecialTypes.result(PrimitiveType.U8, PrimitiveType.STRING),
        ProductType.UNIT
    };

    @TempDir
    Path tempDir;

    private final Map<String, ProductValue> decoded = new HashMap<>();
    private final ExpandableArrayBuffer rowBuffer = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer keyBuffer = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer upperBuffer = new ExpandableArrayBuffer(64);
    private final KeyRanges keyRanges = new KeyRanges();
    private Random random;
    private String where;
    private final Map<String, Integer> stats = new TreeMap<>();

    private void count(final String what)
    {
        stats.merge(what, 1, Integer::sum);
    }

    /**
     * The model of one table.
     */
    private static final class Model
    {
        final int tableId;
        final TableSchema schema;
        final ProductType rowType;
        final int autoIncColumn;
        final int directColumn;
        StoredTable table;
        Map<String, byte[]> rows = new LinkedHashMap<>();
        Map<String, byte[]> committed = new LinkedHashMap<>();
        final Map<String, Integer> rowIds = new HashMap<>();
        long sequence = 1;

        Model(final StoredTable table, final int autoIncColumn, final int directColumn)
        {
            this.table = table;
            this.tableId = table.tableId();
            this.schema = table.schema();
            this.rowType = schema.rowType();
            this.autoIncColumn = autoIncColumn;
            this.directColumn = directColumn;
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 2L, 3L, 5L, 8L, 13L, 21L, 42L, 99L, 0x5EEDL, 0xC0FFEEL, 0xBADCAFEL })
    void randomSchemasShouldMatchTheModel(final long seed) throws Exception
    {
        random = new Random(seed);
        Datastore datastore = new Datastore();
        try
        {
            final List<Model> models = new ArrayList<>();
            for (int t = 0; t < TABLES; t++)
            {
                models.add(createRandomTable(datastore, "t" + t));
            }
            MutTx tx = datastore.beginMutTx();
            for (int step = 0; step < STEPS; step++)
            {
                final Model m = models.get(random.nextInt(models.size()));
                where = "seed=" + seed + " step=" + step + " table=" + m.schema;
                final int op = random.nextInt(100);
                if (step % 500 == 499)
                {
                    commit(tx, models);
                    datastore = snapshotRoundTrip(datastore, models, step);
                    tx = datastore.beginMutTx();
                }
                else if (op < 28)
                {
                    insert(tx, m, randomRow(m));
                }
                else if (op < 36)
                {
                    deleteOne(tx, m);
                }
                else if (op < 46)
                {
                    update(tx, m);
                }
                else if (op < 52)
                {
                    find(tx, m);
                }
                else if (op < 64)
                {
                    rangeOp(tx, m, op < 60);
                }
                else if (op < 74)
                {
                    abiRangeOp(tx, m, op < 70);
                }
                else if (op < 79)
                {
                    deleteEqualRows(tx, m);
                }
                else if (op < 80)
                {
                    where += " clear";
                    assertEquals(m.rows.size(), tx.clear(m.tableId), where);
                    m.rows.clear();
                }
                else if (op < 90)
                {
                    commit(tx, models);
                    tx = datastore.beginMutTx();
                }
                else if (op < 92)
                {
                    prepareThenRollback(tx, models);
                    tx = datastore.beginMutTx();
                }
                else
                {
                    where += " rollback";
                    tx.rollback();
                    for (final Model model : models)
                    {
                        model.rows = new LinkedHashMap<>(model.committed);
                    }
                    tx = datastore.beginMutTx();
                }
                for (final Model model : models)
                {
                    checkVisible(tx, model);
                }
                checkWholeIndex(tx, m, random.nextInt(m.table.indexCount() + 1) - 1);
            }
            tx.rollback();
            assertTrue(stats.containsKey("insert.ok") && stats.containsKey("scan.some") &&
                stats.containsKey("delrange.some"), "seed=" + seed + " the run exercised too little: " + stats);
        }
        finally
        {
            datastore.close();
        }
    }

    // ---------------------------------------------------------------- schema

    private Model createRandomTable(final Datastore datastore, final String name)
    {
        final List<AlgebraicType> types = new ArrayList<>();
        final int plain = 2 + random.nextInt(5);
        for (int i = 0; i < plain; i++)
        {
            types.add(random.nextInt(6) == 0 ? RandomSats.randomType(random, 2) : POOL[random.nextInt(POOL.length)]);
        }
        int directColumn = -1;
        if (random.nextInt(3) == 0)
        {
            directColumn = random.nextInt(types.size() + 1);
            final PrimitiveType[] directTypes = { PrimitiveType.U8, PrimitiveType.U16, PrimitiveType.U32 };
            types.add(directColumn, directTypes[random.nextInt(3)]);
        }
        int autoIncColumn = -1;
        if (random.nextInt(3) == 0)
        {
            autoIncColumn = random.nextInt(types.size() + 1);
            if (directColumn >= autoIncColumn)
            {
                directColumn++;
            }
            final PrimitiveType[] sequenceTypes = { PrimitiveType.U8, PrimitiveType.U16, PrimitiveType.U32,
                PrimitiveType.U64 };
            types.add(autoIncColumn, sequenceTypes[random.nextInt(sequenceTypes.length)]);
        }
        final List<ProductTypeElement> elements = new ArrayList<>();
        for (int i = 0; i < types.size(); i++)
        {
            elements.add(new ProductTypeElement("c" + i, types.get(i)));
        }
        final ProductType rowType = new ProductType(elements);
        final TableSchema.Builder builder = TableSchema.builder(name, rowType);
        final Set<String> used = new HashSet<>();
        if (random.nextInt(3) != 0)
        {
            final int[] pk = randomColumns(types.size(), 1 + random.nextInt(2));
            used.add(Arrays.toString(pk));
            builder.primaryKey(pk);
        }
        for (int i = random.nextInt(4); i > 0; i--)
        {
            final int[] columns = randomColumns(types.size(), 1 + random.nextInt(3));
            if (used.add("B" + Arrays.toString(columns)))
            {
                builder.index(IndexAlgorithm.BTREE, columns);
                if (random.nextInt(4) == 0 && used.add(Arrays.toString(columns)))
                {
                    builder.unique(columns);
                }
            }
        }
        if (random.nextInt(3) == 0)
        {
            final int[] columns = randomColumns(types.size(), 1 + random.nextInt(2));
            if (used.add("H" + Arrays.toString(columns)) && !used.contains("B" + Arrays.toString(columns)))
            {
                builder.index(IndexAlgorithm.HASH, columns);
                if (random.nextBoolean() && used.add(Arrays.toString(columns)))
                {
                    builder.unique(columns);
                }
            }
        }
        if (random.nextInt(4) == 0)
        {
            final int[] columns = randomColumns(types.size(), 1 + random.nextInt(2));
            if (used.add(Arrays.toString(columns)))
            {
                builder.unique(columns);
            }
        }
        if (directColumn >= 0 && used.add("D" + directColumn))
        {
            final int[] columns = { directColumn };
            if (!used.contains("B" + Arrays.toString(columns)) && !used.contains("H" + Arrays.toString(columns)))
            {
                builder.index(IndexAlgorithm.DIRECT, directColumn);
                used.add(Arrays.toString(columns));
                builder.unique(directColumn);
            }
        }
        if (autoIncColumn >= 0)
        {
            builder.autoInc(autoIncColumn);
            final int[] columns = { autoIncColumn };
            if (random.nextBoolean() && used.add(Arrays.toString(columns)))
            {
                builder.unique(autoIncColumn);
            }
        }
        builder.event(random.nextInt(6) == 0);
        final StoredTable table = datastore.createTable(builder.build());
        return new Model(table, autoIncColumn, directColumn);
    }

    private int[] randomColumns(final int columnCount, final int count)
    {
        final List<Integer> all = new ArrayList<>();
        for (int i = 0; i < columnCount; i++)
        {
            all.add(i);
        }
        Collections.shuffle(all, random);
        final int[] columns = new int[Math.min(count, columnCount)];
        for (int i = 0; i < columns.length; i++)
        {
            columns[i] = all.get(i);
        }
        return columns;
    }

    // ---------------------------------------------------------------- operations

    private void insert(final MutTx tx, final Model m, final Object[] values)
    {
        final byte[] row = Bsatn.encodeToBytes(m.rowType, ProductValue.of(values));
        where += " insert " + HEX.formatHex(row);
        final int result = tx.insert(m.tableId, new UnsafeBuffer(row), 0, row.length);
        final Object[] filled = fill(m, values);
        if (null == filled)
        {
            count("insert.overflow");
            assertEquals(-TxStatus.AUTO_INC_OVERFLOW, result, where + ": " + tx.lastError());
            return;
        }
        final byte[] expectedRow = Bsatn.encodeToBytes(m.rowType, ProductValue.of(filled));
        final String hex = HEX.formatHex(expectedRow);
        if (m.rows.containsKey(hex))
        {
            count("insert.noop");
            assertTrue(result >= 0, where + " identical insert is a no-op: " + tx.lastError());
            assertEquals(hex, rowHex(m, result), where + " identical insert returns the present row");
        }
        else if (null != conflict(m, filled, null))
        {
            count("insert.conflict");
            assertEquals(-TxStatus.UNIQUE_ALREADY_EXISTS, result, where + " conflicts with " +
                conflict(m, filled, null) + ": " + tx.lastError());
        }
        else
        {
            count("insert.ok");
            assertTrue(result >= 0, where + ": " + tx.lastError());
            assertEquals(hex, rowHex(m, result), where + " stored row");
            if (m.autoIncColumn >= 0)
            {
                final ExpandableArrayBuffer generated = new ExpandableArrayBuffer(16);
                final int length = tx.writeGeneratedColumns(m.tableId, result, generated, 0);
                final byte[] expected = Bsatn.encodeToBytes(m.rowType.typeAt(m.autoIncColumn),
                    filled[m.autoIncColumn]);
                assertEquals(HEX.formatHex(expected), HEX.formatHex(generated.byteArray(), 0, length), where);
            }
            m.rows.put(hex, expectedRow);
        }
    }

    private void deleteOne(final MutTx tx, final Model m)
    {
        where += " delete";
        if (m.rows.isEmpty() || random.nextInt(10) == 0)
        {
            final int bogus = random.nextBoolean() ? -1 : 1 << 20;
            assertEquals(-TxStatus.NO_SUCH_ROW, tx.delete(m.tableId, bogus), where + " bogus row " + bogus);
            return;
        }
        final String hex = randomKey(m.rows);
        final int rowId = m.rowIds.get(hex);
        assertEquals(TxStatus.OK, tx.delete(m.tableId, rowId), where + " " + hex);
        assertEquals(-TxStatus.NO_SUCH_ROW, tx.delete(m.tableId, rowId), where + " twice");
        m.rows.remove(hex);
    }

    private void update(final MutTx tx, final Model m)
    {
        final List<Integer> uniques = new ArrayList<>();
        for (int i = 0; i < m.table.indexCount(); i++)
        {
            if (m.schema.indexes().get(i).unique())
            {
                uniques.add(i);
            }
        }
        if (uniques.isEmpty())
        {
            return;
        }
        final int position = uniques.get(random.nextInt(uniques.size()));
        final IndexSchema index = m.schema.indexes().get(position);
        final Object[] values;
        if (m.rows.isEmpty() || random.nextInt(6) == 0)
        {
            values = randomRow(m);
        }
        else
        {
            final Object[] base = valuesOf(m, randomKey(m.rows));
            values = random.nextInt(5) == 0 ? base.clone() : randomRow(m);
            for (final int column : index.columns())
            {
                values[column] = base[column];
            }
            if (m.autoIncColumn >= 0 && !contains(index.columns(), m.autoIncColumn) && random.nextInt(4) != 0)
            {
                values[m.autoIncColumn] = base[m.autoIncColumn];
            }
        }
        final byte[] row = Bsatn.encodeToBytes(m.rowType, ProductValue.of(values));
        where += " update via " + index.name() + " " + HEX.formatHex(row);
        final int result = tx.update(m.table.indexId(position), new UnsafeBuffer(row), 0, row.length);
        String old = null;
        for (final String hex : m.rows.keySet())
        {
            if (compareRows(m, index.columns(), index.columnCount(), valuesOf(m, hex), values) == 0)
            {
                old = hex;
            }
        }
        if (null == old)
        {
            count("update.norow");
            assertEquals(-TxStatus.NO_SUCH_ROW, result, where + ": " + tx.lastError());
            return;
        }
        final Object[] filled = fill(m, values);
        if (null == filled)
        {
            assertEquals(-TxStatus.AUTO_INC_OVERFLOW, result, where + ": " + tx.lastError());
            return;
        }
        final String conflict = conflict(m, filled, old);
        if (null != conflict)
        {
            count("update.conflict");
            assertEquals(-TxStatus.UNIQUE_ALREADY_EXISTS, result, where + " conflicts with " + conflict);
            return;
        }
        assertTrue(result >= 0, where + ": " + tx.lastError());
        final byte[] expectedRow = Bsatn.encodeToBytes(m.rowType, ProductValue.of(filled));
        assertEquals(HEX.formatHex(expectedRow), rowHex(m, result), where + " stored row");
        count("update.ok");
        m.rows.remove(old);
        m.rows.put(HEX.formatHex(expectedRow), expectedRow);
    }

    private void find(final MutTx tx, final Model m)
    {
        if (m.table.indexCount() == 0)
        {
            return;
        }
        final int position = random.nextInt(m.table.indexCount());
        final int[] columns = m.schema.indexes().get(position).columns();
        final Object[] key = randomKeyValues(m, columns, columns.length);
        final int keyLength = encodeKey(m, columns, key, columns.length, keyBuffer);
        final int result = tx.find(m.table.indexId(position), keyBuffer, 0, keyLength);
        where += " find in " + m.schema.indexes().get(position).name() + " " + Arrays.deepToString(key);
        final Set<String> expected = matching(m, (hex) ->
            compareKeys(m, columns, columns.length, valuesOf(m, hex), key) == 0);
        if (expected.isEmpty())
        {
            assertEquals(-1, result, where);
        }
        else
        {
            assertTrue(result >= 0, where + " expected one of " + expected + ": " + tx.lastError());
            assertTrue(expected.contains(rowHex(m, result)), where + " found " + rowHex(m, result));
        }
    }

    /**
     * A scan (or delete) of a range built directly with OrderedKeyEncoder, with every BoundKind and prefix length.
     */
    private void rangeOp(final MutTx tx, final Model m, final boolean scan)
    {
        if (m.table.indexCount() == 0)
        {
            return;
        }
        final int position = random.nextInt(m.table.indexCount());
        final TableIndex index = m.table.index(position);
        final int[] columns = m.schema.indexes().get(position).columns();
        final KeyRange range = new KeyRange();
        final Predicate<String> inRange;
        if (!servesRanges(m, position))
        {
            final Object[] key = randomKeyValues(m, columns, columns.length);
            final int length = encodeKey(m, columns, key, columns.length, keyBuffer);
            if (random.nextInt(4) == 0)
            {
                range.lower(keyBuffer, 0, length, BoundKind.INCLUSIVE).upper(keyBuffer, 0, length,
                    BoundKind.EXCLUSIVE);
                where += " non-point range on unordered " + m.schema.indexes().get(position).name();
                final int result = scan ? tx.scan(m.table.indexId(position), range, (rowId) -> true) :
                    tx.deleteByRange(m.table.indexId(position), range);
                assertEquals(-TxStatus.WRONG_INDEX_ALGO, result, where);
                return;
            }
            if (columns.length > 1 && random.nextInt(4) == 0)
            {
                final int partial = encodeKey(m, columns, key, columns.length - 1, keyBuffer);
                range.prefix(keyBuffer, 0, partial);
                where += " partial-key point on unordered " + m.schema.indexes().get(position).name();
                final int result = scan ? tx.scan(m.table.indexId(position), range, (rowId) -> true) :
                    tx.deleteByRange(m.table.indexId(position), range);
                assertEquals(-TxStatus.WRONG_INDEX_ALGO, result, where);
                return;
            }
            range.prefix(keyBuffer, 0, length);
            inRange = (hex) -> compareKeys(m, columns, columns.length, valuesOf(m, hex), key) == 0;
            where += " point " + Arrays.deepToString(key);
        }
        else
        {
            final int lowerCount = random.nextInt(columns.length + 1);
            final Object[] lower = randomKeyValues(m, columns, lowerCount);
            final BoundKind lowerKind = random.nextInt(3) == 0 ? BoundKind.EXCLUSIVE : BoundKind.INCLUSIVE;
            final int upperCount = random.nextInt(columns.length + 1);
            final Object[] upper = random.nextInt(4) == 0 ? lower : randomKeyValues(m, columns, upperCount);
            final BoundKind upperKind = random.nextInt(3) == 0 ? BoundKind.EXCLUSIVE : BoundKind.INCLUSIVE;
            range.lower(keyBuffer, 0, encodeKey(m, columns, lower, lower.length, keyBuffer), lowerKind);
            range.upper(upperBuffer, 0, encodeKey(m, columns, upper, upper.length, upperBuffer), upperKind);
            inRange = (hex) ->
            {
                final Object[] row = valuesOf(m, hex);
                final int lo = compareKeys(m, columns, lower.length, row, lower);
                final int hi = compareKeys(m, columns, upper.length, row, upper);
                return (lowerKind == BoundKind.INCLUSIVE ? lo >= 0 : lo > 0) &&
                    (upperKind == BoundKind.INCLUSIVE ? hi <= 0 : hi < 0);
            };
            where += " range " + lowerKind + Arrays.deepToString(lower) + " .. " + upperKind +
                Arrays.deepToString(upper);
        }
        where += " in " + m.schema.indexes().get(position).name() + (scan ? " scan" : " deleteByRange");
        scanOrDelete(tx, m, position, range, inRange, scan);
    }

    /**
     * A scan (or delete) of a range built by KeyRanges.fromAbi: equal on the first k key columns, then bounded on
     * the next.
     */
    /** Hash indexes, unique or not, serve only points on their full key, as in SpacetimeDB. */
    private static boolean servesRanges(final Model m, final int position)
    {
        return m.table.index(position).isOrdered() &&
            m.schema.indexes().get(position).algorithm() != IndexAlgorithm.HASH;
    }

    private void abiRangeOp(final MutTx tx, final Model m, final boolean scan)
    {
        final List<Integer> ordered = new ArrayList<>();
        for (int i = 0; i < m.table.indexCount(); i++)
        {
            if (servesRanges(m, i))
            {
                ordered.add(i);
            }
        }
        if (ordered.isEmpty())
        {
            return;
        }
        final int position = ordered.get(random.nextInt(ordered.size()));
        final int[] columns = m.schema.indexes().get(position).columns();
        final int k = random.nextInt(columns.length + 1);
        final Object[] prefix = randomKeyValues(m, columns, k);
        final BsatnWriter prefixWriter = new BsatnWriter();
        for (int i = 0; i < k; i++)
        {
            Bsatn.encodeValue(prefixWriter, m.rowType.typeAt(columns[i]), prefix[i]);
        }
        final int startTag = k == columns.length ? KeyRanges.BOUND_UNBOUNDED : random.nextInt(3);
        final int endTag = k == columns.length ? KeyRanges.BOUND_UNBOUNDED : random.nextInt(3);
        final Object startValue = k == columns.length ? null : randomKeyValues(m, columns, k + 1)[k];
        final Object endValue = k == columns.length ? null :
            (random.nextInt(3) == 0 ? startValue : randomKeyValues(m, columns, k + 1)[k]);
        final byte[] start = bound(m, columns, k, startTag, startValue);
        final byte[] end = bound(m, columns, k, endTag, endValue);
        final byte[] prefixBytes = prefixWriter.toByteArray();
        final KeyRange range = new KeyRange();
        keyRanges.fromAbi(m.table.keyTypes(position), new UnsafeBuffer(prefixBytes), 0, prefixBytes.length, k,
            new UnsafeBuffer(start), 0, start.length, new UnsafeBuffer(end), 0, end.length, range, keyBuffer);
        where += " abi range in " + m.schema.indexes().get(position).name() + " prefix " +
            Arrays.deepToString(prefix) + " start " + startTag + ":" + startValue + " end " + endTag + ":" +
            endValue + (scan ? " scan" : " deleteByRange");
        final Predicate<String> inRange = (hex) ->
        {
            final Object[] row = valuesOf(m, hex);
            if (compareKeys(m, columns, k, row, prefix) != 0)
            {
                return false;
            }
            if (k == columns.length)
            {
                return true;
            }
            final AlgebraicType type = m.rowType.typeAt(columns[k]);
            final Object value = row[columns[k]];
            final boolean afterStart = startTag == KeyRanges.BOUND_UNBOUNDED ||
                (startTag == KeyRanges.BOUND_INCLUDED ? compare(type, value, startValue) >= 0 :
                compare(type, value, startValue) > 0);
            final boolean beforeEnd = endTag == KeyRanges.BOUND_UNBOUNDED ||
                (endTag == KeyRanges.BOUND_INCLUDED ? compare(type, value, endValue) <= 0 :
                compare(type, value, endValue) < 0);
            return afterStart && beforeEnd;
        };
        scanOrDelete(tx, m, position, range, inRange, scan);
    }

    private static byte[] bound(final Model m, final int[] columns, final int k, final int tag, final Object value)
    {
        final BsatnWriter writer = new BsatnWriter().writeU8(tag);
        if (tag != KeyRanges.BOUND_UNBOUNDED)
        {
            Bsatn.encodeValue(writer, m.rowType.typeAt(columns[k]), value);
        }
        return writer.toByteArray();
    }

    private void scanOrDelete(
        final MutTx tx, final Model m, final int position, final KeyRange range, final Predicate<String> inRange,
        final boolean scan)
    {
        final List<String> expected = new ArrayList<>(matching(m, inRange));
        Collections.sort(expected);
        count((scan ? "scan" : "delrange") + (expected.isEmpty() ? ".empty" : expected.size() == m.rows.size() ?
            ".all" : ".some"));
        if (!scan)
        {
            final int deleted = tx.deleteByRange(m.table.indexId(position), range);
            assertEquals(expected.size(), deleted, where + " expected " + expected + ": " + tx.lastError());
            expected.forEach(m.rows::remove);
            return;
        }
        final List<String> actual = new ArrayList<>();
        final int visited = tx.scan(m.table.indexId(position), range, (rowId) ->
        {
            actual.add(rowHex(m, rowId));
            return true;
        });
        assertEquals(actual.size(), visited, where + " visited count: " + tx.lastError());
        checkKeyOrder(m, position, actual);
        Collections.sort(actual);
        assertEquals(expected, actual, where + " scanned rows");
        if (actual.size() > 1)
        {
            final int limit = 1 + random.nextInt(actual.size() - 1);
            final List<String> first = new ArrayList<>();
            final int stopped = tx.scan(m.table.indexId(position), range, (rowId) ->
            {
                first.add(rowHex(m, rowId));
                return first.size() < limit;
            });
            assertEquals(limit, stopped, where + " a consumer returning false stops the scan");
            assertEquals(limit, first.size(), where);
        }
    }

    private void checkKeyOrder(final Model m, final int position, final List<String> rows)
    {
        final int[] columns = m.schema.indexes().get(position).columns();
        for (int i = 1; i < rows.size(); i++)
        {
            assertTrue(compareRows(m, columns, columns.length, valuesOf(m, rows.get(i - 1)),
                valuesOf(m, rows.get(i))) <= 0, where + " scan out of key order at " + i + ": " + rows);
        }
    }

    private void deleteEqualRows(final MutTx tx, final Model m)
    {
        final int count = 1 + random.nextInt(3);
        final BsatnWriter writer = new BsatnWriter();
        final Set<String> wanted = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final byte[] row;
            if (!m.rows.isEmpty() && random.nextInt(3) != 0)
            {
                row = m.rows.get(randomKey(m.rows));
            }
            else
            {
                row = Bsatn.encodeToBytes(m.rowType, ProductValue.of(randomRow(m)));
            }
            writer.writeRaw(row);
            wanted.add(HEX.formatHex(row));
        }
        final byte[] rows = writer.toByteArray();
        where += " deleteEqualRows " + wanted;
        final int deleted = tx.deleteEqualRows(m.tableId, new UnsafeBuffer(rows), 0, rows.length, count);
        int expected = 0;
        for (final String row : wanted)
        {
            if (null != m.rows.remove(row))
            {
                expected++;
            }
        }
        assertEquals(expected, deleted, where + ": " + tx.lastError());
    }

    private void commit(final MutTx tx, final List<Model> models)
    {
        where += " commit";
        checkDelta(tx.commit(), models);
        for (final Model m : models)
        {
            if (m.schema.isEvent())
            {
                m.rows.clear();
            }
            m.committed = new LinkedHashMap<>(m.rows);
        }
    }

    /**
     * The first half of a commit reports the right delta and a rollback after it restores the state before the
     * transaction (the caller's checks that follow compare every table with its model).
     */
    private void prepareThenRollback(final MutTx tx, final List<Model> models)
    {
        where += " prepare+rollback";
        checkDelta(tx.prepareCommit(), models);
        assertTrue(tx.isPrepared(), where);
        tx.rollback();
        assertFalse(tx.isPrepared(), where);
        for (final Model m : models)
        {
            m.rows = new LinkedHashMap<>(m.committed);
        }
    }

    private void checkDelta(final TxDelta delta, final List<Model> models)
    {
        int reported = 0;
        for (final Model m : models)
        {
            final List<String> inserts = new ArrayList<>(m.rows.keySet());
            inserts.removeAll(m.committed.keySet());
            final List<String> deletes = new ArrayList<>(m.committed.keySet());
            deletes.removeAll(m.rows.keySet());
            Collections.sort(inserts);
            Collections.sort(deletes);
            final TableDelta tableDelta = delta.find(m.tableId);
            final List<String> actualInserts = new ArrayList<>();
            final List<String> actualDeletes = new ArrayList<>();
            if (null != tableDelta)
            {
                reported++;
                assertTrue(!tableDelta.isEmpty(), where + " empty deltas are not reported");
                assertEquals(m.schema.name(), tableDelta.tableName(), where);
                tableDelta.insertedRows().forEach((row) -> actualInserts.add(HEX.formatHex(row)));
                tableDelta.deletedRows().forEach((row) -> actualDeletes.add(HEX.formatHex(row)));
            }
            Collections.sort(actualInserts);
            Collections.sort(actualDeletes);
            assertEquals(inserts, actualInserts, where + " delta inserts of " + m.schema.name());
            assertEquals(deletes, actualDeletes, where + " delta deletes of " + m.schema.name());
        }
        assertEquals(reported, delta.tableCount(), where + " delta tables");
    }

    private Datastore snapshotRoundTrip(final Datastore datastore, final List<Model> models, final long step)
        throws Exception
    {
        where += " snapshot";
        final Path file = tempDir.resolve("snap-" + step);
        Snapshot.write(datastore, step, file);
        final Snapshot.Loaded loaded = Snapshot.read(file);
        assertEquals(step, loaded.txOffset(), where);
        final Datastore restored = loaded.datastore();
        assertEquals(datastore.nextTableId(), restored.nextTableId(), where);
        assertEquals(datastore.nextIndexId(), restored.nextIndexId(), where);
        for (final Model m : models)
        {
            final StoredTable before = datastore.table(m.tableId);
            final StoredTable after = restored.table(m.tableId);
            assertNotNull(after, where + " table " + m.tableId);
            assertEquals(before.schema(), after.schema(), where);
            assertEquals(before.indexCount(), after.indexCount(), where);
            for (int i = 0; i < before.indexCount(); i++)
            {
                assertEquals(before.indexId(i), after.indexId(i), where + " index id");
                assertEquals(before.index(i).size(), after.index(i).size(), where + " index size");
            }
            for (int i = 0; i < before.schema().sequences().size(); i++)
            {
                assertEquals(before.sequenceNext(i), after.sequenceNext(i), where + " sequence");
                assertEquals(before.sequenceExhausted(i), after.sequenceExhausted(i), where + " sequence");
            }
            m.table = after;
        }
        datastore.close();
        return restored;
    }

    // ---------------------------------------------------------------- checks

    private void checkVisible(final MutTx tx, final Model m)
    {
        final List<String> actual = new ArrayList<>();
        m.rowIds.clear();
        for (int rowId = tx.nextVisible(m.table, 0); rowId >= 0; rowId = tx.nextVisible(m.table, rowId + 1))
        {
            assertTrue(tx.isVisible(m.table, rowId), where);
            final String hex = rowHex(m, rowId);
            actual.add(hex);
            m.rowIds.put(hex, rowId);
        }
        final List<String> expected = new ArrayList<>(m.rows.keySet());
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(expected, actual, where + " visible rows of " + m.schema.name());
        assertEquals(expected.size(), tx.visibleRowCount(m.table), where + " visible row count of " +
            m.schema.name());
    }

    /**
     * Every index holds exactly the visible rows: a full scan of an ordered index in key order, a lookup of each
     * row in a hash index; position -1 checks the row count of every index.
     */
    private void checkWholeIndex(final MutTx tx, final Model m, final int position)
    {
        if (position < 0)
        {
            for (int i = 0; i < m.table.indexCount(); i++)
            {
                assertEquals(m.rows.size(), m.table.index(i).size(), where + " size of index " +
                    m.schema.indexes().get(i).name());
            }
            return;
        }
        final int[] columns = m.schema.indexes().get(position).columns();
        final String whole = where + " whole index " + m.schema.indexes().get(position).name();
        if (servesRanges(m, position))
        {
            final List<String> actual = new ArrayList<>();
            final int visited = tx.scan(m.table.indexId(position), new KeyRange().all(), (rowId) ->
            {
                actual.add(rowHex(m, rowId));
                return true;
            });
            assertEquals(actual.size(), visited, whole);
            checkKeyOrder(m, position, actual);
            Collections.sort(actual);
            final List<String> expected = new ArrayList<>(m.rows.keySet());
            Collections.sort(expected);
            assertEquals(expected, actual, whole);
        }
        else
        {
            for (final String hex : m.rows.keySet())
            {
                final int length = encodeKey(m, columns, valuesOf(m, hex), keyBuffer);
                if (m.table.index(position).isUnique())
                {
                    final int rowId = tx.find(m.table.indexId(position), keyBuffer, 0, length);
                    assertTrue(rowId >= 0, whole + " lost " + hex);
                    assertEquals(hex, rowHex(m, rowId), whole);
                }
                else
                {
                    final List<String> sameKey = new ArrayList<>();
                    tx.scan(m.table.indexId(position), new KeyRange().prefix(keyBuffer, 0, length), (rowId) ->
                    {
                        sameKey.add(rowHex(m, rowId));
                        return true;
                    });
                    assertTrue(sameKey.contains(hex), whole + " lost " + hex);
                }
            }
        }
    }

    // ---------------------------------------------------------------- model helpers

    private Object[] fill(final Model m, final Object[] values)
    {
        final Object[] filled = values.clone();
        if (m.autoIncColumn >= 0 && isZero(values[m.autoIncColumn]))
        {
            final AlgebraicType type = m.rowType.typeAt(m.autoIncColumn);
            final int bits = type.fixedSize() * 8;
            if (bits < 64 && m.sequence >= 1L << bits)
            {
                return null;
            }
            final long next = m.sequence++;
            filled[m.autoIncColumn] = switch (type.kind())
            {
                case U8 -> (Object)(byte)next;
                case U16 -> (Object)(short)next;
                case U32 -> (Object)(int)next;
                default -> (Object)next;
            };
        }
        return filled;
    }

    private static boolean isZero(final Object value)
    {
        return ((Number)value).longValue() == 0;
    }

    /**
     * The first model row, other than {@code except}, that has the same key as {@code values} in a unique index.
     */
    private String conflict(final Model m, final Object[] values, final String except)
    {
        for (final IndexSchema index : m.schema.indexes())
        {
            if (!index.unique())
            {
                continue;
            }
            for (final String hex : m.rows.keySet())
            {
                if (!hex.equals(except) &&
                    compareRows(m, index.columns(), index.columnCount(), valuesOf(m, hex), values) == 0)
                {
                    return index.name() + " row " + hex;
                }
            }
        }
        return null;
    }

    private Set<String> matching(final Model m, final Predicate<String> predicate)
    {
        final Set<String> result = new HashSet<>();
        for (final String hex : m.rows.keySet())
        {
            if (predicate.test(hex))
            {
                result.add(hex);
            }
        }
        return result;
    }

    private Object[] valuesOf(final Model m, final String hex)
    {
        return decoded.computeIfAbsent(m.tableId + ":" + hex,
            (k) -> (ProductValue)Bsatn.decodeValueFully(HEX.parseHex(hex), m.rowType)).fields().toArray();
    }

    private String rowHex(final Model m, final int rowId)
    {
        final int length = m.table.rows().writeRow(rowId, rowBuffer, 0);
        return HEX.formatHex(rowBuffer.byteArray(), 0, length);
    }

    private String randomKey(final Map<String, byte[]> rows)
    {
        final List<String> keys = new ArrayList<>(rows.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private static boolean contains(final int[] columns, final int column)
    {
        for (final int c : columns)
        {
            if (c == column)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Values for the first {@code count} key columns: from a present row (so bounds hit), else random.
     */
    private Object[] randomKeyValues(final Model m, final int[] columns, final int count)
    {
        final Object[] row = !m.rows.isEmpty() && random.nextInt(3) != 0 ? valuesOf(m, randomKey(m.rows)) :
            randomRow(m);
        final Object[] key = new Object[count];
        for (int i = 0; i < count; i++)
        {
            key[i] = random.nextInt(8) == 0 ? randomRow(m)[columns[i]] : row[columns[i]];
        }
        return key;
    }

    private int encodeKey(
        final Model m, final int[] columns, final Object[] row, final ExpandableArrayBuffer dst)
    {
        final Object[] key = new Object[columns.length];
        for (int i = 0; i < columns.length; i++)
        {
            key[i] = row[columns[i]];
        }
        return encodeKey(m, columns, key, columns.length, dst);
    }

    private static int encodeKey(
        final Model m, final int[] columns, final Object[] key, final int count, final ExpandableArrayBuffer dst)
    {
        int length = 0;
        for (int i = 0; i < count; i++)
        {
            final AlgebraicType type = m.rowType.typeAt(columns[i]);
            length += OrderedKeyEncoder.encode(new BsatnReader(Bsatn.encodeToBytes(type, key[i])), type, dst,
                length);
        }
        return length;
    }

    /**
     * Compares the first {@code count} key columns of two full rows.
     */
    private static int compareRows(
        final Model m, final int[] columns, final int count, final Object[] row, final Object[] other)
    {
        for (int i = 0; i < count; i++)
        {
            final int c = compare(m.rowType.typeAt(columns[i]), row[columns[i]], other[columns[i]]);
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }

    /**
     * Compares the first {@code count} key columns of a full row with the values of a key.
     */
    private static int compareKeys(
        final Model m, final int[] columns, final int count, final Object[] row, final Object[] key)
    {
        for (int i = 0; i < count; i++)
        {
            final int c = compare(m.rowType.typeAt(columns[i]), row[columns[i]], key[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }

    private Object[] randomRow(final Model m)
    {
        if (!m.rows.isEmpty() && random.nextInt(5) == 0)
        {
            final Object[] copy = valuesOf(m, randomKey(m.rows));
            if (random.nextBoolean())
            {
                final int column = random.nextInt(copy.length);
                copy[column] = randomValue(m, column);
            }
            return copy;
        }
        final Object[] values = new Object[m.rowType.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = randomValue(m, i);
        }
        return values;
    }

    private Object randomValue(final Model m, final int column)
    {
        final AlgebraicType type = m.rowType.typeAt(column);
        if (column == m.directColumn)
        {
            final int v = random.nextInt(10);
            return type == PrimitiveType.U8 ? (Object)(byte)v : type == PrimitiveType.U16 ? (Object)(short)v :
                (Object)v;
        }
        if (column == m.autoIncColumn)
        {
            final int v = random.nextInt(8) == 0 ? 1 + random.nextInt(6) : 0;
            return switch (type.kind())
            {
                case U8 -> (Object)(byte)v;
                case U16 -> (Object)(short)v;
                case U32 -> (Object)v;
                default -> (Object)(long)v;
            };
        }
        return small(random, type);
    }

    // ---------------------------------------------------------------- values and the reference order

    static Object small(final Random random, final AlgebraicType type)
    {
        switch (type.kind())
        {
            case BOOL:
                return random.nextBoolean();
            case I8:
            case U8:
                return (byte)smallLong(random, 8);
            case I16:
            case U16:
                return (short)smallLong(random, 16);
            case I32:
            case U32:
                return (int)smallLong(random, 32);
            case I64:
            case U64:
                return smallLong(random, 64);
            case I128:
            case I256:
            case U128:
            case U256:
                return smallBig(random, type.fixedSize() * 8, type.kind().isSignedInteger());
            case F32:
                return (float)DOUBLES[random.nextInt(DOUBLES.length)];
            case F64:
                return DOUBLES[random.nextInt(DOUBLES.length)];
            case STRING:
                return STRINGS[random.nextInt(STRINGS.length)];
            case ARRAY:
            {
                final List<Object> elements = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--)
                {
                    elements.add(small(random, ((ArrayType)type).elementType()));
                }
                return elements;
            }
            case PRODUCT:
            {
                final ProductType product = (ProductType)type;
                final Object[] fields = new Object[product.size()];
                for (int i = 0; i < fields.length; i++)
                {
                    fields[i] = small(random, product.typeAt(i));
                }
                return ProductValue.of(fields);
            }
            case SUM:
            {
                final SumType sum = (SumType)type;
                final int tag = random.nextInt(sum.size());
                return new SumValue(tag, small(random, sum.variants().get(tag).type()));
            }
            default:
                throw new IllegalArgumentException("no values of " + type);
        }
    }

    private static long smallLong(final Random random, final int bits)
    {
        return switch (random.nextInt(10))
        {
            case 0 -> -1L;
            case 1 -> 1L << (bits - 1);
            case 2 -> (1L << (bits - 1)) - 1;
            default -> random.nextInt(4);
        };
    }

    private static BigInteger smallBig(final Random random, final int bits, final boolean signed)
    {
        return switch (random.nextInt(10))
        {
            case 0 -> signed ? BigInteger.ONE.negate() : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            case 1 -> signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ONE.shiftLeft(bits - 1);
            case 2 -> BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            default -> BigInteger.valueOf(random.nextInt(4));
        };
    }

    /**
     * The reference SATS order on decoded values (ProductValue model): integers numerically (unsigned ones as
     * unsigned), floats in the total order -NaN &lt; -inf &lt; ... &lt; -0 &lt; +0 &lt; ... &lt; +inf &lt; NaN,
     * strings by UTF-8 bytes, arrays lexicographically then by length, products field by field, sums by tag then
     * payload.
     */
    @SuppressWarnings("unchecked")
    static int compare(final AlgebraicType type, final Object a, final Object b)
    {
        switch (type.kind())
        {
            case BOOL:
                return Boolean.compare((Boolean)a, (Boolean)b);
            case I8:
                return Byte.compare((Byte)a, (Byte)b);
            case U8:
                return Integer.compare(Byte.toUnsignedInt((Byte)a), Byte.toUnsignedInt((Byte)b));
            case I16:
                return Short.compare((Short)a, (Short)b);
            case U16:
                return Integer.compare(Short.toUnsignedInt((Short)a), Short.toUnsignedInt((Short)b));
            case I32:
                return Integer.compare((Integer)a, (Integer)b);
            case U32:
                return Integer.compareUnsigned((Integer)a, (Integer)b);
            case I64:
                return Long.compare((Long)a, (Long)b);
            case U64:
                return Long.compareUnsigned((Long)a, (Long)b);
            case F32:
                return compareFloats(Float.floatToRawIntBits((Float)a) < 0, (Float)a, Float.floatToRawIntBits(
                    (Float)b) < 0, (Float)b);
            case F64:
                return compareFloats(Double.doubleToRawLongBits((Double)a) < 0, (Double)a,
                    Double.doubleToRawLongBits((Double)b) < 0, (Double)b);
            case STRING:
                return Arrays.compareUnsigned(((String)a).getBytes(StandardCharsets.UTF_8),
                    ((String)b).getBytes(StandardCharsets.UTF_8));
            case ARRAY:
            {
                final List<Object> x = (List<Object>)a;
                final List<Object> y = (List<Object>)b;
                for (int i = 0; i < Math.min(x.size(), y.size()); i++)
                {
                    final int c = compare(((ArrayType)type).elementType(), x.get(i), y.get(i));
                    if (c != 0)
                    {
                        return c;
                    }
                }
                return Integer.compare(x.size(), y.size());
            }
            case PRODUCT:
            {
                final ProductType product = (ProductType)type;
                for (int i = 0; i < product.size(); i++)
                {
                    final int c = compare(product.typeAt(i), ((ProductValue)a).get(i), ((ProductValue)b).get(i));
                    if (c != 0)
                    {
                        return c;
                    }
                }
                return 0;
            }
            case SUM:
            {
                final SumValue x = (SumValue)a;
                final SumValue y = (SumValue)b;
                if (x.tag() != y.tag())
                {
                    return Integer.compare(x.tag(), y.tag());
                }
                return compare(((SumType)type).variants().get(x.tag()).type(), x.value(), y.value());
            }
            case I128:
            case U128:
            case I256:
            case U256:
                return ((BigInteger)a).compareTo((BigInteger)b);
            default:
                fail("no order for " + type);
                return 0;
        }
    }

    private static int compareFloats(final boolean negA, final double a, final boolean negB, final double b)
    {
        final int classA = Double.isNaN(a) ? (negA ? 0 : 2) : 1;
        final int classB = Double.isNaN(b) ? (negB ? 0 : 2) : 1;
        if (classA != classB || classA != 1)
        {
            return Integer.compare(classA, classB);
        }
        return Double.compare(a, b);
    }
}
