package io.lightcone.txn.migrate;

import io.lightcone.core.index.KeyRange;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.moduledef.ModuleDef;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random old schemas and data, random allowed changes, then: the planner allows them, the executor applies them,
 * and every old row is present byte for byte with the new columns' defaults after it.
 */
class MigrationModelTest
{
    private static final AlgebraicType[] TYPES = {AlgebraicType.U8, AlgebraicType.U32, AlgebraicType.U64,
        AlgebraicType.I64, AlgebraicType.BOOL, AlgebraicType.STRING, AlgebraicType.F64, AlgebraicType.bytes()};
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldKeepEveryRowWithDefaultsAppendedUnderRandomAllowedChanges()
    {
        for (int seed = 0; seed < 150; seed++)
        {
            runSeed(seed);
        }
    }

    private static void runSeed(final long seed)
    {
        final Random random = new Random(seed);
        final List<TableSchema> oldTables = new ArrayList<>();
        final int tableCount = 1 + random.nextInt(3);
        for (int t = 0; t < tableCount; t++)
        {
            oldTables.add(randomTable(random, "t" + t));
        }
        final ModuleDef oldDef = Defs.module(oldTables.toArray(new TableSchema[0]));
        try (Datastore datastore = MigrationExecutorTest.create(oldDef))
        {
            for (final TableSchema table : oldTables)
            {
                populate(random, datastore, table);
            }
            final List<List<String>> before = new ArrayList<>();
            for (final TableSchema table : oldTables)
            {
                before.add(hexRows(datastore.table(table.name())));
            }
            final List<TableSchema> newTables = new ArrayList<>();
            final List<String> suffixes = new ArrayList<>();
            for (final TableSchema table : oldTables)
            {
                final StringBuilder suffix = new StringBuilder();
                newTables.add(randomChange(random, table, suffix));
                suffixes.add(suffix.toString());
            }
            if (random.nextBoolean())
            {
                newTables.add(randomTable(random, "added"));
            }
            final ModuleDef newDef = Defs.module(newTables.toArray(new TableSchema[0]));

            final MigrationPlan plan = MigrationPlanner.plan(oldDef, newDef);
            assertFalse(plan.isRefused(), () -> "seed " + seed + ": " + plan.describe());
            MigrationExecutor.apply(datastore, plan);

            for (int t = 0; t < oldTables.size(); t++)
            {
                final StoredTable stored = datastore.table(oldTables.get(t).name());
                final TableSchema expected = newTables.get(t);
                assertEquals(expected.rowType(), stored.schema().rowType(), "seed " + seed);
                assertEquals(expected.access(), stored.schema().access(), "seed " + seed);
                final List<String> wanted = new ArrayList<>();
                for (final String row : before.get(t))
                {
                    wanted.add(row + suffixes.get(t));
                }
                assertEquals(wanted, hexRows(stored), "seed " + seed + " table " + expected.name());
                assertIndexesHoldEveryRow(seed, datastore, stored);
            }
            if (newTables.size() > oldTables.size())
            {
                assertEquals(0, datastore.table("added").rows().rowCount());
            }
        }
    }

    private static TableSchema randomTable(final Random random, final String name)
    {
        final List<ProductTypeElement> columns = new ArrayList<>();
        final boolean keyed = random.nextBoolean();
        if (keyed)
        {
            columns.add(new ProductTypeElement("id", AlgebraicType.U32));
        }
        final int extra = 1 + random.nextInt(4);
        for (int c = 0; c < extra; c++)
        {
            columns.add(new ProductTypeElement("c" + c, TYPES[random.nextInt(TYPES.length)]));
        }
        final TableSchema.Builder b = TableSchema.builder(name, new ProductType(columns));
        if (keyed)
        {
            b.primaryKey(0).autoInc(0);
        }
        for (int c = keyed ? 1 : 0; c < columns.size(); c++)
        {
            if (random.nextInt(3) == 0)
            {
                b.index(IndexAlgorithm.BTREE, c);
            }
        }
        return b.access(random.nextBoolean() ? TableAccess.PUBLIC : TableAccess.PRIVATE).build();
    }

    private static TableSchema randomChange(final Random random, final TableSchema old, final StringBuilder suffix)
    {
        final List<ProductTypeElement> columns = new ArrayList<>(old.rowType().elements());
        final List<byte[]> defaults = new ArrayList<>();
        final int added = random.nextInt(3);
        for (int c = 0; c < added; c++)
        {
            final AlgebraicType type = TYPES[random.nextInt(TYPES.length)];
            columns.add(new ProductTypeElement("new" + c, type));
            final byte[] value = randomValue(random, type);
            defaults.add(value);
            suffix.append(HEX.formatHex(value));
        }
        final ProductType rowType = new ProductType(columns);
        final TableSchema.Builder b = TableSchema.builder(old.name(), rowType).primaryKey(old.primaryKey());
        old.sequences().forEach(b::sequence);
        for (int i = 0; i < defaults.size(); i++)
        {
            b.defaultValue(old.columnCount() + i, defaults.get(i));
        }
        final int keyIndex = old.primaryKeyIndex();
        for (int i = 0; i < old.indexes().size(); i++)
        {
            if (i == keyIndex || random.nextInt(4) != 0)
            {
                b.index(old.indexes().get(i));
            }
        }
        for (int c = 0; c < columns.size(); c++)
        {
            final String indexName = TableSchema.defaultIndexName(old.name(), rowType, new int[] {c},
                IndexAlgorithm.BTREE);
            boolean present = false;
            for (final IndexSchema index : old.indexes())
            {
                present |= index.name().equals(indexName) || index.hasColumns(new int[] {c});
            }
            if (!present && random.nextInt(4) == 0)
            {
                b.index(IndexAlgorithm.BTREE, c);
            }
        }
        final TableAccess access = random.nextInt(4) == 0 ?
            (old.access() == TableAccess.PUBLIC ? TableAccess.PRIVATE : TableAccess.PUBLIC) : old.access();
        return b.access(access).build();
    }

    private static void populate(final Random random, final Datastore datastore, final TableSchema table)
    {
        final int rows = random.nextInt(40);
        final MutTx tx = datastore.beginMutTx();
        final int tableId = datastore.tableId(table.name());
        final List<Integer> ids = new ArrayList<>();
        for (int r = 0; r < rows; r++)
        {
            final BsatnWriter writer = new BsatnWriter();
            for (int c = 0; c < table.columnCount(); c++)
            {
                writer.writeRaw(table.sequences().isEmpty() || c != 0 ?
                    randomValue(random, table.columnType(c)) : new byte[4]);
            }
            final byte[] row = writer.toByteArray();
            final int rowId = tx.insert(tableId, new UnsafeBuffer(row), 0, row.length);
            assertTrue(rowId >= 0, tx.lastError());
            ids.add(rowId);
        }
        tx.commit();
        final MutTx deletes = datastore.beginMutTx();
        for (final int rowId : ids)
        {
            if (random.nextInt(5) == 0 && deletes.isVisible(datastore.table(tableId), rowId))
            {
                assertTrue(deletes.delete(tableId, rowId) >= 0, deletes.lastError());
            }
        }
        deletes.commit();
    }

    private static byte[] randomValue(final Random random, final AlgebraicType type)
    {
        final BsatnWriter writer = new BsatnWriter();
        if (type == AlgebraicType.U8)
        {
            writer.writeU8(random.nextInt(4));
        }
        else if (type == AlgebraicType.U32)
        {
            writer.writeU32(random.nextInt(10));
        }
        else if (type == AlgebraicType.U64 || type == AlgebraicType.I64)
        {
            writer.writeU64(random.nextLong() % 10);
        }
        else if (type == AlgebraicType.BOOL)
        {
            writer.writeBool(random.nextBoolean());
        }
        else if (type == AlgebraicType.STRING)
        {
            writer.writeString("s" + random.nextInt(5) + "x".repeat(random.nextInt(30)));
        }
        else if (type == AlgebraicType.F64)
        {
            writer.writeF64(random.nextInt(8) / 2.0);
        }
        else
        {
            final byte[] bytes = new byte[random.nextInt(6)];
            random.nextBytes(bytes);
            writer.writeByteArray(bytes);
        }
        return writer.toByteArray();
    }

    private static List<String> hexRows(final StoredTable table)
    {
        final List<String> out = new ArrayList<>();
        for (final byte[] row : MigrationExecutorTest.rows(table))
        {
            out.add(HEX.formatHex(row));
        }
        return out;
    }

    private static void assertIndexesHoldEveryRow(final long seed, final Datastore datastore, final StoredTable table)
    {
        for (int i = 0; i < table.indexCount(); i++)
        {
            final IndexSchema index = table.schema().indexes().get(i);
            assertEquals(i, indexPosition(datastore, table, index.name()), "seed " + seed);
            if (index.algorithm() == IndexAlgorithm.BTREE)
            {
                final MutTx tx = datastore.beginMutTx();
                final int visited = tx.scan(table.indexId(i), new KeyRange().all(), rowId -> true);
                tx.rollback();
                assertEquals(table.rows().rowCount(), visited, "seed " + seed + " index " + index.name());
            }
        }
    }

    private static int indexPosition(final Datastore datastore, final StoredTable table, final String name)
    {
        final int id = datastore.indexId(name);
        for (int i = 0; i < table.indexCount(); i++)
        {
            if (table.indexId(i) == id)
            {
                return i;
            }
        }
        return -1;
    }
}
