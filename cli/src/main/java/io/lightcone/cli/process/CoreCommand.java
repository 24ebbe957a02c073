package io.lightcone.cli.process;

import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ExitCodes;
import org.agrona.CloseHelper;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code lightcone core}: runs the core ({@link CoreProcess}) until SIGINT or SIGTERM; edges link to it with
 * {@code lightcone edge --core HOST:PORT}.
 */
@Command(name = "core", mixinStandardHelpOptions = true,
    description = {
        "Run the core alone: an embedded media driver and the transaction loop on a data directory, linked to "
            + "separate `lightcone edge` processes over Aeron UDP. Runs until Ctrl-C (SIGINT) or SIGTERM.",
        "Exit codes: 0 after a clean stop, 2 bad arguments, 3 cannot bind a channel, 4 data directory in use, "
            + "unusable or damaged, 1 anything else."
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
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            CoreProcess core = CoreProcess.start(settings, out))
        {
            out.println("Lightcone core running (data: " + dataDir + ", durable " + core.core().context().durable() +
                "); start edges with: lightcone edge --core " +
                (ingress.startsWith("aeron:") ? "<host:port>" : ingress));
            final MetricsHttpServer metricsServer = null == metrics ? null : serveMetrics(core);
            if (null != metricsServer)
            {
                out.println("metrics on http://" + metrics.substring(0, metrics.lastIndexOf(':')) + ":" +
                    metricsServer.port() + "/metrics");
            }
            out.flush();
            barrier.await();
            CloseHelper.close(metricsServer);
            out.println("stopping the core ...");
            return ExitCodes.OK;
        }
        catch (final CommandFailure ex)
        {
            System.err.println("lightcone core: " + ex.getMessage());
            return ex.exitCode();
        }
    }
}
