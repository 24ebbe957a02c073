package io.lightcone.cli;

import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.ReducerOk;
import io.lightcone.edge.protocol.ServerMessage.ReducerResult;
import io.lightcone.txn.loop.TxnLoopAgent;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lightcone start} in a child JVM, sent SIGTERM after some reducer calls: it stops the edge, snapshots every
 * database and exits 143; the next start replays no log record and has the committed state.
 */
@Timeout(300)
final class GracefulShutdownTest
{
    @TempDir
    Path tmp;

    @Test
    void sigtermShouldSnapshotEveryDatabaseSoThatRecoveryReplaysNothing() throws Exception
    {
        final Path dataDir = tmp.resolve("data");
        final Path module = Path.of(getClass().getResource("/modules/keynote.wasm").toURI());
        final Process child = start(dataDir, module);
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); null != line; line = in.readLine())
                {
                    lines.add(line);
                }
            }
            catch (final java.io.IOException ex)
            {
                lines.add("read failed: " + ex);
            }
        });
        reader.start();
        final Map<Integer, Long> expected = new TreeMap<>();
        try
        {
            String url = null;
            while (null == url)
            {
                final String line = lines.poll(120, TimeUnit.SECONDS);
                assertNotNull(line, () -> "no listening line: " + all);
                all.add(line);
                if (line.startsWith("Lightcone listening on "))
                {
                    url = line.substring("Lightcone listening on ".length(), line.indexOf(" (data: "));
                }
            }
            final WsClient client = WsClient.connect(url, "keynote");
            client.next(InitialConnection.class);
            call(client, 1, "seed", ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(5).putLong(100));
            for (int id = 0; id < 5; id++)
            {
                expected.put(id, 100L);
            }
            final Random random = new Random(3);
            for (int i = 0; i < 40; i++)
            {
                final int from = random.nextInt(5);
                final int to = (from + 1 + random.nextInt(4)) % 5;
                final int amount = 1 + random.nextInt(3);
                call(client, 2 + i, "transfer", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(from)
                    .putInt(to).putLong(amount));
                expected.merge(from, (long)-amount, Long::sum);
                expected.merge(to, (long)amount, Long::sum);
            }
            assertTrue(child.toHandle().destroy(), "SIGTERM sent");   // Process.destroy() would close the streams
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the server stops within the bound");
        }
        finally
        {
            if (child.isAlive())
            {
                child.destroyForcibly();
            }
        }
        reader.join(10_000);
        lines.drainTo(all);
        final String output = String.join("\n", all);
        assertEquals(143, child.exitValue(), output);
        assertTrue(output.contains("snapshotted 1 of 1 database; durable up to tx offset"), output);
        assertTrue(output.contains("Lightcone stopped"), output);

        final ByteArrayOutputStream restartOutput = new ByteArrayOutputStream();
        try (LightconeServer server = LightconeServer.start(new LightconeServer.Settings(dataDir, "127.0.0.1:0", true,
            Map.of()), new PrintStream(restartOutput, true, StandardCharsets.UTF_8)))
        {
            final TxnLoopAgent.RecoveryReport report = server.core().recoveryReport();
            final String restarted = restartOutput.toString(StandardCharsets.UTF_8);
            assertEquals(0, report.replayedRecords(), restarted);
            assertTrue(restarted.contains("recovered 1 database, 0 log records replayed"), restarted);
            assertTrue(restarted.contains("[1/1] loaded keynote from its snapshot at tx offset " +
                (report.nextTxOffset() - 1)), restarted);
            assertEquals(expected, server.core().onLoop((agent) -> BackupRestoreTest.balances(
                agent.registry().byName("keynote").datastore().table("accounts")), 5_000));
        }
    }

    static void call(final WsClient client, final int requestId, final String reducer, final ByteBuffer args)
        throws Exception
    {
        final int length = args.position();
        client.send((e) -> e.callReducer(requestId, reducer, new UnsafeBuffer(args.array(), 0, length), 0, length));
        final ReducerResult result = client.next(ReducerResult.class);
        assertEquals(requestId, result.requestId());
        assertInstanceOf(ReducerOk.class, result.outcome(), result::toString);
    }

    private static Process start(final Path dataDir, final Path module) throws java.io.IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("lightcone.jvm.flags",
            "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED");
        command.addAll(Arrays.stream(flags.trim().split("\\s+")).filter((f) -> !f.isEmpty()).toList());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Lightcone.class.getName());
        command.addAll(List.of("start", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:0",
            "--module", "keynote=" + module));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
