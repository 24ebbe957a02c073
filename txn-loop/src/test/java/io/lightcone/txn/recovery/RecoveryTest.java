package io.lightcone.txn.recovery;

import io.lightcone.core.snapshot.Snapshot;
import io.lightcone.core.txn.Datastore;
import io.lightcone.txn.log.CommitLog;
import io.lightcone.txn.log.CommitLogContext;
import io.lightcone.txn.log.CommitLogReader;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryTest
{
    private static final int TXS = 400;

    @TempDir
    Path dataDir;
    private DatabaseLayout layout;
    private List<String> expected;

    /** Runs TXS random transactions, logging each and snapshotting after tx 99 and tx 299. */
    @BeforeEach
    void runWorkload() throws IOException
    {
        layout = DatabaseLayout.of(dataDir, "c200abc");
        final Random random = new Random(3);
        try (Datastore datastore = ReplayFixture.createSchema(); CommitLog log = CommitLog.open(context()))
        {
            java.nio.file.Files.createDirectories(layout.snapshotsDir());
            for (long tx = 0; tx < TXS; tx++)
            {
                final byte[] payload = ReplayFixture.randomTx(datastore, random);
                while (!log.append(tx, new UnsafeBuffer(payload), 0, payload.length))
                {
                    LockSupport.parkNanos(100_000);
                }
                if (tx == 99 || tx == 299)
                {
                    awaitDurable(log, tx);
                    Snapshot.write(datastore, tx, layout.snapshotFile(tx));
                }
            }
            awaitDurable(log, TXS - 1);
            expected = ReplayFixture.contents(datastore);
        }
    }

    /** Invariant: the newest snapshot plus the log after it reproduces the state. */
    @Test
    void shouldRecoverFromTheNewestSnapshotAndTheLog()
    {
        final Recovery.Result result = Recovery.recover(layout, ReplayFixture::applier);
        try (Datastore datastore = result.datastore())
        {
            assertEquals(299, result.snapshotTxOffset());
            assertEquals(TXS - 1, result.lastTxOffset());
            assertEquals(TXS - 300, result.replayedRecords());
            assertTrue(result.problems().isEmpty());
            assertEquals(expected, ReplayFixture.contents(datastore));
        }
    }

    /** Invariant: a damaged newest snapshot falls back to the previous one while the log covers the gap. */
    @Test
    void shouldFallBackToAnOlderSnapshotWhenTheLogCoversTheGap() throws IOException
    {
        damage(layout.snapshotFile(299));
        final Recovery.Result result = Recovery.recover(layout, ReplayFixture::applier);
        try (Datastore datastore = result.datastore())
        {
            assertEquals(99, result.snapshotTxOffset());
            assertEquals(1, result.problems().size());
            assertTrue(result.problems().get(0).contains(layout.snapshotFile(299).toString()));
            assertEquals(expected, ReplayFixture.contents(datastore));
        }
    }

    /** Invariant: with every snapshot damaged, the whole log from tx 0 rebuilds the state. */
    @Test
    void shouldReplayTheWholeLogWhenEverySnapshotIsDamaged() throws IOException
    {
        damage(layout.snapshotFile(299));
        damage(layout.snapshotFile(99));
        final Recovery.Result result = Recovery.recover(layout, (datastore) ->
        {
            datastore.createTable(ReplayFixture.createSchemaTable("items"));
            datastore.createTable(ReplayFixture.createSchemaTable("tags"));
            return ReplayFixture.applier(datastore);
        });
        try (Datastore datastore = result.datastore())
        {
            assertEquals(-1, result.snapshotTxOffset());
            assertEquals(2, result.problems().size());
            assertEquals(expected, ReplayFixture.contents(datastore));
        }
    }

    /** Invariant: when retention removed the log the older snapshot would need, recovery stops with a message. */
    @Test
    void shouldStopWhenTheLogNoLongerCoversTheGap() throws IOException
    {
        try (CommitLog log = CommitLog.open(context()))
        {
            assertTrue(log.truncateBefore(299) > 0);
        }
        assertTrue(CommitLogReader.listSegments(layout.logDir()).get(0).firstTxOffset() > 100);
        damage(layout.snapshotFile(299));
        final RecoveryException ex = assertThrows(RecoveryException.class,
            () -> Recovery.recover(layout, ReplayFixture::applier));
        assertTrue(ex.getMessage().contains(layout.snapshotFile(299).toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("starts at tx offset"), ex.getMessage());
    }

    private CommitLogContext context()
    {
        return new CommitLogContext().dir(layout.logDir()).segmentSize(2 * 1024)
            .idleStrategy(new SleepingIdleStrategy(50_000));
    }

    private static void awaitDurable(final CommitLog log, final long tx)
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (log.durableTxOffset() < tx && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(200_000);
        }
        assertTrue(log.durableTxOffset() >= tx, "durable " + log.durableTxOffset());
    }

    private static void damage(final Path file) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(raf.length() / 2);
            final int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x10);
        }
    }
}
