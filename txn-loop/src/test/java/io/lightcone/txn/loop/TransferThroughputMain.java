package io.lightcone.txn.loop;

import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.TxCommittedView;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark hook (not a test): committed keynote transfers per second through an embedded core over aeron:ipc,
 * with durability on (the commit log, group fsync; default) or off ({@link VolatileCommitSink}). Args: [transfers]
 * [window] [durable|volatile] [warmup transfers, default 0] [accounts seeded, default 1000]. With durability on it
 * also prints the commit log's fsync batch sizes. It prints the CPU time each thread (client, loop, log writer,
 * driver) spent per transfer, so it shows whether the loop or the load generator limits, and the bytes each thread
 * allocated per transfer.
 * <p>
 * Seeding runs as one reducer call, which the loop's wall-clock reducer budget bounds: 100,000 accounts take about
 * 0.45 s on a quiet machine and more than the default 1 s under heavy load, when the call fails with OUT_OF_ENERGY.
 * The hook therefore runs with a budget of {@link #SEED_BUDGET_MS} unless
 * {@value TxnLoopConfiguration#REDUCER_BUDGET_MS_PROP_NAME} is set, and stops with the reason when publishing or
 * seeding fails instead of waiting for a commit that will never come.
 */
public final class TransferThroughputMain implements CoreEgressListener
{
    /**
     * The load generator's idle strategy when a duty cycle sent and received nothing: {@code spin} burns its core,
     * which on a 2-core machine is the loop's; the default {@code backoff} spins briefly, then yields and parks.
     */
    private static final org.agrona.concurrent.IdleStrategy GENERATOR_IDLE =
        "spin".equals(System.getProperty("lightcone.bench.generator.idle")) ?
        new org.agrona.concurrent.BusySpinIdleStrategy() :
        new org.agrona.concurrent.BackoffIdleStrategy(10, 10, 1_000, 50_000);

    /**
     * Reducer budget when {@value TxnLoopConfiguration#REDUCER_BUDGET_MS_PROP_NAME} is not set: room for seeding
     * many accounts in one call on a loaded machine.
     */
    static final long SEED_BUDGET_MS = 60_000;

    private long committed;
    private long failed;
    private long lastCompletedDb = -1;
    private Outcome lastCompletedOutcome;
    private String lastCompletedMessage;
    private String lastFailure;

    /**
     * @param args [transfers] [window] [durable|volatile] [warmup] [accounts].
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int transfers = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        final int window = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        final boolean durable = args.length <= 2 || "durable".equals(args[2]);
        final int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        final int accounts = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        final Path dir = Files.createTempDirectory("lightcone-bench");
        final TransferThroughputMain listener = new TransferThroughputMain();
        final TxnLoopContext ctx = new TxnLoopContext().dataDir(dir.toFile()).durable(durable);
        if (null == System.getProperty(TxnLoopConfiguration.REDUCER_BUDGET_MS_PROP_NAME))
        {
            ctx.reducerBudgetMs(SEED_BUDGET_MS);
        }
        try (EmbeddedCore core = EmbeddedCore.launch(ctx);
            CoreClient client = core.newClient(listener))
        {
            while (!client.isConnected())
            {
                Thread.sleep(1);
            }
            final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
            final UnsafeBuffer name = EmbeddedCoreTest.utf8("bench");
            final UnsafeBuffer module = new UnsafeBuffer(EmbeddedCoreTest.module("keynote"));
            while (!client.proxy().publishModule(1, 1, identity, 0, false, name, 0, name.capacity(), module, 0,
                module.capacity()))
            {
                client.poll(10);
            }
            while (listener.lastCompletedDb < 0)
            {
                client.poll(10);
            }
            if (Outcome.COMMITTED != listener.lastCompletedOutcome)
            {
                throw new IllegalStateException("publish failed: " + listener.lastCompletedOutcome + " " +
                    listener.lastCompletedMessage);
            }
            final long db = listener.lastCompletedDb;
            final UnsafeBuffer callArgs = new UnsafeBuffer(new byte[16]);
            final UnsafeBuffer seed = EmbeddedCoreTest.utf8("seed");
            callArgs.putInt(0, accounts, ByteOrder.LITTLE_ENDIAN);
            callArgs.putLong(4, 1_000_000_000L, ByteOrder.LITTLE_ENDIAN);
            while (!client.proxy().callReducer(db, 1, 1, 1, 0, identity, 0, 0, 0, seed, 0, seed.capacity(), callArgs, 0,
                12))
            {
                client.poll(10);
            }
            while (listener.committed < 2)
            {
                if (listener.failed > 0)
                {
                    throw new IllegalStateException("seeding " + accounts + " accounts failed: " +
                        listener.lastFailure + " (raise -D" + TxnLoopConfiguration.REDUCER_BUDGET_MS_PROP_NAME + ")");
                }
                client.poll(10);
            }
            final UnsafeBuffer transfer = EmbeddedCoreTest.utf8("transfer");
            if (warmup > 0)
            {
                run(client, listener, db, identity, transfer, callArgs, warmup, window, accounts);
            }
            final java.util.Map<String, Long> cpuBefore = threadCpuNs();
            final java.util.Map<String, Long> allocatedBefore = threadAllocatedBytes();
            final long base = listener.committed;
            final long start = System.nanoTime();
            run(client, listener, db, identity, transfer, callArgs, transfers, window, accounts);
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d transfers in %.2f s: %.0f committed/s (failed %d), durability %s%n",
                transfers, seconds, (listener.committed - base) / seconds, listener.failed, durable ? "on" : "off");
            final java.util.Map<String, Long> cpuAfter = threadCpuNs();
            final StringBuilder cpu = new StringBuilder("cpu us/transfer by thread:");
            for (final java.util.Map.Entry<String, Long> e : cpuAfter.entrySet())
            {
                final long delta = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
                if (delta > transfers * 10L)
                {
                    cpu.append(String.format(" [%s] %.2f", e.getKey(), delta / 1e3 / transfers));
                }
            }
            System.out.println(cpu);
            final java.util.Map<String, Long> allocatedAfter = threadAllocatedBytes();
            final StringBuilder allocated = new StringBuilder("bytes allocated/transfer by thread:");
            for (final java.util.Map.Entry<String, Long> e : allocatedAfter.entrySet())
            {
                final long delta = e.getValue() - allocatedBefore.getOrDefault(e.getKey(), 0L);
                if (delta > transfers / 10L)
                {
                    allocated.append(String.format(" [%s] %.1f", e.getKey(), delta / (double)transfers));
                }
            }
            System.out.println(allocated);
            final io.lightcone.txn.log.CommitLog log = core.commitLog();
            if (null != log)
            {
                System.out.printf("commit log: %d records in %d batches (%.1f records/batch, min %d, max %d), " +
                    "%d fsyncs, mean %.1f us, max %.1f us, back pressure %d%n", log.recordCount(),
                    log.batchCount(), log.recordCount() / (double)Math.max(1, log.batchCount()),
                    log.minRecordsPerBatch(), log.maxRecordsPerBatch(), log.fsyncCount(),
                    log.fsyncTotalNs() / 1e3 / Math.max(1, log.fsyncCount()), log.fsyncMaxNs() / 1e3,
                    log.backPressureCount());
                System.out.println("records/batch histogram (bucket b = [2^(b-1), 2^b)): " +
                    java.util.Arrays.toString(log.recordsPerBatchHistogram()));
            }
        }
    }

    private static void run(
        final CoreClient client,
        final TransferThroughputMain listener,
        final long db,
        final UnsafeBuffer identity,
        final UnsafeBuffer transfer,
        final UnsafeBuffer callArgs,
        final int transfers,
        final int window,
        final int accounts)
    {
        final long base = listener.committed + listener.failed;
        final org.agrona.concurrent.IdleStrategy idle = GENERATOR_IDLE;
        int sent = 0;
        while (listener.committed + listener.failed - base < transfers)
        {
            final int sentBefore = sent;
            while (sent < transfers && sent - (listener.committed + listener.failed - base) < window)
            {
                callArgs.putInt(0, sent % accounts, ByteOrder.LITTLE_ENDIAN);
                callArgs.putInt(4, (sent + 1) % accounts, ByteOrder.LITTLE_ENDIAN);
                callArgs.putLong(8, 1, ByteOrder.LITTLE_ENDIAN);
                if (!client.proxy().callReducer(db, 1, sent, 1, 0, identity, 0, 0, 0, transfer, 0,
                    transfer.capacity(), callArgs, 0, 16))
                {
                    break;
                }
                sent++;
            }
            idle.idle(client.poll(256) + sent - sentBefore);
        }
    }

    private static java.util.Map<String, Long> threadAllocatedBytes()
    {
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        return byThreadName(mx::getThreadAllocatedBytes);
    }

    private static java.util.Map<String, Long> threadCpuNs()
    {
        return byThreadName(java.lang.management.ManagementFactory.getThreadMXBean()::getThreadCpuTime);
    }

    private static java.util.Map<String, Long> byThreadName(final java.util.function.LongUnaryOperator valueOfThread)
    {
        final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        final java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        for (final java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds()))
        {
            if (null != info)
            {
                final String name = info.getThreadName().length() > 24 ?
                    info.getThreadName().substring(0, 24) : info.getThreadName();
                byName.merge(name, valueOfThread.applyAsLong(info.getThreadId()), Long::sum);
            }
        }
        return byName;
    }

    /**
     * {@inheritDoc}
     */
    public void onTxCommitted(final TxCommittedView tx)
    {
        committed++;
    }

    /**
     * {@inheritDoc}
     */
    public void onTxFailed(
        final DirectBuffer buffer, final long databaseId, final int edgeId, final int requestId,
        final long connectionIdLo, final long connectionIdHi, final long timestampMicros, final long energyUsed,
        final long durationMicros, final Outcome outcome, final int nameOffset, final int nameLength,
        final int messageOffset, final int messageLength)
    {
        failed++;
        lastFailure = outcome + ": " + buffer.getStringWithoutLengthUtf8(messageOffset, messageLength);
    }

    /**
     * {@inheritDoc}
     */
    public void onDurable(final long databaseId, final long upToTxOffset)
    {
    }

    /**
     * {@inheritDoc}
     */
    public void onSchemaChanged(
        final DirectBuffer buffer, final long databaseId, final long txOffset, final int databaseIdentityOffset,
        final int nameOffset, final int nameLength, final int schemaOffset, final int schemaLength)
    {
    }

    /**
     * {@inheritDoc}
     */
    public void onSnapshotChunk(
        final DirectBuffer buffer, final long databaseId, final long txOffset, final int edgeId,
        final int chunkIndex, final boolean last, final int bytesOffset, final int bytesLength)
    {
    }

    /**
     * {@inheritDoc}
     */
    public void onModuleLog(
        final DirectBuffer buffer, final long databaseId, final long timestampMicros, final LogLevel level,
        final int messageOffset, final int messageLength)
    {
    }

    /**
     * {@inheritDoc}
     */
    public void onRequestCompleted(
        final DirectBuffer buffer, final long databaseId, final long txOffset, final int edgeId,
        final int requestId, final Outcome outcome, final int messageOffset, final int messageLength)
    {
        lastCompletedOutcome = outcome;
        lastCompletedMessage = buffer.getStringWithoutLengthUtf8(messageOffset, messageLength);
        lastCompletedDb = databaseId;
    }
}
