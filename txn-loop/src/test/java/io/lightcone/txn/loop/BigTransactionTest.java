package io.lightcone.txn.loop;

import io.lightcone.core.txn.MutTx;
import io.lightcone.txn.log.CommitLogContext;
import io.lightcone.wire.WireConfiguration;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transaction whose TxCommitted would exceed the wire's reassembly limit or the commit log's longest record is
 * refused whole: rolled back, never logged or published, no tx offset consumed, the caller told why, and the loop
 * serves on.
 */
class BigTransactionTest
{
    private static final int REASSEMBLY_LIMIT = 128 * 1024;
    /** keynote's seed inserts 12 bytes a row: this many are well over the limit. */
    private static final int BIG_SEED = 12_000;
    /** A ring whose eighth (the longest record) is far below the default wire limit and below a big seed. */
    private static final int COMMIT_LOG_RING_CAPACITY = 512 * 1024;

    @TempDir
    Path dataDir;

    private TxnLoopContext ctx()
    {
        return new TxnLoopContext().dataDir(dataDir.toFile()).idleStrategyName("sleep").snapshotIntervalTxs(0)
            .reducerBudgetMs(60_000);
    }

    /**
     * Invariant: after a refused reducer call the database is as before, the next commit takes the next tx offset,
     * other databases keep working, and a restart recovers exactly the committed state.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRefuseATransactionTooLargeForTheWireAndLoseNothing()
    {
        final long bank;
        final List<String> bankAfter;
        final long next;
        try (CoreDriver driver = withReassemblyLimit(REASSEMBLY_LIMIT))
        {
            bank = driver.publishOk("bank", "keynote");
            final long other = driver.publishOk("other", "keynote");
            final Recorder.Tx seeded = driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(100));
            final List<String> before = driver.contents(bank);
            final long failedBefore = driver.core.context().counter(TxnLoopCounter.TXS_FAILED).get();

            final int big = driver.send(bank, "seed", CoreDriver.args().putInt(BIG_SEED).putLong(5));
            driver.await(() -> null != driver.recorder.find(Recorder.Failed.class, (f) -> f.requestId() == big) ||
                null != driver.recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == big), "reply to big seed");
            final Recorder.Failed failed = driver.recorder.find(Recorder.Failed.class, (f) -> f.requestId() == big);
            assertTrue(null != failed, "the big seed must fail, not commit");
            assertEquals(Outcome.USER_ERROR, failed.outcome());
            assertEquals("seed", failed.reducer());
            assertTrue(failed.message().matches("transaction too large: its changes encode to [0-9,]+ bytes, more " +
                "than the wire's limit of 131,072 \\(lightcone\\.wire\\.max\\.reassembly\\.length\\); split it " +
                "into smaller transactions"), failed.message());
            assertEquals(before, driver.contents(bank), "the refused transaction changed nothing");
            assertEquals(failedBefore + 1, driver.core.context().counter(TxnLoopCounter.TXS_FAILED).get());

            final Recorder.Tx otherTx = driver.call(other, "seed", CoreDriver.args().putInt(3).putLong(7));
            assertEquals(seeded.txOffset() + 1, otherTx.txOffset(), "no tx offset was consumed");
            final Recorder.Tx transfer = driver.call(bank, "transfer", CoreDriver.args().putInt(1).putInt(2)
                .putLong(40));
            assertEquals(seeded.txOffset() + 2, transfer.txOffset());
            final Recorder.Tx smallSeed = driver.call(bank, "seed", CoreDriver.args().putInt(BIG_SEED / 100)
                .putLong(1));
            assertEquals(seeded.txOffset() + 3, smallSeed.txOffset());
            assertEquals(BIG_SEED / 100, driver.contents(bank).stream().filter((line) -> !line.startsWith("table ") &&
                !line.startsWith("sequence ")).count(), "a smaller seed commits: " + driver.contents(bank));

            bankAfter = driver.contents(bank);
            next = driver.core.onLoop(TxnLoopAgent::nextTxOffset, CoreDriver.WAIT_MS);
            assertEquals(smallSeed.txOffset() + 1, next);
            driver.await(() -> driver.core.commitLog().durableTxOffset() >= next - 1, "log durable");
        }
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            assertEquals(next, driver.core.recoveryReport().nextTxOffset(), "nothing else was logged");
            assertEquals(bankAfter, driver.contents(bank), "replay gives the same state");
        }
    }

    /**
     * Invariant: SQL DML whose changes (here deletes of rows committed in smaller transactions) are too large for
     * the wire is refused with the same message and deletes nothing; a smaller statement then commits at the next
     * tx offset.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRefuseSqlDmlTooLargeForTheWireAndDeleteNothing()
    {
        try (CoreDriver driver = withReassemblyLimit(REASSEMBLY_LIMIT))
        {
            final long bank = driver.publishOk("bank", "keynote");
            final int perTx = BIG_SEED / 4;
            long lastSeed = -1;
            for (int first = 0; first < BIG_SEED; first += perTx)
            {
                final int from = first;
                lastSeed = driver.core.onLoop((agent) -> agent.runInternalTransaction("bank", (MutTx tx) ->
                {
                    final int tableId = tx.datastore().tableId("accounts");
                    final UnsafeBuffer row = new UnsafeBuffer(new byte[12]);
                    for (int id = from; id < from + perTx; id++)
                    {
                        row.putInt(0, id, ByteOrder.LITTLE_ENDIAN);
                        row.putLong(4, 9, ByteOrder.LITTLE_ENDIAN);
                        if (tx.insert(tableId, row, 0, 12) < 0)
                        {
                            return false;
                        }
                    }
                    return true;
                }), CoreDriver.WAIT_MS);
                assertTrue(lastSeed >= 0, "each part fits the wire");
            }
            final List<String> before = driver.contents(bank);

            final Recorder.Completed refused = sqlDml(driver, bank, "DELETE FROM accounts");
            assertEquals(Outcome.USER_ERROR, refused.outcome(), refused.message());
            assertTrue(refused.message().startsWith("transaction too large: its changes encode to ") &&
                refused.message().endsWith("split it into smaller transactions"), refused.message());
            assertEquals(before, driver.contents(bank), "nothing deleted");

            final Recorder.Completed small = sqlDml(driver, bank, "DELETE FROM accounts WHERE id = 5");
            assertEquals(Outcome.COMMITTED, small.outcome(), small.message());
            assertEquals(lastSeed + 1, small.txOffset(), "no tx offset was consumed");
        }
    }

    private static Recorder.Completed sqlDml(final CoreDriver driver, final long db, final String sql)
    {
        final UnsafeBuffer owner = new UnsafeBuffer(new byte[32]);
        owner.putByte(0, (byte)1);
        final int request = 1_000_000 + driver.recorder.all(Recorder.Completed.class).size();
        final UnsafeBuffer text = EmbeddedCoreTest.utf8(sql);
        driver.await(() -> driver.client.proxy().sqlDml(db, 1, request, 0, 0, owner, 0, text, 0, text.capacity()),
            "send");
        driver.await(() -> null != driver.recorder.find(Recorder.Completed.class, (c) -> c.requestId() == request),
            "reply to " + sql);
        return driver.recorder.find(Recorder.Completed.class, (c) -> c.requestId() == request);
    }

    /**
     * Invariant: a transaction whose record is longer than the commit log takes (an eighth of its ring), though it
     * fits the wire, is refused the same way, and the log goes on taking the next transactions.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRefuseATransactionTooLargeForTheCommitLogAndKeepLogging()
    {
        final long bank;
        final List<String> bankAfter;
        final long next;
        try (CoreDriver driver = new CoreDriver(ctx().commitLogContext(
            new CommitLogContext().ringCapacity(COMMIT_LOG_RING_CAPACITY))))
        {
            bank = driver.publishOk("bank", "keynote");
            final Recorder.Tx seeded = driver.call(bank, "seed", CoreDriver.args().putInt(10).putLong(100));
            final List<String> before = driver.contents(bank);

            final int big = driver.send(bank, "seed", CoreDriver.args().putInt(BIG_SEED).putLong(5));
            driver.await(() -> null != driver.recorder.find(Recorder.Failed.class, (f) -> f.requestId() == big) ||
                null != driver.recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == big), "reply to big seed");
            final Recorder.Failed failed = driver.recorder.find(Recorder.Failed.class, (f) -> f.requestId() == big);
            assertTrue(null != failed, "the big seed must fail, not commit");
            assertTrue(failed.message().matches("transaction too large: its changes encode to [0-9,]+ bytes, more " +
                "than the commit log's limit of [0-9,]+ \\(an eighth of lightcone\\.commitlog\\.ring\\.capacity\\); " +
                "split it into smaller transactions"), failed.message());
            assertEquals(before, driver.contents(bank), "the refused transaction changed nothing");

            final Recorder.Tx transfer = driver.call(bank, "transfer", CoreDriver.args().putInt(1).putInt(2)
                .putLong(40));
            assertEquals(seeded.txOffset() + 1, transfer.txOffset(), "no tx offset was consumed");
            bankAfter = driver.contents(bank);
            next = transfer.txOffset() + 1;
            driver.await(() -> driver.core.commitLog().durableTxOffset() >= next - 1, "log durable");
        }
        try (CoreDriver driver = new CoreDriver(ctx()))
        {
            assertEquals(next, driver.core.recoveryReport().nextTxOffset(), "nothing else was logged");
            assertEquals(bankAfter, driver.contents(bank), "replay gives the same state");
        }
    }

    private CoreDriver withReassemblyLimit(final int limit)
    {
        final String previousMessage = System.getProperty(WireConfiguration.MAX_MESSAGE_LENGTH_PROP_NAME);
        final String previousLimit = System.getProperty(WireConfiguration.MAX_REASSEMBLY_LENGTH_PROP_NAME);
        System.setProperty(WireConfiguration.MAX_MESSAGE_LENGTH_PROP_NAME, Integer.toString(32 * 1024));
        System.setProperty(WireConfiguration.MAX_REASSEMBLY_LENGTH_PROP_NAME, Integer.toString(limit));
        try
        {
            return new CoreDriver(ctx());
        }
        finally
        {
            BootstrapTest.restore(WireConfiguration.MAX_MESSAGE_LENGTH_PROP_NAME, previousMessage);
            BootstrapTest.restore(WireConfiguration.MAX_REASSEMBLY_LENGTH_PROP_NAME, previousLimit);
        }
    }
}
