package io.lightcone.cli;

import io.lightcone.cli.CliRunner.Run;
import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ExitCodes;
import io.lightcone.cli.process.CoreChannels;
import io.lightcone.cli.process.CoreProcess;
import io.lightcone.cli.process.EdgeProcess;
import io.lightcone.txn.loop.TxnLoopConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lightcone core} and {@code lightcone edge} as separate parts linked over Aeron UDP on loopback: the core
 * with its own media driver, each edge with its own (three drivers in this JVM, so every message crosses a real
 * UDP socket). A client publishes and calls through the first edge; a second edge joins later, bootstraps and
 * serves the same rows; the first edge leaves and the core keeps serving through the second.
 */
@Timeout(300)
final class CoreEdgeProcessTest
{
    private static final String ACCOUNTS = "SELECT id, balance FROM accounts ORDER BY id";

    @TempDir
    Path tempDir;

    @Test
    void shouldServeThroughEdgesThatJoinAndLeaveWhileTheCoreRuns() throws Exception
    {
        final String ingress = "127.0.0.1:" + freeUdpPort();
        final String egress = "127.0.0.1:" + freeUdpPort();
        final Path config = tempDir.resolve("cli.properties");
        final Path keys = tempDir.resolve("keys");
        final Path keynote = Path.of(getClass().getResource("/modules/keynote.wasm").toURI());
        final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (CoreProcess core = CoreProcess.start(new CoreProcess.Settings(tempDir.resolve("data"),
            CoreChannels.coreIngress(ingress), CoreChannels.coreEgress(egress), true), log))
        {
            final List<String> expected;
            final EdgeProcess first = EdgeProcess.start(edge(ingress, egress, 11, keys));
            try
            {
                assertTrue(first.awaitConnected(30_000), "the first edge connects to the core");
                final String firstUrl = "http://127.0.0.1:" + first.port();
                final Run published = CliRunner.run(firstUrl, config, "publish", "bank", keynote.toString());
                assertEquals(0, published.exit(), published.err());
                assertEquals(0, CliRunner.run(firstUrl, config, "call", "bank", "seed", "3", "100").exit());
                assertEquals(0, CliRunner.run(firstUrl, config, "call", "bank", "transfer", "0", "1", "10").exit());
                expected = List.of(" id | balance", "----+---------", " 0  | 90", " 1  | 110", " 2  | 100");
                assertEquals(expected, CliRunner.run(firstUrl, config, "sql", "bank", ACCOUNTS).lines());

                try (EdgeProcess second = EdgeProcess.start(edge(ingress, egress, 12, keys)))
                {
                    assertTrue(second.awaitConnected(30_000), "a second edge joins the running core");
                    final String secondUrl = "http://127.0.0.1:" + second.port();
                    final Run bootstrapped = eventually(() -> CliRunner.run(secondUrl, config, "sql", "bank",
                        ACCOUNTS));
                    assertEquals(expected, bootstrapped.lines(), "the joining edge serves the same rows");

                    first.close();
                    assertEquals(ExitCodes.UNREACHABLE,
                        CliRunner.run(firstUrl, config, "sql", "bank", ACCOUNTS).exit());
                    final Run call = CliRunner.run(secondUrl, config, "call", "bank", "transfer", "1", "2", "5");
                    assertEquals(0, call.exit(), call.err());
                    assertEquals(List.of(" id | balance", "----+---------", " 0  | 90", " 1  | 105", " 2  | 105"),
                        CliRunner.run(secondUrl, config, "sql", "bank", ACCOUNTS).lines(),
                        "the core keeps serving through the remaining edge");
                    final Run logs = CliRunner.run(secondUrl, config, "logs", "bank");
                    assertEquals(0, logs.exit(), "a token minted by one edge is the owner on another: " +
                        logs.err());
                }
            }
            finally
            {
                first.close();
            }
            assertEquals(1, (int)core.core().onLoop((agent) -> agent.registry().size(), 10_000),
                "the core outlives its edges");
        }
    }

    @Test
    void shouldRefuseBadChannelsAndASharedDataDirectoryWithDocumentedExitCodes() throws Exception
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = Lightcone.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        final String dir = tempDir.resolve("refused").toString();
        // bounded: a regression that accepted the arguments would run the process until a signal
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            assertEquals(ExitCodes.BAD_ARGS, commandLine.execute("edge", "--core", "no-port", "--key-dir", dir));
            assertTrue(err.toString().contains("expected HOST:PORT"), err.toString());
            assertEquals(ExitCodes.BAD_ARGS, commandLine.execute("edge", "--core", "aeron:udp?endpoint=127.0.0.1:1",
                "--key-dir", dir));
            assertEquals(ExitCodes.BAD_ARGS, commandLine.execute("core", "--ingress", "aeron:udp?endpoint=127.0.0.1:1",
                "--data-dir", dir));
            assertEquals(ExitCodes.BAD_ARGS, commandLine.execute("core", "--ingress", "127.0.0.1:99999",
                "--data-dir", dir));
        });

        final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final Path dataDir = tempDir.resolve("shared");
        try (CoreProcess core = CoreProcess.start(new CoreProcess.Settings(dataDir, CoreChannels.coreIngress(
            "127.0.0.1:" + freeUdpPort()), CoreChannels.coreEgress("127.0.0.1:" + freeUdpPort()), true), log))
        {
            final CommandFailure inUse = assertThrows(CommandFailure.class, () -> CoreProcess.start(
                new CoreProcess.Settings(dataDir, CoreChannels.coreIngress("127.0.0.1:" + freeUdpPort()),
                CoreChannels.coreEgress("127.0.0.1:" + freeUdpPort()), true), log));
            assertEquals(ExitCodes.DATA_DIR, inUse.exitCode());
            assertTrue(inUse.getMessage().contains("in use"), inUse.getMessage());
            assertTrue(core.core().context().durable());
        }
    }

    private static EdgeProcess.Settings edge(final String ingress, final String egress, final int edgeId,
        final Path keys)
    {
        return new EdgeProcess.Settings("127.0.0.1:0", CoreChannels.coreIngress(ingress),
            CoreChannels.edgeEgress(egress, CoreChannels.defaultBind(egress)),
            TxnLoopConfiguration.ingressStreamId(), TxnLoopConfiguration.egressStreamId(), edgeId, keys, null);
    }

    /** Retries a command until it succeeds (the joining edge learns the database from its bootstrap). */
    private static Run eventually(final Supplier<Run> command) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Run run = command.get();
        while (run.exit() != 0 && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(50);
            run = command.get();
        }
        return run;
    }

    private static int freeUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
