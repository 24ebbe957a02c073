package io.lightcone.cli;

import io.lightcone.core.txn.StoredTable;
import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.PersistentRows;
import io.lightcone.edge.protocol.ServerMessage.QuerySetUpdate;
import io.lightcone.edge.protocol.ServerMessage.ReducerErr;
import io.lightcone.edge.protocol.ServerMessage.ReducerOk;
import io.lightcone.edge.protocol.ServerMessage.ReducerResult;
import io.lightcone.edge.protocol.ServerMessage.SubscribeApplied;
import io.lightcone.edge.protocol.ServerMessage.TableUpdate;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lightcone start} in-process ({@link LightconeServer}, which {@link StartCommand} wraps): the embedded core
 * and edge over aeron:ipc on an ephemeral loopback port, keynote.wasm published through the wire with
 * {@code --module}, a v2 BSATN WebSocket client subscribing and calling reducers, then a restart on the same data
 * directory.
 */
@Timeout(180)
final class LightconeServerTest
{
    private static final String ACCOUNTS = "SELECT * FROM accounts";
    private static final int ROW_LENGTH = 12;

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void shouldServeKeynoteOverWebSocketAndRecoverItsCommitsAfterARestart() throws Exception
    {
        final LightconeServer.Settings settings = keynoteSettings("127.0.0.1:0");
        try (LightconeServer server = LightconeServer.start(settings, out))
        {
            final String started = output.toString(StandardCharsets.UTF_8);
            assertTrue(started.contains("recovered 0 databases, 0 log records replayed"), started);
            assertTrue(started.contains("published keynote (database id "), started);
            assertTrue(started.endsWith(": created" + System.lineSeparator()), started);
            assertEquals("Lightcone listening on ws://127.0.0.1:" + server.port() + " (data: " + dataDir + ")",
                server.listeningLine());

            final WsClient client = WsClient.connect(server.url(), "keynote");
            client.next(InitialConnection.class);
            client.send((e) -> e.subscribe(1, 7, List.of(ACCOUNTS)));
            final SubscribeApplied applied = client.next(SubscribeApplied.class);
            assertEquals(7, applied.querySetId());
            assertEquals(0, applied.rows().tables().stream().mapToInt((t) -> t.rows().rows().size()).sum());

            final PersistentRows seeded = callOk(client, 2, "seed", args(12).putInt(10).putLong(100));
            assertEquals(10, seeded.inserts().rows().size());
            assertEquals(0, seeded.deletes().rows().size());
            final Map<Integer, Long> expected = new TreeMap<>();
            for (int id = 0; id < 10; id++)
            {
                expected.put(id, 100L);
            }
            assertEquals(expected, balances(seeded.inserts().rows()));

            final PersistentRows moved = callOk(client, 3, "transfer", args(16).putInt(0).putInt(1).putLong(5));
            assertEquals(Map.of(0, 100L, 1, 100L), balances(moved.deletes().rows()));
            assertEquals(Map.of(0, 95L, 1, 105L), balances(moved.inserts().rows()));

            client.send((e) -> e.callReducer(4, "transfer", bytes(args(16).putInt(0).putInt(0).putLong(5)), 0, 16));
            final ReducerResult refused = client.next(ReducerResult.class);
            assertEquals(4, refused.requestId());
            assertEquals("cannot transfer to the same account",
                assertInstanceOf(ReducerErr.class, refused.outcome()).message());

            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            final String transfer = "{database=\"keynote\",reducer=\"transfer\"}";
            assertTrue(metrics.contains("\nlightcone_reducer_calls_total" + transfer + " 2\n"), metrics);
            assertTrue(metrics.contains("\nlightcone_reducer_failures_total" + transfer + " 1\n"), metrics);
            assertTrue(metrics.contains("\nlightcone_edge_clients 1\n"), "core and edge on one page: " + metrics);
            client.close();
        }

        output.reset();
        try (LightconeServer server = LightconeServer.start(settings, out))
        {
            final String restarted = output.toString(StandardCharsets.UTF_8);
            // The graceful close snapshotted the database after its last transaction: nothing is replayed.
            assertTrue(restarted.contains("recovered 1 database, 0 log records replayed"), restarted);
            assertTrue(restarted.contains("  keynote: 1 table, 10 rows"), restarted);
            assertTrue(restarted.contains("published keynote (database id "), restarted);
            assertTrue(restarted.contains("module unchanged"), restarted);
            final Map<Integer, Long> recovered = server.core().onLoop(
                (agent) -> balances(agent.registry().byName("keynote").datastore().table("accounts")), 5_000);
            assertEquals(expectedAfterRun(), recovered, "the core recovered the committed balances");

            // The edge learned the recovered database from its bootstrap (EdgeBootstrap answered by the core with
            // the schema and every row): a new client's subscription starts from the recovered balances.
            assertTrue(server.edge().agent().knowsDatabase("keynote"));
            final WsClient client = WsClient.connect(server.url(), "keynote");
            client.next(InitialConnection.class);
            client.send((e) -> e.subscribe(1, 7, List.of(ACCOUNTS)));
            final SubscribeApplied applied = client.next(SubscribeApplied.class);
            assertEquals(7, applied.querySetId());
            assertEquals(expectedAfterRun(), balances(applied.rows().tables().stream()
                .flatMap((t) -> t.rows().rows().stream()).toList()));

            // deltas after the bootstrap offset apply on top
            final PersistentRows moved = callOk(client, 2, "transfer", args(16).putInt(2).putInt(3).putLong(7));
            assertEquals(Map.of(2, 100L, 3, 100L), balances(moved.deletes().rows()));
            assertEquals(Map.of(2, 93L, 3, 107L), balances(moved.inserts().rows()));
            client.close();
        }
    }

    @Test
    void shouldSayWhatToDoWhenTheListenAddressIsInUse() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final String listen = "127.0.0.1:" + taken.getLocalPort();
            final StartException ex = assertThrows(StartException.class, () -> LightconeServer.start(
                new LightconeServer.Settings(dataDir, listen, true, Map.of()), out));
            assertEquals(StartException.EXIT_LISTEN, ex.exitCode());
            assertEquals(listen + " is in use: stop the other server or pass --listen", ex.getMessage());
        }
        // everything was released: the same data directory starts again
        LightconeServer.start(new LightconeServer.Settings(dataDir, "127.0.0.1:0", true, Map.of()), out).close();
    }

    @Test
    void shouldRefuseAModuleThatIsNotWebAssemblyAndAMissingFile() throws Exception
    {
        final Path notWasm = Files.writeString(dataDir.resolve("notes.txt"), "not a module");
        final StartException refused = assertThrows(StartException.class, () -> LightconeServer.start(
            new LightconeServer.Settings(dataDir.resolve("data"), "127.0.0.1:0", true, Map.of("bad", notWasm)),
            out));
        assertEquals(StartException.EXIT_MODULE, refused.exitCode());
        assertTrue(refused.getMessage().startsWith("publishing bad from " + notWasm + " was refused"),
            refused.getMessage());

        final StartException missing = assertThrows(StartException.class, () -> LightconeServer.start(
            new LightconeServer.Settings(dataDir.resolve("data"), "127.0.0.1:0", true,
                Map.of("gone", dataDir.resolve("gone.wasm"))), out));
        assertEquals(StartException.EXIT_MODULE, missing.exitCode());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void shouldParseTheCommandLineAndRejectABadListenAddress()
    {
        final StartCommand command = new StartCommand();
        final CommandLine commandLine = new CommandLine(command);
        commandLine.parseArgs("--data-dir", "d", "--listen", "127.0.0.1:0", "--module", "a=a.wasm",
            "--module", "b=b.wasm", "--durable", "false");
        final LightconeServer.Settings settings = command.settings();
        assertEquals(Path.of("d"), settings.dataDir());
        assertEquals("127.0.0.1:0", settings.listen());
        assertFalse(settings.durable());
        assertEquals(List.of("a", "b"), List.copyOf(settings.modules().keySet()));

        final StartCommand defaults = new StartCommand();
        new CommandLine(defaults).parseArgs();
        assertEquals(Path.of("./lightcone-data"), defaults.settings().dataDir());
        assertEquals("127.0.0.1:3000", defaults.settings().listen());
        assertTrue(defaults.settings().durable());

        final CommandLine lightcone = Lightcone.commandLine();
        lightcone.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(2, lightcone.execute("start", "--listen", "3000"));
    }

    private LightconeServer.Settings keynoteSettings(final String listen) throws Exception
    {
        final Path module = Path.of(getClass().getResource("/modules/keynote.wasm").toURI());
        return new LightconeServer.Settings(dataDir, listen, true, Map.of("keynote", module));
    }

    private static Map<Integer, Long> expectedAfterRun()
    {
        final Map<Integer, Long> expected = new TreeMap<>();
        for (int id = 0; id < 10; id++)
        {
            expected.put(id, 100L);
        }
        expected.put(0, 95L);
        expected.put(1, 105L);
        return expected;
    }

    private static PersistentRows callOk(
        final WsClient client, final int requestId, final String reducer, final ByteBuffer args) throws Exception
    {
        final int length = args.position();
        client.send((e) -> e.callReducer(requestId, reducer, bytes(args), 0, length));
        final ReducerResult result = client.next(ReducerResult.class);
        assertEquals(requestId, result.requestId());
        final ReducerOk ok = assertInstanceOf(ReducerOk.class, result.outcome(), () -> reducer + ": " + result);
        final List<QuerySetUpdate> querySets = ok.transactionUpdate().querySets();
        assertEquals(1, querySets.size(), querySets::toString);
        assertEquals(7, querySets.get(0).querySetId());
        final TableUpdate table = querySets.get(0).tables().get(0);
        assertEquals("accounts", table.tableName());
        return assertInstanceOf(PersistentRows.class, table.rows().get(0));
    }

    private static ByteBuffer args(final int capacity)
    {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static UnsafeBuffer bytes(final ByteBuffer args)
    {
        return new UnsafeBuffer(args.array(), 0, args.position());
    }

    private static Map<Integer, Long> balances(final List<Blob> rows)
    {
        final Map<Integer, Long> balances = new TreeMap<>();
        for (final Blob row : rows)
        {
            assertEquals(ROW_LENGTH, row.bytes().length);
            final ByteBuffer bytes = ByteBuffer.wrap(row.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            balances.put(bytes.getInt(0), bytes.getLong(4));
        }
        return balances;
    }

    private static Map<Integer, Long> balances(final StoredTable table)
    {
        final Map<Integer, Long> balances = new TreeMap<>();
        final ExpandableArrayBuffer row = new ExpandableArrayBuffer(ROW_LENGTH);
        for (int rowId = table.rows().nextLive(0); rowId >= 0; rowId = table.rows().nextLive(rowId + 1))
        {
            assertEquals(ROW_LENGTH, table.rows().writeRow(rowId, row, 0));
            balances.put(row.getInt(0, ByteOrder.LITTLE_ENDIAN), row.getLong(4, ByteOrder.LITTLE_ENDIAN));
        }
        return balances;
    }
}
