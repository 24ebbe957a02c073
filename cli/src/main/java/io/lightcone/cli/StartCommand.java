package io.lightcone.cli;

import io.lightcone.cli.ops.ServerLogOptions;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * {@code lightcone start}: the embedded default. One JVM with an embedded Aeron media driver, the transaction loop
 * (core, durable by default: recovery of the data directory runs first) and one WebSocket edge over {@code aeron:ipc}
 * ({@link LightconeServer}); publishes the {@code --module} databases through the wire, prints the listening line,
 * and runs until SIGINT or SIGTERM, then shuts down gracefully: the edge, a snapshot of every database, the core, the
 * commit log (forced) and the driver. The server log goes to stderr or {@code --log-file}, as text or JSON lines.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = {
        "Run Lightcone on the embedded default: one JVM with an embedded Aeron media driver, the transaction loop "
            + "and a WebSocket edge over aeron:ipc. Runs until Ctrl-C (SIGINT) or SIGTERM.",
        "Exit codes: 130 or 143 after a clean stop on SIGINT or SIGTERM, 2 bad arguments, 3 cannot listen, "
            + "4 data directory in use, unusable or damaged, 5 a --module could not be read or was refused, "
            + "1 anything else."
    })
final class StartCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "./lightcone-data", paramLabel = "DIR",
        description = "Data directory: commit log, databases, snapshots, keys (${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:3000", paramLabel = "HOST:PORT",
        description = "Address of the HTTP/WebSocket edge, port 0 for any free port (${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--module", paramLabel = "NAME=FILE.wasm",
        description = "Publish (create, or update by migration) database NAME from a local module at startup; "
            + "repeatable.")
    Map<String, Path> modules = new LinkedHashMap<>();

    @Option(names = "--durable", defaultValue = "true", arity = "1", paramLabel = "true|false",
        description = "Write commits to the commit log and recover at startup (${DEFAULT-VALUE}); false is for "
            + "benchmarks only.")
    boolean durable;

    @Mixin
    ServerLogOptions logOptions;

    @Override
    public Integer call()
    {
        final int colon = listen.lastIndexOf(':');
        if (colon <= 0 || !listen.substring(colon + 1).matches("\\d{1,5}"))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--listen must be HOST:PORT, for example 127.0.0.1:3000 (got " + listen + ")");
        }
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final int logFailure = logOptions.install("lightcone start");
        if (0 != logFailure)
        {
            return logFailure;
        }
        final Logger log = Logger.getLogger(StartCommand.class.getName());
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try (LightconeServer server = LightconeServer.start(settings(), out))
            {
                out.println(server.listeningLine());
                out.flush();
                log.info(server.listeningLine());
                barrier.await();
                log.info("stopping");
                out.println("stopping: closing the admin endpoint and the edge, snapshotting every database, " +
                    "closing the core, the commit log and the media driver ...");
            }
            out.println("Lightcone stopped");
            log.info("stopped");
            return 0;
        }
        catch (final StartException ex)
        {
            err.println("lightcone start: " + ex.getMessage());
            log.severe("start failed: " + ex.getMessage());
            return ex.exitCode();
        }
    }

    /**
     * @return the settings the options describe.
     */
    LightconeServer.Settings settings()
    {
        return new LightconeServer.Settings(dataDir, listen, durable, modules);
    }
}
