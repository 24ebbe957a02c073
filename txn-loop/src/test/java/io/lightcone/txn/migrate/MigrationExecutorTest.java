package io.lightcone.txn.migrate;

import io.lightcone.core.index.KeyRange;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.moduledef.ModuleDef;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.lightcone.txn.migrate.Defs.item;
import static io.lightcone.txn.migrate.Defs.module;
import static io.lightcone.txn.migrate.Defs.string;
import static io.lightcone.txn.migrate.Defs.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationExecutorTest
{
    private static final ModuleDef BASE = module(Defs.player().build(), item().build());

    static Datastore create(final ModuleDef def)
    {
        final Datastore datastore = new Datastore();
        for (final TableSchema table : def.tables())
        {
            datastore.createTable(table);
        }
        return datastore;
    }

    static void insert(final Datastore datastore, final String table, final byte[] row)
    {
        final MutTx tx = datastore.beginMutTx();
        assertTrue(tx.insert(datastore.tableId(table), new UnsafeBuffer(row), 0, row.length) >= 0, tx.lastError());
        tx.commit();
    }

    static List<byte[]> rows(final StoredTable table)
    {
        final List<byte[]> out = new ArrayList<>();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        for (int r = table.rows().nextLive(0); r >= 0; r = table.rows().nextLive(r + 1))
        {
            final int length = table.rows().writeRow(r, buffer, 0);
            final byte[] row = new byte[length];
            buffer.getBytes(0, row);
            out.add(row);
        }
        return out;
    }

    private static byte[] playerRow(final String name, final int level)
    {
        return new BsatnWriter().writeU32(0).writeString(name).writeU32(level).toByteArray();
    }

    private static Datastore populated()
    {
        final Datastore datastore = create(BASE);
        insert(datastore, "player", playerRow("ada", 3));
        insert(datastore, "player", playerRow("bob", 3));
        insert(datastore, "player", playerRow("cy", 8));
        insert(datastore, "item", new BsatnWriter().writeU32(1).writeString("sword").toByteArray());
        return datastore;
    }

    private static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] out = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static int count(final Datastore datastore, final int indexId, final int key)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4);
        buffer.putInt(0, key, ByteOrder.BIG_ENDIAN);
        final MutTx tx = datastore.beginMutTx();
        try
        {
            return tx.scan(indexId, new KeyRange().prefix(buffer, 0, 4), rowId -> true);
        }
        finally
        {
            tx.rollback();
        }
    }

    @Test
    void shouldAppendColumnsKeepingEveryRowByteIdenticalWithDefaultsAfterIt()
    {
        try (Datastore datastore = populated())
        {
            final StoredTable old = datastore.table("player");
            final List<byte[]> before = rows(old);
            final int tableId = old.tableId();
            final int keyIndexId = old.indexId(0);
            final long nextId = old.sequenceNext(0);
            final ProductType wider = ProductType.of("id", AlgebraicType.U32, "name", AlgebraicType.STRING,
                "level", AlgebraicType.U32, "xp", AlgebraicType.U32, "title", AlgebraicType.STRING);
            final ModuleDef updated = module(Defs.player(wider).defaultValue(3, u32(7))
                .defaultValue(4, string("novice")).build(), item().build());

            MigrationExecutor.apply(datastore, MigrationPlanner.plan(BASE, updated));

            final StoredTable now = datastore.table("player");
            assertEquals(wider, now.schema().rowType());
            assertEquals(tableId, now.tableId());
            assertEquals(keyIndexId, now.indexId(0));
            assertEquals(nextId, now.sequenceNext(0));
            final List<byte[]> after = rows(now);
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++)
            {
                assertArrayEquals(concat(before.get(i), u32(7), string("novice")), after.get(i));
            }
            insert(datastore, "player", concat(playerRow("di", 1), u32(0), string("x")));
            assertEquals(nextId + 1, datastore.table("player").sequenceNext(0), "sequence continues");
            assertEquals(1, count(datastore, keyIndexId, 2), "the primary key index finds old rows");
        }
    }

    @Test
    void shouldBuildANewIndexThatFindsExistingRows()
    {
        try (Datastore datastore = populated())
        {
            final ModuleDef updated = module(Defs.player().index(IndexAlgorithm.BTREE, 2).build(), item().build());
            MigrationExecutor.apply(datastore, MigrationPlanner.plan(BASE, updated));
            final int levelIndex = datastore.indexId("player_level_idx_btree");
            assertTrue(levelIndex > 0);
            assertEquals(2, count(datastore, levelIndex, 3));
            assertEquals(1, count(datastore, levelIndex, 8));
            assertEquals(0, count(datastore, levelIndex, 5));
        }
    }

    @Test
    void shouldRefuseAUniqueIndexBrokenByExistingRowsAndChangeNothing()
    {
        try (Datastore datastore = populated())
        {
            final StoredTable player = datastore.table("player");
            final StoredTable item = datastore.table("item");
            final List<byte[]> before = rows(player);
            final int nextIndexId = datastore.nextIndexId();
            final int nextTableId = datastore.nextTableId();
            final TableSchema guild = TableSchema.builder("guild", ProductType.of("id", AlgebraicType.U64)).build();
            final MigrationPlan plan = MigrationPlan.allowed(List.of(
                new MigrationStep.AddColumns("item", List.of(new MigrationStep.NewColumn("n", AlgebraicType.U32,
                    u32(1)))),
                new MigrationStep.AddIndex("player", new IndexSchema("player_level_key", null, IndexAlgorithm.BTREE,
                    new int[] {2}, true)),
                new MigrationStep.AddTable(guild)));

            final MigrationRefusedException ex = assertThrows(MigrationRefusedException.class,
                () -> MigrationExecutor.apply(datastore, plan));

            assertEquals(1, ex.reasons().size());
            assertTrue(ex.reasons().get(0).contains("player_level_key"), ex.reasons().get(0));
            assertSame(player, datastore.table("player"));
            assertSame(item, datastore.table("item"));
            assertEquals(2, item.schema().columnCount());
            assertEquals(-1, datastore.tableId("guild"));
            assertEquals(-1, datastore.indexId("player_level_key"));
            assertEquals(nextIndexId, datastore.nextIndexId());
            assertEquals(nextTableId, datastore.nextTableId());
            final List<byte[]> after = rows(player);
            for (int i = 0; i < before.size(); i++)
            {
                assertArrayEquals(before.get(i), after.get(i));
            }
        }
    }

    @Test
    void shouldApplyAUniqueIndexThatExistingRowsSatisfy()
    {
        try (Datastore datastore = populated())
        {
            MigrationExecutor.apply(datastore, MigrationPlan.allowed(List.of(new MigrationStep.AddIndex("player",
                new IndexSchema("player_name_key", null, IndexAlgorithm.BTREE, new int[] {1}, true)))));
            final MutTx tx = datastore.beginMutTx();
            final byte[] dup = playerRow("ada", 1);
            assertTrue(tx.insert(datastore.tableId("player"), new UnsafeBuffer(dup), 0, dup.length) < 0);
            tx.rollback();
        }
    }

    @Test
    void shouldRefuseARefusedPlanAndStepsThatDoNotFitTheDatastore()
    {
        try (Datastore datastore = populated())
        {
            final MigrationPlan refused = MigrationPlanner.plan(BASE, module(Defs.player().build()));
            final MigrationRefusedException ex = assertThrows(MigrationRefusedException.class,
                () -> MigrationExecutor.apply(datastore, refused));
            assertEquals(List.of("table item was removed"), ex.reasons());
            assertEquals("automatic migration refused: table item was removed", ex.getMessage());

            assertThrows(MigrationRefusedException.class, () -> MigrationExecutor.apply(datastore,
                MigrationPlan.allowed(List.of(new MigrationStep.AddTable(item().build())))));
            assertThrows(MigrationRefusedException.class, () -> MigrationExecutor.apply(datastore,
                MigrationPlan.allowed(List.of(new MigrationStep.RemoveIndex("player", "player_id_key")))));
            assertThrows(MigrationRefusedException.class, () -> MigrationExecutor.apply(datastore,
                MigrationPlan.allowed(List.of(new MigrationStep.AddIndex("nope", item().build().indexes().get(0))))));
            assertThrows(MigrationRefusedException.class, () -> MigrationExecutor.apply(datastore,
                MigrationPlan.allowed(List.of(new MigrationStep.AddColumns("item",
                    List.of(new MigrationStep.NewColumn("n", AlgebraicType.U64, u32(1))))))));
            assertEquals(2, datastore.table("item").schema().columnCount());

            final MutTx tx = datastore.beginMutTx();
            assertThrows(IllegalStateException.class, () -> MigrationExecutor.apply(datastore, MigrationPlan.allowed(
                List.of(new MigrationStep.ChangeAccess("item", TableAccess.PUBLIC, TableAccess.PRIVATE)))));
            tx.rollback();
        }
    }

    @Test
    void shouldApplyACombinedPlan()
    {
        try (Datastore datastore = populated())
        {
            final int itemId = datastore.tableId("item");
            final TableSchema guild = TableSchema.builder("guild", ProductType.of("id", AlgebraicType.U64))
                .primaryKey(0).build();
            final ModuleDef updated = module(Defs.player(ProductType.of("id", AlgebraicType.U32, "name",
                AlgebraicType.STRING, "level", AlgebraicType.U32, "xp", AlgebraicType.U32)).defaultValue(3, u32(0))
                .index(IndexAlgorithm.BTREE, 3).access(TableAccess.PRIVATE).build(),
                TableSchema.builder("item", item().build().rowType()).build(), guild);

            final MigrationPlan plan = MigrationPlanner.plan(BASE, updated);
            MigrationExecutor.apply(datastore, plan);

            final StoredTable player = datastore.table("player");
            assertEquals(TableAccess.PRIVATE, player.schema().access());
            assertEquals(3, count(datastore, datastore.indexId("player_xp_idx_btree"), 0));
            assertEquals(-1, datastore.indexId("item_owner_idx_btree"));
            assertEquals(itemId, datastore.tableId("item"));
            assertEquals(1, datastore.table("item").rows().rowCount());
            assertNotNull(datastore.table("guild"));
            assertEquals(0, datastore.table("guild").rows().rowCount());
            final List<String> names = new ArrayList<>();
            datastore.tables().forEach(t -> names.add(t.schema().name()));
            assertEquals(List.of("player", "item", "guild"), names);
        }
    }
}
