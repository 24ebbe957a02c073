package io.lightcone.txn.loop;

import io.lightcone.wire.CoreEgressAdapter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: a running loop whose egress log has 64 KiB terms delivers a seed commit of several hundred KB (hundreds
 * of Fragment envelopes, many publication windows) and the small commits queued behind it to a client that polls a
 * few fragments at a time and pauses, whole, in order and exactly as the commit log recorded them.
 */
class LoopLargeCommitTest
{
    private static final int ACCOUNTS = 30_000;
    private static final int TRANSFERS = 20;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void largeSeedCommitShouldReachASlowClientWholeAndBeforeLaterCommits() throws InterruptedException
    {
        final RecordingCommitSink sink = new RecordingCommitSink();
        try (CoreDriver driver = new CoreDriver(new TxnLoopContext()
            .dataDir(dataDir.toFile())
            .egressChannel("aeron:ipc?term-length=64k")
            .commitSink(sink)
            .reducerBudgetMs(60_000)))
        {
            final long bank = driver.publishOk("bank", "keynote");
            final int seed = driver.send(bank, "seed", CoreDriver.args().putInt(ACCOUNTS).putLong(100));
            for (int i = 0; i < TRANSFERS; i++)
            {
                driver.send(bank, "transfer", CoreDriver.args().putInt(i).putInt(i + 1).putLong(1));
            }

            final Random pace = new Random(11);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
            while (driver.recorder.all(Recorder.Tx.class).stream().filter((tx) -> tx.requestId() >= seed).count() <
                1 + TRANSFERS)
            {
                assertTrue(System.nanoTime() - deadlineNs < 0, "timed out: " + driver.recorder.events.size() +
                    " events, dropped " + driver.client.adapter().droppedCount());
                assertEquals(0, driver.recorder.all(Recorder.Failed.class).size(), "no call failed");
                if (0 == driver.client.poll(1 + pace.nextInt(16)) || pace.nextInt(8) == 0)
                {
                    Thread.sleep(1);
                }
            }

            final List<Recorder.Tx> received = driver.recorder.all(Recorder.Tx.class);
            final List<RecordingCommitSink.Record> records = sink.records();
            assertEquals(records.size(), received.size(), "every logged commit reached the client");
            final Recorder decoded = new Recorder();
            final CoreEgressAdapter decoder = new CoreEgressAdapter(decoded);
            for (final RecordingCommitSink.Record record : records)
            {
                decoder.onFragment(new UnsafeBuffer(record.payload()), 0, record.payload().length, null);
            }
            final List<Recorder.Tx> logged = decoded.all(Recorder.Tx.class);
            assertEquals(records.size(), logged.size());
            for (int i = 0; i < logged.size(); i++)
            {
                EgressLargeCommitTest.assertSameTx(logged.get(i), received.get(i));
            }

            final Recorder.Tx seeded = driver.recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == seed);
            final int seededBytes = seeded.tables().stream().mapToInt((table) -> table.inserted().length).sum();
            assertTrue(seededBytes > 256 * 1024, "the seed commit spans many 32 KiB windows: " + seededBytes);
            for (int i = 0; i < TRANSFERS; i++)
            {
                assertEquals(seed + 1 + i, received.get(received.indexOf(seeded) + 1 + i).requestId(), "in order");
            }
            assertTrue(driver.client.adapter().reassembledCount() > 0);
            assertEquals(0, driver.client.adapter().droppedCount());
        }
    }
}
