package io.lightcone.bench.keynote;

import io.lightcone.cli.KeynoteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keynote load generator end to end on tiny sizes, so it keeps working: against a durable Lightcone in this JVM
 * (confirmed and unconfirmed reads) and against SQLite. No figure is asserted; only that every call has an outcome
 * and every final balance equals the model of the committed transfers (so the sum is conserved). PostgreSQL runs
 * only from {@code bench/run keynote}.
 */
@Timeout(300)
final class KeynoteSmokeTest
{
    private static final Path KEYNOTE = Path.of("src/main/resources/modules/keynote.wasm");

    @TempDir
    Path dir;

    @Test
    void lightconeRunShouldAccountForEveryOutcome() throws Exception
    {
        final TransferPairs pairs = TransferPairs.generate(1_000, 1.5, 50_000);
        final KeynoteWorkload workload = new KeynoteWorkload(1_000, 1_000_000, 1.5, pairs, 4, 16, 1, 2, 120);
        try (KeynoteServer server = new KeynoteServer(dir.resolve("data"), KEYNOTE))
        {
            final LightconeKeynote keynote = new LightconeKeynote(server.url(), -1);
            for (final boolean confirmed : new boolean[]{ true, false })
            {
                final RunResult result = keynote.run(workload, confirmed);
                assertTrue(result.accountedFor(), result.summary());
                assertTrue(result.recorder().committedCount() > 0, result.summary());
                assertEquals(result.expectedSum(), result.balanceSum());
                assertEquals(0, result.balanceMismatches());
                assertEquals(3, result.recorder().committedPerSecond().length);
                assertEquals(confirmed ? "confirmed" : "unconfirmed", result.durability());
            }
        }
    }

    @Test
    void sqliteRunShouldAccountForEveryOutcome() throws Exception
    {
        final TransferPairs pairs = TransferPairs.generate(1_000, 0, 50_000);
        final KeynoteWorkload workload = new KeynoteWorkload(1_000, 1_000, 0, pairs, 2, 1, 1, 1, 60);
        final RunResult result = new JdbcKeynote(new SqlitePeer(dir.resolve("k.db"), false)).run(workload);
        assertTrue(result.accountedFor(), result.summary());
        assertTrue(result.recorder().committedCount() > 0, result.summary());
        assertEquals(1_000L * 1_000, result.balanceSum());
    }

    /** The check can fail: a run whose balances disagree with the model, or with a lost call, is not accounted. */
    @Test
    void accountingShouldCatchMismatchesAndLostCalls()
    {
        final RunRecorder recorder = new RunRecorder(System.nanoTime(), 0, 1);
        recorder.launched();
        recorder.committed(System.nanoTime(), System.nanoTime());
        assertTrue(result(recorder, 0, 10).accountedFor());
        assertFalse(result(recorder, 1, 10).accountedFor(), "one account differs from the model");
        assertFalse(result(recorder, 0, 9).accountedFor(), "the sum is not conserved");
        recorder.launched();
        recorder.lost();
        assertFalse(result(recorder, 0, 10).accountedFor(), "a lost call");
        recorder.failed("insufficient balance");
        assertEquals(Map.of("insufficient balance", 1L), recorder.failures());
    }

    private static RunResult result(final RunRecorder recorder, final long mismatches, final long sum)
    {
        return new RunResult("x", "y", 0, 1, 1, 1, 1, 0, 1, recorder, 0, mismatches, sum, 10, -1, 1, 1, 0);
    }
}
