package io.lightcone.cli;

import io.lightcone.cli.ops.AdminEndpoint;
import io.lightcone.cli.ops.CoreErrorLogger;
import io.lightcone.cli.ops.DataDirLock;
import io.lightcone.cli.ops.GracefulShutdown;
import io.lightcone.cli.ops.ModuleLogFiles;
import io.lightcone.cli.ops.OpsException;
import io.lightcone.cli.ops.StartProgress;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.edge.EdgeContext;
import io.lightcone.edge.EdgeServer;
import io.lightcone.edge.auth.AuthConfiguration;
import io.lightcone.edge.auth.AuthContext;
import io.lightcone.edge.auth.IdentityDerivation;
import io.lightcone.txn.log.CommitLogException;
import io.lightcone.txn.loop.Database;
import io.lightcone.txn.loop.EmbeddedCore;
import io.lightcone.txn.loop.TxnLoopAgent;
import io.lightcone.txn.loop.TxnLoopContext;
import io.lightcone.txn.recovery.RecoveryException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The embedded default in one JVM: {@link EmbeddedCore} (embedded media driver, Aeron client, transaction loop,
 * durable commit log in {@code <dataDir>/log}, recovery before anything is served) and one {@link EdgeServer} linked
 * to it over the core's own {@code aeron:ipc} channels ({@link EmbeddedCoreLink}). {@link #start} then publishes the
 * {@code --module} databases through the wire and returns once the edge serves them, and opens the owner-only
 * {@link AdminEndpoint} (online backups). {@link #close()} is the graceful shutdown: the admin endpoint, the edge (no
 * more clients), then the core quiesced and every database snapshotted ({@link GracefulShutdown}), then the core
 * closed (loop, commit log drained and forced, Aeron client, media driver).
 * <pre>
 *   client --ws--&gt; EdgeServer --EmbeddedCoreLink (aeron:ipc)--&gt; EmbeddedCore: TxnLoopAgent --&gt; CommitLog
 * </pre>
 */
final class LightconeServer implements AutoCloseable
{
    /** How long to wait for the edge's streams to connect and for the edge to learn a published database. */
    static final long CONNECT_TIMEOUT_MS = 10_000;
    /** How long a publish may take (it compiles the module on the loop thread). */
    static final long PUBLISH_TIMEOUT_MS = 120_000;
    /** Issuer of the local owner identity the command publishes modules as. */
    static final String LOCAL_OWNER_ISSUER = "lightcone-cli";
    /** Subject of the local owner identity. */
    static final String LOCAL_OWNER_SUBJECT = "local";

    private final Settings settings;
    private final FileChannel lockChannel;
    private final EmbeddedCore core;
    private final EdgeServer edge;
    private final PrintStream out;
    private AdminEndpoint admin;
    private ModuleLogFiles moduleLogs;
    private CoreErrorLogger coreErrors;

    /**
     * What to start.
     *
     * @param dataDir data directory (created if missing).
     * @param listen  host:port of the edge, port 0 for an ephemeral port.
     * @param durable whether commits go to the commit log (on by default; off is for benchmarks).
     * @param modules database name to module file, published in order after startup.
     */
    record Settings(Path dataDir, String listen, boolean durable, Map<String, Path> modules)
    {
        Settings
        {
            modules = new LinkedHashMap<>(modules);
        }
    }

    private LightconeServer(
        final Settings settings, final FileChannel lockChannel, final EmbeddedCore core, final EdgeServer edge,
        final PrintStream out)
    {
        this.out = out;
        this.settings = settings;
        this.lockChannel = lockChannel;
        this.core = core;
        this.edge = edge;
    }

    /**
     * Starts the core (recovering the data directory), the edge, and publishes the modules.
     *
     * @param settings what to start.
     * @param out      where progress goes.
     * @return the running server.
     * @throws StartException saying what went wrong and what to do, with an exit code.
     */
    static LightconeServer start(final Settings settings, final PrintStream out)
    {
        final Map<String, byte[]> modules = readModules(settings.modules());
        final FileChannel lockChannel = lockDataDir(settings.dataDir());
        EmbeddedCore core = null;
        EdgeServer edge = null;
        LightconeServer server = null;
        try
        {
            core = startCore(settings, out);
            final EmbeddedCoreLink link = new EmbeddedCoreLink(core.aeron(), core.context());
            edge = startEdge(settings, link, core.context().metrics().reader());
            awaitCondition(link::isConnected, "the edge's streams to the core did not connect");
            server = new LightconeServer(settings, lockChannel, core, edge, out);
            server.moduleLogs = ModuleLogFiles.start(core);
            server.coreErrors = CoreErrorLogger.start(core);
            if (settings.durable())
            {
                server.admin = AdminEndpoint.start(core, settings.dataDir());
            }
            int requestId = 0;
            for (final Map.Entry<String, byte[]> module : modules.entrySet())
            {
                server.publish(module.getKey(), settings.modules().get(module.getKey()), module.getValue(),
                    ++requestId, out);
            }
            return server;
        }
        catch (final OpsException ex)
        {
            CloseHelper.quietCloseAll(null == server ? null : server.admin, null == server ? null : server.moduleLogs,
                null == server ? null : server.coreErrors, edge, core, lockChannel);
            throw new StartException(ex.exitCode(), ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(null == server ? null : server.admin, null == server ? null : server.moduleLogs,
                null == server ? null : server.coreErrors, edge, core, lockChannel);
            throw ex;
        }
    }

    /**
     * @return the port the edge listens on.
     */
    int port()
    {
        return edge.port();
    }

    /**
     * @return the edge.
     */
    EdgeServer edge()
    {
        return edge;
    }

    /**
     * @return the core.
     */
    EmbeddedCore core()
    {
        return core;
    }

    /**
     * @return the WebSocket base address clients connect to.
     */
    String url()
    {
        return "ws://" + edge.context().listenHost() + ":" + edge.port();
    }

    /**
     * @return the line printed once everything is up.
     */
    String listeningLine()
    {
        return "Lightcone listening on " + url() + " (data: " + settings.dataDir() + ")";
    }

    /**
     * The identity {@code --module} publishes as (the owner of those databases): derived like a token's identity
     * from issuer {@value #LOCAL_OWNER_ISSUER} and subject {@value #LOCAL_OWNER_SUBJECT}, so every start is the same
     * owner and can update what an earlier start published.
     *
     * @return 32 bytes, little-endian as on the wire.
     */
    static byte[] localOwner()
    {
        return IdentityDerivation.fromClaims(LOCAL_OWNER_ISSUER, LOCAL_OWNER_SUBJECT).toLittleEndian();
    }

    /**
     * The graceful shutdown: stops the admin endpoint and the edge (closing its clients and its link), quiesces the
     * core and snapshots every database (bounded, {@link GracefulShutdown}), then closes the core: the loop, the
     * commit log (drained and forced), the Aeron client and the media driver; then releases the data directory.
     */
    public void close()
    {
        GracefulShutdown.stop(core, out, new AutoCloseable[]{ admin, edge }, moduleLogs, core, coreErrors,
            lockChannel);
    }

    private void publish(
        final String name, final Path file, final byte[] module, final int requestId, final PrintStream out)
    {
        new StartProgress(out).compile(settings.dataDir(), name, module);
        out.println("publishing " + name + " from " + file + " ...");
        final long startNs = System.nanoTime();
        final ModulePublisher.Result result =
            ModulePublisher.publish(core, localOwner(), name, module, requestId, PUBLISH_TIMEOUT_MS);
        final double ms = (System.nanoTime() - startNs) / 1e6;
        if (!result.ok())
        {
            throw new StartException(StartException.EXIT_MODULE, "publishing " + name + " from " + file +
                " was refused (" + result.outcome() + "): " + result.message() + System.lineSeparator() +
                "  fix the module, or start without --module " + name + "=... to serve the database as it is");
        }
        out.printf("published %s (database id %d) in %.0f ms: %s%n", name, result.databaseId(), ms,
            result.message().isEmpty() ? "created" : result.message());
        // A new or migrated database reaches the edge as SchemaChanged, a recovered one with the edge's bootstrap:
        // wait for it so clients do not get 404 right after start.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!edge.agent().knowsDatabase(name) && System.nanoTime() - deadline < 0)
        {
            sleep();
        }
    }

    private static Map<String, byte[]> readModules(final Map<String, Path> files)
    {
        final Map<String, byte[]> modules = new LinkedHashMap<>();
        for (final Map.Entry<String, Path> entry : files.entrySet())
        {
            try
            {
                modules.put(entry.getKey(), Files.readAllBytes(entry.getValue()));
            }
            catch (final NoSuchFileException ex)
            {
                throw new StartException(StartException.EXIT_MODULE, "module file " + entry.getValue() +
                    " does not exist: check the path given to --module " + entry.getKey() + "=...");
            }
            catch (final IOException ex)
            {
                throw new StartException(StartException.EXIT_MODULE, "cannot read module file " + entry.getValue() +
                    ": " + ex.getMessage(), ex);
            }
        }
        return modules;
    }

    private static FileChannel lockDataDir(final Path dataDir)
    {
        try
        {
            final FileChannel channel = DataDirLock.tryLock(dataDir);
            if (null == channel)
            {
                throw new StartException(StartException.EXIT_DATA, "data directory " + dataDir + " is in use by " +
                    "another Lightcone: stop it, or pass --data-dir to use another directory");
            }
            return channel;
        }
        catch (final IOException ex)
        {
            throw new StartException(StartException.EXIT_DATA, "cannot use data directory " + dataDir + ": " +
                ex + "; check its permissions or pass --data-dir", ex);
        }
    }

    private static EmbeddedCore startCore(final Settings settings, final PrintStream out)
    {
        final Path dataDir = settings.dataDir();
        out.println((settings.durable() ? "recovering " : "starting (durability off) on ") + dataDir + " ...");
        final long startNs = System.nanoTime();
        final EmbeddedCore core;
        try
        {
            core = EmbeddedCore.launch(new TxnLoopContext().dataDir(dataDir.toFile()).durable(settings.durable())
                .recoveryListener(new StartProgress(out)));
        }
        catch (final RecoveryException | CommitLogException ex)
        {
            throw new StartException(StartException.EXIT_DATA, "recovery of " + dataDir + " failed: " +
                ex.getMessage() + System.lineSeparator() + "  the data directory is damaged: restore a backup, " +
                "or move it aside and start with an empty --data-dir", ex);
        }
        final double ms = (System.nanoTime() - startNs) / 1e6;
        final TxnLoopAgent.RecoveryReport report = core.recoveryReport();
        if (null == report)
        {
            out.printf("core started in %.0f ms (durability off: nothing recovered, commits are not logged)%n", ms);
        }
        else
        {
            out.printf("recovered %d database%s, %d log record%s replayed (core up in %.0f ms, next tx offset %d)%n",
                report.databases(), 1 == report.databases() ? "" : "s", report.replayedRecords(),
                1 == report.replayedRecords() ? "" : "s", ms, report.nextTxOffset());
            for (final String problem : report.problems())
            {
                out.println("  recovery: " + problem);
            }
            for (final String line : core.onLoop(LightconeServer::describeDatabases, CONNECT_TIMEOUT_MS))
            {
                out.println("  " + line);
            }
        }
        return core;
    }

    /**
     * One line per database: its name, tables and live rows (run on the loop thread).
     */
    private static List<String> describeDatabases(final TxnLoopAgent agent)
    {
        final List<String> lines = new ArrayList<>();
        for (final Database database : agent.registry().all())
        {
            long rows = 0;
            final List<StoredTable> tables = database.datastore().tables();
            for (final StoredTable table : tables)
            {
                rows += table.rows().rowCount();
            }
            lines.add(database.name() + ": " + tables.size() + (1 == tables.size() ? " table, " : " tables, ") +
                rows + (1 == rows ? " row" : " rows"));
        }
        return lines;
    }

    private static EdgeServer startEdge(
        final Settings settings, final EmbeddedCoreLink link, final CountersReader coreMetrics)
    {
        final AuthContext auth = new AuthContext();
        if (null == System.getProperty(AuthConfiguration.KEY_DIR_PROP_NAME))
        {
            auth.keyDir(settings.dataDir().resolve("keys"));
        }
        final EdgeContext ctx = new EdgeContext().listenAddress(settings.listen()).coreLink(link).authContext(auth)
            .metricsReaders(coreMetrics);
        try
        {
            return EdgeServer.launch(ctx);
        }
        catch (final Exception ex)
        {
            link.close();
            if (isAddressInUse(ex))
            {
                throw new StartException(StartException.EXIT_LISTEN, settings.listen() + " is in use: stop the " +
                    "other server or pass --listen", ex);
            }
            throw new StartException(StartException.EXIT_LISTEN, "cannot listen on " + settings.listen() + ": " +
                ex.getMessage() + "; pass --listen with a local host:port", ex);
        }
    }

    static boolean isAddressInUse(final Throwable error)
    {
        for (Throwable t = error; null != t; t = t.getCause())
        {
            final String message = String.valueOf(t.getMessage());
            if (message.contains("Address already in use") ||
                (t instanceof BindException && message.contains("in use")))
            {
                return true;
            }
        }
        return false;
    }

    private static void awaitCondition(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new StartException(StartException.EXIT_INTERNAL, what + " within " + CONNECT_TIMEOUT_MS +
                    " ms");
            }
            sleep();
        }
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new StartException(StartException.EXIT_INTERNAL, "interrupted while starting", ex);
        }
    }
}
