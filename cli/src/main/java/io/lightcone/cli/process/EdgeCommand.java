package io.lightcone.cli.process;

import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ExitCodes;
import io.lightcone.cli.client.PublishCommand;
import io.lightcone.cli.ops.ServerLogOptions;
import io.lightcone.txn.loop.TxnLoopConfiguration;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code lightcone edge}: runs a WebSocket/HTTP edge ({@link EdgeProcess}) linked to a {@code lightcone core}
 * until SIGINT or SIGTERM.
 */
@Command(name = "edge", mixinStandardHelpOptions = true,
    description = {
        "Run a WebSocket/HTTP edge linked to a running `lightcone core` over Aeron UDP. Edges may join and leave "
            + "while the core runs; each bootstraps from the core when it connects. Runs until Ctrl-C or SIGTERM.",
        "Exit codes: 130 or 143 after a clean stop on SIGINT or SIGTERM, 2 bad arguments, 3 cannot listen or "
            + "bind, 1 anything else."
    })
public final class EdgeCommand implements Callable<Integer>
{
    /** How long to wait for the core before saying so (the edge keeps trying). */
    static final long CONNECT_NOTICE_MS = 10_000;
    static final long BOOTSTRAP_NOTICE_MS = 60_000;
    static final long PROGRESS_INTERVAL_MS = 2_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", defaultValue = "127.0.0.1:3000", paramLabel = "HOST:PORT",
        description = "Address of the HTTP/WebSocket edge, port 0 for any free port (${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--core", defaultValue = CoreChannels.DEFAULT_INGRESS, paramLabel = "HOST:PORT|CHANNEL",
        description = "The core's --ingress address, or an aeron: channel (${DEFAULT-VALUE}).")
    String core;

    @Option(names = "--core-egress", paramLabel = "HOST:PORT|CHANNEL",
        description = "The core's --egress control address, or the aeron: channel to subscribe on (default: the "
            + "--core host, port + 1).")
    String coreEgress;

    @Option(names = "--bind", paramLabel = "HOST",
        description = "Local address to receive the core's egress on (default: 127.0.0.1 for a core on loopback, "
            + "else 0.0.0.0).")
    String bind;

    @Option(names = "--edge-id", paramLabel = "N",
        description = "This edge's id on the wire, distinct among the core's edges (default: random).")
    Integer edgeId;

    @Option(names = "--key-dir", paramLabel = "DIR",
        description = "Token signing keys; every edge of one core must use the same directory (default: "
            + "lightcone.auth.key.dir, else ./lightcone-keys).")
    Path keyDir;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external media driver in DIR instead of embedding one.")
    String aeronDir;

    @Mixin
    ServerLogOptions logOptions;

    /**
     * A command object for picocli.
     */
    public EdgeCommand()
    {
    }

    /**
     * Waits, printing progress every {@value #PROGRESS_INTERVAL_MS} ms, until every database the replica knows has
     * received its last bootstrap chunk and nothing has changed for a moment (the core streams every database's
     * schema, then its rows in chunks), bounded in time.
     *
     * @return the databases bootstrapped, or -1 when the bound passed first.
     */
    private static int awaitBootstrap(final EdgeProcess edge, final PrintStream out)
    {
        final long startNs = System.nanoTime();
        final long deadline = startNs + TimeUnit.MILLISECONDS.toNanos(BOOTSTRAP_NOTICE_MS);
        long nextProgress = startNs + TimeUnit.MILLISECONDS.toNanos(PROGRESS_INTERVAL_MS);
        long seen = -1;
        int stable = 0;
        while (System.nanoTime() < deadline)
        {
            final int known = edge.edge().agent().databaseCount();
            final int done = edge.edge().agent().bootstrappedDatabaseCount();
            final long bytes = edge.edge().agent().bootstrapBytes();
            final long state = bytes * 31 * 31 + known * 31L + done;
            stable = state == seen ? stable + 1 : 0;
            seen = state;
            if (done >= known && stable >= 5)
            {
                return done;
            }
            if (System.nanoTime() - nextProgress >= 0)
            {
                nextProgress += TimeUnit.MILLISECONDS.toNanos(PROGRESS_INTERVAL_MS);
                out.printf("  bootstrapping: %d of %d database(s) loaded, %s of rows received%n", done, known,
                    PublishCommand.size(bytes));
                out.flush();
            }
            try
            {
                Thread.sleep(100);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return -1;
    }

    @Override
    public Integer call()
    {
        final EdgeProcess.Settings settings = settings();
        final PrintStream out = System.out;
        final int logFailure = logOptions.install("lightcone edge");
        if (0 != logFailure)
        {
            return logFailure;
        }
        final Logger log = Logger.getLogger(EdgeCommand.class.getName());
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            EdgeProcess edge = EdgeProcess.start(settings))
        {
            final String listening = "Lightcone edge " + settings.edgeId() + " listening on http://" +
                edge.edge().context().listenHost() + ":" + edge.port() + ", core " + settings.ingressChannel();
            out.println(listening);
            log.info(listening);
            if (edge.awaitConnected(CONNECT_NOTICE_MS))
            {
                out.println("connected to the core; bootstrapping the replica ...");
                out.flush();
                final int bootstrapped = awaitBootstrap(edge, out);
                out.println(bootstrapped >= 0 ? "replica bootstrapped: " + bootstrapped + " database(s), " +
                    PublishCommand.size(edge.edge().agent().bootstrapBytes()) + " of rows" :
                    "still bootstrapping the replica (" + edge.edge().agent().bootstrappedDatabaseCount() + " of " +
                    edge.edge().agent().databaseCount() + " database(s) loaded); serving those loaded");
            }
            else
            {
                out.println("the core is not reachable yet (" + settings.ingressChannel() + "); still trying");
            }
            out.flush();
            barrier.await();
            log.info("stopping");
            out.println("stopping the edge ...");
            return ExitCodes.OK;
        }
        catch (final CommandFailure ex)
        {
            System.err.println("lightcone edge: " + ex.getMessage());
            log.severe("edge failed: " + ex.getMessage());
            return ex.exitCode();
        }
    }

    /**
     * @return the settings the options describe.
     * @throws CommandLine.ParameterException when they are inconsistent.
     */
    EdgeProcess.Settings settings()
    {
        try
        {
            if (core.startsWith("aeron:") && null == coreEgress)
            {
                throw new IllegalArgumentException("with a --core channel, pass --core-egress too");
            }
            final String egressAddress = null != coreEgress ? coreEgress : CoreChannels.nextPort(core);
            final String bindHost = null != bind ? bind :
                egressAddress.startsWith("aeron:") ? "0.0.0.0" : CoreChannels.defaultBind(egressAddress);
            final int id = null != edgeId ? edgeId : ThreadLocalRandom.current().nextInt(2, Integer.MAX_VALUE);
            return new EdgeProcess.Settings(listen, CoreChannels.coreIngress(core),
                CoreChannels.edgeEgress(egressAddress, bindHost), TxnLoopConfiguration.ingressStreamId(),
                TxnLoopConfiguration.egressStreamId(), id, keyDir, aeronDir);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
    }
}
