package io.lightcone.wasm.host;

import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reducer call path in steady state: warm calls allocate (almost) nothing on the host side, and the budget
 * watchdog sleeps when no call is made.
 */
class SteadyStateTest
{
    private static final int CALLS = 10_000;
    /**
     * Bytes per call allowed. What remains is Chicory's: the compiled module boxes the arguments of every host call
     * into a fresh {@code long[]} (and the result of the export call), about 40-50 bytes per host call; a transfer
     * makes 8 host calls: 344 B per transfer once C2 compiled everything (JMH), a bit more this early. The host
     * itself allocated about 250 bytes per empty call and 1 KB per transfer before.
     */
    private static final long EMPTY_BOUND = 64;
    private static final long TRANSFER_BOUND = 768;

    @TempDir
    Path cacheDir;

    @Test
    void warmEmptyAndTransferCallsShouldNotAllocate()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("keynote");
            final int accounts = 100;
            assertEquals(CallOutcome.ok(), f.call("seed",
                HostFixture.args().writeU32(accounts).writeU64(1_000_000).toByteArray()));
            final byte[] noArgs = HostFixture.none();
            final byte[] transfer = new byte[16];
            transfer[8] = 1;

            final long emptyBytes = measure(threads, () -> call(f, "empty", noArgs));
            final long transferBytes = measure(threads, () ->
            {
                final int from = (int)(System.nanoTime() & 0x3F) % accounts;
                putU32(transfer, 0, from);
                putU32(transfer, 4, (from + 1) % accounts);
                call(f, "transfer", transfer);
            });
            assertTrue(emptyBytes <= EMPTY_BOUND * CALLS, "empty allocated " + emptyBytes / CALLS + " B/call");
            assertTrue(transferBytes <= TRANSFER_BOUND * CALLS,
                "transfer allocated " + transferBytes / CALLS + " B/call");
            assertEquals(accounts * 1_000_000L, total(f));
        }
    }

    @Test
    void theWatchdogShouldParkWhenIdleAndStillStopAnOverrun() throws InterruptedException
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.context.callBudget(Duration.ofMillis(200));
            f.start("loop");
            assertEquals(CallOutcome.ok(), f.call(2, HostFixture.none()));
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!BudgetWatchdog.instance().isParkedIdle() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(BudgetWatchdog.instance().isParkedIdle(), "idle watchdog parks");
            final CallOutcome outcome = f.call(0, HostFixture.none());
            assertEquals(CallOutcome.Status.OUT_OF_ENERGY, outcome.status(), outcome.toString());
            assertEquals(CallOutcome.ok(), f.call(2, HostFixture.none()));
        }
    }

    private static long measure(final com.sun.management.ThreadMXBean threads, final Runnable call)
    {
        for (int i = 0; i < CALLS; i++)
        {
            call.run();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < CALLS; i++)
        {
            call.run();
        }
        return threads.getThreadAllocatedBytes(threadId) - before;
    }

    private static void call(final HostFixture f, final String reducer, final byte[] args)
    {
        final MutTx tx = f.datastore.beginMutTx();
        final CallOutcome outcome = f.instance.callReducer(tx, reducer, HostFixture.SENDER,
            HostFixture.NO_CONNECTION, 1L, args);
        if (!outcome.isOk())
        {
            tx.rollback();
            throw new AssertionError(reducer + ": " + outcome);
        }
        tx.commit();
    }

    private static void putU32(final byte[] bytes, final int offset, final int value)
    {
        for (int i = 0; i < 4; i++)
        {
            bytes[offset + i] = (byte)(value >>> (8 * i));
        }
    }

    private static long total(final HostFixture f)
    {
        final StoredTable accounts = f.datastore.table("accounts");
        final MutTx tx = f.datastore.beginMutTx();
        long sum = 0;
        for (int r = tx.nextVisible(accounts, 0); r >= 0; r = tx.nextVisible(accounts, r + 1))
        {
            sum += accounts.rows().getLong(r, 1);
        }
        tx.rollback();
        return sum;
    }
}
