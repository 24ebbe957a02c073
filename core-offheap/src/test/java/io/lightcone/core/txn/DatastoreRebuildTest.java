package io.lightcone.core.txn;

import io.lightcone.core.index.KeyRange;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableSchema;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatastoreRebuildTest
{
    private static final ProductType PERSON =
        ProductType.of("id", AlgebraicType.U32, "team", AlgebraicType.U32, "name", AlgebraicType.STRING);
    private static final ProductType PERSON_WITH_SCORE = ProductType.of("id", AlgebraicType.U32,
        "team", AlgebraicType.U32, "name", AlgebraicType.STRING, "score", AlgebraicType.I64);

    private static TableSchema people()
    {
        return TableSchema.builder("people", PERSON).primaryKey(0).index(IndexAlgorithm.BTREE, 0).autoInc(0).build();
    }

    private static byte[] person(final int id, final int team, final String name)
    {
        return new BsatnWriter().writeU32(id).writeU32(team).writeString(name).toByteArray();
    }

    private static void insert(final Datastore datastore, final int tableId, final byte[] row)
    {
        final MutTx tx = datastore.beginMutTx();
        assertTrue(tx.insert(tableId, new UnsafeBuffer(row), 0, row.length) >= 0, tx.lastError());
        tx.commit();
    }

    private static List<byte[]> rows(final StoredTable table)
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

    private static Datastore populated()
    {
        final Datastore datastore = new Datastore();
        final StoredTable table = datastore.createTable(people());
        insert(datastore, table.tableId(), person(0, 7, "ada"));
        insert(datastore, table.tableId(), person(0, 7, "bob"));
        insert(datastore, table.tableId(), person(0, 9, "cy"));
        return datastore;
    }

    private static RowTransformer appending(final byte[] suffix)
    {
        return (row, offset, length, dst) ->
        {
            dst.putBytes(0, row, offset, length);
            dst.putBytes(length, suffix);
            return length + suffix.length;
        };
    }

    @Test
    void shouldRebuildWithAnAppendedColumnKeepingRowsIdsAndSequences()
    {
        try (Datastore datastore = populated())
        {
            final StoredTable old = datastore.table("people");
            final List<byte[]> before = rows(old);
            final int indexId = old.indexId(0);
            final long nextId = old.sequenceNext(0);
            final TableSchema wider = TableSchema.builder("people", PERSON_WITH_SCORE).primaryKey(0)
                .index(IndexAlgorithm.BTREE, 0).autoInc(0).build();
            final byte[] defaultScore = new BsatnWriter().writeU64(5).toByteArray();

            final TableRebuild rebuild = datastore.rebuildTable(old.tableId(), wider, appending(defaultScore));
            assertSame(old, datastore.table("people"), "nothing changes before commit");
            rebuild.commit();

            final StoredTable now = datastore.table("people");
            assertEquals(old.tableId(), now.tableId());
            assertEquals(PERSON_WITH_SCORE, now.schema().rowType());
            assertEquals(indexId, now.indexId(0));
            assertSame(now, datastore.tableOfIndex(indexId));
            assertEquals(nextId, now.sequenceNext(0));
            final List<byte[]> after = rows(now);
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++)
            {
                final byte[] expected = new byte[before.get(i).length + 8];
                System.arraycopy(before.get(i), 0, expected, 0, before.get(i).length);
                System.arraycopy(defaultScore, 0, expected, before.get(i).length, 8);
                assertArrayEquals(expected, after.get(i));
            }
            final byte[] next = new BsatnWriter().writeU32(0).writeU32(1).writeString("di").writeU64(1).toByteArray();
            insert(datastore, now.tableId(), next);
            assertEquals(4, now.rows().rowCount());
            assertEquals(nextId + 1, now.sequenceNext(0), "the sequence continues where it was");
        }
    }

    @Test
    void shouldBuildANewIndexOverExistingRowsAndGiveItAnIdAtCommit()
    {
        try (Datastore datastore = populated())
        {
            final StoredTable old = datastore.table("people");
            final int firstFreeIndexId = datastore.nextIndexId();
            final TableSchema withTeamIndex = old.schema().toBuilder().index(IndexAlgorithm.BTREE, 1).build();

            final TableRebuild rebuild = datastore.rebuildTable(old.tableId(), withTeamIndex, RowTransformer.IDENTITY);
            assertEquals(firstFreeIndexId, datastore.nextIndexId());
            rebuild.commit();

            final int teamIndexId = datastore.indexId("people_team_idx_btree");
            assertEquals(firstFreeIndexId, teamIndexId);
            final ExpandableArrayBuffer key = new ExpandableArrayBuffer(4);
            key.putInt(0, 7, java.nio.ByteOrder.BIG_ENDIAN);
            final MutTx tx = datastore.beginMutTx();
            final int[] found = new int[1];
            assertEquals(2, tx.scan(teamIndexId, new KeyRange().prefix(key, 0, 4), rowId ->
            {
                found[0]++;
                return true;
            }));
            tx.rollback();
            assertEquals(2, found[0]);
        }
    }

    @Test
    void shouldRefuseRowsBreakingANewUniqueIndexAndChangeNothing()
    {
        try (Datastore datastore = populated())
        {
            final StoredTable old = datastore.table("people");
            final List<byte[]> before = rows(old);
            final int nextIndexId = datastore.nextIndexId();
            final TableSchema uniqueTeam = old.schema().toBuilder()
                .index(new IndexSchema("people_team_key", null, IndexAlgorithm.BTREE, new int[] {1}, true)).build();

            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> datastore.rebuildTable(old.tableId(), uniqueTeam, RowTransformer.IDENTITY));

            assertTrue(ex.getMessage().contains("people_team_key"), ex.getMessage());
            assertSame(old, datastore.table("people"));
            assertEquals(-1, datastore.indexId("people_team_key"));
            assertEquals(nextIndexId, datastore.nextIndexId());
            final List<byte[]> after = rows(old);
            assertEquals(before.size(), after.size());
            for (int i = 0; i < before.size(); i++)
            {
                assertArrayEquals(before.get(i), after.get(i));
            }
        }
    }

    @Test
    void shouldLeaveTheDatastoreAsBeforeWhenARebuildIsAborted()
    {
        try (Datastore datastore = populated())
        {
            final StoredTable old = datastore.table("people");
            final TableRebuild rebuild = datastore.rebuildTable(old.tableId(),
                old.schema().toBuilder().index(IndexAlgorithm.BTREE, 1).build(), RowTransformer.IDENTITY);
            rebuild.abort();
            assertTrue(rebuild.isDone());
            assertSame(old, datastore.table("people"));
            assertEquals(-1, datastore.indexId("people_team_idx_btree"));
            assertEquals(3, old.rows().rowCount());
            assertThrows(IllegalStateException.class, rebuild::commit);
        }
    }

    @Test
    void shouldRefuseMalformedRowsNamesTakenAndOpenTransactions()
    {
        try (Datastore datastore = populated())
        {
            final StoredTable old = datastore.table("people");
            datastore.createTable(TableSchema.builder("other", PERSON).index(IndexAlgorithm.BTREE, 1).build());
            final TableSchema wider = TableSchema.builder("people", PERSON_WITH_SCORE).primaryKey(0).build();
            assertThrows(IllegalArgumentException.class,
                () -> datastore.rebuildTable(old.tableId(), wider, RowTransformer.IDENTITY), "row misses a column");
            final TableSchema clash = TableSchema.builder("people", PERSON).primaryKey(0)
                .index(new IndexSchema("other_team_idx_btree", null, IndexAlgorithm.BTREE, new int[] {1}, false))
                .build();
            assertThrows(IllegalArgumentException.class,
                () -> datastore.rebuildTable(old.tableId(), clash, RowTransformer.IDENTITY));
            assertThrows(IllegalArgumentException.class, () -> datastore.rebuildTable(old.tableId(),
                TableSchema.builder("renamed", PERSON).build(), RowTransformer.IDENTITY));
            assertThrows(IllegalArgumentException.class,
                () -> datastore.rebuildTable(999_999, people(), RowTransformer.IDENTITY));

            final TableRebuild rebuild = datastore.rebuildTable(old.tableId(), old.schema(), RowTransformer.IDENTITY);
            final MutTx tx = datastore.beginMutTx();
            assertThrows(IllegalStateException.class, rebuild::commit);
            assertThrows(IllegalStateException.class,
                () -> datastore.rebuildTable(old.tableId(), old.schema(), RowTransformer.IDENTITY));
            tx.rollback();
            rebuild.commit();
            assertEquals(3, datastore.table("people").rows().rowCount());
            assertThrows(IllegalStateException.class, rebuild::commit);
        }
    }
}
