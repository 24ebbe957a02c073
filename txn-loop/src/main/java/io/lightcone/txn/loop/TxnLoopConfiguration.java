package io.lightcone.txn.loop;

import org.agrona.SystemUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of the transaction loop: property names ({@code -D} or a properties file loaded with
 * {@link SystemUtil#loadPropertiesFiles(String...)}) and their defaults. {@link TxnLoopContext} reads them once.
 */
public final class TxnLoopConfiguration
{
    /** Idle strategy of the loop thread: {@code spin}, {@code backoff} or {@code sleep}. */
    public static final String IDLE_STRATEGY_PROP_NAME = "lightcone.txn.loop.idle.strategy";
    /** Default of {@link #IDLE_STRATEGY_PROP_NAME}: never busy-spin unless asked to. */
    public static final String IDLE_STRATEGY_DEFAULT = "backoff";

    /** Most ingress fragments polled per duty cycle. */
    public static final String FRAGMENT_LIMIT_PROP_NAME = "lightcone.txn.loop.fragment.limit";
    /** Default of {@link #FRAGMENT_LIMIT_PROP_NAME}. */
    public static final int FRAGMENT_LIMIT_DEFAULT = 64;

    /** Channel of the ingress subscription (edges to core). */
    public static final String INGRESS_CHANNEL_PROP_NAME = "lightcone.txn.loop.ingress.channel";
    /** Default of {@link #INGRESS_CHANNEL_PROP_NAME}. */
    public static final String INGRESS_CHANNEL_DEFAULT = "aeron:ipc?term-length=1m";
    /** Stream id of the ingress subscription. */
    public static final String INGRESS_STREAM_ID_PROP_NAME = "lightcone.txn.loop.ingress.stream.id";
    /** Default of {@link #INGRESS_STREAM_ID_PROP_NAME}. */
    public static final int INGRESS_STREAM_ID_DEFAULT = 7001;

    /** Channel of the egress publication (core to edges). */
    public static final String EGRESS_CHANNEL_PROP_NAME = "lightcone.txn.loop.egress.channel";
    /** Default of {@link #EGRESS_CHANNEL_PROP_NAME}. */
    public static final String EGRESS_CHANNEL_DEFAULT = "aeron:ipc?term-length=1m";
    /** Stream id of the egress publication. */
    public static final String EGRESS_STREAM_ID_PROP_NAME = "lightcone.txn.loop.egress.stream.id";
    /** Default of {@link #EGRESS_STREAM_ID_PROP_NAME}. */
    public static final int EGRESS_STREAM_ID_DEFAULT = 7002;

    /** Data directory: databases, snapshots, the module compile cache. */
    public static final String DATA_DIR_PROP_NAME = "lightcone.txn.loop.data.dir";
    /** Default of {@link #DATA_DIR_PROP_NAME}. */
    public static final String DATA_DIR_DEFAULT = SystemUtil.tmpDirName() + "lightcone-data";

    /** Wall-clock budget of one reducer call, in milliseconds. */
    public static final String REDUCER_BUDGET_MS_PROP_NAME = "lightcone.txn.loop.reducer.budget.ms";
    /** Default of {@link #REDUCER_BUDGET_MS_PROP_NAME}. */
    public static final long REDUCER_BUDGET_MS_DEFAULT = 1_000;

    /** Write a snapshot of a database after this many of its transactions; 0 disables. */
    public static final String SNAPSHOT_INTERVAL_TXS_PROP_NAME = "lightcone.txn.loop.snapshot.interval.txs";
    /** Default of {@link #SNAPSHOT_INTERVAL_TXS_PROP_NAME}. */
    public static final long SNAPSHOT_INTERVAL_TXS_DEFAULT = 1_000_000;

    /**
     * How many snapshots of each database are kept (at least 1). Older ones are deleted once the kept ones are
     * durable, and commit-log segments wholly before the oldest kept snapshot of every database are deleted or
     * archived ({@code lightcone.commitlog.retention}).
     */
    public static final String SNAPSHOTS_KEPT_PROP_NAME = "lightcone.txn.loop.snapshots.kept";
    /** Default of {@link #SNAPSHOTS_KEPT_PROP_NAME}: two, so a damaged newest snapshot can fall back to the other. */
    public static final int SNAPSHOTS_KEPT_DEFAULT = 2;

    /**
     * Largest {@code SnapshotChunk} payload an edge's bootstrap is cut into (whole rows; a larger row goes alone).
     * Keep it below the wire's max message length so chunks are not fragmented.
     */
    public static final String BOOTSTRAP_CHUNK_LENGTH_PROP_NAME = "lightcone.txn.loop.bootstrap.chunk.length";
    /** Default of {@link #BOOTSTRAP_CHUNK_LENGTH_PROP_NAME}: 60 KiB, under the default 64 KiB message. */
    public static final int BOOTSTRAP_CHUNK_LENGTH_DEFAULT = 60 * 1024;

    /** Most scheduled reducers run per duty cycle. */
    public static final String TIMER_LIMIT_PROP_NAME = "lightcone.txn.loop.timer.limit";
    /** Default of {@link #TIMER_LIMIT_PROP_NAME}. */
    public static final int TIMER_LIMIT_DEFAULT = 64;

    /**
     * Whether commits go to the durable commit log in {@code <dataDir>/log} (fsync per group commit) or, when false,
     * to a {@link VolatileCommitSink} that keeps nothing (benchmarks only; nothing survives a restart).
     */
    public static final String DURABLE_PROP_NAME = "lightcone.txn.loop.durable";
    /** Default of {@link #DURABLE_PROP_NAME}: durable. */
    public static final boolean DURABLE_DEFAULT = true;

    /** Tick of the scheduler's timer wheel in microseconds; a power of two. */
    public static final String TIMER_TICK_MICROS_PROP_NAME = "lightcone.txn.loop.timer.tick.micros";
    /** Default of {@link #TIMER_TICK_MICROS_PROP_NAME}. */
    public static final long TIMER_TICK_MICROS_DEFAULT = 256;

    private TxnLoopConfiguration()
    {
    }

    /**
     * @return the configured idle strategy name.
     */
    public static String idleStrategyName()
    {
        return System.getProperty(IDLE_STRATEGY_PROP_NAME, IDLE_STRATEGY_DEFAULT);
    }

    /**
     * An idle strategy by name.
     *
     * @param name {@code spin}, {@code backoff} or {@code sleep}.
     * @return a new strategy.
     * @throws IllegalArgumentException for any other name.
     */
    public static IdleStrategy idleStrategy(final String name)
    {
        return switch (name)
        {
            case "spin" -> new BusySpinIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy(
                10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(500));
            case "sleep" -> new SleepingMillisIdleStrategy(1);
            default -> throw new IllegalArgumentException(
                IDLE_STRATEGY_PROP_NAME + " must be spin, backoff or sleep: " + name);
        };
    }

    /**
     * @return the configured fragment limit.
     */
    public static int fragmentLimit()
    {
        return SystemUtil.getSizeAsInt(FRAGMENT_LIMIT_PROP_NAME, FRAGMENT_LIMIT_DEFAULT);
    }

    /**
     * @return the configured ingress channel.
     */
    public static String ingressChannel()
    {
        return System.getProperty(INGRESS_CHANNEL_PROP_NAME, INGRESS_CHANNEL_DEFAULT);
    }

    /**
     * @return the configured ingress stream id.
     */
    public static int ingressStreamId()
    {
        return Integer.getInteger(INGRESS_STREAM_ID_PROP_NAME, INGRESS_STREAM_ID_DEFAULT);
    }

    /**
     * @return the configured egress channel.
     */
    public static String egressChannel()
    {
        return System.getProperty(EGRESS_CHANNEL_PROP_NAME, EGRESS_CHANNEL_DEFAULT);
    }

    /**
     * @return the configured egress stream id.
     */
    public static int egressStreamId()
    {
        return Integer.getInteger(EGRESS_STREAM_ID_PROP_NAME, EGRESS_STREAM_ID_DEFAULT);
    }

    /**
     * @return the configured data directory.
     */
    public static File dataDir()
    {
        return new File(System.getProperty(DATA_DIR_PROP_NAME, DATA_DIR_DEFAULT));
    }

    /**
     * @return the configured reducer budget in milliseconds.
     */
    public static long reducerBudgetMs()
    {
        return Long.getLong(REDUCER_BUDGET_MS_PROP_NAME, REDUCER_BUDGET_MS_DEFAULT);
    }

    /**
     * @return the configured bootstrap chunk length in bytes.
     */
    public static int bootstrapChunkLength()
    {
        return SystemUtil.getSizeAsInt(BOOTSTRAP_CHUNK_LENGTH_PROP_NAME, BOOTSTRAP_CHUNK_LENGTH_DEFAULT);
    }

    /**
     * @return the configured number of snapshots kept per database.
     */
    public static int snapshotsKept()
    {
        return Integer.getInteger(SNAPSHOTS_KEPT_PROP_NAME, SNAPSHOTS_KEPT_DEFAULT);
    }

    /**
     * @return the configured snapshot interval in transactions.
     */
    public static long snapshotIntervalTxs()
    {
        return Long.getLong(SNAPSHOT_INTERVAL_TXS_PROP_NAME, SNAPSHOT_INTERVAL_TXS_DEFAULT);
    }

    /**
     * @return the configured timer limit.
     */
    public static int timerLimit()
    {
        return Integer.getInteger(TIMER_LIMIT_PROP_NAME, TIMER_LIMIT_DEFAULT);
    }

    /**
     * @return the configured timer tick in microseconds.
     */
    public static long timerTickMicros()
    {
        return Long.getLong(TIMER_TICK_MICROS_PROP_NAME, TIMER_TICK_MICROS_DEFAULT);
    }

    /**
     * @return whether durability is on.
     */
    public static boolean durable()
    {
        return Boolean.parseBoolean(System.getProperty(DURABLE_PROP_NAME, Boolean.toString(DURABLE_DEFAULT)));
    }
}
