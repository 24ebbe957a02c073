package io.lightcone.txn.loop;

import io.lightcone.txn.log.CommitLogContext;
import io.lightcone.wire.metrics.Metrics;
import io.lightcone.txn.log.CommitSink;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a transaction loop, Aeron style: every field starts from {@link TxnLoopConfiguration}, same-name
 * fluent setters override it, and {@link #conclude()} validates once and fills in what was not given (idle strategy,
 * counters, error log and handler, clock, the commit log settings).
 * <p>
 * Durability: with {@link #durable()} true (the default) and no commit sink given, the launcher
 * ({@link EmbeddedCore}) recovers the data directory and opens a {@link io.lightcone.txn.log.CommitLog} from
 * {@link #commitLogContext()} (its directory defaults to {@code <dataDir>/log}: one global log for every database,
 * as tx offsets are global) and sets it as the sink. With {@code durable(false)} and no sink, a
 * {@link VolatileCommitSink} is used: nothing survives a restart.
 * <p>
 * Counters and the distinct error log live in heap buffers unless a {@link CountersManager} is supplied (the
 * launcher of a process would map them on a file for a {@code stat} tool).
 */
public final class TxnLoopContext
{
    private static final int ERROR_LOG_LENGTH = 1024 * 1024;
    private static final int COUNTER_VALUES_LENGTH = 1024 * 1024;

    private boolean concluded;
    private String idleStrategyName = TxnLoopConfiguration.idleStrategyName();
    private IdleStrategy idleStrategy;
    private int fragmentLimit = TxnLoopConfiguration.fragmentLimit();
    private String ingressChannel = TxnLoopConfiguration.ingressChannel();
    private int ingressStreamId = TxnLoopConfiguration.ingressStreamId();
    private String egressChannel = TxnLoopConfiguration.egressChannel();
    private int egressStreamId = TxnLoopConfiguration.egressStreamId();
    private File dataDir = TxnLoopConfiguration.dataDir();
    private long reducerBudgetMs = TxnLoopConfiguration.reducerBudgetMs();
    private long snapshotIntervalTxs = TxnLoopConfiguration.snapshotIntervalTxs();
    private int snapshotsKept = TxnLoopConfiguration.snapshotsKept();
    private int bootstrapChunkLength = TxnLoopConfiguration.bootstrapChunkLength();
    private int timerLimit = TxnLoopConfiguration.timerLimit();
    private long timerTickMicros = TxnLoopConfiguration.timerTickMicros();
    private long firstTxOffset = 0;
    private EpochNanoClock epochNanoClock;
    private CountersManager countersManager;
    private Metrics metrics;
    private final Map<TxnLoopCounter, AtomicCounter> counters = new EnumMap<>(TxnLoopCounter.class);
    private DistinctErrorLog errorLog;
    private ErrorHandler errorHandler;
    private boolean durable = TxnLoopConfiguration.durable();
    private CommitLogContext commitLogContext;
    private CommitSink commitSink;
    private RecoveryListener recoveryListener = RecoveryListener.NONE;

    /**
     * Validates the settings and creates the defaults. Idempotent.
     *
     * @return this.
     * @throws IllegalStateException when a setting is out of range.
     */
    public TxnLoopContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (fragmentLimit < 1)
        {
            throw new IllegalStateException("fragmentLimit must be >= 1: " + fragmentLimit);
        }
        if (timerLimit < 1)
        {
            throw new IllegalStateException("timerLimit must be >= 1: " + timerLimit);
        }
        if (timerTickMicros < 1 || Long.bitCount(timerTickMicros) != 1)
        {
            throw new IllegalStateException("timerTickMicros must be a power of two: " + timerTickMicros);
        }
        if (reducerBudgetMs < 1)
        {
            throw new IllegalStateException("reducerBudgetMs must be >= 1: " + reducerBudgetMs);
        }
        if (snapshotIntervalTxs < 0)
        {
            throw new IllegalStateException("snapshotIntervalTxs must be >= 0: " + snapshotIntervalTxs);
        }
        if (bootstrapChunkLength < 64)
        {
            throw new IllegalStateException("bootstrapChunkLength must be >= 64: " + bootstrapChunkLength);
        }
        if (snapshotsKept < 1)
        {
            throw new IllegalStateException("snapshotsKept must be >= 1: " + snapshotsKept);
        }
        if (firstTxOffset < 0)
        {
            throw new IllegalStateException("firstTxOffset must be >= 0: " + firstTxOffset);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(ingressChannel, "ingressChannel");
        Objects.requireNonNull(egressChannel, "egressChannel");
        if (null == idleStrategy)
        {
            idleStrategy = TxnLoopConfiguration.idleStrategy(idleStrategyName);
        }
        if (null == epochNanoClock)
        {
            epochNanoClock = new SystemEpochNanoClock();
        }
        if (null == countersManager)
        {
            countersManager = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(COUNTER_VALUES_LENGTH * 4)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(COUNTER_VALUES_LENGTH)));
        }
        metrics = new Metrics(countersManager);
        for (final TxnLoopCounter counter : TxnLoopCounter.values())
        {
            counters.put(counter, counter.allocate(metrics));
        }
        if (null == errorHandler)
        {
            errorLog = new DistinctErrorLog(
                new UnsafeBuffer(ByteBuffer.allocateDirect(ERROR_LOG_LENGTH)), SystemEpochClock.INSTANCE);
            final DistinctErrorLog log = errorLog;
            errorHandler = new CountedErrorHandler(log::record, counters.get(TxnLoopCounter.ERRORS));
        }
        if (null == commitLogContext)
        {
            commitLogContext = new CommitLogContext();
        }
        if (null == commitLogContext.metrics())
        {
            commitLogContext.metrics(metrics);
        }
        if (null == commitLogContext.dir())
        {
            commitLogContext.dir(logDir(dataDir));
        }
        if (null == commitSink && !durable)
        {
            commitSink = new VolatileCommitSink();
        }
        concluded = true;
        return this;
    }

    /**
     * @param name {@code spin}, {@code backoff} or {@code sleep}; used when no strategy object is set.
     * @return this.
     */
    public TxnLoopContext idleStrategyName(final String name)
    {
        this.idleStrategyName = name;
        return this;
    }

    /**
     * @return the idle strategy name.
     */
    public String idleStrategyName()
    {
        return idleStrategyName;
    }

    /**
     * @param idleStrategy the loop thread's idle strategy.
     * @return this.
     */
    public TxnLoopContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * @return the idle strategy.
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @param fragmentLimit most ingress fragments per duty cycle.
     * @return this.
     */
    public TxnLoopContext fragmentLimit(final int fragmentLimit)
    {
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    /**
     * @return the fragment limit.
     */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    /**
     * @param channel the ingress channel.
     * @return this.
     */
    public TxnLoopContext ingressChannel(final String channel)
    {
        this.ingressChannel = channel;
        return this;
    }

    /**
     * @return the ingress channel.
     */
    public String ingressChannel()
    {
        return ingressChannel;
    }

    /**
     * @param streamId the ingress stream id.
     * @return this.
     */
    public TxnLoopContext ingressStreamId(final int streamId)
    {
        this.ingressStreamId = streamId;
        return this;
    }

    /**
     * @return the ingress stream id.
     */
    public int ingressStreamId()
    {
        return ingressStreamId;
    }

    /**
     * @param channel the egress channel.
     * @return this.
     */
    public TxnLoopContext egressChannel(final String channel)
    {
        this.egressChannel = channel;
        return this;
    }

    /**
     * @return the egress channel.
     */
    public String egressChannel()
    {
        return egressChannel;
    }

    /**
     * @param streamId the egress stream id.
     * @return this.
     */
    public TxnLoopContext egressStreamId(final int streamId)
    {
        this.egressStreamId = streamId;
        return this;
    }

    /**
     * @return the egress stream id.
     */
    public int egressStreamId()
    {
        return egressStreamId;
    }

    /**
     * @param dataDir the data directory.
     * @return this.
     */
    public TxnLoopContext dataDir(final File dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    /**
     * @return the data directory.
     */
    public File dataDir()
    {
        return dataDir;
    }

    /**
     * @param budgetMs wall-clock budget of one reducer call.
     * @return this.
     */
    public TxnLoopContext reducerBudgetMs(final long budgetMs)
    {
        this.reducerBudgetMs = budgetMs;
        return this;
    }

    /**
     * @return the reducer budget in milliseconds.
     */
    public long reducerBudgetMs()
    {
        return reducerBudgetMs;
    }

    /**
     * @param txs snapshot a database after this many of its transactions; 0 disables.
     * @return this.
     */
    public TxnLoopContext snapshotIntervalTxs(final long txs)
    {
        this.snapshotIntervalTxs = txs;
        return this;
    }

    /**
     * @return the snapshot interval.
     */
    public long snapshotIntervalTxs()
    {
        return snapshotIntervalTxs;
    }

    /**
     * @param count snapshots kept per database (at least 1); older ones and the log before them are removed.
     * @return this.
     */
    public TxnLoopContext snapshotsKept(final int count)
    {
        this.snapshotsKept = count;
        return this;
    }

    /**
     * @return snapshots kept per database.
     */
    public int snapshotsKept()
    {
        return snapshotsKept;
    }

    /**
     * @param listener hears recovery's progress (databases loaded, records replayed); not null.
     * @return this.
     */
    public TxnLoopContext recoveryListener(final RecoveryListener listener)
    {
        this.recoveryListener = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * @return what hears recovery's progress.
     */
    public RecoveryListener recoveryListener()
    {
        return recoveryListener;
    }

    /**
     * @param length largest SnapshotChunk payload of an edge bootstrap, bytes (a larger row goes alone).
     * @return this.
     */
    public TxnLoopContext bootstrapChunkLength(final int length)
    {
        this.bootstrapChunkLength = length;
        return this;
    }

    /**
     * @return largest SnapshotChunk payload of an edge bootstrap, bytes.
     */
    public int bootstrapChunkLength()
    {
        return bootstrapChunkLength;
    }

    /**
     * @param limit most scheduled reducers run per duty cycle.
     * @return this.
     */
    public TxnLoopContext timerLimit(final int limit)
    {
        this.timerLimit = limit;
        return this;
    }

    /**
     * @return the timer limit.
     */
    public int timerLimit()
    {
        return timerLimit;
    }

    /**
     * @param micros the timer wheel tick, a power of two.
     * @return this.
     */
    public TxnLoopContext timerTickMicros(final long micros)
    {
        this.timerTickMicros = micros;
        return this;
    }

    /**
     * @return the timer wheel tick.
     */
    public long timerTickMicros()
    {
        return timerTickMicros;
    }

    /**
     * @param offset the tx offset of the first transaction this loop commits (recovery sets the log's next one).
     * @return this.
     */
    public TxnLoopContext firstTxOffset(final long offset)
    {
        this.firstTxOffset = offset;
        return this;
    }

    /**
     * @return the first tx offset.
     */
    public long firstTxOffset()
    {
        return firstTxOffset;
    }

    /**
     * @param clock the clock read once per duty cycle (tests use a manual one).
     * @return this.
     */
    public TxnLoopContext epochNanoClock(final EpochNanoClock clock)
    {
        this.epochNanoClock = clock;
        return this;
    }

    /**
     * @return the clock.
     */
    public EpochNanoClock epochNanoClock()
    {
        return epochNanoClock;
    }

    /**
     * @param countersManager where to allocate the counters.
     * @return this.
     */
    public TxnLoopContext countersManager(final CountersManager countersManager)
    {
        this.countersManager = countersManager;
        return this;
    }

    /**
     * @return the counters manager.
     */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /**
     * The metrics registry over the counters manager, after {@link #conclude()}: the loop allocates per-database
     * metrics from it and {@code /metrics} reads it.
     *
     * @return the metrics.
     */
    public Metrics metrics()
    {
        return metrics;
    }

    /**
     * A counter, after {@link #conclude()}.
     *
     * @param counter which.
     * @return the counter.
     */
    public AtomicCounter counter(final TxnLoopCounter counter)
    {
        return counters.get(counter);
    }

    /**
     * @return the counter of errors (for {@code AgentRunner}).
     */
    public AtomicCounter errorCounter()
    {
        return counters.get(TxnLoopCounter.ERRORS);
    }

    /**
     * @param errorHandler receives every exception; should count it.
     * @return this.
     */
    public TxnLoopContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * @return the error handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @return the distinct error log behind the default error handler, or null when a handler was supplied.
     */
    public DistinctErrorLog errorLog()
    {
        return errorLog;
    }

    /**
     * @param sink where committed records go; when not set, the launcher opens the commit log (durable) or a
     *             {@link VolatileCommitSink} is used (durability off).
     * @return this.
     */
    public TxnLoopContext commitSink(final CommitSink sink)
    {
        this.commitSink = sink;
        return this;
    }

    /**
     * @return the commit sink.
     */
    public CommitSink commitSink()
    {
        return commitSink;
    }

    /**
     * @param durable whether commits go to a durable commit log (default true; false only for benchmarks).
     * @return this.
     */
    public TxnLoopContext durable(final boolean durable)
    {
        this.durable = durable;
        return this;
    }

    /**
     * @return whether durability is on.
     */
    public boolean durable()
    {
        return durable;
    }

    /**
     * @param commitLogContext settings of the commit log opened when durable; its directory defaults to
     *                         {@code <dataDir>/log}.
     * @return this.
     */
    public TxnLoopContext commitLogContext(final CommitLogContext commitLogContext)
    {
        this.commitLogContext = commitLogContext;
        return this;
    }

    /**
     * @return the commit log settings.
     */
    public CommitLogContext commitLogContext()
    {
        return commitLogContext;
    }

    /**
     * The global commit log directory of a data directory.
     *
     * @param dataDir the data directory.
     * @return {@code <dataDir>/log}.
     */
    public static java.nio.file.Path logDir(final File dataDir)
    {
        return dataDir.toPath().resolve("log");
    }
}
