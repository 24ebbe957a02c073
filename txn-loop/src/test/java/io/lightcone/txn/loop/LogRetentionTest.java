package io.lightcone.txn.loop;

import io.lightcone.txn.log.CommitLogContext;
import io.lightcone.txn.log.CommitLogReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log retention follows snapshots: segments wholly before the oldest kept snapshot of every database sharing the
 * global log are deleted (or archived), never one a database still needs, and recovery from what is left gives
 * the same tables as before the restart.
 */
class LogRetentionTest
{
    private static final int SNAPSHOT_INTERVAL = 40;

    @TempDir
    Path dataDir;

    private TxnLoopContext ctx(final boolean archive)
    {
        return new TxnLoopContext()
            .dataDir(dataDir.toFile())
            .idleStrategyName("sleep")
            .snapshotIntervalTxs(SNAPSHOT_INTERVAL)
            .snapshotsKept(2)
            .commitLogContext(new CommitLogContext().segmentSize(4 * 1024).archiveOnRetention(archive));
    }

    /**
     * Invariant: a database that has not snapshotted since its creation keeps every segment from its creation on;
     * once it snapshots, older segments go; only {@code snapshotsKept} snapshots stay; recovery reproduces the state.
     */
    @ParameterizedTest(name = "archive={0}")
    @ValueSource(booleans = { false, true })
    void shouldRetireSegmentsBeforeTheOldestKeptSnapshotOfEveryDatabase(final boolean archive) throws IOException
    {
        final Random random = new Random(archive ? 11 : 7);
        final Path logDir = dataDir.resolve("log");
        final long bank;
        final long notes;
        final long notesCreated;
        final List<String> bankBefore;
        final List<String> notesBefore;
        try (CoreDriver driver = new CoreDriver(ctx(archive)))
        {
            bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(1_000));
            notes = driver.publishOk("notes", "v9");
            notesCreated = driver.core.onLoop((agent) -> agent.registry().byId(notes).lastTxOffset(),
                CoreDriver.WAIT_MS);
            transfers(driver, bank, random, 400);
            final long bankLast = awaitDurable(driver, bank);
            driver.await(() -> snapshotCount(bank) == 2, "bank keeps two snapshots");

            // notes has never snapshotted: every segment from its creation on is still there.
            List<CommitLogReader.Segment> segments = CommitLogReader.listSegments(logDir);
            assertTrue(segments.get(0).firstTxOffset() <= notesCreated,
                "segment holding notes' creation kept: " + segments.get(0) + " > " + notesCreated);
            assertEquals(0, snapshotCount(notes));

            driver.call(notes, "add_note", CoreDriver.string(CoreDriver.args(), "after the transfers"));
            driver.core.agent().requestSnapshot("notes");
            driver.await(() -> snapshotCount(notes) == 1, "notes snapshot");
            transfers(driver, bank, random, 2 * SNAPSHOT_INTERVAL);
            awaitDurable(driver, bank);
            driver.await(() -> oldestSnapshot(bank) > bankLast, "bank snapshots move on");
            final long notesSnapshot = oldestSnapshot(notes);
            assertTrue(notesSnapshot > bankLast, "notes snapshotted after the first transfers");
            driver.await(() -> CommitLogReader.listSegments(logDir).get(0).firstTxOffset() > notesCreated + 1,
                "segments retired once notes snapshotted");
            segments = CommitLogReader.listSegments(logDir);
            final long needed = Math.min(notesSnapshot, oldestSnapshot(bank));
            assertTrue(segments.get(0).firstTxOffset() <= needed + 1,
                "the first segment still holds every record after the oldest kept snapshot: " + segments.get(0) +
                " needed " + needed);
            assertEquals(2, snapshotCount(bank));
            assertEquals(2, listCount(dataDir.resolve("db").resolve(Long.toString(bank)).resolve("snapshots")) - 2,
                "each kept snapshot keeps its schedule anchors, retired ones lose them");
            final Path archiveDir = logDir.resolve("archive");
            assertEquals(archive, Files.isDirectory(archiveDir) && listCount(archiveDir) > 0,
                "archived segments only when configured");
            bankBefore = driver.contents(bank);
            notesBefore = driver.contents(notes);
        }
        try (CoreDriver driver = new CoreDriver(ctx(archive)))
        {
            final TxnLoopAgent.RecoveryReport report = driver.core.recoveryReport();
            assertEquals(2, report.databases(), report.toString());
            assertEquals(bankBefore, driver.contents(bank));
            assertEquals(notesBefore, driver.contents(notes));
            driver.call(bank, "transfer", CoreDriver.args().putInt(1).putInt(2).putLong(1));
        }
    }

    private static void transfers(final CoreDriver driver, final long bank, final Random random, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int from = random.nextInt(10);
            final int to = (from + 1 + random.nextInt(9)) % 10;
            driver.call(bank, "transfer", CoreDriver.args().putInt(from).putInt(to).putLong(1 + random.nextInt(5)));
        }
    }

    private static long awaitDurable(final CoreDriver driver, final long db)
    {
        final long last = driver.core.onLoop((agent) -> agent.registry().byId(db).lastTxOffset(),
            CoreDriver.WAIT_MS);
        driver.await(() -> driver.core.commitLog().durableTxOffset() >= last && driver.lastDurable(db) >= last,
            "durable " + last);
        return last;
    }

    private int snapshotCount(final long db)
    {
        final Path dir = dataDir.resolve("db").resolve(Long.toString(db)).resolve("snapshots");
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        try (var files = Files.list(dir))
        {
            return (int)files.filter((p) -> p.getFileName().toString().endsWith(".snapshot")).count();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private long oldestSnapshot(final long db)
    {
        final Path dir = dataDir.resolve("db").resolve(Long.toString(db)).resolve("snapshots");
        try (var files = Files.list(dir))
        {
            return files.map((p) -> p.getFileName().toString()).filter((n) -> n.endsWith(".snapshot"))
                .mapToLong((n) -> Long.parseLong(n.substring(0, n.indexOf('.')))).min().orElse(-1);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private static int listCount(final Path dir)
    {
        try (var files = Files.list(dir))
        {
            return (int)files.filter((p) -> !p.getFileName().toString().endsWith(".tmp")).count();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
