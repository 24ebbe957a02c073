package io.lightcone.bench.fanout;

import io.lightcone.cli.KeynoteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out harness end to end on tiny sizes, so it keeps working: a durable Lightcone in this JVM serving
 * {@code fanout.wasm}, 20 subscribers over 5 zones, a writer at 20 commits per second for a few seconds. No figure
 * is asserted; only that every delivered row was one its subscriber expected and every subscriber received exactly
 * the rows of its zone's commits. Redis runs only from {@code bench/run fanout}.
 */
@Timeout(120)
final class FanoutSmokeTest
{
    private static final Path FANOUT = Path.of("src/main/resources/modules/fanout.wasm");

    @TempDir
    Path dir;

    @Test
    void lightconeRunShouldAccountForEveryRow() throws Exception
    {
        final FanoutWorkload workload = new FanoutWorkload(20, 5, 100, 20, 20, 1, 2, 30, 1);
        try (KeynoteServer server = new KeynoteServer(dir.resolve("data"), LightconeFanout.DATABASE, FANOUT))
        {
            final FanoutResult result = new LightconeFanout(server.url(), -1).run(workload, false);
            assertTrue(result.accountedFor(), result.summary());
            final FanoutRecorder recorder = result.recorder();
            assertTrue(recorder.committedCount() > 0, result.summary());
            assertEquals(recorder.expected(), recorder.delivered());
            // every commit rewrites 20 rows, 4 per zone, each seen by the 4 subscribers of its zone
            assertEquals(recorder.committedCount() * 20 * 4, recorder.delivered());
            assertEquals(recorder.delivered(), recorder.deletesCount(), "each update also deletes the old row");
            assertEquals(0, recorder.unexpectedCount());
            assertTrue(recorder.latencyMicros().getTotalCount() > 0, result.summary());
        }
    }

    /** The checks can fail: a row of another zone, an unsent commit, a missing row or a short snapshot. */
    @Test
    void accountingShouldCatchStrayAndMissingRows()
    {
        final FanoutWorkload workload = new FanoutWorkload(4, 2, 10, 10, 1, 0, 1, 1, 1);
        final FanoutRecorder recorder = new FanoutRecorder(workload);
        recorder.start(System.nanoTime());
        recorder.sent(1);
        recorder.committed(1);
        final long now = System.nanoTime();
        for (int subscriber = 0; subscriber < 4; subscriber++)
        {
            for (int row = 0; row < 5; row++)
            {
                recorder.row(subscriber, workload.zoneOf(subscriber), 1, now, now);
            }
            recorder.snapshot(subscriber, 5);
        }
        assertEquals(0, recorder.unexpectedCount());
        assertEquals(0, recorder.subscribersOff());
        assertEquals(20, recorder.delivered());
        assertTrue(result(recorder).accountedFor());

        recorder.sent(2);
        recorder.committed(2);
        assertEquals(4, recorder.subscribersOff(), "commit 2's rows have not arrived");
        assertFalse(result(recorder).accountedFor());
        recorder.row(0, 1, 2, now, now);
        recorder.row(1, 1, 3, now, now);
        recorder.snapshot(2, 4);
        assertEquals(3, recorder.unexpectedCount(), "wrong zone, unsent commit, short snapshot");
        assertNotNull(recorder.firstUnexpected());
    }

    /** Each commit's rows split over the zones exactly: the per-zone counts add up to the rows per commit. */
    @Test
    void rowsInZoneShouldAddUpToRowsPerCommit()
    {
        final Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++)
        {
            final int zones = 1 + random.nextInt(50);
            final int rows = 1 + random.nextInt(300);
            final int entities = rows * (1 + random.nextInt(5));
            final FanoutWorkload workload = new FanoutWorkload(1, zones, entities, rows, 1, 0, 1, 1, 1);
            final long seq = 1 + random.nextInt(1000);
            final int[] model = new int[zones];
            for (int id = workload.firstId(seq); id < workload.firstId(seq) + rows; id++)
            {
                model[id % zones]++;
            }
            int sum = 0;
            for (int zone = 0; zone < zones; zone++)
            {
                assertEquals(model[zone], workload.rowsInZone(seq, zone), workload + " seq " + seq + " zone " + zone);
                sum += workload.rowsInZone(seq, zone);
            }
            assertEquals(rows, sum);
        }
    }

    private static FanoutResult result(final FanoutRecorder recorder)
    {
        return new FanoutResult("x", "y", recorder, 0, -1, 1, 1, -1, -1, 0);
    }
}
