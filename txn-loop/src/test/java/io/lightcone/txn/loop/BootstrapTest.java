package io.lightcone.txn.loop;

import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.txn.MutTx;
import io.lightcone.wire.SnapshotChunkFormat;
import io.lightcone.wire.WireConfiguration;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An edge's bootstrap streams each database's rows as bounded SnapshotChunks, so a database many times larger than
 * the wire's reassembly bound bootstraps whole.
 */
class BootstrapTest
{
    private static final int REASSEMBLY_BOUND = 128 * 1024;
    private static final int CHUNK_LENGTH = 16 * 1024;
    private static final int ROWS = 200_000;
    private static final int ROWS_PER_TX = 5_000;

    @TempDir
    Path dataDir;

    /** Invariant: the chunks hold every row once, each within the bound, indexed 0..n, the last one flagged. */
    @Test
    void shouldStreamADatabaseLargerThanTheReassemblyBoundAsChunks()
    {
        final String previousMessage = System.getProperty(WireConfiguration.MAX_MESSAGE_LENGTH_PROP_NAME);
        final String previousBound = System.getProperty(WireConfiguration.MAX_REASSEMBLY_LENGTH_PROP_NAME);
        System.setProperty(WireConfiguration.MAX_MESSAGE_LENGTH_PROP_NAME, Integer.toString(32 * 1024));
        System.setProperty(WireConfiguration.MAX_REASSEMBLY_LENGTH_PROP_NAME, Integer.toString(REASSEMBLY_BOUND));
        final CoreDriver driver;
        try
        {
            driver = new CoreDriver(new TxnLoopContext().dataDir(dataDir.toFile()).idleStrategyName("sleep")
                .durable(false).bootstrapChunkLength(CHUNK_LENGTH));
        }
        finally
        {
            restore(WireConfiguration.MAX_MESSAGE_LENGTH_PROP_NAME, previousMessage);
            restore(WireConfiguration.MAX_REASSEMBLY_LENGTH_PROP_NAME, previousBound);
        }
        try (driver)
        {
            final long bank = driver.publishOk("bank", "keynote");
            for (int first = 0; first < ROWS; first += ROWS_PER_TX)
            {
                final int from = first;
                assertTrue(driver.core.onLoop((agent) -> agent.runInternalTransaction("bank", (MutTx tx) ->
                {
                    final int tableId = tx.datastore().tableId("accounts");
                    final UnsafeBuffer row = new UnsafeBuffer(new byte[12]);
                    for (int id = from; id < from + ROWS_PER_TX; id++)
                    {
                        row.putInt(0, id, ByteOrder.LITTLE_ENDIAN);
                        row.putLong(4, id * 3L, ByteOrder.LITTLE_ENDIAN);
                        if (tx.insert(tableId, row, 0, 12) < 0)
                        {
                            return false;
                        }
                    }
                    return true;
                }), CoreDriver.WAIT_MS) >= 0, "seeding");
            }
            final List<String> contents = driver.contents(bank);
            assertTrue(ROWS * 12 > 10 * REASSEMBLY_BOUND, "the database is well over the bound");

            driver.await(() -> driver.client.proxy().edgeBootstrap(9, -1), "send bootstrap");
            driver.await(() -> null != driver.recorder.find(Recorder.Chunk.class, Recorder.Chunk::last), "chunks");
            final List<Recorder.Chunk> chunks = driver.recorder.all(Recorder.Chunk.class);
            assertTrue(chunks.size() > ROWS * 12 / CHUNK_LENGTH, "many chunks: " + chunks.size());
            for (int i = 0; i < chunks.size(); i++)
            {
                final Recorder.Chunk chunk = chunks.get(i);
                assertEquals(i, chunk.chunkIndex());
                assertEquals(9, chunk.edgeId());
                assertEquals(i == chunks.size() - 1, chunk.last());
                assertTrue(chunk.bytes().length <= CHUNK_LENGTH, "chunk " + i + " is " + chunk.bytes().length);
            }
            assertEquals(tableRows(contents), chunkRows(driver, bank));
            assertEquals(0, driver.client.adapter().droppedCount(), "nothing over the reassembly bound");
        }
    }

    static void restore(final String name, final String value)
    {
        if (null == value)
        {
            System.clearProperty(name);
        }
        else
        {
            System.setProperty(name, value);
        }
    }

    /**
     * The rows of {@link CoreDriver#contents} by table, sorted hex, tables without rows left out.
     *
     * @param contents as CoreDriver gives them.
     * @return rows by table name.
     */
    static Map<String, List<String>> tableRows(final List<String> contents)
    {
        final Map<String, List<String>> tables = new TreeMap<>();
        List<String> current = null;
        for (final String line : contents)
        {
            if (line.startsWith("table "))
            {
                current = new ArrayList<>();
                tables.put(line.substring("table ".length()), current);
            }
            else if (!line.startsWith("sequence ") && null != current)
            {
                current.add(line);
            }
        }
        tables.values().removeIf(List::isEmpty);
        tables.values().forEach((rows) -> rows.sort(null));
        return tables;
    }

    /**
     * The rows a database's bootstrap chunks carried, by table, sorted hex.
     *
     * @param driver with the recorded chunks.
     * @param db     the database.
     * @return rows by table name.
     */
    static Map<String, List<String>> chunkRows(final CoreDriver driver, final long db)
    {
        final Map<String, List<String>> tables = new TreeMap<>();
        final SnapshotChunkFormat sections = new SnapshotChunkFormat();
        final BsatnReader reader = new BsatnReader();
        for (final Recorder.Chunk chunk : driver.recorder.all(Recorder.Chunk.class))
        {
            if (chunk.databaseId() != db)
            {
                continue;
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(chunk.bytes());
            sections.wrap(buffer, 0, chunk.bytes().length);
            while (sections.next())
            {
                final String name = sections.tableName();
                final ProductType rowType = driver.core.onLoop((agent) -> agent.registry().byId(db).datastore()
                    .table(name).schema().rowType(), CoreDriver.WAIT_MS);
                final List<String> rows = tables.computeIfAbsent(name, (n) -> new ArrayList<>());
                int at = sections.rowsOffset();
                final int end = at + sections.rowsLength();
                while (at < end)
                {
                    reader.wrap(buffer, at, end - at);
                    Bsatn.skipValue(reader, rowType);
                    final int length = reader.relativePosition();
                    rows.add(HexFormat.of().formatHex(chunk.bytes(), at, at + length));
                    at += length;
                }
            }
            assertFalse(sections.isMalformed());
        }
        tables.values().forEach((rows) -> rows.sort(null));
        return tables;
    }
}
