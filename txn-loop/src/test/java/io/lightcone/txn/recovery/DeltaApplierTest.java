package io.lightcone.txn.recovery;

import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeltaApplierTest
{
    /** Invariant: replaying the deltas of random transactions onto a fresh copy gives identical tables, sequences. */
    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 7L, 0x5EEDL })
    void replayShouldReproduceIdenticalContents(final long seed)
    {
        final Random random = new Random(seed);
        try (Datastore original = ReplayFixture.createSchema(); Datastore copy = ReplayFixture.createSchema())
        {
            final List<byte[]> log = new ArrayList<>();
            for (int i = 0; i < 500; i++)
            {
                log.add(ReplayFixture.randomTx(original, random));
            }
            for (int i = 0; i < log.size(); i++)
            {
                final byte[] payload = log.get(i);
                ReplayFixture.applier(copy).onRecord(i, new UnsafeBuffer(payload), 0, payload.length);
            }
            assertTrue(original.table("items").rows().rowCount() > 10);
            assertEquals(ReplayFixture.contents(original), ReplayFixture.contents(copy));
            final byte[] row = new BsatnWriter().writeU64(0).writeU32(1).writeString("after").toByteArray();
            final long[] ids = new long[2];
            int d = 0;
            for (final Datastore datastore : new Datastore[] { original, copy })
            {
                final MutTx tx = datastore.beginMutTx();
                final int rowId = tx.insert(datastore.tableId("items"), new UnsafeBuffer(row), 0, row.length);
                ids[d++] = datastore.table("items").rows().getLong(rowId, 0);
                tx.commit();
            }
            assertEquals(ids[0], ids[1], "the next id after replay is the original's");
        }
    }

    /** Invariant: a value drawn but never committed leaves the replayed sequence past every committed value. */
    @Test
    void sequenceShouldStayPastEveryCommittedValue()
    {
        try (Datastore original = ReplayFixture.createSchema(); Datastore copy = ReplayFixture.createSchema())
        {
            final StoredTable items = original.table("items");
            final byte[] row = new BsatnWriter().writeU64(0).writeU32(1).writeString("x").toByteArray();
            MutTx tx = original.beginMutTx();
            tx.insert(items.tableId(), new UnsafeBuffer(row), 0, row.length);
            tx.insert(items.tableId(), new UnsafeBuffer(row), 0, row.length);
            final byte[] first = ReplayFixture.encode(tx.commit());
            tx = original.beginMutTx();
            tx.insert(items.tableId(), new UnsafeBuffer(row), 0, row.length);
            tx.rollback();
            ReplayFixture.applier(copy).onRecord(0, new UnsafeBuffer(first), 0, first.length);
            assertEquals(4, items.sequenceNext(0), "the original drew 1, 2 and 3 (rolled back)");
            assertEquals(3, copy.table("items").sequenceNext(0), "past the committed 1 and 2");
        }
    }

    /** Invariant: a delta that does not match the state stops replay with a message and changes nothing. */
    @Test
    void shouldRefuseADeltaThatDoesNotApply()
    {
        try (Datastore datastore = ReplayFixture.createSchema())
        {
            final byte[] row = new BsatnWriter().writeU64(5).writeU32(1).writeString("x").toByteArray();
            final UnsafeBuffer buffer = new UnsafeBuffer(row);
            final DeltaApplier applier = new DeltaApplier();
            final int items = datastore.tableId("items");
            final RecoveryException missing = assertThrows(RecoveryException.class,
                () -> applier.apply(datastore, items, buffer, 0, 0, 0, buffer, 0, row.length, 1));
            assertTrue(missing.getMessage().contains("items"), missing.getMessage());
            applier.apply(datastore, items, buffer, 0, row.length, 1, buffer, 0, 0, 0);
            assertEquals(6, datastore.table("items").sequenceNext(0));
            assertThrows(RecoveryException.class,
                () -> applier.apply(datastore, items, buffer, 0, row.length, 1, buffer, 0, 0, 0), "already present");
            final byte[] sameKey = new BsatnWriter().writeU64(5).writeU32(2).writeString("z").toByteArray();
            assertThrows(RecoveryException.class, () -> applier.apply(datastore, items, new UnsafeBuffer(sameKey), 0,
                sameKey.length, 1, buffer, 0, 0, 0), "duplicate key");
            final byte[] zero = new BsatnWriter().writeU64(0).writeU32(1).writeString("y").toByteArray();
            assertThrows(RecoveryException.class, () -> applier.apply(datastore, items, new UnsafeBuffer(zero), 0,
                zero.length, 1, buffer, 0, 0, 0), "auto-inc 0 in a logged row");
            assertEquals(1, datastore.table("items").rows().rowCount(), "failed deltas changed nothing");
            assertThrows(RecoveryException.class, () -> applier.apply(datastore, 999, buffer, 0, 0, 0, buffer, 0, 0,
                0));
        }
    }

    /** Invariant: inserted rows applied to the end (ALL_ROWS, as replay does) equal them counted; bad bytes refused. */
    @Test
    void allRowsShouldApplyEveryInsertedRowAndRefuseATruncatedOne()
    {
        try (Datastore counted = ReplayFixture.createSchema(); Datastore all = ReplayFixture.createSchema())
        {
            final BsatnWriter writer = new BsatnWriter();
            for (int i = 1; i <= 3; i++)
            {
                writer.writeU64(i).writeU32(i).writeString("row " + i);
            }
            final byte[] rows = writer.toByteArray();
            final UnsafeBuffer buffer = new UnsafeBuffer(rows);
            final DeltaApplier applier = new DeltaApplier();
            applier.apply(counted, counted.tableId("items"), buffer, 0, rows.length, 3, buffer, 0, 0, 0);
            applier.apply(all, all.tableId("items"), buffer, 0, rows.length, DeltaApplier.ALL_ROWS, buffer, 0, 0, 0);
            assertEquals(3, all.table("items").rows().rowCount());
            assertEquals(ReplayFixture.contents(counted), ReplayFixture.contents(all));

            final byte[] more = new BsatnWriter().writeU64(4).writeU32(4).writeString("row 4").writeU64(5).writeU32(5)
                .writeString("row 5").toByteArray();
            final UnsafeBuffer truncated = new UnsafeBuffer(more, 0, more.length - 2);
            final RecoveryException ex = assertThrows(RecoveryException.class, () -> applier.apply(all,
                all.tableId("items"), truncated, 0, truncated.capacity(), DeltaApplier.ALL_ROWS, buffer, 0, 0, 0));
            assertTrue(ex.getMessage().contains("inserted row 1 is malformed"), ex.getMessage());
            // rows rolled back; the sequence may have moved past row 4's id, as after any rolled back insert
            assertEquals(ReplayFixture.contents(counted).subList(0, 4), ReplayFixture.contents(all).subList(0, 4),
                "a refused delta leaves the rows as they were");
        }
    }
}
