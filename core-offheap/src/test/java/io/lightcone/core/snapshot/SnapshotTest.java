package io.lightcone.core.snapshot;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: loading a snapshot gives back every table identical (schema, index ids, sequences, rows); a damaged
 * snapshot is refused with a {@link SnapshotException}, never loaded partly and never another exception.
 */
class SnapshotTest
{
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 3L, 11L, 0xBEEFL })
    void shouldLoadBackIdenticalTables(final long seed)
    {
        final Random random = new Random(seed);
        final Path file = dir.resolve("00000000000000000042.snapshot");
        try (Datastore datastore = populated(random, 2_000))
        {
            Snapshot.write(datastore, 42, file);
            final Snapshot.Loaded loaded = Snapshot.read(file);
            try (Datastore copy = loaded.datastore())
            {
                assertEquals(42, loaded.txOffset());
                assertSame(datastore, copy, "seed=" + seed);
                insertOneCounterEach(datastore);
                insertOneCounterEach(copy);
                assertSame(datastore, copy, "seed=" + seed + " after inserting with the restored sequence");
            }
        }
    }

    @Test
    void shouldRefuseEveryTruncationAndByteFlip() throws IOException
    {
        final Random random = new Random(99);
        final Path file = dir.resolve("s.snapshot");
        try (Datastore datastore = populated(random, 50))
        {
            Snapshot.write(datastore, 7, file);
        }
        final byte[] good = Files.readAllBytes(file);
        final Path bad = dir.resolve("bad.snapshot");
        for (int length = 0; length < good.length; length += 1 + length / 16)
        {
            Files.write(bad, java.util.Arrays.copyOf(good, length));
            final int at = length;
            final SnapshotException ex = assertThrows(SnapshotException.class, () -> Snapshot.read(bad),
                "truncated to " + at);
            assertTrue(ex.getMessage().contains(bad.toString()), ex.getMessage());
        }
        for (int i = 0; i < 300; i++)
        {
            final byte[] flipped = good.clone();
            final int at = random.nextInt(flipped.length);
            flipped[at] ^= (byte)(1 << random.nextInt(8));
            Files.write(bad, flipped);
            assertThrows(SnapshotException.class, () -> Snapshot.read(bad), "bit flip at " + at);
        }
    }

    private static Datastore populated(final Random random, final int rows)
    {
        final Datastore datastore = new Datastore();
        final StoredTable players = datastore.createTable(TableSchema.builder("player", ProductType.of(
            "identity", SpecialTypes.IDENTITY, "name", AlgebraicType.STRING, "x", AlgebraicType.F32,
            "tags", AlgebraicType.array(AlgebraicType.STRING), "guild", SpecialTypes.option(AlgebraicType.U64)))
            .primaryKey(0).index(IndexAlgorithm.BTREE, 2).access(TableAccess.PRIVATE).build());
        final StoredTable counters = datastore.createTable(TableSchema.builder("counter",
            ProductType.of("id", AlgebraicType.U64, "v", AlgebraicType.I32)).primaryKey(0).autoInc(0).build());
        final StoredTable dropped = datastore.createTable(TableSchema.builder("dropped",
            ProductType.of("a", AlgebraicType.U8)).build());
        datastore.dropTable(dropped.tableId());
        final StoredTable bag = datastore.createTable(TableSchema.builder("bag",
            ProductType.of("a", AlgebraicType.U8, "b", AlgebraicType.bytes())).build());
        final MutTx tx = datastore.beginMutTx();
        for (int i = 0; i < rows; i++)
        {
            final BsatnWriter player = new BsatnWriter();
            for (int b = 0; b < 4; b++)
            {
                player.writeU64(random.nextLong());
            }
            player.writeString("p" + random.nextInt(1000)).writeF32(random.nextFloat() * 100 - 50);
            final int tagCount = random.nextInt(3);
            player.writeU32(tagCount);
            for (int t = 0; t < tagCount; t++)
            {
                player.writeString("t" + t);
            }
            if (random.nextBoolean())
            {
                player.writeU8(0).writeU64(random.nextInt(10));
            }
            else
            {
                player.writeU8(1);
            }
            insert(tx, players, player.toByteArray());
            insert(tx, counters, new BsatnWriter().writeU64(0).writeU32(random.nextInt()).toByteArray());
            final byte[] blob = new byte[random.nextInt(40)];
            random.nextBytes(blob);
            insert(tx, bag, new BsatnWriter().writeU8(random.nextInt(256)).writeByteArray(blob).toByteArray());
        }
        tx.commit();
        final MutTx deletes = datastore.beginMutTx();
        for (int rowId = deletes.nextVisible(counters, 0); rowId >= 0; rowId = deletes.nextVisible(counters, rowId + 1))
        {
            if (random.nextInt(3) == 0)
            {
                deletes.delete(counters.tableId(), rowId);
            }
        }
        deletes.commit();
        return datastore;
    }

    private static void insert(final MutTx tx, final StoredTable table, final byte[] row)
    {
        final int result = tx.insert(table.tableId(), new UnsafeBuffer(row), 0, row.length);
        assertTrue(result >= 0, tx.lastError());
    }

    private static void insertOneCounterEach(final Datastore datastore)
    {
        final MutTx tx = datastore.beginMutTx();
        insert(tx, datastore.table("counter"), new BsatnWriter().writeU64(0).writeU32(5).toByteArray());
        tx.commit();
    }

    private static void assertSame(final Datastore expected, final Datastore actual, final String where)
    {
        assertEquals(expected.tables().size(), actual.tables().size(), where);
        for (final StoredTable table : expected.tables())
        {
            final StoredTable other = actual.table(table.tableId());
            assertEquals(table.schema(), other.schema(), where);
            for (int i = 0; i < table.indexCount(); i++)
            {
                assertEquals(table.indexId(i), other.indexId(i), where);
                assertEquals(table.index(i).size(), other.index(i).size(), where + " index " + i);
            }
            for (int i = 0; i < table.schema().sequences().size(); i++)
            {
                assertEquals(table.sequenceNext(i), other.sequenceNext(i), where);
            }
            assertEquals(rows(table), rows(other), where + " rows of " + table.schema().name());
        }
        assertEquals(expected.nextTableId(), actual.nextTableId(), where);
        assertEquals(expected.nextIndexId(), actual.nextIndexId(), where);
    }

    private static List<String> rows(final StoredTable table)
    {
        final List<String> rows = new ArrayList<>();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        for (int rowId = table.rows().nextLive(0); rowId >= 0; rowId = table.rows().nextLive(rowId + 1))
        {
            final int length = table.rows().writeRow(rowId, buffer, 0);
            rows.add(HexFormat.of().formatHex(buffer.byteArray(), 0, length));
        }
        Collections.sort(rows);
        return rows;
    }
}
