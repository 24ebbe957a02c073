package io.lightcone.txn.loop;

import io.lightcone.wire.metrics.PrometheusExposition;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's metrics against what the test did: reducer calls and failures per reducer, duration histograms whose
 * count is the number of calls, table row gauges equal to the rows, commit-log group commits that cover every record,
 * and per-database metrics freed when the database is deleted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoreMetricsTest
{
    private static final String BANK = "database=\"bank\"";

    @TempDir
    Path dataDir;

    @Test
    void shouldCountReducerCallsTableRowsAndGroupCommits()
    {
        final TxnLoopContext ctx = new TxnLoopContext().dataDir(dataDir.toFile()).idleStrategyName("sleep");
        try (CoreDriver driver = new CoreDriver(ctx))
        {
            final long bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(20).putLong(100));
            final Random random = new Random(42);
            int ok = 0;
            int failed = 0;
            for (int i = 0; i < 60; i++)
            {
                final boolean overdraw = random.nextInt(4) == 0;
                final int request = driver.send(bank, "transfer", CoreDriver.args().putInt(random.nextInt(20))
                    .putInt(random.nextInt(20)).putLong(overdraw ? 1_000_000 : 1));
                driver.await(() -> null != driver.recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == request) ||
                    null != driver.recorder.find(Recorder.Failed.class, (f) -> f.requestId() == request), "reply");
                if (null != driver.recorder.find(Recorder.Failed.class, (f) -> f.requestId() == request))
                {
                    failed++;
                }
                else
                {
                    ok++;
                }
            }
            assertTrue(failed > 0 && ok > 0, "the seed gives both outcomes");
            final long last = driver.core.onLoop(TxnLoopAgent::nextTxOffset, CoreDriver.WAIT_MS) - 1;
            driver.await(() -> driver.core.commitLog().durableTxOffset() >= last, "log durable");

            final String transfer = "{" + BANK + ",reducer=\"transfer\"}";
            final int calls = ok + failed;
            final int expectedFailed = failed;
            final String accountRows = "lightcone_table_rows{" + BANK + ",table=\"accounts\"}";
            driver.await(() -> "20".equals(samples(driver).get(accountRows)), "table gauges sampled");
            final Map<String, String> page = samples(driver);
            assertEquals(Integer.toString(calls), page.get("lightcone_reducer_calls_total" + transfer));
            assertEquals(Integer.toString(expectedFailed), page.get("lightcone_reducer_failures_total" + transfer));
            assertEquals(Integer.toString(calls), page.get("lightcone_reducer_duration_seconds_count" + transfer));
            assertEquals(Integer.toString(calls), page.get("lightcone_reducer_duration_seconds_bucket{" + BANK +
                ",reducer=\"transfer\",le=\"+Inf\"}"));
            assertEquals("1", page.get("lightcone_reducer_calls_total{" + BANK + ",reducer=\"seed\"}"));
            assertEquals("0", page.get("lightcone_reducer_calls_total{" + BANK + ",reducer=\"empty\"}"));
            assertEquals("20", page.get("lightcone_table_rows{" + BANK + ",table=\"accounts\"}"));
            final long tableBytes = Long.parseLong(page.get("lightcone_table_memory_bytes{" + BANK +
                ",table=\"accounts\"}"));
            final long indexBytes = page.entrySet().stream()
                .filter((e) -> e.getKey().startsWith("lightcone_index_memory_bytes{" + BANK + ",table=\"accounts\","))
                .mapToLong((e) -> Long.parseLong(e.getValue())).sum();
            assertTrue(indexBytes > 0 && indexBytes < tableBytes, indexBytes + " of " + tableBytes);

            final long groupCommits = Long.parseLong(page.get("lightcone_commitlog_batch_records_count"));
            final long records = Long.parseLong(page.get("lightcone_commitlog_batch_records_sum"));
            assertTrue(groupCommits >= 1 && groupCommits <= records, groupCommits + " group commits");
            assertEquals(last + 1, records, "every committed tx was written");
            assertEquals(Long.toString(groupCommits), page.get("lightcone_commitlog_fsync_duration_seconds_count"));
            assertEquals(Long.toString(ok + 2),
                page.get("lightcone_core_transactions_committed_total"), "the publish, the seed, the transfers");

            final Recorder.Completed deleted = driver.delete("bank");
            assertEquals(bank, deleted.databaseId());
            driver.await(() -> !samples(driver).containsKey("lightcone_reducer_calls_total" + transfer),
                "metrics freed with the database");
            assertFalse(PrometheusExposition.render(driver.core.context().metrics().reader()).contains(BANK));
        }
    }

    /** Invariant: running out of counters costs metrics, never a database or a call. */
    @Test
    void shouldServeDatabasesWhenTheCountersAreExhausted()
    {
        final int counters = 20;
        final CountersManager small = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(counters * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(counters * CountersReader.COUNTER_LENGTH)));
        final TxnLoopContext ctx = new TxnLoopContext().dataDir(dataDir.toFile()).idleStrategyName("sleep")
            .countersManager(small);
        try (CoreDriver driver = new CoreDriver(ctx))
        {
            final long bank = driver.publishOk("bank", "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(5).putLong(10));
            final Recorder.Tx tx = driver.call(bank, "transfer", CoreDriver.args().putInt(0).putInt(1).putLong(3));
            assertEquals(2 * 12, tx.table("accounts").inserted().length);
            final Map<String, String> page = samples(driver);
            assertFalse(page.containsKey("lightcone_reducer_calls_total{" + BANK + ",reducer=\"transfer\"}"));
            assertTrue(Long.parseLong(page.get("lightcone_core_errors_total")) >= 1, "the shortage is reported");
            assertEquals("3", page.get("lightcone_core_transactions_committed_total"));
        }
    }

    private static Map<String, String> samples(final CoreDriver driver)
    {
        final String page = PrometheusExposition.render(driver.core.context().metrics().reader());
        final Map<String, String> samples = new HashMap<>();
        for (final String line : page.split("\n"))
        {
            if (!line.startsWith("#") && !line.isEmpty())
            {
                final int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return samples;
    }
}
