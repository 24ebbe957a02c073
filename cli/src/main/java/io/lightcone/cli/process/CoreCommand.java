package io.lightcone.cli.process;

import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ExitCodes;
import io.lightcone.cli.ops.ServerLogOptions;
import org.agrona.CloseHelper;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * {@code lightcone core}: runs the core ({@link CoreProcess}) until SIGINT or SIGTERM; edges link to it with
 * {@code lightcone edge --core HOST:PORT}.
 */
@Command(name = "core", mixinStandardHelpOptions = true,
    description = {
        "Run the core alone: an embedded media driver and the transaction loop on a data directory, linked to "
            + "separate `lightcone edge` processes over Aeron UDP. Runs until Ctrl-C (SIGINT) or SIGTERM.",
        "Exit codes: 130 or 143 after a clean stop on SIGINT or SIGTERM, 2 bad arguments, 3 cannot bind a "
            + "channel, 4 data directory in use, unusable or damaged, 1 anything else."
    })
public final class CoreCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "./lightcone-data", paramLabel = "DIR",
        description = "Data directory: commit log, databases, snapshots (${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--ingress", defaultValue = CoreChannels.DEFAULT_INGRESS, paramLabel = "HOST:PORT|CHANNEL",
        description = "Where edges send to the core: a UDP address to bind, or an aeron: channel "
            + "(${DEFAULT-VALUE}).")
    String ingress;

    @Option(names = "--egress", paramLabel = "HOST:PORT|CHANNEL",
        description = "Control address edges join the core's egress on (multi-destination-cast, dynamic), or an "
            + "aeron: channel (default: the --ingress host, port + 1).")
    String egress;

    @Option(names = "--durable", defaultValue = "true", arity = "1", paramLabel = "true|false",
        description = "Write commits to the commit log and recover at startup (${DEFAULT-VALUE}).")
    boolean durable;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
        description = "Serve the core's metrics on http://HOST:PORT/metrics in the Prometheus format (default: off; "
            + "edges serve their own on their --listen address).")
    String metrics;

    @Mixin
    ServerLogOptions logOptions;

    /**
     * A command object for picocli.
     */
    public CoreCommand()
    {
    }

    private MetricsHttpServer serveMetrics(final CoreProcess core)
    {
        final int colon = metrics.lastIndexOf(':');
        try
        {
            return MetricsHttpServer.start(metrics.substring(0, colon), Integer.parseInt(metrics.substring(colon + 1)),
                core.core().context().metrics().reader());
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new CommandFailure(ExitCodes.UNREACHABLE, "cannot serve metrics on " + metrics + ": " + ex);
        }
    }

    @Override
    public Integer call()
    {
        if (null != metrics && !metrics.matches(".+:[0-9]{1,5}"))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--metrics must be HOST:PORT: " + metrics);
        }
        if (ingress.startsWith("aeron:") && null == egress)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "with an --ingress channel, pass --egress too");
        }
        final CoreProcess.Settings settings;
        try
        {
            settings = new CoreProcess.Settings(dataDir, CoreChannels.coreIngress(ingress),
                CoreChannels.coreEgress(null != egress ? egress : CoreChannels.nextPort(ingress)), durable);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final PrintStream out = System.out;
        final int logFailure = logOptions.install("lightcone core");
        if (0 != logFailure)
        {
            return logFailure;
        }
        final Logger log = Logger.getLogger(CoreCommand.class.getName());
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try (CoreProcess core = CoreProcess.start(settings, out))
            {
                final MetricsHttpServer metricsServer = running(core, out, log);
                barrier.await();
                CloseHelper.close(metricsServer);
                log.info("stopping");
                out.println("stopping the core: snapshotting every database, closing the commit log and the media " +
                    "driver ...");
            }
            out.println("Lightcone core stopped");
            log.info("stopped");
            return ExitCodes.OK;
        }
        catch (final CommandFailure ex)
        {
            System.err.println("lightcone core: " + ex.getMessage());
            log.severe("core failed: " + ex.getMessage());
            return ex.exitCode();
        }
    }

    /**
     * Says the core runs and starts its metrics server, if asked for.
     */
    private MetricsHttpServer running(final CoreProcess core, final PrintStream out, final Logger log)
    {
        final String line = "Lightcone core running (data: " + dataDir + ", durable " +
            core.core().context().durable() + "); start edges with: lightcone edge --core " +
            (ingress.startsWith("aeron:") ? "<host:port>" : ingress);
        out.println(line);
        log.info(line);
        final MetricsHttpServer metricsServer = null == metrics ? null : serveMetrics(core);
        if (null != metricsServer)
        {
            out.println("metrics on http://" + metrics.substring(0, metrics.lastIndexOf(':')) + ":" +
                metricsServer.port() + "/metrics");
        }
        out.flush();
        return metricsServer;
    }
}
