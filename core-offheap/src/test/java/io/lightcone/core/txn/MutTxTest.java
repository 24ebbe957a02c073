package io.lightcone.core.txn;

import io.lightcone.core.index.BoundKind;
import io.lightcone.core.index.KeyRange;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableSchema;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MutTxTest
{
    private static final ProductType PERSON =
        ProductType.of("id", AlgebraicType.U32, "score", AlgebraicType.I64, "name", AlgebraicType.STRING);

    private static TableSchema people()
    {
        return TableSchema.builder("people", PERSON).primaryKey(0).index(IndexAlgorithm.BTREE, 0).build();
    }

    @Test
    void shouldNotKeepTheBookkeepingOfABulkLoadAlive()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable people = datastore.createTable(people());
            final MutTx tx = datastore.beginMutTx();
            for (int id = 0; id < 200_000; id++)
            {
                final byte[] row = MutTxModelTest.person(id, id, "");
                assertTrue(tx.insert(people.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0);
            }
            assertTrue(tx.retainedEntries() >= 400_000, "the bulk load's lists grew");
            assertEquals(200_000, tx.commit().table(0).insertCount());
            assertTrue(tx.retainedEntries() <= 4 * MutTx.RETAINED_ENTRIES_LIMIT, "lists shrunk after the load: " +
                tx.retainedEntries());
            datastore.beginMutTx().commit();
            assertEquals(200_000, tx.visibleRowCount(people));
        }
    }

    /**
     * Regression: commit compared every deleted row with every inserted row (rehashing the inserted one each time),
     * so clearing and re-inserting a large table never finished. The delta must still be the model's: rows
     * re-inserted unchanged are in neither set, changed rows are deleted (old) and inserted (new), a row deleted and
     * re-inserted twice cancels once, and inserting a row twice inserts it once.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldCommitAClearAndReinsertOfManyRowsWithTheModelsDelta()
    {
        final int count = 200_000;
        try (Datastore datastore = new Datastore())
        {
            final StoredTable people = datastore.createTable(people());
            MutTx tx = datastore.beginMutTx();
            for (int id = 0; id < count; id++)
            {
                assertTrue(insert(tx, people, MutTxModelTest.person(id, id, "p" + id)) >= 0);
            }
            tx.commit();

            final Random random = new Random(0xC1EA4L);
            final List<String> expectedInserts = new ArrayList<>();
            final List<String> expectedDeletes = new ArrayList<>();
            final Map<Integer, byte[]> expectedRows = new HashMap<>();
            tx = datastore.beginMutTx();
            assertEquals(count, tx.clear(people.tableId()));
            for (int id = 0; id < count; id++)
            {
                final byte[] old = MutTxModelTest.person(id, id, "p" + id);
                final boolean changed = random.nextBoolean();
                final byte[] row = changed ? MutTxModelTest.person(id, id + 1, "p" + id) : old;
                final int rowId = insert(tx, people, row);
                assertTrue(rowId >= 0, tx.lastError());
                if (random.nextInt(10) == 0)
                {
                    assertEquals(rowId, insert(tx, people, row), "inserting an equal row again changes nothing");
                }
                if (random.nextInt(10) == 0)
                {
                    assertEquals(TxStatus.OK, tx.delete(people.tableId(), rowId));
                    assertTrue(insert(tx, people, row) >= 0, tx.lastError());
                }
                if (changed)
                {
                    expectedInserts.add(HexFormat.of().formatHex(row));
                    expectedDeletes.add(HexFormat.of().formatHex(old));
                }
                expectedRows.put(id, row);
            }
            final TxDelta delta = tx.commit();

            assertEquals(1, delta.tableCount());
            assertEquals(sortedHex(expectedInserts), sortedHex(hex(delta.table(0).insertedRows())));
            assertEquals(sortedHex(expectedDeletes), sortedHex(hex(delta.table(0).deletedRows())));
            final MutTx check = datastore.beginMutTx();
            assertEquals(count, check.visibleRowCount(people));
            check.rollback();
            final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
            for (int rowId = people.rows().nextLive(0); rowId >= 0; rowId = people.rows().nextLive(rowId + 1))
            {
                final int length = people.rows().writeRow(rowId, out, 0);
                final byte[] expected = expectedRows.get((int)people.rows().getLong(rowId, 0));
                assertEquals(expected.length, length);
                assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(out.byteArray(), 0, length));
            }
        }
    }

    private static int insert(final MutTx tx, final StoredTable table, final byte[] row)
    {
        return tx.insert(table.tableId(), new UnsafeBuffer(row), 0, row.length);
    }

    private static List<String> hex(final List<byte[]> rows)
    {
        final List<String> hex = new ArrayList<>(rows.size());
        for (final byte[] row : rows)
        {
            hex.add(HexFormat.of().formatHex(row));
        }
        return hex;
    }

    private static List<String> sortedHex(final List<String> hex)
    {
        final List<String> sorted = new ArrayList<>(hex);
        Collections.sort(sorted);
        return sorted;
    }

    private static StoredTable hitEvents(final Datastore datastore)
    {
        return datastore.createTable(TableSchema.builder("hit",
            ProductType.of("target", AlgebraicType.U32, "damage", AlgebraicType.I32)).event(true).build());
    }

    @Test
    void shouldDropEventRowsAfterCommitButReportThemInTheDelta()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable events = hitEvents(datastore);
            final MutTx tx = datastore.beginMutTx();
            final byte[] row = new BsatnWriter().writeU32(7).writeU32(30).toByteArray();
            assertTrue(tx.insert(events.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0);
            assertEquals(1, tx.visibleRowCount(events), "visible inside the transaction");
            final TxDelta delta = tx.commit();
            assertEquals(1, delta.tableCount());
            assertArrayEquals(row, delta.table(0).insertedRows().get(0));
            assertEquals(0, events.rows().rowCount(), "event rows do not outlive their transaction");
        }
    }

    /**
     * Invariant: between prepareCommit and finishCommit or rollback the transaction takes no change; finishCommit
     * needs a prepare; an event table's rows survive a prepare and go away with a rollback after it.
     */
    @Test
    void shouldTakeNoChangeWhilePreparedAndRollBackAPreparedEventInsert()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable events = hitEvents(datastore);
            final MutTx tx = datastore.beginMutTx();
            assertThrows(IllegalStateException.class, tx::finishCommit, "finish without prepare");
            final byte[] row = new BsatnWriter().writeU32(7).writeU32(30).toByteArray();
            assertTrue(tx.insert(events.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0);
            final TxDelta delta = tx.prepareCommit();
            assertArrayEquals(row, delta.table(0).insertedRows().get(0));
            assertEquals(1, events.rows().rowCount(), "the prepare half keeps the event row");
            assertThrows(IllegalStateException.class,
                () -> tx.insert(events.tableId(), new UnsafeBuffer(row), 0, row.length), "no change while prepared");
            assertThrows(IllegalStateException.class, tx::prepareCommit, "no second prepare");
            tx.rollback();
            assertFalse(tx.isOpen());
            assertEquals(0, events.rows().rowCount(), "rolled back");
            assertFalse(datastore.isTxOpen());
        }
    }

    /**
     * Regression: a point range on a prefix of a multi-column hash index's key made scan and deleteByRange throw
     * UnsupportedOperationException (fixed-length key) or silently find nothing (variable-length key) instead of
     * returning WRONG_INDEX_ALGO.
     */
    @Test
    void shouldRefuseAPartialKeyPointOnAHashIndex()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable table = datastore.createTable(TableSchema.builder("pairs",
                ProductType.of("a", AlgebraicType.U32, "b", AlgebraicType.U32, "s", AlgebraicType.STRING))
                .index(IndexAlgorithm.HASH, 0, 1).unique(0, 1).index(IndexAlgorithm.HASH, 0, 2).unique(0, 2).build());
            final int fixed = datastore.indexId("pairs_a_b_idx_hash");
            final int varying = datastore.indexId("pairs_a_s_idx_hash");
            final MutTx tx = datastore.beginMutTx();
            final byte[] row = new BsatnWriter().writeU32(7).writeU32(8).writeString("x").toByteArray();
            assertTrue(tx.insert(table.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0);
            final ExpandableArrayBuffer key = new ExpandableArrayBuffer(16);
            final int aLength = MutTxModelTest.encode(AlgebraicType.U32, MutTxModelTest.u32(7), key);
            final KeyRange partial = new KeyRange().prefix(key, 0, aLength);
            for (final int indexId : new int[] { fixed, varying })
            {
                assertEquals(-TxStatus.WRONG_INDEX_ALGO, tx.scan(indexId, partial, (rowId) -> true));
                assertEquals(-TxStatus.WRONG_INDEX_ALGO, tx.deleteByRange(indexId, partial));
                assertEquals(-TxStatus.WRONG_INDEX_ALGO, tx.scan(indexId, new KeyRange().all(), (rowId) -> true));
            }
            final ExpandableArrayBuffer second = new ExpandableArrayBuffer(16);
            final int bLength = MutTxModelTest.encode(AlgebraicType.U32, MutTxModelTest.u32(8), second);
            key.putBytes(aLength, second, 0, bLength);
            assertEquals(1, tx.scan(fixed, new KeyRange().prefix(key, 0, aLength + bLength), (rowId) -> true));
            assertEquals(1, tx.visibleRowCount(table), "nothing was deleted");
            tx.rollback();
        }
    }

    @Test
    void shouldServeOnlyFullKeyPointsFromANonUniqueHashIndex()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable table = datastore.createTable(TableSchema.builder("tags",
                ProductType.of("a", AlgebraicType.U32, "s", AlgebraicType.STRING))
                .index(IndexAlgorithm.HASH, 0).build());
            final int hash = datastore.indexId("tags_a_idx_hash");
            final MutTx tx = datastore.beginMutTx();
            for (final String s : new String[] { "x", "y" })
            {
                final byte[] row = new BsatnWriter().writeU32(7).writeString(s).toByteArray();
                assertTrue(tx.insert(table.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0);
            }
            final ExpandableArrayBuffer key = new ExpandableArrayBuffer(16);
            final int length = MutTxModelTest.encode(AlgebraicType.U32, MutTxModelTest.u32(7), key);
            assertEquals(2, tx.scan(hash, new KeyRange().prefix(key, 0, length), (rowId) -> true));
            assertEquals(-TxStatus.WRONG_INDEX_ALGO, tx.scan(hash, new KeyRange().all(), (rowId) -> true));
            assertEquals(-TxStatus.WRONG_INDEX_ALGO, tx.scan(hash,
                new KeyRange().lower(key, 0, length, BoundKind.EXCLUSIVE), (rowId) -> true));
            tx.rollback();
        }
    }

    @Test
    void shouldRefuseADuplicateKeyAndChangeNothing()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable people = datastore.createTable(people());
            final MutTx tx = datastore.beginMutTx();
            final byte[] first = MutTxModelTest.person(1, 5, "a");
            final byte[] second = MutTxModelTest.person(1, 6, "b");
            assertTrue(tx.insert(people.tableId(), new UnsafeBuffer(first), 0, first.length) >= 0);
            final long memory = people.memoryBytes();
            assertEquals(-TxStatus.UNIQUE_ALREADY_EXISTS,
                tx.insert(people.tableId(), new UnsafeBuffer(second), 0, second.length));
            assertTrue(tx.lastError().contains("duplicate key") && tx.lastError().contains("people"), tx.lastError());
            assertEquals(1, tx.visibleRowCount(people));
            assertEquals(memory, people.memoryBytes(), "a refused row leaves nothing behind");
            final TxDelta delta = tx.commit();
            assertEquals(List.of(HexFormat.of().formatHex(first)),
                delta.table(0).insertedRows().stream().map(HexFormat.of()::formatHex).toList());
        }
    }

    @Test
    void shouldRejectMalformedRowsWithADecodeError()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable people = datastore.createTable(people());
            final MutTx tx = datastore.beginMutTx();
            final byte[] row = MutTxModelTest.person(1, 5, "abc");
            assertEquals(-TxStatus.BSATN_DECODE_ERROR,
                tx.insert(people.tableId(), new UnsafeBuffer(row), 0, row.length - 1));
            assertTrue(tx.lastError().contains("people"), tx.lastError());
            assertEquals(-TxStatus.NO_SUCH_TABLE, tx.insert(999_999, new UnsafeBuffer(row), 0, row.length));
            assertEquals(0, tx.visibleRowCount(people));
            tx.rollback();
        }
    }

    @Test
    void shouldFailWhenASequencePassesItsMaximumAndNotReuseValuesAfterRollback()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable small = datastore.createTable(TableSchema.builder("small",
                ProductType.of("id", AlgebraicType.U8, "v", AlgebraicType.BOOL)).primaryKey(0)
                .sequence(new SequenceSchema("small_id_seq", 0, 1, 1, 3, 1)).build());
            final byte[] row = new BsatnWriter().writeU8(0).writeBool(true).toByteArray();
            MutTx tx = datastore.beginMutTx();
            assertTrue(tx.insert(small.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0);
            tx.rollback();
            tx = datastore.beginMutTx();
            final int second = tx.insert(small.tableId(), new UnsafeBuffer(row), 0, row.length);
            assertEquals(2, small.rows().getLong(second, 0), "values drawn by a rolled-back tx are not reused");
            assertTrue(tx.insert(small.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0);
            assertEquals(-TxStatus.AUTO_INC_OVERFLOW, tx.insert(small.tableId(), new UnsafeBuffer(row), 0, row.length));
            assertTrue(tx.lastError().contains("small_id_seq"), tx.lastError());
            assertEquals(2, tx.visibleRowCount(small));
            tx.commit();
        }
    }

    @Test
    void shouldReportAnUpdateThatChangesNothingAsNoChange()
    {
        try (Datastore datastore = new Datastore())
        {
            final StoredTable people = datastore.createTable(people());
            final int pk = datastore.indexId("people_id_idx_btree");
            final byte[] row = MutTxModelTest.person(3, 1, "x");
            MutTx tx = datastore.beginMutTx();
            tx.insert(people.tableId(), new UnsafeBuffer(row), 0, row.length);
            tx.commit();
            tx = datastore.beginMutTx();
            assertTrue(tx.update(pk, new UnsafeBuffer(row), 0, row.length) >= 0, tx.lastError());
            assertTrue(tx.commit().isEmpty());
            tx = datastore.beginMutTx();
            final byte[] changed = MutTxModelTest.person(3, 2, "x");
            assertTrue(tx.update(pk, new UnsafeBuffer(changed), 0, changed.length) >= 0, tx.lastError());
            final TableDelta delta = tx.commit().find(people.tableId());
            assertNotNull(delta);
            assertArrayEquals(changed, delta.insertedRows().get(0));
            assertArrayEquals(row, delta.deletedRows().get(0));
        }
    }

    @Test
    void shouldAllowOnlyOneOpenTransactionAndNoSchemaChangesInside()
    {
        try (Datastore datastore = new Datastore())
        {
            final MutTx tx = datastore.beginMutTx();
            assertThrows(IllegalStateException.class, datastore::beginMutTx);
            assertThrows(IllegalStateException.class,
                () -> datastore.createTable(TableSchema.builder("t", PERSON).build()));
            tx.commit();
            assertFalse(tx.isOpen());
            assertThrows(IllegalStateException.class, tx::commit);
        }
    }
}
