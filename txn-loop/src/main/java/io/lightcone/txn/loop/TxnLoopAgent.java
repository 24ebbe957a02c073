package io.lightcone.txn.loop;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.lightcone.core.query.Catalog;
import io.lightcone.core.query.SqlAst;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.query.SqlExecutor;
import io.lightcone.core.query.SqlParser;
import io.lightcone.core.query.SqlResult;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.SchemaCodec;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.snapshot.Snapshot;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TableDelta;
import io.lightcone.core.txn.TxDelta;
import io.lightcone.txn.log.CommitLogConfiguration;
import io.lightcone.txn.log.CommitSink;
import io.lightcone.txn.migrate.MigrationExecutor;
import io.lightcone.txn.migrate.MigrationPlan;
import io.lightcone.txn.migrate.MigrationPlanner;
import io.lightcone.txn.migrate.MigrationRefusedException;
import io.lightcone.wasm.host.CallOutcome;
import io.lightcone.wasm.host.CompiledModule;
import io.lightcone.wasm.host.LogRecord;
import io.lightcone.wasm.host.ModuleHostContext;
import io.lightcone.wasm.host.ModuleInstance;
import io.lightcone.wasm.host.ModuleLoader;
import io.lightcone.wasm.host.ScheduledCall;
import io.lightcone.core.moduledef.Lifecycle;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ModuleDefDecoder;
import io.lightcone.core.moduledef.ModuleDefException;
import io.lightcone.core.moduledef.ProcedureDef;
import io.lightcone.core.moduledef.ReducerDef;
import io.lightcone.wire.CoreIngressAdapter;
import io.lightcone.wire.CoreIngressListener;
import io.lightcone.wire.DatabaseSettingsFormat;
import io.lightcone.wire.SnapshotChunkFormat;
import io.lightcone.wire.TxCommittedBuilder;
import io.lightcone.wire.WireConfiguration;
import io.lightcone.wire.WirePublication;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The transaction loop: the one thread that executes and commits. See the package documentation for the duty cycle,
 * the message flows and the record format.
 */
public final class TxnLoopAgent implements Agent, CoreIngressListener
{
    /**
     * Where ingress comes from: an Aeron {@code Subscription::poll}, or a test's fake.
     */
    @FunctionalInterface
    public interface IngressSource
    {
        /**
         * Polls up to a limit of fragments.
         *
         * @param handler       receives them.
         * @param fragmentLimit most fragments.
         * @return fragments read.
         */
        int poll(FragmentHandler handler, int fragmentLimit);

        /**
         * Whether a publication session still sends here (its image is present), so that a message half received
         * from a session that went away can be forgotten.
         *
         * @param sessionId an Aeron session id.
         * @return true unless the session is known to be gone.
         */
        default boolean hasSession(final int sessionId)
        {
            return true;
        }
    }

    private static final int DRAIN_LIMIT = 4096;
    /** How many replayed records between two {@link RecoveryListener#onReplayProgress} calls. */
    public static final long RECOVERY_PROGRESS_RECORDS = 100_000;
    private static final int REDUCER_CACHE_SIZE = 64;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] ZERO_CONNECTION = new byte[16];

    private final TxnLoopContext ctx;
    private final IngressSource ingress;
    private final CoreIngressAdapter ingressAdapter;
    private final EgressQueue egress;
    private final CommitSink sink;
    private final EpochNanoClock clock;
    private final ErrorHandler errorHandler;
    /** How often the table gauges (rows, memory) are refreshed and departed ingress sessions forgotten. */
    private static final long TABLE_SAMPLE_INTERVAL_MICROS = 1_000_000;
    /** What {@link #commit} returns for a transaction refused (rolled back) because it is too large for the wire. */
    private static final long COMMIT_REFUSED = -1;

    private final DatabaseRegistry registry = new DatabaseRegistry();
    private final SqlExecutor sqlExecutor = new SqlExecutor();
    private final Scheduler scheduler;
    private final Scheduler.Runner scheduledRunner = this::onScheduled;
    private final FragmentHandler ingressHandler = this::onIngressFragment;
    private final IntPredicate ingressSessionPresent;
    private final ExpandableRingBuffer pendingLog = new ExpandableRingBuffer(64 * 1024,
        ExpandableRingBuffer.MAX_CAPACITY, true);
    private final ExpandableRingBuffer.MessageConsumer logAppender = this::appendPending;
    private final ExpandableArrayBuffer logScratch = new ExpandableArrayBuffer(1024);
    private final ArrayDeque<PendingCall> immediateCalls = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final TxCommittedBuilder txBuilder = new TxCommittedBuilder();
    /** Why the last {@link #commit} returned {@link #COMMIT_REFUSED}. */
    private String commitRefusal = "";
    private final ExpandableArrayBuffer textBuffer = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer nameBuffer = new ExpandableArrayBuffer(64);
    private final BsatnReader argsReader = new BsatnReader();
    private final UnsafeBuffer argsView = new UnsafeBuffer(new byte[0]);
    private final ModuleDef[] reducerCacheModules = new ModuleDef[REDUCER_CACHE_SIZE];
    private final byte[][] reducerCacheNames = new byte[REDUCER_CACHE_SIZE][];
    private final ReducerDef[] reducerCacheDefs = new ReducerDef[REDUCER_CACHE_SIZE];
    private final byte[] sender = new byte[32];
    private final byte[] connectionId = new byte[16];
    /** A client call's arguments, copied out of the ingress buffer; reused (grown, never shrunk) by every call. */
    private byte[] callArgs = new byte[256];
    private final AtomicCounter committed;
    private final AtomicCounter failed;
    private final AtomicCounter logBackPressure;
    private final AtomicCounter ingressPaused;
    private final AtomicCounter scheduledFailures;
    private final AtomicCounter snapshots;
    private final AtomicCounter ingressRejected;
    private final AtomicCounter segmentsRetired;
    private final Duration reducerBudget;
    private ModuleLoader moduleLoader;
    private long nowMicros;
    private long lastTimestampMicros;
    private long nextTableSampleMicros;
    /** How long the last reducer run through callReducer/callCheckedReducer took (timed once, there). */
    private long lastCallMicros;
    private long nextTxOffset;
    private long lastDurableTxOffset = -1;
    private long retentionDueAt = Long.MAX_VALUE;
    private int retentionHolds;
    private boolean quiesced;
    private Database procedureDatabase;
    private MutTx openTx;

    /**
     * A loop over an ingress source and an egress publication.
     *
     * @param ctx     the context; concluded here.
     * @param ingress where requests come from.
     * @param egress  where replies and commits go.
     */
    public TxnLoopAgent(final TxnLoopContext ctx, final IngressSource ingress, final WirePublication egress)
    {
        this.ctx = ctx.conclude();
        this.ingress = ingress;
        this.ingressSessionPresent = ingress::hasSession;
        this.ingressAdapter = new CoreIngressAdapter(this);
        this.egress = new EgressQueue(egress, WireConfiguration.maxMessageLength(),
            WireConfiguration.maxReassemblyLength(), ctx.counter(TxnLoopCounter.EGRESS_BACK_PRESSURE));
        this.sink = ctx.commitSink();
        if (null == sink)
        {
            throw new IllegalStateException("no commit sink: with durable on, the launcher opens the commit log " +
                "(EmbeddedCore does); set durable(false) or a commit sink to run without one");
        }
        this.clock = ctx.epochNanoClock();
        this.errorHandler = ctx.errorHandler();
        this.nextTxOffset = ctx.firstTxOffset();
        this.reducerBudget = Duration.ofMillis(ctx.reducerBudgetMs());
        this.committed = ctx.counter(TxnLoopCounter.TXS_COMMITTED);
        this.failed = ctx.counter(TxnLoopCounter.TXS_FAILED);
        this.logBackPressure = ctx.counter(TxnLoopCounter.LOG_BACK_PRESSURE);
        this.ingressPaused = ctx.counter(TxnLoopCounter.INGRESS_PAUSED);
        this.scheduledFailures = ctx.counter(TxnLoopCounter.SCHEDULED_FAILURES);
        this.snapshots = ctx.counter(TxnLoopCounter.SNAPSHOTS);
        this.ingressRejected = ctx.counter(TxnLoopCounter.INGRESS_REJECTED);
        this.segmentsRetired = ctx.counter(TxnLoopCounter.LOG_SEGMENTS_RETIRED);
        this.nowMicros = clock.nanoTime() / 1000;
        this.scheduler = new Scheduler(nowMicros, ctx.timerTickMicros(), ctx.counter(TxnLoopCounter.SCHEDULED_RUNS),
            ctx.counter(TxnLoopCounter.TICK_JITTER_MAX_US), ctx.counter(TxnLoopCounter.TICK_JITTER_TOTAL_US));
    }

    // ------------------------------------------------------------------ duty cycle

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "txn-loop";
    }

    /**
     * One duty cycle: read the clock once; flush the commit-log and egress backlogs; run control tasks; when
     * nothing is backed up (and the loop is not {@linkplain #quiesce() quiesced}), poll ingress (bounded) and run
     * due scheduled reducers (bounded); publish Durable when the log's durable offset advanced; flush again.
     *
     * @return the work done; 0 lets the idle strategy idle.
     */
    public int doWork()
    {
        nowMicros = clock.nanoTime() / 1000;
        int work = drainLog();
        work += egress.drain(DRAIN_LIMIT);
        work += runTasks();
        if (!quiesced)
        {
            work += pollNewWork();
        }
        work += publishDurable();
        work += drainLog();
        work += egress.drain(DRAIN_LIMIT);
        if (nowMicros >= nextTableSampleMicros)
        {
            nextTableSampleMicros = nowMicros + TABLE_SAMPLE_INTERVAL_MICROS;
            ingressAdapter.clearGoneSessions(ingressSessionPresent);
            for (int i = 0; i < registry.size(); i++)
            {
                final DatabaseMetrics metrics = registry.get(i).metrics();
                if (null != metrics)
                {
                    metrics.sampleTables();
                }
            }
        }
        return work;
    }

    private int pollNewWork()
    {
        if (pendingLog.isEmpty() && egress.isEmpty())
        {
            return ingress.poll(ingressHandler, ctx.fragmentLimit()) +
                runImmediateCalls(ctx.timerLimit()) +
                scheduler.poll(nowMicros, ctx.timerLimit(), scheduledRunner);
        }
        ingressPaused.incrementRelease();
        return 0;
    }

    /**
     * Closes every database.
     */
    public void onClose()
    {
        for (int i = registry.size() - 1; i >= 0; i--)
        {
            final Database database = registry.get(i);
            registry.remove(database);
            database.close();
        }
    }

    // ------------------------------------------------------------------ recovery

    /**
     * What {@link #recover(Path)} did, for the operator.
     *
     * @param databases       databases recovered.
     * @param replayedRecords log records applied.
     * @param nextTxOffset    the tx offset the next commit gets.
     * @param problems        what was skipped or cleaned up on the way (never data loss of durable transactions).
     */
    public record RecoveryReport(int databases, long replayedRecords, long nextTxOffset, List<String> problems)
    {
    }

    /**
     * Rebuilds every database of the data directory; call once, before the agent runs, with the commit log already
     * opened (so a torn tail is cut). For each {@code <dataDir>/db/<id>} with {@code database.properties} and
     * {@code module.wasm}: load the module (compile cache in {@code <dataDir>/cache}), take the newest valid snapshot
     * or else create the module's tables, then one pass over the global log from the lowest offset any database
     * needs replays each database's TxCommitted records after its snapshot (and from its creation offset on).
     * A directory without properties, or whose creating transaction is not in the log, is an unfinished publish
     * and is deleted. Then the next tx offset follows the log, schedule tables are rescanned into timers, and the
     * databases are registered.
     *
     * @param logDir the global commit log directory.
     * @return what was done.
     * @throws io.lightcone.txn.recovery.RecoveryException on anything inconsistent, naming files and offsets.
     * @throws io.lightcone.txn.log.CommitLogException when the log is damaged.
     */
    public RecoveryReport recover(final Path logDir)
    {
        final long recoveryStartNs = System.nanoTime();
        final List<String> problems = new java.util.ArrayList<>();
        final List<io.lightcone.txn.log.CommitLogReader.Segment> segments =
            io.lightcone.txn.log.CommitLogReader.listSegments(logDir);
        final long logFirst = segments.isEmpty() ? -1 : segments.get(0).firstTxOffset();
        final long logLast = segments.isEmpty() ? -1 :
            new io.lightcone.txn.log.CommitLogReader(logDir).scanLastSegment(false).lastTxOffset();
        final Path dbRoot = ctx.dataDir().toPath().resolve("db");
        final LogReplayer replayer = new LogReplayer(logDir);
        final List<Database> databases = new java.util.ArrayList<>();
        final List<LogReplayer.Target> targets = new java.util.ArrayList<>();
        long from = Long.MAX_VALUE;
        try
        {
            final List<Path> dirs = new java.util.ArrayList<>();
            if (Files.isDirectory(dbRoot))
            {
                try (java.util.stream.Stream<Path> list = Files.list(dbRoot))
                {
                    list.filter(Files::isDirectory).sorted().forEach(dirs::add);
                }
            }
            final RecoveryListener listener = ctx.recoveryListener();
            for (final Path dir : dirs)
            {
                final Path propertiesFile = dir.resolve("database.properties");
                final Path moduleFile = dir.resolve("module.wasm");
                final Properties properties = new Properties();
                if (Files.isRegularFile(propertiesFile))
                {
                    try (java.io.InputStream in = Files.newInputStream(propertiesFile))
                    {
                        properties.load(in);
                    }
                }
                final long created = Long.parseLong(properties.getProperty("createdTxOffset", "0"));
                if (!Files.isRegularFile(propertiesFile) || !Files.isRegularFile(moduleFile) || created > logLast)
                {
                    problems.add(dir + ": unfinished publish (its creating transaction is not in the log); deleted");
                    IoUtil.delete(dir.toFile(), false);
                    continue;
                }
                final Database database = recoverDatabase(dir, properties, moduleFile, logFirst, logLast, created,
                    problems);
                listener.onDatabaseLoaded(database.name(), database.lastTxOffset, databases.size(), dirs.size());
                databases.add(database);
                final long start = Math.max(database.lastTxOffset + 1, created);
                targets.add(replayer.add(database.id(), database.datastore(), start, database.lastTxOffset,
                    database.recoveredAnchors));
                from = Math.min(from, start);
            }
            long replayed = 0;
            if (!databases.isEmpty() && from <= logLast)
            {
                listener.onReplayStarted(from, logLast);
                final long[] read = new long[1];
                new io.lightcone.txn.log.CommitLogReader(logDir).replay(from, (txOffset, buffer, offset, length) ->
                {
                    replayer.onRecord(txOffset, buffer, offset, length);
                    if (++read[0] % RECOVERY_PROGRESS_RECORDS == 0)
                    {
                        listener.onReplayProgress(read[0], txOffset, logLast);
                    }
                }, false);
            }
            for (int i = 0; i < databases.size(); i++)
            {
                final Database database = databases.get(i);
                database.lastTxOffset = targets.get(i).lastTxOffset;
                database.durablePublished = database.lastTxOffset;
                replayed += targets.get(i).records;
                registry.add(database);
                rescheduleAll(database);
            }
            databases.clear();
            if (logLast >= 0)
            {
                nextTxOffset = Math.max(nextTxOffset, logLast + 1);
            }
            lastDurableTxOffset = Math.max(lastDurableTxOffset, sink.durableTxOffset());
            ctx.counter(TxnLoopCounter.RECOVERY_TIME_US).setRelease((System.nanoTime() - recoveryStartNs) / 1000);
            return new RecoveryReport(targets.size(), replayed, nextTxOffset, problems);
        }
        catch (final IOException ex)
        {
            throw new io.lightcone.txn.recovery.RecoveryException("cannot read " + dbRoot + ": " + ex.getMessage(),
                ex);
        }
        finally
        {
            for (final Database database : databases)
            {
                database.close();
            }
        }
    }

    private Database recoverDatabase(
        final Path dir,
        final Properties properties,
        final Path moduleFile,
        final long logFirst,
        final long logLast,
        final long created,
        final List<String> problems) throws IOException
    {
        final String name = properties.getProperty("name");
        final byte[] owner = fromHexBigEndian(properties.getProperty("owner"));
        final byte[] identity = Database.deriveIdentity(name, owner);
        final long id = Database.deriveId(identity);
        if (!Long.toString(id).equals(dir.getFileName().toString()))
        {
            throw new io.lightcone.txn.recovery.RecoveryException(dir + ": database.properties names database " +
                name + " of id " + id + ", not the directory's", null);
        }
        final CompiledModule compiled;
        try
        {
            compiled = moduleLoader().load(Files.readAllBytes(moduleFile));
        }
        catch (final RuntimeException ex)
        {
            throw new io.lightcone.txn.recovery.RecoveryException(moduleFile + ": cannot load the module: " +
                ex.getMessage(), ex);
        }
        final io.lightcone.core.snapshot.Snapshot.Loaded loaded = io.lightcone.txn.recovery.Recovery
            .loadNewestSnapshot(io.lightcone.txn.recovery.DatabaseLayout.of(ctx.dataDir().toPath(),
            dir.getFileName().toString()), logFirst, logLast, problems);
        final Datastore datastore = null == loaded ? new Datastore() : loaded.datastore();
        final Database[] self = new Database[1];
        final ModuleInstance instance;
        try
        {
            instance = newInstance(compiled, datastore, identity, self);
            if (null == loaded)
            {
                if (logFirst > created)
                {
                    throw new io.lightcone.txn.recovery.RecoveryException(dir + ": no valid snapshot, and the log " +
                        "in " + ctx.commitLogContext().dir() + " starts at tx offset " + logFirst +
                        " after the database's creation at " + created, null);
                }
                for (final TableSchema schema : instance.moduleDef().tables())
                {
                    datastore.createTable(schema);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            datastore.close();
            throw ex;
        }
        final Database database = new Database(id, name, identity, owner, compiled.sha256(), datastore, instance,
            dir);
        database.metrics(DatabaseMetrics.open(ctx.metrics(), database, errorHandler));
        self[0] = database;
        database.names(DatabaseSettingsFormat.splitNames(properties.getProperty("names", name).replace(',', '\n')));
        for (final String variable : DatabaseSettingsFormat.VARIABLES)
        {
            final String value = properties.getProperty("var." + variable);
            if (null != value)
            {
                database.variables().put(variable, Long.parseUnsignedLong(value));
            }
        }
        database.programHash(programHash(Files.readAllBytes(moduleFile)));
        database.createdTxOffset = created;
        database.lastTxOffset = null == loaded ? -1 : loaded.txOffset();
        database.recoveredAnchors = null == loaded ? new java.util.HashMap<>() : ScheduleAnchors.read(
            ScheduleAnchors.fileFor(io.lightcone.txn.recovery.DatabaseLayout.of(ctx.dataDir().toPath(),
            dir.getFileName().toString()).snapshotFile(loaded.txOffset())), problems);
        database.tablesCreated();
        return database;
    }

    private static byte[] fromHexBigEndian(final String hex)
    {
        final byte[] bigEndian = java.util.HexFormat.of().parseHex(hex);
        final byte[] littleEndian = new byte[bigEndian.length];
        for (int i = 0; i < bigEndian.length; i++)
        {
            littleEndian[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return littleEndian;
    }

    // ------------------------------------------------------------------ public, thread safe

    /**
     * Runs a task on the loop thread at the start of a coming duty cycle (control operations, tests).
     *
     * @param task the task.
     */
    public void execute(final Runnable task)
    {
        tasks.add(task);
    }

    /**
     * Asks for a snapshot of a database; it is written on the loop thread in a coming duty cycle.
     *
     * @param databaseName the database.
     */
    public void requestSnapshot(final String databaseName)
    {
        execute(() ->
        {
            final Database database = registry.byName(databaseName);
            if (null != database)
            {
                snapshot(database);
            }
        });
    }

    /**
     * What {@link #snapshotAll()} wrote for one database.
     *
     * @param databaseId      the database id.
     * @param name            the database name.
     * @param dir             its directory, {@code <dataDir>/db/<id>}.
     * @param txOffset        the last tx offset the snapshot holds.
     * @param createdTxOffset the tx offset that created the database.
     * @param file            the snapshot file, or null when writing it failed (reported to the error handler).
     */
    public record SnapshotTaken(
        long databaseId, String name, Path dir, long txOffset, long createdTxOffset, Path file)
    {
    }

    /**
     * Loop thread only (through {@link EmbeddedCore#onLoop}): writes a snapshot of every database now, each at its
     * last tx offset (which may not be durable yet: wait for the log's durable offset to reach it before relying
     * on the file). For online backups and a graceful shutdown.
     *
     * @return one entry per database, in registry order.
     */
    public List<SnapshotTaken> snapshotAll()
    {
        final List<SnapshotTaken> taken = new java.util.ArrayList<>(registry.size());
        for (int i = 0; i < registry.size(); i++)
        {
            final Database database = registry.get(i);
            final Path file = snapshot(database);
            taken.add(new SnapshotTaken(database.id(), database.name(), database.dir(), database.lastTxOffset,
                database.createdTxOffset, file));
        }
        return taken;
    }

    /**
     * Loop thread only: holds retention (no snapshot or log segment is removed) until as many
     * {@link #releaseRetention()} calls; an online backup holds it while it copies files.
     */
    public void holdRetention()
    {
        retentionHolds++;
    }

    /**
     * Loop thread only: releases one {@link #holdRetention()}; retention that came due meanwhile runs in a coming
     * duty cycle.
     */
    public void releaseRetention()
    {
        if (retentionHolds > 0)
        {
            retentionHolds--;
        }
    }

    /**
     * Loop thread only: stops taking new work for good: ingress is no longer polled and no scheduled or immediate
     * reducer runs; the commit-log and egress backlogs still drain and {@code Durable} is still published. The first
     * step of a graceful shutdown, so that a snapshot taken after it is the last state.
     */
    public void quiesce()
    {
        quiesced = true;
    }

    /**
     * @return true once {@link #quiesce()} was called.
     */
    public boolean isQuiesced()
    {
        return quiesced;
    }

    // ------------------------------------------------------------------ loop thread accessors

    /**
     * @return the databases (loop thread only).
     */
    public DatabaseRegistry registry()
    {
        return registry;
    }

    /**
     * The next intended tick of every interval schedule of a database (loop thread; tests and tools).
     *
     * @param databaseName the database.
     * @return epoch µs, one per interval row.
     */
    public List<Long> intervalTicks(final String databaseName)
    {
        final List<Long> ticks = new java.util.ArrayList<>();
        final Database database = registry.byName(databaseName);
        if (null != database)
        {
            scheduler.forEachInterval(database, (tableId, row, intendedMicros) -> ticks.add(intendedMicros));
        }
        return ticks;
    }

    /**
     * @return the tx offset the next commit gets.
     */
    public long nextTxOffset()
    {
        return nextTxOffset;
    }

    /**
     * @return the tick jitter histogram: bucket 0 = on time, bucket b = late by [2^(b-1), 2^b) µs.
     */
    public long[] tickJitterHistogram()
    {
        return scheduler.jitterHistogram();
    }

    /**
     * @return the largest tick jitter seen, µs.
     */
    public long tickJitterMaxMicros()
    {
        return scheduler.jitterMaxMicros();
    }

    /**
     * @return timers armed for schedule-table rows.
     */
    public int scheduledTimerCount()
    {
        return scheduler.scheduledCount();
    }

    /**
     * @return ingress messages dropped by the adapter (unknown schema or template, malformed, ...).
     */
    public long ingressDroppedCount()
    {
        return ingressAdapter.droppedCount();
    }

    /**
     * @return the ingress adapter, for its counters.
     */
    public CoreIngressAdapter ingressAdapter()
    {
        return ingressAdapter;
    }

    /**
     * @return bytes waiting for the egress publication.
     */
    public int egressQueuedBytes()
    {
        return egress.queuedBytes();
    }

    /**
     * @return bytes waiting for the commit sink.
     */
    public int logQueuedBytes()
    {
        return pendingLog.size();
    }

    // ------------------------------------------------------------------ ingress

    /**
     * {@inheritDoc}
     */
    public void onCallReducer(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final int callerIdentityOffset,
        final long timestampMicros,
        final int flags,
        final int nameOffset,
        final int nameLength,
        final int argsOffset,
        final int argsLength)
    {
        final Database database = registry.byId(databaseId);
        if (null == database)
        {
            ingressRejected.incrementRelease();
            callFailed(databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, 0, Outcome.INTERNAL_ERROR,
                buffer, nameOffset, nameLength, "no database with id " + Long.toUnsignedString(databaseId));
            return;
        }
        final ReducerDef reducer = reducerByName(database.moduleDef(), buffer, nameOffset, nameLength);
        String refusal = null;
        if (null == reducer)
        {
            refusal = "no such reducer: " + buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        }
        else if (null != reducer.lifecycle() || !reducer.clientCallable())
        {
            refusal = "reducer " + reducer.name() + " cannot be called by clients";
        }
        else
        {
            refusal = checkArgs(reducer.params(), buffer, argsOffset, argsLength, "reducer ", reducer.name());
        }
        if (null != refusal)
        {
            failed.incrementRelease();
            callFailed(databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, 0, Outcome.INTERNAL_ERROR,
                buffer, nameOffset, nameLength, refusal);
            return;
        }
        buffer.getBytes(callerIdentityOffset, sender);
        putConnectionId(connectionIdLo, connectionIdHi);
        if (callArgs.length < argsLength)
        {
            callArgs = new byte[Math.max(argsLength, callArgs.length * 2)];
        }
        buffer.getBytes(argsOffset, callArgs, 0, argsLength);
        final long timestamp = txTimestamp();
        final MutTx tx = begin(database);
        final CallOutcome outcome = callCheckedReducer(
            database, tx, reducer, sender, connectionId, timestamp, callArgs, argsLength);
        final long durationMicros = lastCallMicros;
        if (outcome.isOk())
        {
            if (commit(database, tx, timestamp, durationMicros, buffer, nameOffset, nameLength, buffer,
                callerIdentityOffset, connectionIdLo, connectionIdHi, requestId) >= 0)
            {
                queueImmediateCalls(database);
            }
            else
            {
                failed.incrementRelease();
                callFailed(databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, durationMicros,
                    Outcome.USER_ERROR, buffer, nameOffset, nameLength, commitRefusal);
            }
        }
        else
        {
            rollback(tx);
            failed.incrementRelease();
            callFailed(databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, durationMicros,
                outcome(outcome.status()), buffer, nameOffset, nameLength, outcome.message());
        }
        publishModuleLogs(database);
    }

    /**
     * {@inheritDoc}
     */
    public void onCallProcedure(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final int callerIdentityOffset,
        final long timestampMicros,
        final int flags,
        final int nameOffset,
        final int nameLength,
        final int argsOffset,
        final int argsLength)
    {
        final Database database = registry.byId(databaseId);
        if (null == database)
        {
            ingressRejected.incrementRelease();
            procedureResult(databaseId, 0, edgeId, requestId, connectionIdLo, connectionIdHi, nowMicros, 0,
                ProcedureStatus.INTERNAL_ERROR, EMPTY, "no database with id " + Long.toUnsignedString(databaseId));
            return;
        }
        final String name = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        final ProcedureDef procedure = database.moduleDef().procedure(name);
        final String refusal = null == procedure ? "no such procedure: " + name :
            checkArgs(procedure.params(), buffer, argsOffset, argsLength, "procedure ", name);
        if (null != refusal)
        {
            failed.incrementRelease();
            procedureResult(databaseId, 0, edgeId, requestId, connectionIdLo, connectionIdHi, nowMicros, 0,
                ProcedureStatus.INTERNAL_ERROR, EMPTY, refusal);
            return;
        }
        buffer.getBytes(callerIdentityOffset, sender);
        putConnectionId(connectionIdLo, connectionIdHi);
        final byte[] args = new byte[argsLength];
        buffer.getBytes(argsOffset, args);
        final long txBefore = database.lastTxOffset;
        final long startMicros = txTimestamp();
        final long startNs = System.nanoTime();
        procedureDatabase = database;
        final CallOutcome outcome;
        try
        {
            outcome = database.instance().callProcedure(procedure.id(), sender, connectionId, startMicros, args);
        }
        finally
        {
            procedureDatabase = null;
        }
        final long durationMicros = (System.nanoTime() - startNs) / 1000;
        final long txOffset = database.lastTxOffset != txBefore ? database.lastTxOffset : 0;
        if (outcome.isOk())
        {
            procedureResult(databaseId, txOffset, edgeId, requestId, connectionIdLo, connectionIdHi, startMicros,
                durationMicros, ProcedureStatus.RETURNED, outcome.output(), "");
        }
        else
        {
            failed.incrementRelease();
            procedureResult(databaseId, txOffset, edgeId, requestId, connectionIdLo, connectionIdHi, startMicros,
                durationMicros, procedureStatus(outcome.status()), EMPTY, outcome.message());
        }
        publishModuleLogs(database);
    }

    /**
     * {@inheritDoc}
     */
    public void onClientConnected(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final long connectionIdLo,
        final long connectionIdHi,
        final int identityOffset,
        final long timestampMicros,
        final int jwtOffset,
        final int jwtLength)
    {
        final int nameLength = utf8(nameBuffer, Lifecycle.ON_CONNECT);
        final Database database = registry.byId(databaseId);
        if (null == database)
        {
            ingressRejected.incrementRelease();
            callFailed(databaseId, edgeId, 0, connectionIdLo, connectionIdHi, 0, Outcome.INTERNAL_ERROR,
                nameBuffer, 0, nameLength, "no database with id " + Long.toUnsignedString(databaseId));
            return;
        }
        database.connect(connectionIdLo, connectionIdHi, buffer.getStringWithoutLengthUtf8(jwtOffset, jwtLength));
        if (!runLifecycle(database, Lifecycle.ON_CONNECT, buffer, identityOffset, edgeId, connectionIdLo,
            connectionIdHi))
        {
            database.disconnect(connectionIdLo, connectionIdHi);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onClientDisconnected(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final long connectionIdLo,
        final long connectionIdHi,
        final int identityOffset,
        final long timestampMicros)
    {
        final Database database = registry.byId(databaseId);
        if (null == database)
        {
            ingressRejected.incrementRelease();
            return;
        }
        try
        {
            runLifecycle(database, Lifecycle.ON_DISCONNECT, buffer, identityOffset, edgeId, connectionIdLo,
                connectionIdHi);
        }
        finally
        {
            database.disconnect(connectionIdLo, connectionIdHi);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onSqlDml(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final int callerIdentityOffset,
        final int sqlOffset,
        final int sqlLength)
    {
        final Database database = registry.byId(databaseId);
        if (null == database)
        {
            ingressRejected.incrementRelease();
            requestCompleted(databaseId, 0, edgeId, requestId, Outcome.INTERNAL_ERROR,
                "no database with id " + Long.toUnsignedString(databaseId));
            return;
        }
        final byte[] caller = new byte[32];
        buffer.getBytes(callerIdentityOffset, caller);
        if (!database.isOwner(caller))
        {
            failed.incrementRelease();
            requestCompleted(databaseId, 0, edgeId, requestId, Outcome.USER_ERROR,
                "only the owner of database " + database.name() + " may run INSERT, UPDATE or DELETE");
            return;
        }
        final String sql = buffer.getStringWithoutLengthUtf8(sqlOffset, sqlLength);
        if (setVariable(database, sql, edgeId, requestId))
        {
            return;
        }
        final byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            bigEndian[i] = caller[31 - i];
        }
        final long timestamp = txTimestamp();
        final MutTx tx = begin(database);
        final long startNs = System.nanoTime();
        final SqlResult result;
        try
        {
            result = sqlExecutor.execute(sql,
                Catalog.of(database.datastore(), new java.math.BigInteger(1, bigEndian), true), tx);
        }
        catch (final SqlException | RuntimeException ex)
        {
            rollback(tx);
            failed.incrementRelease();
            requestCompleted(databaseId, 0, edgeId, requestId, Outcome.USER_ERROR, String.valueOf(ex.getMessage()));
            return;
        }
        final long durationMicros = (System.nanoTime() - startNs) / 1000;
        final long txOffset = commit(database, tx, timestamp, durationMicros, nameBuffer, 0, 0, buffer,
            callerIdentityOffset, connectionIdLo, connectionIdHi, requestId);
        if (txOffset < 0)
        {
            failed.incrementRelease();
            requestCompleted(databaseId, 0, edgeId, requestId, Outcome.USER_ERROR, commitRefusal);
            return;
        }
        requestCompleted(databaseId, txOffset, edgeId, requestId, Outcome.COMMITTED,
            "{\"rows_inserted\":" + result.rowsInserted() + ",\"rows_deleted\":" + result.rowsDeleted() +
            ",\"rows_updated\":" + result.rowsUpdated() + "}");
    }

    /**
     * {@code SET var = lit} (SpacetimeDB's st_var, owner checked by the caller): the value goes into the
     * database's variables, {@code database.properties} and a DatabaseSettings to every edge.
     *
     * @return false when the statement is not a SET (or does not parse: the executor reports that).
     */
    private boolean setVariable(final Database database, final String sql, final int edgeId, final int requestId)
    {
        final SqlAst.SetVar set;
        try
        {
            if (!(SqlParser.parse(sql) instanceof SqlAst.SetVar parsed))
            {
                return false;
            }
            set = parsed;
        }
        catch (final SqlException ex)
        {
            return false;
        }
        String refusal = null;
        long value = 0;
        if (!DatabaseSettingsFormat.VARIABLES.contains(set.name()))
        {
            refusal = set.name() + " is not a valid system variable";
        }
        else if (set.value().kind() != SqlAst.LiteralKind.NUMBER || set.value().text().startsWith("-"))
        {
            refusal = "invalid literal for " + set.name() + ": expected an unsigned integer (U64), found " +
                set.value().toSql();
        }
        else
        {
            try
            {
                value = Long.parseUnsignedLong(set.value().text());
            }
            catch (final NumberFormatException ex)
            {
                refusal = "invalid literal for " + set.name() + ": " + set.value().text() + " is not a U64";
            }
        }
        if (null != refusal)
        {
            failed.incrementRelease();
            requestCompleted(database.id(), 0, edgeId, requestId, Outcome.USER_ERROR, refusal);
            return true;
        }
        database.variables().put(set.name(), value);
        persistAndPublishSettings(database);
        requestCompleted(database.id(), 0, edgeId, requestId, Outcome.COMMITTED,
            "{\"rows_inserted\":0,\"rows_deleted\":0,\"rows_updated\":0}");
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public void onPublishModule(
        final DirectBuffer buffer,
        final int edgeId,
        final int requestId,
        final int ownerIdentityOffset,
        final boolean clear,
        final int nameOffset,
        final int nameLength,
        final int moduleOffset,
        final int moduleLength)
    {
        final String name = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        final byte[] owner = new byte[32];
        buffer.getBytes(ownerIdentityOffset, owner);
        final byte[] module = new byte[moduleLength];
        buffer.getBytes(moduleOffset, module);
        publish(name, owner, module, clear, edgeId, requestId);
    }

    /**
     * {@inheritDoc}
     */
    public void onDeleteDatabase(
        final DirectBuffer buffer,
        final int edgeId,
        final int requestId,
        final int callerIdentityOffset,
        final int nameOffset,
        final int nameLength)
    {
        final Database database = ownedDatabase(buffer, nameOffset, nameLength, callerIdentityOffset, edgeId,
            requestId, "delete");
        if (null == database)
        {
            return;
        }
        drop(database, true);
        requestCompleted(database.id(), 0, edgeId, requestId, Outcome.COMMITTED, "");
    }

    /**
     * {@inheritDoc}
     * <p>
     * As SpacetimeDB: an added name must not exist yet ("record with the name … already exists"); a replacing list
     * must not hold a name of another database ("Cannot rename to … because it already is in use."); owner only.
     * The names are persisted in {@code database.properties} and sent to every edge as DatabaseSettings.
     */
    public void onSetDatabaseNames(
        final DirectBuffer buffer,
        final int edgeId,
        final int requestId,
        final int callerIdentityOffset,
        final boolean replace,
        final int nameOffset,
        final int nameLength,
        final int namesOffset,
        final int namesLength)
    {
        final Database database = ownedDatabase(buffer, nameOffset, nameLength, callerIdentityOffset, edgeId,
            requestId, "rename");
        if (null == database)
        {
            return;
        }
        final List<String> names = DatabaseSettingsFormat.splitNames(
            buffer.getStringWithoutLengthUtf8(namesOffset, namesLength));
        final List<String> next = new ArrayList<>(replace ? List.of() : database.names());
        for (final String name : names)
        {
            final String invalid = DatabaseSettingsFormat.checkName(name);
            final Database holder = registry.byName(name);
            String refusal = null;
            if (null != invalid)
            {
                refusal = "Error parsing `" + name + "`: " + invalid;
            }
            else if (!replace && null != holder)
            {
                refusal = "record with the name " + name + " already exists";
            }
            else if (null != holder && holder != database)
            {
                refusal = "Cannot rename to " + name + " because it already is in use.";
            }
            if (null != refusal)
            {
                requestCompleted(database.id(), 0, edgeId, requestId, Outcome.USER_ERROR, refusal);
                return;
            }
            if (!next.contains(name))
            {
                next.add(name);
            }
        }
        registry.rename(database, next);
        persistAndPublishSettings(database);
        requestCompleted(database.id(), 0, edgeId, requestId, Outcome.COMMITTED, "");
    }

    /**
     * The database a request names (any of its names or its identity hex) when the caller owns it; otherwise the
     * request is answered ({@code no such database: …} or {@code only the owner may <action> database …}).
     *
     * @return the database, or null when the request was refused.
     */
    private Database ownedDatabase(
        final DirectBuffer buffer,
        final int nameOffset,
        final int nameLength,
        final int callerIdentityOffset,
        final int edgeId,
        final int requestId,
        final String action)
    {
        final String name = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        final Database database = registry.resolve(name);
        if (null == database)
        {
            requestCompleted(0, 0, edgeId, requestId, Outcome.USER_ERROR, "no such database: " + name);
            return null;
        }
        final byte[] caller = new byte[32];
        buffer.getBytes(callerIdentityOffset, caller);
        if (!database.isOwner(caller))
        {
            requestCompleted(database.id(), 0, edgeId, requestId, Outcome.USER_ERROR,
                "only the owner may " + action + " database " + name);
            return null;
        }
        return database;
    }

    /**
     * {@inheritDoc}
     */
    public void onEdgeBootstrap(final int edgeId, final long fromTxOffset)
    {
        for (int i = 0; i < registry.size(); i++)
        {
            bootstrap(registry.get(i), edgeId);
        }
    }

    /**
     * Brings an edge up to date with one database, between transactions on the loop thread, so the state is
     * consistent: SchemaChanged (as on create) at the database's last tx offset, then its rows as
     * {@code SnapshotChunk}s for that edge at that offset (table sections in {@link SnapshotChunkFormat}, each chunk
     * at most {@link TxnLoopContext#bootstrapChunkLength()} bytes unless one row is larger, the last one flagged),
     * then Durable up to what edges were told. An edge that does not know the database creates it just below that
     * offset and appends the chunks' rows; an edge that already knows it ignores them. Later TxCommitted apply on
     * top. No message holds more than a chunk, so a database of any size bootstraps; every chunk is queued in this
     * call (the egress FIFO holds the database's rows once, transiently).
     *
     * @param database to send.
     * @param edgeId   the edge asking.
     */
    private void bootstrap(final Database database, final int edgeId)
    {
        final long txOffset = database.lastTxOffset;
        publishSchema(database, Math.max(0, txOffset), schemaBytes(database.datastore()));
        publishSettings(database);
        if (txOffset < 0)
        {
            return;
        }
        final int limit = ctx.bootstrapChunkLength();
        final ExpandableArrayBuffer chunk = new ExpandableArrayBuffer(Math.min(limit, 64 * 1024));
        final ExpandableArrayBuffer row = new ExpandableArrayBuffer(256);
        int position = 0;
        int chunkIndex = 0;
        for (final StoredTable table : database.datastore().tables())
        {
            final UnsafeBuffer tableName = database.tableName(table.tableId());
            final int nameLength = tableName.capacity();
            int section = -1;
            int sectionRows = 0;
            for (int rowId = table.rows().nextLive(0); rowId >= 0; rowId = table.rows().nextLive(rowId + 1))
            {
                final int rowLength = table.rows().writeRow(rowId, row, 0);
                final int needed = (section < 0 ? SnapshotChunkFormat.headerLength(nameLength) : 0) + rowLength;
                if (position > 0 && position + needed > limit)
                {
                    if (section >= 0)
                    {
                        SnapshotChunkFormat.putRowsLength(chunk, section, nameLength, sectionRows);
                    }
                    snapshotChunk(database, txOffset, edgeId, chunkIndex++, false, chunk, position);
                    position = 0;
                    section = -1;
                }
                if (section < 0)
                {
                    section = position;
                    sectionRows = 0;
                    position += SnapshotChunkFormat.putHeader(chunk, position, table.tableId(), tableName, 0,
                        nameLength, 0);
                }
                chunk.putBytes(position, row, 0, rowLength);
                position += rowLength;
                sectionRows += rowLength;
            }
            if (section >= 0)
            {
                SnapshotChunkFormat.putRowsLength(chunk, section, nameLength, sectionRows);
            }
        }
        snapshotChunk(database, txOffset, edgeId, chunkIndex, true, chunk, position);
        if (database.durablePublished >= 0 && egress.encoder().durable(database.id(), database.durablePublished))
        {
            egress.enqueueCaptured();
        }
    }

    private void snapshotChunk(
        final Database database,
        final long txOffset,
        final int edgeId,
        final int chunkIndex,
        final boolean last,
        final DirectBuffer chunk,
        final int length)
    {
        if (egress.encoder().snapshotChunk(database.id(), txOffset, edgeId, chunkIndex, last, chunk, 0, length))
        {
            egress.enqueueCaptured();
        }
        else
        {
            errorHandler.onError(new IllegalStateException("bootstrap chunk " + chunkIndex + " of database " +
                database.name() + " too large to encode: " + length + " bytes (a row larger than the reassembly " +
                "bound?)"));
        }
    }

    // ------------------------------------------------------------------ publish / drop

    private void publish(
        final String nameOrIdentity, final byte[] owner, final byte[] module, final boolean clear, final int edgeId,
        final int requestId)
    {
        final Database existing = registry.resolve(nameOrIdentity);
        final String name = null == existing ? nameOrIdentity : existing.name();
        if (null != existing && !existing.isOwner(owner))
        {
            requestCompleted(existing.id(), 0, edgeId, requestId, Outcome.USER_ERROR,
                "database " + name + " is owned by another identity");
            return;
        }
        final byte[] identity = Database.deriveIdentity(name, owner);
        final long id = Database.deriveId(identity);
        final Database clash = registry.byId(id);
        if (null != clash && clash != existing)
        {
            requestCompleted(0, 0, edgeId, requestId, Outcome.INTERNAL_ERROR,
                "database id " + id + " of " + name + " collides with " + clash.name());
            return;
        }
        final CompiledModule compiled;
        try
        {
            compiled = moduleLoader().load(module);
        }
        catch (final RuntimeException ex)
        {
            requestCompleted(null == existing ? 0 : existing.id(), 0, edgeId, requestId, Outcome.INTERNAL_ERROR,
                "module refused: " + ex.getMessage());
            return;
        }
        if (null != existing && !clear && existing.moduleHash().equals(compiled.sha256()))
        {
            requestCompleted(existing.id(), 0, edgeId, requestId, Outcome.COMMITTED, "module unchanged");
            return;
        }

        if (null != existing && !clear)
        {
            update(existing, compiled, module, edgeId, requestId);
            return;
        }
        final Path dir = ctx.dataDir().toPath().resolve("db").resolve(Long.toString(id));
        final Datastore datastore = new Datastore();
        final Database[] self = new Database[1];
        final ModuleInstance instance;
        try
        {
            instance = newInstance(compiled, datastore, identity, self);
        }
        catch (final RuntimeException ex)
        {
            datastore.close();
            requestCompleted(null == existing ? 0 : existing.id(), 0, edgeId, requestId, Outcome.INTERNAL_ERROR,
                "module refused: " + ex.getMessage());
            return;
        }
        final Database database = new Database(id, name, identity, owner, compiled.sha256(), datastore, instance,
            dir);
        database.metrics(DatabaseMetrics.open(ctx.metrics(), database, errorHandler));
        database.programHash(programHash(module));
        self[0] = database;
        if (null != existing)
        {
            // As SpacetimeDB's clear: the names stay with the database, its st_var goes with its data.
            database.names(existing.names());
            drop(existing, true);
        }
        create(database, module, edgeId, requestId);
    }

    private ModuleInstance newInstance(
        final CompiledModule compiled, final Datastore datastore, final byte[] identity, final Database[] self)
    {
        return ModuleInstance.create(compiled, new ModuleHostContext()
            .datastore(datastore)
            .databaseIdentity(identity)
            .describeDecoder(TxnLoopAgent::decodeModuleDef)
            .callBudget(reducerBudget)
            .jwtPayloads((connection) -> null == self[0] ? null : self[0].jwtPayload(connection))
            .procedureCommitter(this::commitProcedureTx));
    }

    /**
     * Republish without clear: {@link MigrationPlanner} compares the modules; a refusal is answered with its
     * reasons joined; an allowed plan is applied with {@link MigrationExecutor} on this thread (all or nothing),
     * after everything logged so far is durable, then a snapshot is written (the migrated schema's starting point
     * for recovery, which replays later records onto it) and the module files are replaced.
     */
    private void update(
        final Database existing, final CompiledModule compiled, final byte[] module, final int edgeId,
        final int requestId)
    {
        final Database[] self = new Database[1];
        final ModuleInstance instance;
        try
        {
            instance = newInstance(compiled, existing.datastore(), existing.identity(), self);
        }
        catch (final RuntimeException ex)
        {
            requestCompleted(existing.id(), 0, edgeId, requestId, Outcome.INTERNAL_ERROR,
                "module refused: " + ex.getMessage());
            return;
        }
        final MigrationPlan plan = MigrationPlanner.plan(existing.moduleDef(), instance.moduleDef());
        if (plan.isRefused())
        {
            instance.close();
            requestCompleted(existing.id(), 0, edgeId, requestId, Outcome.USER_ERROR,
                "update refused: " + String.join("; ", plan.refusals()));
            return;
        }
        if (!awaitDurable(existing.lastTxOffset))
        {
            instance.close();
            requestCompleted(existing.id(), 0, edgeId, requestId, Outcome.INTERNAL_ERROR,
                "update refused: the commit log did not become durable in time");
            return;
        }
        try
        {
            MigrationExecutor.apply(existing.datastore(), plan);
        }
        catch (final MigrationRefusedException | IllegalStateException ex)
        {
            instance.close();
            requestCompleted(existing.id(), 0, edgeId, requestId, Outcome.USER_ERROR,
                "update refused: " + ex.getMessage());
            return;
        }
        scheduler.cancelAll(existing);
        registry.remove(existing);
        immediateCalls.removeIf((call) -> call.database == existing);
        existing.instance().close();
        final Database database = new Database(existing.id(), existing.name(), existing.identity(),
            existing.owner(), compiled.sha256(), existing.datastore(), instance, existing.dir());
        CloseHelper.close(existing.metrics());
        database.metrics(DatabaseMetrics.open(ctx.metrics(), database, errorHandler));
        self[0] = database;
        database.takeOver(existing);
        database.programHash(programHash(module));
        database.tablesCreated();
        registry.add(database);
        rescheduleAll(database);
        if (database.lastTxOffset >= 0 && null == snapshot(database))
        {
            errorHandler.onError(new IllegalStateException("database " + database.name() + " was migrated but " +
                "its snapshot failed: recovery needs it before the next restart"));
        }
        try
        {
            writeDatabaseFiles(database, module);
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
        publishSchema(database, Math.max(0, database.lastTxOffset), schemaBytes(database.datastore()));
        publishSettings(database);
        requestCompleted(database.id(), Math.max(0, database.lastTxOffset), edgeId, requestId, Outcome.COMMITTED,
            plan.describe());
    }

    /**
     * Waits (on the loop thread: migrations only) until the sink is durable up to a tx offset.
     */
    private boolean awaitDurable(final long txOffset)
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (sink.durableTxOffset() < txOffset || !pendingLog.isEmpty())
        {
            drainLog();
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /**
     * Schedules every row of the database's schedule tables (after recovery or a migration; timers live only in
     * memory).
     */
    private void rescheduleAll(final Database database)
    {
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
        for (final StoredTable table : database.datastore().tables())
        {
            final Database.ScheduleTable scheduleTable = database.scheduleTable(table.tableId());
            if (null == scheduleTable)
            {
                continue;
            }
            final io.lightcone.core.table.Table rows = table.rows();
            for (int rowId = rows.nextLive(0); rowId >= 0; rowId = rows.nextLive(rowId + 1))
            {
                final int length = rows.writeRow(rowId, scratch, 0);
                final byte[] row = new byte[length];
                scratch.getBytes(0, row);
                final Long anchor = null == database.recoveredAnchors ? null :
                    database.recoveredAnchors.get(ScheduleAnchors.key(table.tableId(), row));
                scheduler.schedule(database, table.tableId(), scheduleTable, row, nowMicros,
                    null == anchor ? Scheduler.NO_ANCHOR : anchor);
            }
        }
        database.recoveredAnchors = null;
    }

    private void create(final Database database, final byte[] module, final int edgeId, final int requestId)
    {
        final Datastore datastore = database.datastore();
        try
        {
            for (final TableSchema schema : database.moduleDef().tables())
            {
                datastore.createTable(schema);
            }
            database.tablesCreated();
        }
        catch (final RuntimeException ex)
        {
            database.close();
            requestCompleted(database.id(), 0, edgeId, requestId, Outcome.INTERNAL_ERROR,
                "cannot create tables: " + ex.getMessage());
            return;
        }

        final ReducerDef init = database.moduleDef().lifecycleReducer(Lifecycle.INIT);
        final long timestamp = txTimestamp();
        final MutTx tx = begin(database);
        final CallOutcome outcome = null == init ? CallOutcome.ok() :
            callReducer(database, tx, init, database.owner(), ZERO_CONNECTION, timestamp, EMPTY);
        final long durationMicros = null == init ? 0 : lastCallMicros;
        if (!outcome.isOk())
        {
            rollback(tx);
            database.close();
            failed.incrementRelease();
            requestCompleted(database.id(), 0, edgeId, requestId, outcome(outcome.status()),
                "init failed: " + outcome.message());
            return;
        }
        // Prepared before anything is published, so an init too large for the wire refuses the publish whole; the
        // init name gets its own buffer because publishSchema reuses nameBuffer before the commit is finished.
        final UnsafeBuffer initName = new UnsafeBuffer(null == init ? EMPTY :
            init.name().getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer owner = new UnsafeBuffer(database.owner());
        final TxDelta delta = prepareCommit(database, tx, timestamp, durationMicros, initName, 0, initName.capacity(),
            owner, 0, 0, 0, 0);
        if (null == delta)
        {
            database.close();
            failed.incrementRelease();
            requestCompleted(database.id(), 0, edgeId, requestId, Outcome.USER_ERROR, "init failed: " + commitRefusal);
            return;
        }
        database.createdTxOffset = nextTxOffset;
        try
        {
            writeDatabaseFiles(database, module);
        }
        catch (final IOException | RuntimeException ex)
        {
            rollback(tx);
            database.close();
            errorHandler.onError(ex);
            requestCompleted(database.id(), 0, edgeId, requestId, Outcome.INTERNAL_ERROR,
                "cannot write database files: " + ex.getMessage());
            return;
        }
        registry.add(database);
        publishSchema(database, nextTxOffset, schemaBytes(datastore));
        publishSettings(database);
        final long txOffset = publishCommit(database, tx, delta, timestamp);
        queueImmediateCalls(database);
        publishModuleLogs(database);
        requestCompleted(database.id(), txOffset, edgeId, requestId, Outcome.COMMITTED, "");
    }

    private void drop(final Database database, final boolean deleteFiles)
    {
        scheduler.cancelAll(database);
        registry.remove(database);
        immediateCalls.removeIf((call) -> call.database == database);
        publishSchema(database, Math.max(0, database.lastTxOffset), EMPTY);
        database.close();
        if (deleteFiles)
        {
            IoUtil.delete(database.dir().toFile(), true);
        }
    }

    private static void writeDatabaseFiles(final Database database, final byte[] module) throws IOException
    {
        Files.createDirectories(database.dir().resolve("snapshots"));
        writeAtomically(database.dir().resolve("module.wasm"), module);
        writeDatabaseProperties(database);
    }

    /**
     * {@code database.properties}: id, name (the creation name: identity and directory), identity, owner, module
     * hash, creating tx offset, the names it answers to ({@code names}, comma separated) and its st_var variables
     * ({@code var.<name>}).
     */
    private static void writeDatabaseProperties(final Database database) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("names", String.join(",", database.names()));
        database.variables().forEach((variable, value) ->
            properties.setProperty("var." + variable, Long.toUnsignedString(value)));
        properties.setProperty("id", Long.toString(database.id()));
        properties.setProperty("name", database.name());
        properties.setProperty("identity", hexBigEndian(database.identityBytes()));
        properties.setProperty("owner", hexBigEndian(database.owner()));
        properties.setProperty("moduleHash", database.moduleHash());
        properties.setProperty("createdTxOffset", Long.toString(database.createdTxOffset));
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        properties.store(out, "Lightcone database");
        writeAtomically(database.dir().resolve("database.properties"), out.toByteArray());
    }

    private static void writeAtomically(final Path file, final byte[] bytes) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(tmp,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING))
        {
            final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] schemaBytes(final Datastore datastore)
    {
        final BsatnWriter writer = new BsatnWriter();
        final List<StoredTable> tables = datastore.tables();
        writer.writeU32(tables.size());
        for (final StoredTable table : tables)
        {
            SchemaCodec.encode(writer, table.schema());
        }
        return writer.toByteArray();
    }

    /**
     * After a change of a database's names or variables: writes {@code database.properties} (an I/O error goes to
     * the error handler: the change still holds in memory and reaches the edges) and tells the edges.
     */
    private void persistAndPublishSettings(final Database database)
    {
        try
        {
            writeDatabaseProperties(database);
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
        publishSettings(database);
    }

    /**
     * Tells the edges a live database's names, st_var variables and program hash (after its SchemaChanged, and on
     * every change of them).
     */
    private void publishSettings(final Database database)
    {
        final byte[] names = DatabaseSettingsFormat.joinNames(database.names()).getBytes(StandardCharsets.UTF_8);
        final byte[] variables = DatabaseSettingsFormat.joinVariables(database.variables())
            .getBytes(StandardCharsets.UTF_8);
        final byte[] hash = database.programHash();
        if (egress.encoder().databaseSettings(database.id(), new UnsafeBuffer(names), 0, names.length,
            new UnsafeBuffer(variables), 0, variables.length, new UnsafeBuffer(hash), 0, hash.length))
        {
            egress.enqueueCaptured();
        }
    }

    /**
     * SpacetimeDB's program hash ({@code spacetimedb_lib::hash_bytes}): Keccak-256 of the module bytes.
     *
     * @param module the module bytes.
     * @return 32 bytes.
     */
    static byte[] programHash(final byte[] module)
    {
        final KeccakDigest digest = new KeccakDigest(256);
        digest.update(module, 0, module.length);
        final byte[] hash = new byte[32];
        digest.doFinal(hash, 0);
        return hash;
    }

    /**
     * Tells the edges a database's schema, owner and module definition (the RawModuleDef its module described);
     * an empty schema (a deleted database) goes without owner and definition.
     */
    private void publishSchema(final Database database, final long txOffset, final byte[] schema)
    {
        final int nameLength = utf8(nameBuffer, database.name());
        final boolean live = schema.length > 0;
        final byte[] moduleDef = live ? database.instance().describeBytes() : EMPTY;
        if (egress.encoder().schemaChanged(database.id(), txOffset, database.identityBuffer(), 0, nameBuffer, 0,
            nameLength, new UnsafeBuffer(schema), 0, schema.length, new UnsafeBuffer(database.owner()), 0,
            live ? database.owner().length : 0, new UnsafeBuffer(moduleDef), 0, moduleDef.length))
        {
            egress.enqueueCaptured();
        }
    }

    private static ModuleDef decodeModuleDef(final byte[] bytes)
    {
        try
        {
            return ModuleDefDecoder.decode(bytes);
        }
        catch (final ModuleDefException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }

    private ModuleLoader moduleLoader()
    {
        if (null == moduleLoader)
        {
            moduleLoader = new ModuleLoader(ctx.dataDir().toPath().resolve("cache"));
        }
        return moduleLoader;
    }

    // ------------------------------------------------------------------ lifecycle, scheduled, immediate

    private boolean runLifecycle(
        final Database database,
        final Lifecycle lifecycle,
        final DirectBuffer identityBuffer,
        final int identityOffset,
        final int edgeId,
        final long connectionIdLo,
        final long connectionIdHi)
    {
        final ReducerDef reducer = database.moduleDef().lifecycleReducer(lifecycle);
        final int nameLength = null == reducer ? utf8(nameBuffer, lifecycle) : utf8(nameBuffer, reducer.name());
        identityBuffer.getBytes(identityOffset, sender);
        putConnectionId(connectionIdLo, connectionIdHi);
        final long timestamp = txTimestamp();
        final MutTx tx = begin(database);
        final CallOutcome outcome = null == reducer ? CallOutcome.ok() :
            callReducer(database, tx, reducer, sender, connectionId, timestamp, EMPTY);
        final long durationMicros = null == reducer ? 0 : lastCallMicros;
        boolean ok = outcome.isOk();
        if (ok)
        {
            ok = commit(database, tx, timestamp, durationMicros, nameBuffer, 0, nameLength, identityBuffer,
                identityOffset, connectionIdLo, connectionIdHi, 0) >= 0;
            if (ok)
            {
                queueImmediateCalls(database);
            }
            else
            {
                failed.incrementRelease();
                callFailed(database.id(), edgeId, 0, connectionIdLo, connectionIdHi, durationMicros,
                    Outcome.USER_ERROR, nameBuffer, 0, nameLength, commitRefusal);
            }
        }
        else
        {
            rollback(tx);
            failed.incrementRelease();
            callFailed(database.id(), edgeId, 0, connectionIdLo, connectionIdHi, durationMicros,
                outcome(outcome.status()), nameBuffer, 0, nameLength, outcome.message());
        }
        publishModuleLogs(database);
        return ok;
    }

    private void runScheduled(
        final Database database,
        final int tableId,
        final ReducerDef reducer,
        final byte[] row,
        final boolean oneShot,
        final long intendedMicros)
    {
        final int nameLength = utf8(nameBuffer, reducer.name());
        final long timestamp = txTimestamp();
        final MutTx tx = begin(database);
        final CallOutcome outcome = callReducer(database, tx, reducer, database.identityBytes(), ZERO_CONNECTION,
            timestamp, row);
        final long durationMicros = lastCallMicros;
        boolean ok = outcome.isOk();
        if (ok)
        {
            if (oneShot)
            {
                deleteRow(tx, tableId, row);
            }
            ok = commit(database, tx, timestamp, durationMicros, nameBuffer, 0, nameLength, database.identityBuffer(),
                0, 0, 0, 0) >= 0;
            if (ok)
            {
                queueImmediateCalls(database);
            }
            else
            {
                errorHandler.onError(new IllegalStateException("scheduled reducer " + reducer.name() + ": " +
                    commitRefusal));
            }
        }
        else
        {
            rollback(tx);
        }
        if (!ok)
        {
            scheduledFailures.incrementRelease();
            if (oneShot)
            {
                final MutTx cleanup = begin(database);
                deleteRow(cleanup, tableId, row);
                if (commit(database, cleanup, timestamp, 0, nameBuffer, 0, 0, database.identityBuffer(), 0, 0, 0,
                    0) < 0)
                {
                    errorHandler.onError(new IllegalStateException("cannot delete schedule row: " + commitRefusal));
                }
            }
        }
        publishModuleLogs(database);
    }

    private void deleteRow(final MutTx tx, final int tableId, final byte[] row)
    {
        argsView.wrap(row);
        final int deleted = tx.deleteEqualRows(tableId, argsView, 0, row.length, 1);
        if (deleted < 0)
        {
            errorHandler.onError(new IllegalStateException("cannot delete schedule row: " + tx.lastError()));
        }
    }

    private void queueImmediateCalls(final Database database)
    {
        final List<ScheduledCall> calls = database.instance().scheduledCalls();
        for (int i = 0; i < calls.size(); i++)
        {
            immediateCalls.add(new PendingCall(database, calls.get(i)));
        }
    }

    private int runImmediateCalls(final int limit)
    {
        int count = 0;
        while (count < limit && !immediateCalls.isEmpty())
        {
            final PendingCall call = immediateCalls.poll();
            count++;
            try
            {
                runImmediate(call);
            }
            catch (final RuntimeException ex)
            {
                recover(ex);
            }
        }
        return count;
    }

    private void runImmediate(final PendingCall call)
    {
        final Database database = call.database;
        final ReducerDef reducer = database.moduleDef().reducer(call.call.reducerName());
        if (null == reducer)
        {
            scheduledFailures.incrementRelease();
            return;
        }
        final int nameLength = utf8(nameBuffer, reducer.name());
        final long timestamp = txTimestamp();
        final MutTx tx = begin(database);
        final CallOutcome outcome = callReducer(database, tx, reducer, database.identityBytes(), ZERO_CONNECTION,
            timestamp, call.call.args());
        final long durationMicros = lastCallMicros;
        if (outcome.isOk())
        {
            if (commit(database, tx, timestamp, durationMicros, nameBuffer, 0, nameLength, database.identityBuffer(),
                0, 0, 0, 0) >= 0)
            {
                queueImmediateCalls(database);
            }
            else
            {
                scheduledFailures.incrementRelease();
                errorHandler.onError(new IllegalStateException("scheduled reducer " + reducer.name() + ": " +
                    commitRefusal));
            }
        }
        else
        {
            rollback(tx);
            scheduledFailures.incrementRelease();
        }
        publishModuleLogs(database);
    }

    /**
     * Runs a transaction that the loop itself makes (no reducer): for tools and tests, on the loop thread.
     *
     * @param databaseName the database.
     * @param body         changes the transaction; returns false to roll back.
     * @return the tx offset, or -1 when rolled back (by the body, or because the transaction is too large for the
     * wire) or the database does not exist.
     */
    long runInternalTransaction(final String databaseName, final Predicate<MutTx> body)
    {
        final Database database = registry.byName(databaseName);
        if (null == database)
        {
            return -1;
        }
        final long timestamp = txTimestamp();
        final MutTx tx = begin(database);
        final boolean ok;
        try
        {
            ok = body.test(tx);
        }
        catch (final RuntimeException ex)
        {
            rollback(tx);
            throw ex;
        }
        if (!ok)
        {
            rollback(tx);
            return -1;
        }
        return commit(database, tx, timestamp, 0, nameBuffer, 0, 0, database.identityBuffer(), 0, 0, 0, 0);
    }

    // ------------------------------------------------------------------ calls and commits

    /**
     * Like {@link #callReducer} for arguments the loop has already checked against the reducer's parameters: calls
     * the reducer by id, so they are not decoded a second time. The arguments are the first {@code argsLength} bytes
     * of {@code args} (the loop's reused {@link #callArgs}).
     */
    private CallOutcome callCheckedReducer(
        final Database database,
        final MutTx tx,
        final ReducerDef reducer,
        final byte[] caller,
        final byte[] connection,
        final long timestamp,
        final byte[] args,
        final int argsLength)
    {
        final long startNs = System.nanoTime();
        CallOutcome outcome = null;
        try
        {
            outcome = database.instance().callReducer(
                tx, reducer.id(), caller, connection, timestamp, args, argsLength);
            return outcome;
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "host failure: " + ex.getMessage());
        }
        finally
        {
            ranReducer(database, reducer, startNs, outcome);
        }
    }

    private CallOutcome callReducer(
        final Database database,
        final MutTx tx,
        final ReducerDef reducer,
        final byte[] caller,
        final byte[] connection,
        final long timestamp,
        final byte[] args)
    {
        final long startNs = System.nanoTime();
        CallOutcome outcome = null;
        try
        {
            outcome = database.instance().callReducer(tx, reducer, caller, connection, timestamp, args);
            return outcome;
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "host failure: " + ex.getMessage());
        }
        finally
        {
            ranReducer(database, reducer, startNs, outcome);
        }
    }

    /**
     * Times a reducer run once, for the caller ({@link #lastCallMicros}) and the database's metrics.
     */
    private void ranReducer(
        final Database database, final ReducerDef reducer, final long startNs, final CallOutcome outcome)
    {
        lastCallMicros = (System.nanoTime() - startNs) / 1000;
        final DatabaseMetrics metrics = database.metrics();
        if (null != metrics)
        {
            metrics.reducerRan(reducer.id(), lastCallMicros, null != outcome && outcome.isOk());
        }
    }

    /**
     * Commits a transaction a procedure asked to commit ({@code procedure_commit_mut_tx}) like any other.
     *
     * @param tx the procedure's open transaction.
     * @return null when committed; otherwise why not, the transaction rolled back.
     */
    private String commitProcedureTx(final MutTx tx)
    {
        final Database database = procedureDatabase;
        if (null == database)
        {
            tx.rollback();
            final String refusal = "procedure commit outside a procedure call";
            errorHandler.onError(new IllegalStateException(refusal));
            return refusal;
        }
        return commit(database, tx, txTimestamp(), 0, nameBuffer, 0, 0, database.identityBuffer(), 0, 0, 0, 0) < 0 ?
            commitRefusal : null;
    }

    /**
     * Commits a transaction, the way every path does: {@link #prepareCommit prepares} it and, when it fits the
     * wire, {@link #publishCommit finishes} it.
     *
     * @return the tx offset, or {@link #COMMIT_REFUSED} with the reason in {@link #commitRefusal}: the transaction
     * was rolled back, consumed no tx offset and went nowhere; the caller answers it as a failed call.
     */
    private long commit(
        final Database database,
        final MutTx tx,
        final long timestamp,
        final long durationMicros,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer callerIdentity,
        final int callerIdentityOffset,
        final long connectionIdLo,
        final long connectionIdHi,
        final int requestId)
    {
        final TxDelta delta = prepareCommit(database, tx, timestamp, durationMicros, name, nameOffset, nameLength,
            callerIdentity, callerIdentityOffset, connectionIdLo, connectionIdHi, requestId);
        return null == delta ? COMMIT_REFUSED : publishCommit(database, tx, delta, timestamp);
    }

    /**
     * The undoable half of a commit: {@link MutTx#prepareCommit()} and the TxCommitted that would carry it described
     * in {@link #txBuilder} at the next tx offset. A message longer than the wire's reassembly limit could be neither
     * logged nor published, so the transaction is rolled back instead and the reason put in {@link #commitRefusal}.
     * Nothing may touch {@link #txBuilder} or the buffers it references before {@link #publishCommit}.
     *
     * @return the delta, or null when refused (rolled back).
     */
    private TxDelta prepareCommit(
        final Database database,
        final MutTx tx,
        final long timestamp,
        final long durationMicros,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer callerIdentity,
        final int callerIdentityOffset,
        final long connectionIdLo,
        final long connectionIdHi,
        final int requestId)
    {
        final TxDelta delta = tx.prepareCommit();
        txBuilder.reset()
            .databaseId(database.id())
            .txOffset(nextTxOffset)
            .timestampMicros(timestamp)
            .caller(connectionIdLo, connectionIdHi, requestId, callerIdentity, callerIdentityOffset)
            .outcome(Outcome.COMMITTED)
            .durationMicros(durationMicros)
            .reducerName(name, nameOffset, nameLength);
        for (int i = 0; i < delta.tableCount(); i++)
        {
            final TableDelta table = delta.table(i);
            if (table.isEmpty())
            {
                continue;
            }
            final UnsafeBuffer tableName = database.tableName(table.tableId());
            txBuilder.addTable(table.tableId(), tableName, 0, tableName.capacity(),
                table.inserts(), 0, table.insertsLength(), table.deletes(), 0, table.deletesLength());
        }
        final long length = txBuilder.encodedLength();
        final int wireLimit = egress.encoder().maxReassemblyLength();
        final int logLimit = sink.maxPayloadLength();
        if (length > Math.min(wireLimit, logLimit))
        {
            rollback(tx);
            commitRefusal = logLimit < wireLimit ?
                tooLarge(length, "the commit log's", logLimit,
                    "an eighth of " + CommitLogConfiguration.RING_CAPACITY_PROP_NAME) :
                tooLarge(length, "the wire's", wireLimit, WireConfiguration.MAX_REASSEMBLY_LENGTH_PROP_NAME);
            return null;
        }
        return delta;
    }

    /**
     * The message a transaction too large for the wire or the commit log is refused with.
     */
    static String tooLarge(final long length, final String whose, final int limit, final String setting)
    {
        return String.format(Locale.ROOT, "transaction too large: its changes encode to %,d bytes, more than %s " +
            "limit of %,d (%s); split it into smaller transactions", length, whose, limit, setting);
    }

    /**
     * The irreversible half of a commit after {@link #prepareCommit}: finishes the transaction, encodes the
     * TxCommitted described in {@link #txBuilder} (it fits: prepare checked), logs and publishes it.
     *
     * @return the tx offset.
     */
    private long publishCommit(final Database database, final MutTx tx, final TxDelta delta, final long timestamp)
    {
        tx.finishCommit();
        openTx = null;
        final long txOffset = nextTxOffset++;
        if (!egress.encoder().txCommitted(txBuilder))
        {
            throw new IllegalStateException("transaction " + txOffset + " could not be encoded: " +
                txBuilder.encodedLength() + " bytes, result " + egress.encoder().lastResult());
        }
        appendLog(txOffset, egress.capturedBuffer(), egress.capturedOffset(), egress.capturedLength());
        egress.enqueueCaptured();
        database.lastTxOffset = txOffset;
        database.txsSinceSnapshot++;
        committed.incrementRelease();
        scheduler.onCommit(database, delta, timestamp);
        if (ctx.snapshotIntervalTxs() > 0 && database.txsSinceSnapshot >= ctx.snapshotIntervalTxs() &&
            !database.datastore().isTxOpen())
        {
            snapshot(database);
        }
        return txOffset;
    }

    private MutTx begin(final Database database)
    {
        openTx = database.datastore().beginMutTx();
        return openTx;
    }

    private void rollback(final MutTx tx)
    {
        if (tx.isOpen())
        {
            tx.rollback();
        }
        openTx = null;
    }

    /**
     * After an exception escaped a handler: roll back the transaction it left open so the database stays usable.
     *
     * @param ex what escaped.
     */
    private void recover(final RuntimeException ex)
    {
        if (null != openTx && openTx.isOpen())
        {
            openTx.rollback();
        }
        openTx = null;
        errorHandler.onError(ex);
    }

    private void onIngressFragment(
        final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        try
        {
            ingressAdapter.onFragment(buffer, offset, length, header);
        }
        catch (final RuntimeException ex)
        {
            recover(ex);
        }
    }

    private void onScheduled(
        final Database database,
        final int tableId,
        final ReducerDef reducer,
        final byte[] row,
        final boolean oneShot,
        final long intendedMicros)
    {
        try
        {
            runScheduled(database, tableId, reducer, row, oneShot, intendedMicros);
        }
        catch (final RuntimeException ex)
        {
            recover(ex);
        }
    }

    // ------------------------------------------------------------------ commit log

    private void appendLog(final long txOffset, final DirectBuffer buffer, final int offset, final int length)
    {
        if (pendingLog.isEmpty() && sink.append(txOffset, buffer, offset, length))
        {
            return;
        }
        logScratch.putLong(0, txOffset);
        logScratch.putBytes(Long.BYTES, buffer, offset, length);
        if (!pendingLog.append(logScratch, 0, Long.BYTES + length))
        {
            throw new IllegalStateException("commit log queue full: " + pendingLog.size() + " bytes");
        }
    }

    private int drainLog()
    {
        return pendingLog.isEmpty() ? 0 : pendingLog.consume(logAppender, DRAIN_LIMIT);
    }

    private boolean appendPending(
        final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final boolean accepted = sink.append(buffer.getLong(offset), buffer, offset + Long.BYTES,
            length - Long.BYTES);
        if (!accepted)
        {
            logBackPressure.incrementRelease();
        }
        return accepted;
    }

    private int publishDurable()
    {
        final long durable = sink.durableTxOffset();
        int work = 0;
        if (durable >= retentionDueAt && 0 == retentionHolds)
        {
            retentionDueAt = Long.MAX_VALUE;
            work += applyRetention(durable);
        }
        if (durable <= lastDurableTxOffset)
        {
            return work;
        }
        lastDurableTxOffset = durable;
        for (int i = 0; i < registry.size(); i++)
        {
            final Database database = registry.get(i);
            if (database.lastTxOffset > database.durablePublished)
            {
                database.durablePublished = durable;
                if (egress.encoder().durable(database.id(), durable))
                {
                    egress.enqueueCaptured();
                    work++;
                }
            }
        }
        return work;
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Writes a snapshot of a database now: {@code <dataDir>/db/<id>/snapshots/<txOffset:020d>.snapshot}.
     *
     * @param database the database.
     * @return the file, or null when there is nothing to snapshot or it failed (reported to the error handler).
     */
    Path snapshot(final Database database)
    {
        if (database.lastTxOffset < 0)
        {
            return null;
        }
        final Path file = database.dir().resolve("snapshots")
            .resolve(String.format("%020d.snapshot", database.lastTxOffset));
        try
        {
            Files.createDirectories(file.getParent());
            ScheduleAnchors.write(ScheduleAnchors.fileFor(file), scheduler, database);
            Snapshot.write(database.datastore(), database.lastTxOffset, file);
            database.txsSinceSnapshot = 0;
            snapshots.incrementRelease();
            retentionDueAt = Long.MAX_VALUE == retentionDueAt ? database.lastTxOffset :
                Math.max(retentionDueAt, database.lastTxOffset);
            return file;
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            return null;
        }
    }

    /**
     * Retention, once the snapshots written since the last pass are durable: per database, keep the
     * {@code snapshotsKept} newest durable snapshots (and any newer, not yet durable ones) and delete older ones; then
     * remove the commit-log segments wholly at or below the oldest offset any database still needs: its oldest kept
     * snapshot's, or, with no durable snapshot, the one before its creating transaction. Never past what is durable.
     *
     * @param durable the log's durable tx offset.
     * @return segments removed.
     */
    int applyRetention(final long durable)
    {
        long needed = durable;
        for (int i = 0; i < registry.size(); i++)
        {
            final Database database = registry.get(i);
            final io.lightcone.txn.recovery.DatabaseLayout layout = io.lightcone.txn.recovery.DatabaseLayout.of(
                ctx.dataDir().toPath(), Long.toString(database.id()));
            long oldestKept = database.createdTxOffset - 1;
            int kept = 0;
            try
            {
                for (final long offset : layout.snapshotOffsetsNewestFirst())
                {
                    if (offset > durable)
                    {
                        continue;
                    }
                    if (kept < ctx.snapshotsKept())
                    {
                        kept++;
                        oldestKept = offset;
                    }
                    else
                    {
                        Files.deleteIfExists(layout.snapshotFile(offset));
                        Files.deleteIfExists(ScheduleAnchors.fileFor(layout.snapshotFile(offset)));
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                errorHandler.onError(ex);
                return 0;
            }
            needed = Math.min(needed, oldestKept);
        }
        try
        {
            final int removed = sink.truncateBefore(needed);
            segmentsRetired.getAndAddRelease(removed);
            return removed;
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            return 0;
        }
    }

    // ------------------------------------------------------------------ egress helpers

    private void callFailed(
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long durationMicros,
        final Outcome outcome,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final String message)
    {
        final int messageLength = utf8(textBuffer, message);
        if (egress.encoder().txFailed(databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, nowMicros, 0,
            durationMicros, outcome, name, nameOffset, nameLength, textBuffer, 0, messageLength))
        {
            egress.enqueueCaptured();
        }
    }

    private void requestCompleted(
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final Outcome outcome,
        final String message)
    {
        final int messageLength = utf8(textBuffer, message);
        if (egress.encoder().requestCompleted(databaseId, txOffset, edgeId, requestId, outcome, textBuffer, 0,
            messageLength))
        {
            egress.enqueueCaptured();
        }
    }

    private void procedureResult(
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long timestampMicros,
        final long durationMicros,
        final ProcedureStatus status,
        final byte[] returnValue,
        final String message)
    {
        final int messageLength = utf8(textBuffer, message);
        argsView.wrap(returnValue);
        if (egress.encoder().procedureResult(databaseId, txOffset, edgeId, requestId, connectionIdLo,
            connectionIdHi, timestampMicros, durationMicros, status, argsView, 0, returnValue.length, textBuffer, 0,
            messageLength))
        {
            egress.enqueueCaptured();
        }
    }

    private void publishModuleLogs(final Database database)
    {
        final long written = database.instance().log().writtenCount();
        if (written == database.logRecordsSeen)
        {
            return;
        }
        final List<LogRecord> records = database.instance().log().records();
        final int fresh = (int)Math.min(records.size(), written - database.logRecordsSeen);
        database.logRecordsSeen = written;
        for (int i = records.size() - fresh; i < records.size(); i++)
        {
            final LogRecord record = records.get(i);
            final int messageLength = utf8(textBuffer, record.message());
            if (egress.encoder().moduleLog(database.id(), record.timestampMicros(), logLevel(record.level()),
                textBuffer, 0, messageLength))
            {
                egress.enqueueCaptured();
            }
        }
    }

    private int runTasks()
    {
        int count = 0;
        Runnable task;
        while (count < DRAIN_LIMIT && null != (task = tasks.poll()))
        {
            count++;
            try
            {
                task.run();
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
        return count;
    }

    // ------------------------------------------------------------------ small helpers

    private long txTimestamp()
    {
        final long timestamp = Math.max(nowMicros, lastTimestampMicros);
        lastTimestampMicros = timestamp;
        return timestamp;
    }

    private void putConnectionId(final long lo, final long hi)
    {
        for (int i = 0; i < 8; i++)
        {
            connectionId[i] = (byte)(lo >>> (8 * i));
            connectionId[8 + i] = (byte)(hi >>> (8 * i));
        }
    }

    /**
     * A reducer by its UTF-8 name, through a small direct-mapped cache keyed by the name's bytes and the module, so
     * a call neither decodes the name into a String nor searches the module's reducers.
     */
    private ReducerDef reducerByName(
        final ModuleDef module, final DirectBuffer buffer, final int offset, final int length)
    {
        int hash = length;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + buffer.getByte(offset + i);
        }
        final int slot = (hash ^ (hash >>> 16)) & (REDUCER_CACHE_SIZE - 1);
        final byte[] cachedName = reducerCacheNames[slot];
        if (reducerCacheModules[slot] == module && null != cachedName && cachedName.length == length)
        {
            int i = 0;
            while (i < length && cachedName[i] == buffer.getByte(offset + i))
            {
                i++;
            }
            if (i == length)
            {
                return reducerCacheDefs[slot];
            }
        }
        final ReducerDef reducer = module.reducer(buffer.getStringWithoutLengthUtf8(offset, length));
        if (null != reducer)
        {
            final byte[] name = new byte[length];
            buffer.getBytes(offset, name);
            reducerCacheModules[slot] = module;
            reducerCacheNames[slot] = name;
            reducerCacheDefs[slot] = reducer;
        }
        return reducer;
    }

    private String checkArgs(
        final ProductType params,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final String kind,
        final String name)
    {
        try
        {
            argsReader.wrap(buffer, offset, length);
            Bsatn.skipValue(argsReader, params);
            if (!argsReader.isExhausted())
            {
                return "invalid arguments for " + kind + name + ": " + argsReader.remaining() + " bytes left over";
            }
            return null;
        }
        catch (final BsatnDecodeException | IndexOutOfBoundsException ex)
        {
            return "invalid arguments for " + kind + name + ": " + ex.getMessage();
        }
    }

    private static int utf8(final MutableDirectBuffer buffer, final String text)
    {
        return buffer.putStringWithoutLengthUtf8(0, null == text ? "" : text);
    }

    private static int utf8(final MutableDirectBuffer buffer, final Lifecycle lifecycle)
    {
        return utf8(buffer, switch (lifecycle)
        {
            case INIT -> "init";
            case ON_CONNECT -> "client_connected";
            case ON_DISCONNECT -> "client_disconnected";
        });
    }

    private static Outcome outcome(final CallOutcome.Status status)
    {
        return switch (status)
        {
            case OK -> Outcome.COMMITTED;
            case USER_ERROR -> Outcome.USER_ERROR;
            case INTERNAL_ERROR -> Outcome.INTERNAL_ERROR;
            case OUT_OF_ENERGY -> Outcome.OUT_OF_ENERGY;
        };
    }

    private static ProcedureStatus procedureStatus(final CallOutcome.Status status)
    {
        return switch (status)
        {
            case OK -> ProcedureStatus.RETURNED;
            case USER_ERROR -> ProcedureStatus.USER_ERROR;
            case INTERNAL_ERROR -> ProcedureStatus.INTERNAL_ERROR;
            case OUT_OF_ENERGY -> ProcedureStatus.OUT_OF_ENERGY;
        };
    }

    private static LogLevel logLevel(final int level)
    {
        return switch (level)
        {
            case LogRecord.ERROR -> LogLevel.ERROR;
            case LogRecord.WARN -> LogLevel.WARN;
            case LogRecord.INFO -> LogLevel.INFO;
            case LogRecord.DEBUG -> LogLevel.DEBUG;
            case LogRecord.TRACE -> LogLevel.TRACE;
            default -> LogLevel.PANIC;
        };
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    static String hexBigEndian(final byte[] littleEndian)
    {
        final byte[] reversed = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++)
        {
            reversed[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return hex(reversed);
    }

    private static final class PendingCall
    {
        final Database database;
        final ScheduledCall call;

        PendingCall(final Database database, final ScheduledCall call)
        {
            this.database = database;
            this.call = call;
        }
    }
}
