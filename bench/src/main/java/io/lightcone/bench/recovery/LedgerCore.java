package io.lightcone.bench.recovery;

import io.lightcone.core.table.Table;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.txn.loop.CoreClient;
import io.lightcone.txn.loop.EmbeddedCore;
import io.lightcone.txn.loop.RecoveryListener;
import io.lightcone.txn.loop.TxnLoopAgent;
import io.lightcone.txn.loop.TxnLoopContext;
import io.lightcone.txn.loop.TxnLoopCounter;
import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.TxCommittedView;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A durable {@link EmbeddedCore} on a data directory (sleeping idle strategy, no periodic snapshots, a 60 s reducer
 * budget) driven over
 * its wire as an edge would: publish the {@code ledger} module, call its reducers one at a time and wait for each
 * commit, wait for {@code Durable}, snapshot, and read the {@code entry} table's row count and checksum on the loop
 * thread. Launching it recovers whatever the directory holds; {@link #launch} times that and when the log replay
 * started.
 * Waits poll the egress and park between empty polls (no busy spin); any failure throws {@link IllegalStateException}.
 */
final class LedgerCore implements AutoCloseable, CoreEgressListener, RecoveryListener
{
    static final String DATABASE = "ledger";
    private static final long WAIT_MS = TimeUnit.MINUTES.toMillis(10);
    /** A batch of inserts may take longer than the default 1 s budget on a shared machine; it is not measured. */
    private static final long REDUCER_BUDGET_MS = 60_000;

    private final EmbeddedCore core;
    private final CoreClient client;
    private final UnsafeBuffer owner = new UnsafeBuffer(new byte[32]);
    private final UnsafeBuffer args = new UnsafeBuffer(new byte[20]);
    private final long launchStartNs;
    private long replayStartedNs;
    private final long launchedNs;
    private final long launchCpuNs;
    private final long launchProcessCpuNs;
    private final long connectedNs;
    private int requestId;
    private int awaitedRequest;
    private long awaitedTxOffset = -1;
    private String awaitedFailure;
    private long awaitedDatabaseId;
    private boolean awaitedCompleted;
    private long durableUpTo = -1;

    private LedgerCore(final Path dataDir)
    {
        owner.putByte(0, (byte)1);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long cpuStartNs = threads.getCurrentThreadCpuTime();
        final long processCpuStartNs = processCpuNs();
        launchStartNs = System.nanoTime();
        core = EmbeddedCore.launch(new TxnLoopContext().dataDir(dataDir.toFile()).idleStrategyName("sleep")
            .snapshotIntervalTxs(0).reducerBudgetMs(REDUCER_BUDGET_MS).recoveryListener(this));
        launchedNs = System.nanoTime();
        launchCpuNs = threads.getCurrentThreadCpuTime() - cpuStartNs;
        launchProcessCpuNs = processCpuNs() - processCpuStartNs;
        CoreClient connected = null;
        try
        {
            connected = core.newClient(this);
            client = connected;
            await(client::isConnected, "the client to connect");
            connectedNs = System.nanoTime();
        }
        catch (final RuntimeException ex)
        {
            if (null != connected)
            {
                connected.close();
            }
            core.close();
            throw ex;
        }
    }

    /**
     * Launches a core on a data directory, recovering what it holds.
     *
     * @param dataDir the data directory.
     * @return the running core, its client connected.
     */
    static LedgerCore launch(final Path dataDir)
    {
        return new LedgerCore(dataDir);
    }

    /**
     * Publishes the ledger module as {@link #DATABASE}.
     *
     * @param module the module's bytes.
     * @return the database id.
     */
    long publish(final byte[] module)
    {
        final int request = next();
        final UnsafeBuffer name = new UnsafeBuffer(DATABASE.getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer wasm = new UnsafeBuffer(module);
        await(() -> client.proxy().publishModule(1, request, owner, 0, false, name, 0, name.capacity(), wasm, 0,
            wasm.capacity()), "the publish to be sent");
        await(() -> awaitedCompleted || null != awaitedFailure, "the reply to the publish");
        if (null != awaitedFailure)
        {
            throw new IllegalStateException("publish failed: " + awaitedFailure);
        }
        return awaitedDatabaseId;
    }

    /**
     * Calls {@code insert_range} or {@code update_range} and waits for its commit.
     *
     * @param databaseId the database.
     * @param reducer    the reducer's name.
     * @param first      the first id.
     * @param count      how many ids.
     * @param salt       the values' salt.
     * @return the transaction's offset.
     */
    long call(final long databaseId, final String reducer, final long first, final int count, final long salt)
    {
        final int request = next();
        final UnsafeBuffer name = new UnsafeBuffer(reducer.getBytes(StandardCharsets.UTF_8));
        args.putLong(0, first, ByteOrder.LITTLE_ENDIAN);
        args.putInt(8, count, ByteOrder.LITTLE_ENDIAN);
        args.putLong(12, salt, ByteOrder.LITTLE_ENDIAN);
        await(() -> client.proxy().callReducer(databaseId, 1, request, 1, 0, owner, 0, 0, 0, name, 0,
            name.capacity(), args, 0, args.capacity()), "the call to be sent");
        awaitReply(request, reducer);
        return awaitedTxOffset;
    }

    /**
     * Waits until everything of the database up to a tx offset is durable.
     *
     * @param txOffset the offset.
     */
    void awaitDurable(final long txOffset)
    {
        await(() -> durableUpTo >= txOffset, "tx offset " + txOffset + " to be durable");
    }

    /** Snapshots every database now, on the loop thread. */
    void snapshot()
    {
        core.onLoop(TxnLoopAgent::snapshotAll, WAIT_MS);
    }

    /**
     * @return {row count, checksum} of the {@code entry} table, read on the loop thread.
     */
    long[] countAndChecksum()
    {
        return core.onLoop((agent) ->
        {
            final StoredTable table = agent.registry().byName(DATABASE).datastore().table("entry");
            final Table rows = table.rows();
            final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64);
            long count = 0;
            long sum = 0;
            for (int rowId = rows.nextLive(0); rowId >= 0; rowId = rows.nextLive(rowId + 1))
            {
                sum += LedgerModel.rowHash(scratch, 0, rows.writeRow(rowId, scratch, 0));
                count++;
            }
            return new long[]{ count, sum };
        }, WAIT_MS);
    }

    /**
     * @return off-heap bytes the database's datastore holds (its own accounting).
     */
    long datastoreBytes()
    {
        return core.onLoop((agent) ->
        {
            final Datastore datastore = agent.registry().byName(DATABASE).datastore();
            return datastore.memoryBytes();
        }, WAIT_MS);
    }

    /**
     * @return what recovery did at launch.
     */
    TxnLoopAgent.RecoveryReport recoveryReport()
    {
        return core.recoveryReport();
    }

    /**
     * @return the core's own recovery time (its {@code lightcone_core_recovery_seconds} metric), nanoseconds.
     */
    long recoveryNs()
    {
        return TimeUnit.MICROSECONDS.toNanos(core.context().counter(TxnLoopCounter.RECOVERY_TIME_US).get());
    }

    /**
     * @return nanoTime when the launch started.
     */
    long launchStartNs()
    {
        return launchStartNs;
    }

    /**
     * @return nanoTime when the launch (recovery included) returned.
     */
    long launchedNs()
    {
        return launchedNs;
    }

    /**
     * @return CPU time the launching thread (which recovers) spent in the launch, nanoseconds.
     */
    long launchCpuNs()
    {
        return launchCpuNs;
    }

    /**
     * @return CPU time of the whole process (every thread) during the launch, nanoseconds.
     */
    long launchProcessCpuNs()
    {
        return launchProcessCpuNs;
    }

    /**
     * @return nanoTime when a client was connected to the loop.
     */
    long connectedNs()
    {
        return connectedNs;
    }

    /**
     * @return nanoTime when the log replay started, or 0 when there was nothing to replay.
     */
    long replayStartedNs()
    {
        return replayStartedNs;
    }

    @Override
    public void onReplayStarted(final long fromTxOffset, final long toTxOffset)
    {
        replayStartedNs = System.nanoTime();
    }

    @Override
    public void onTxCommitted(final TxCommittedView tx)
    {
        if (tx.requestId() == awaitedRequest)
        {
            awaitedTxOffset = tx.txOffset();
        }
    }

    @Override
    public void onTxFailed(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long timestampMicros,
        final long energyUsed,
        final long durationMicros,
        final Outcome outcome,
        final int nameOffset,
        final int nameLength,
        final int messageOffset,
        final int messageLength)
    {
        if (requestId == awaitedRequest)
        {
            awaitedFailure = outcome + ": " + buffer.getStringWithoutLengthUtf8(messageOffset, messageLength);
        }
    }

    @Override
    public void onRequestCompleted(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final Outcome outcome,
        final int messageOffset,
        final int messageLength)
    {
        if (requestId == awaitedRequest)
        {
            if (Outcome.COMMITTED == outcome)
            {
                awaitedDatabaseId = databaseId;
                awaitedCompleted = true;
            }
            else
            {
                awaitedFailure = outcome + ": " + buffer.getStringWithoutLengthUtf8(messageOffset, messageLength);
            }
        }
    }

    @Override
    public void onDurable(final long databaseId, final long upToTxOffset)
    {
        durableUpTo = Math.max(durableUpTo, upToTxOffset);
    }

    @Override
    public void close()
    {
        client.close();
        core.close();
    }

    private static long processCpuNs()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os ?
            os.getProcessCpuTime() : -1;
    }

    private int next()
    {
        awaitedRequest = ++requestId;
        awaitedTxOffset = -1;
        awaitedFailure = null;
        awaitedCompleted = false;
        return awaitedRequest;
    }

    private void awaitReply(final int request, final String what)
    {
        await(() -> awaitedTxOffset >= 0 || null != awaitedFailure, "the reply to " + what + " #" + request);
        if (null != awaitedFailure)
        {
            throw new IllegalStateException(what + " failed: " + awaitedFailure);
        }
    }

    private void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            if (0 == client.poll(100))
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            }
        }
    }
}
