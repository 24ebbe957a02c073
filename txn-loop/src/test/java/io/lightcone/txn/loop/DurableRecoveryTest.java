package io.lightcone.txn.loop;

import io.lightcone.txn.log.CommitLogException;
import io.lightcone.txn.log.CommitLogReader;
import io.lightcone.wire.sbe.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durable by default: what an EmbeddedCore committed is there, byte for byte, after a restart on the same data
 * directory (global commit log plus per-database snapshots).
 */
class DurableRecoveryTest
{
    @TempDir
    Path dataDir;

    private TxnLoopContext ctx()
    {
        return new TxnLoopContext().dataDir(dataDir.toFile()).idleStrategyName("sleep").snapshotIntervalTxs(0);
    }

    private static void transfers(final CoreDriver driver, final long bank, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            driver.call(bank, "transfer", CoreDriver.args().putInt(i % 10).putInt((i + 3) % 10).putLong(7));
        }
    }

    private static long awaitDurableAll(final CoreDriver driver, final long... dbs)
    {
        final long last = driver.core.onLoop(TxnLoopAgent::nextTxOffset, CoreDriver.WAIT_MS) - 1;
        driver.await(() -> driver.core.commitLog().durableTxOffset() >= last, "log durable");
        for (final long db : dbs)
        {
            final long lastOfDb = driver.core.onLoop((agent) -> agent.registry().byId(db).lastTxOffset(),
                CoreDriver.WAIT_MS);
            driver.await(() -> driver.lastDurable(db) >= lastOfDb, "Durable of " + db);
        }
        return last;
    }

    /** Invariant: tables, sequences, the next tx offset and Durable all continue after a restart. */
    @Test
    void shouldRecoverTablesSequencesOffsetsAndDurable()
    {
        final long bank;
        final long notes;
        final List<String> bankBefore;
        final List<String> notesBefore;
        final long next;
        final long noteSequence;
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            assertTrue(driver.core.context().durable());
            bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(100));
            notes = driver.publishOk("notes", "v9");
            for (int i = 0; i < 5; i++)
            {
                driver.call(notes, "add_note", CoreDriver.string(CoreDriver.args(), "note " + i));
            }
            transfers(driver, bank, 30);
            awaitDurableAll(driver, bank, notes);
            bankBefore = driver.contents(bank);
            notesBefore = driver.contents(notes);
            next = driver.core.onLoop(TxnLoopAgent::nextTxOffset, CoreDriver.WAIT_MS);
            noteSequence = driver.core.onLoop((agent) -> agent.registry().byId(notes).datastore().table("note")
                .sequenceNext(0), CoreDriver.WAIT_MS);
            assertTrue(driver.core.commitLog().batchCount() > 0);
        }
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            final TxnLoopAgent.RecoveryReport report = driver.core.recoveryReport();
            assertEquals(2, report.databases(), report.toString());
            assertEquals(next, report.nextTxOffset());
            assertEquals(bankBefore, driver.contents(bank));
            assertEquals(notesBefore, driver.contents(notes));
            assertEquals(next, driver.core.onLoop(TxnLoopAgent::nextTxOffset, CoreDriver.WAIT_MS));

            // An edge's bootstrap: per database its schema, every row as chunks at its last offset, and Durable.
            final long bankLast = driver.core.onLoop((agent) -> agent.registry().byId(bank).lastTxOffset(),
                CoreDriver.WAIT_MS);
            driver.await(() -> driver.client.proxy().edgeBootstrap(1, -1), "send bootstrap");
            driver.await(() -> null != driver.recorder.find(Recorder.Chunk.class,
                (c) -> c.databaseId() == notes && c.last()) && driver.lastDurable(notes) >= 0, "bootstrap");
            final Recorder.Schema schema = driver.recorder.find(Recorder.Schema.class, (s) -> s.databaseId() == bank);
            assertEquals(bankLast, schema.txOffset());
            assertEquals("bank", schema.name());
            assertNotNull(schema.owner(), "the bootstrap names the owner");
            assertTrue(schema.moduleDef().length > 0, "the bootstrap carries the module definition");
            final Recorder.Chunk rows = driver.recorder.find(Recorder.Chunk.class, (c) -> c.databaseId() == bank);
            assertEquals(bankLast, rows.txOffset());
            assertEquals(1, rows.edgeId());
            assertTrue(rows.last(), "a small database is one chunk");
            assertEquals(BootstrapTest.tableRows(bankBefore), BootstrapTest.chunkRows(driver, bank));
            assertEquals(bankLast, driver.lastDurable(bank));
            assertTrue(driver.recorder.events.indexOf(schema) < driver.recorder.events.indexOf(rows));

            final Recorder.Tx transfer = driver.call(bank, "transfer", CoreDriver.args().putInt(1).putInt(2)
                .putLong(1));
            assertEquals(next, transfer.txOffset(), "offsets continue");
            final Recorder.Tx note = driver.call(notes, "add_note", CoreDriver.string(CoreDriver.args(), "after"));
            assertEquals(next + 1, note.txOffset());
            final long id = ByteBuffer.wrap(note.table("note").inserted()).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(noteSequence, id, "the sequence continues");
            driver.await(() -> driver.lastDurable(bank) >= next && driver.lastDurable(notes) >= next + 1,
                "Durable continues");
        }
    }

    /** Invariant: with a snapshot in the middle, recovery loads it and replays only what follows. */
    @Test
    void shouldRecoverFromASnapshotAndTheLogAfterIt()
    {
        final long bank;
        final List<String> before;
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(100));
            transfers(driver, bank, 20);
            awaitDurableAll(driver, bank);
            driver.core.agent().requestSnapshot("bank");
            final Path snapshots = dataDir.resolve("db").resolve(Long.toString(bank)).resolve("snapshots");
            driver.await(() -> snapshotCount(snapshots) == 1, "snapshot");
            transfers(driver, bank, 15);
            awaitDurableAll(driver, bank);
            before = driver.contents(bank);
        }
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            assertEquals(15, driver.core.recoveryReport().replayedRecords());
            assertEquals(before, driver.contents(bank));
            transfers(driver, bank, 1);
        }
    }

    /** Invariant: a snapshot past the log's end (never durable) is deleted and the log replayed instead. */
    @Test
    void shouldDeleteASnapshotAheadOfTheLog() throws IOException
    {
        final long bank;
        final List<String> before;
        final Path snapshots;
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(100));
            transfers(driver, bank, 5);
            awaitDurableAll(driver, bank);
            driver.core.agent().requestSnapshot("bank");
            snapshots = dataDir.resolve("db").resolve(Long.toString(bank)).resolve("snapshots");
            driver.await(() -> snapshotCount(snapshots) == 1, "snapshot");
            before = driver.contents(bank);
        }
        final Path ahead = snapshots.resolve(String.format("%020d.snapshot", 1_000_000L));
        try (var files = Files.list(snapshots))
        {
            Files.move(files.filter((p) -> p.toString().endsWith(".snapshot")).findFirst().orElseThrow(), ahead);
        }
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            final List<String> problems = driver.core.recoveryReport().problems();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).contains("ahead of the log"), problems.get(0));
            assertTrue(Files.notExists(ahead));
            assertEquals(before, driver.contents(bank));
        }
    }

    /** Invariant: a torn last record is cut; the state is the one after the previous record, whose offset is reused. */
    @Test
    void shouldRecoverToThePreviousRecordAfterATornTail() throws IOException
    {
        final long bank;
        final List<String> beforeLast;
        final long last;
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(100));
            transfers(driver, bank, 10);
            awaitDurableAll(driver, bank);
            beforeLast = driver.contents(bank);
            transfers(driver, bank, 1);
            last = awaitDurableAll(driver, bank);
            assertNotEquals(beforeLast, driver.contents(bank));
        }
        final Path segment = lastSegment();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
        {
            file.setLength(file.length() - 5);
        }
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            assertTrue(driver.core.commitLog().truncatedBytesOnOpen() > 0);
            assertEquals(beforeLast, driver.contents(bank));
            assertEquals(last, driver.core.onLoop(TxnLoopAgent::nextTxOffset, CoreDriver.WAIT_MS));
            final Recorder.Tx tx = driver.call(bank, "transfer", CoreDriver.args().putInt(4).putInt(5).putLong(1));
            assertEquals(last, tx.txOffset());
        }
    }

    /** Invariant: damage inside the log stops startup with a message naming the file and offset. */
    @Test
    void shouldStopStartupOnDamageNamingFileAndOffset() throws IOException
    {
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            final long bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(100));
            transfers(driver, bank, 10);
            awaitDurableAll(driver, bank);
        }
        final Path segment = lastSegment();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
        {
            final long at = file.length() / 2;
            file.seek(at);
            final int b = file.read();
            file.seek(at);
            file.write(b ^ 0x5A);
        }
        final CommitLogException ex = assertThrows(CommitLogException.class, () -> new CoreDriver(ctx()));
        assertTrue(ex.getMessage().contains(segment.getFileName().toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("at byte "), ex.getMessage());
    }

    /** Invariant: an allowed update is applied and survives a restart; clear recreates; refusals name why. */
    @Test
    void shouldApplyAllowedUpdatesRefuseIncompatibleOnesAndRecover()
    {
        final long bank;
        final List<String> before;
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(100));
            assertEquals("module unchanged", driver.publish("bank", "keynote", false).message());

            final Recorder.Completed updated = driver.publish("bank", "keynote+custom", false);
            assertEquals(Outcome.COMMITTED, updated.outcome(), updated.message());
            assertTrue(updated.message().startsWith("migration plan:"), updated.message());
            transfers(driver, bank, 3);

            final Recorder.Completed refused = driver.publish("bank", "quickstart", false);
            assertEquals(Outcome.USER_ERROR, refused.outcome());
            assertTrue(refused.message().contains("table accounts was removed"), refused.message());
            transfers(driver, bank, 2);
            awaitDurableAll(driver, bank);
            before = driver.contents(bank);
        }
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            assertEquals(before, driver.contents(bank));
            final String hash = driver.core.onLoop((agent) -> agent.registry().byId(bank).moduleHash(),
                CoreDriver.WAIT_MS);
            assertEquals(CoreDriver.sha256(CoreDriver.moduleBytes("keynote+custom")), hash);
            final Recorder.Completed cleared = driver.publish("bank", "quickstart", true);
            assertEquals(Outcome.COMMITTED, cleared.outcome(), cleared.message());
            awaitDurableAll(driver, bank);
        }
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            final List<String> contents = driver.contents(bank);
            assertTrue(contents.contains("table person"), contents.toString());
            assertTrue(!contents.contains("table accounts"), contents.toString());
        }
    }

    private Path lastSegment() throws IOException
    {
        final List<CommitLogReader.Segment> segments = CommitLogReader.listSegments(dataDir.resolve("log"));
        assertTrue(Files.size(segments.get(segments.size() - 1).file()) > 0);
        return segments.get(segments.size() - 1).file();
    }

    private static int snapshotCount(final Path dir)
    {
        try (var files = Files.list(dir))
        {
            return (int)files.filter((p) -> p.toString().endsWith(".snapshot")).count();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
