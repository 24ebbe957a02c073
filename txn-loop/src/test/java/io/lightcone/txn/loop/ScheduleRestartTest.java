package io.lightcone.txn.loop;

import io.lightcone.core.txn.MutTx;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules across a restart: an interval keeps its grid of intended ticks (anchored at its insert, ticks missed
 * while down skipped, none run in a burst), whether its row came back from the log or from a snapshot; a one-shot
 * that came due while down runs once after the restart and its row is deleted.
 */
class ScheduleRestartTest
{
    private static final long INTERVAL_MICROS = 400_000;

    @TempDir
    Path dataDir;

    private TxnLoopContext ctx()
    {
        return new TxnLoopContext().dataDir(dataDir.toFile()).idleStrategyName("sleep").snapshotIntervalTxs(0);
    }

    /** Invariant: after a restart the interval's next tick is on its original grid and the first one after now. */
    @ParameterizedTest(name = "snapshotAfterInsert={0}")
    @ValueSource(booleans = { false, true })
    void shouldKeepAnIntervalOnItsGridAcrossARestart(final boolean snapshotAfterInsert) throws Exception
    {
        final byte[] row = ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(42).put((byte)0).putLong(INTERVAL_MICROS).array();
        final long anchor;
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            final long db = driver.publishOk("ev", "everything");
            final long insertTx = driver.core.onLoop((agent) -> agent.runInternalTransaction("ev", (MutTx tx) ->
                tx.insert(tx.datastore().tableId("tick_timer"), new UnsafeBuffer(row), 0, row.length) >= 0),
                CoreDriver.WAIT_MS);
            driver.await(() -> null != driver.recorder.find(Recorder.Tx.class, (tx) -> tx.txOffset() == insertTx),
                "insert");
            anchor = driver.recorder.find(Recorder.Tx.class, (tx) -> tx.txOffset() == insertTx).timestampMicros();
            if (snapshotAfterInsert)
            {
                driver.core.agent().requestSnapshot("ev");
                driver.await(() -> driver.core.onLoop((agent) -> agent.registry().byName("ev").txsSinceSnapshot,
                    CoreDriver.WAIT_MS) == 0, "snapshot");
            }
            final long last = driver.core.onLoop((agent) -> agent.registry().byName("ev").lastTxOffset(),
                CoreDriver.WAIT_MS);
            driver.await(() -> driver.lastDurable(db) >= last, "durable");
        }
        Thread.sleep(3 * INTERVAL_MICROS / 1000);
        final long beforeRestart = System.currentTimeMillis() * 1000;
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            if (snapshotAfterInsert)
            {
                assertEquals(0, driver.core.recoveryReport().replayedRecords(),
                    "the row comes back from the snapshot, not the log");
            }
            final List<Long> ticks = driver.core.onLoop((agent) -> agent.intervalTicks("ev"), CoreDriver.WAIT_MS);
            final long afterRecovery = System.currentTimeMillis() * 1000;
            assertEquals(1, ticks.size());
            final long next = ticks.get(0);
            assertEquals(0, (next - anchor) % INTERVAL_MICROS, "on the grid anchored at the insert: " + next);
            assertTrue(next > beforeRestart, "missed ticks are skipped");
            assertTrue(next <= afterRecovery + INTERVAL_MICROS, "the first tick after the restart");
            driver.await(() -> null != driver.recorder.find(Recorder.Tx.class, (tx) -> "tick".equals(tx.reducer())),
                "a tick after the restart");
        }
    }

    /** Invariant: a one-shot that came due while the core was down runs once after the restart, deleting its row. */
    @Test
    void shouldRunAOneShotThatCameDueWhileDownOnce() throws Exception
    {
        final long delayMicros = 1_500_000;
        final long db;
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            db = driver.publishOk("ev", "everything");
            final Recorder.Tx scheduled = driver.call(db, "schedule_tick", CoreDriver.args().putLong(delayMicros));
            driver.await(() -> driver.lastDurable(db) >= scheduled.txOffset(), "durable");
            assertEquals(null, driver.recorder.find(Recorder.Tx.class, (tx) -> "tick".equals(tx.reducer())),
                "not due before the stop");
        }
        Thread.sleep(delayMicros / 1000 + 200);
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            driver.await(() -> null != driver.recorder.find(Recorder.Tx.class, (tx) -> "tick".equals(tx.reducer())),
                "the overdue tick");
            final Recorder.Tx tick = driver.recorder.find(Recorder.Tx.class, (tx) -> "tick".equals(tx.reducer()));
            assertTrue(tick.table("tick_timer").deleted().length > 0, "its row is deleted in the run");
            Thread.sleep(300);
            driver.client.poll(100);
            assertEquals(1, driver.recorder.all(Recorder.Tx.class).stream()
                .filter((tx) -> "tick".equals(tx.reducer())).count(), "ran once");
            assertEquals(0, (int)driver.core.onLoop(TxnLoopAgent::scheduledTimerCount, CoreDriver.WAIT_MS));
        }
    }
}
