package io.lightcone.edge;

import io.lightcone.edge.auth.AuthContext;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.protocol.Protocol;
import io.lightcone.edge.protocol.ServerMessage;
import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.OneOffQueryResult;
import io.lightcone.edge.protocol.ServerMessage.PersistentRows;
import io.lightcone.edge.protocol.ServerMessage.ProcedureResult;
import io.lightcone.edge.protocol.ServerMessage.ReducerErr;
import io.lightcone.edge.protocol.ServerMessage.ReducerInternalError;
import io.lightcone.edge.protocol.ServerMessage.ReducerOk;
import io.lightcone.edge.protocol.ServerMessage.ReducerResult;
import io.lightcone.edge.protocol.ServerMessage.SubscribeApplied;
import io.lightcone.edge.protocol.ServerMessage.SubscriptionError;
import io.lightcone.edge.protocol.ServerMessage.TransactionUpdate;
import io.lightcone.edge.protocol.ServerMessage.UnsubscribeApplied;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge end to end over loopback against {@link FakeCore}: HTTP identity routes, WebSocket connect, subscribe,
 * reducer calls with confirmed reads, unsubscribe, errors and close codes.
 */
final class EdgeServerTest
{
    private static final String V2 = Protocol.SUBPROTOCOL_V2;
    private static final String V3 = Protocol.SUBPROTOCOL_V3;
    private static final String PERSON = "SELECT * FROM person";

    @TempDir
    Path keyDir;

    private FakeCore core;
    private EdgeServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception
    {
        core = new FakeCore();
        server = EdgeServer.launch(new EdgeContext()
            .listenAddress("127.0.0.1:0")
            .coreLink(core)
            .workerThreads(2)
            .authContext(new AuthContext().keyDir(keyDir)));
        await(() -> server.agent().knowsDatabase("quickstart") && server.agent().knowsDatabase("big"));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WsClient.TIMEOUT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(5);
        }
    }

    private HttpResponse<String> send(final String method, final String path, final String token) throws Exception
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (null != token)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String jsonField(final String json, final String name)
    {
        final Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static List<Blob> rows(final String... names)
    {
        return java.util.Arrays.stream(names).map((n) -> new Blob(FakeCore.row(n))).toList();
    }

    private static List<Blob> tableRows(final ServerMessage.QueryRows rows, final int i)
    {
        return rows.tables().get(i).rows().rows();
    }

    private WsClient connected(final String query, final String token, final String... subprotocols)
        throws Exception
    {
        final WsClient client = WsClient.connect(server.port(), query, token, subprotocols);
        client.next(InitialConnection.class);
        return client;
    }

    private static SubscribeApplied subscribe(final WsClient client, final int requestId, final int querySetId)
        throws Exception
    {
        client.send((e) -> e.subscribe(requestId, querySetId, List.of(PERSON)));
        return client.next(SubscribeApplied.class);
    }

    @Test
    void shouldServeHttpIdentityRoutes() throws Exception
    {
        assertEquals(200, send("GET", "/v1/ping", null).statusCode());
        final HttpResponse<String> health = send("GET", "/v1/health", null);
        assertTrue(health.body().contains("\"databases\":2"), health.body());

        final HttpResponse<String> created = send("POST", "/v1/identity", null);
        assertEquals(200, created.statusCode());
        assertEquals("*", created.headers().firstValue("access-control-allow-origin").orElseThrow());
        final String identity = jsonField(created.body(), "identity");
        final String token = jsonField(created.body(), "token");
        assertTrue(identity.startsWith("c200"), identity);

        final HttpResponse<String> wsToken = send("POST", "/v1/identity/websocket-token", token);
        assertEquals(200, wsToken.statusCode());
        jsonField(wsToken.body(), "token");
        final HttpResponse<String> noAuth = send("POST", "/v1/identity/websocket-token", null);
        assertEquals(401, noAuth.statusCode());
        assertTrue(noAuth.body().contains("Authorization required"), noAuth.body());
        assertEquals(401, send("POST", "/v1/identity/websocket-token", token + "x").statusCode());

        final HttpResponse<String> pem = send("GET", "/v1/identity/public-key", null);
        assertTrue(pem.body().startsWith("-----BEGIN PUBLIC KEY-----"), pem.body());
        assertEquals("application/pem-certificate-chain", pem.headers().firstValue("content-type").orElseThrow());

        assertEquals(204, send("GET", "/v1/identity/" + identity + "/verify", token).statusCode());
        assertEquals(400, send("GET", "/v1/identity/" + "c2".repeat(32) + "/verify", token).statusCode());

        final HttpResponse<String> preflight = send("OPTIONS", "/v1/identity", null);
        assertEquals(200, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("access-control-allow-headers").orElseThrow()
            .contains("Authorization"));
        assertEquals(404, send("GET", "/v1/nope", null).statusCode());
    }

    @Test
    void shouldSendIdentityHeadersOnAnonymousUpgrade() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/database/quickstart/subscribe?compression=None HTTP/1.1\r\n" +
                "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                "Sec-WebSocket-Protocol: v3.bsatn.spacetimedb, v2.bsatn.spacetimedb\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final BufferedReader in = new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            final StringBuilder head = new StringBuilder();
            String line;
            while (null != (line = in.readLine()) && !line.isEmpty())
            {
                head.append(line.toLowerCase()).append('\n');
            }
            assertTrue(head.toString().startsWith("http/1.1 101"), head.toString());
            assertTrue(head.toString().contains("sec-websocket-protocol: v3.bsatn.spacetimedb"), head.toString());
            assertTrue(head.toString().contains("spacetime-identity: c200"), head.toString());
            assertTrue(head.toString().contains("spacetime-identity-token: ey"), head.toString());
        }
    }

    /** Invariant: /metrics counts what the clients did: connections, distinct plans, messages, rows fanned out. */
    @Test
    void shouldServeMetricsThatCountClientsSubscriptionsAndFanOut() throws Exception
    {
        final long fanoutBefore = metric("lightcone_edge_fanout_rows_total");
        final WsClient a = connected("", null, V2);
        final WsClient b = connected("", null, V3, V2);
        subscribe(a, 1, 1);
        subscribe(b, 1, 1);
        await(() -> 2 == metricOrZero("lightcone_edge_clients") && 1 == metricOrZero("lightcone_edge_subscriptions"));

        final byte[] zed = FakeCore.row("Zed");
        a.send((e) -> e.callReducer(2, "add", new UnsafeBuffer(zed), 0, zed.length));
        a.next(ReducerResult.class);
        b.next(TransactionUpdate.class);
        assertEquals(fanoutBefore + 2, metric("lightcone_edge_fanout_rows_total"), "one row to each of two clients");
        assertEquals(3, metric("lightcone_edge_client_messages_total"), "two subscribes and a call");
        assertTrue(metric("lightcone_edge_transactions_applied_total") >= 1);
        assertTrue(metric("lightcone_edge_fanout_bytes_total") > 0);

        final HttpResponse<String> page = send("GET", "/metrics", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(page.body().contains("# TYPE lightcone_edge_clients gauge\n"), page.body());

        a.close();
        await(() -> 1 == metricOrZero("lightcone_edge_clients"));
        b.close();
        await(() -> 0 == metricOrZero("lightcone_edge_clients") && 0 == metricOrZero("lightcone_edge_subscriptions"));
    }

    private long metric(final String name) throws Exception
    {
        final String body = send("GET", "/metrics", null).body();
        final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9]+)$").matcher(body);
        assertTrue(m.find(), name + " in " + body);
        return Long.parseLong(m.group(1));
    }

    private long metricOrZero(final String name)
    {
        try
        {
            return metric(name);
        }
        catch (final Exception | AssertionError ex)
        {
            return -1;
        }
    }

    @Test
    void shouldSubscribeCallAndHoldUpdatesUntilDurable() throws Exception
    {
        final WsClient a = WsClient.connect(server.port(), "?compression=Gzip", null, V2);
        final WsClient b = WsClient.connect(server.port(), "", null, V3, V2);
        assertEquals(V2, a.subprotocol());
        assertEquals(V3, b.subprotocol());
        final InitialConnection initial = a.next(InitialConnection.class);
        assertTrue(Identity.fromLittleEndian(initial.identity().bytes()).toHex().startsWith("c200"));
        b.next(InitialConnection.class);

        final SubscribeApplied applied = subscribe(a, 1, 7);
        assertEquals(7, applied.querySetId());
        assertEquals("person", applied.rows().tables().get(0).table());
        assertEquals(rows("Alice"), tableRows(applied.rows(), 0));
        subscribe(b, 0, 3);

        core.holdDurable = true;
        final int commits = core.commits.get();
        final byte[] bob = FakeCore.row("Bob");
        a.send((e) -> e.callReducer(9, "add", new UnsafeBuffer(bob), 0, bob.length));
        await(() -> core.commits.get() > commits);
        assertNull(a.poll(200), "caller answered before Durable");
        assertNull(b.poll(50), "other client updated before Durable");
        core.releaseDurable();

        final ReducerResult result = a.next(ReducerResult.class);
        assertEquals(9, result.requestId());
        final ReducerOk ok = assertInstanceOf(ReducerOk.class, result.outcome());
        assertEquals(1, ok.transactionUpdate().querySets().size());
        assertEquals(7, ok.transactionUpdate().querySets().get(0).querySetId());
        final PersistentRows callerRows = (PersistentRows)ok.transactionUpdate().querySets().get(0).tables().get(0)
            .rows().get(0);
        assertEquals(rows("Bob"), callerRows.inserts().rows());

        final TransactionUpdate update = b.next(TransactionUpdate.class);
        assertEquals(3, update.querySets().get(0).querySetId());
        final PersistentRows otherRows = (PersistentRows)update.querySets().get(0).tables().get(0).rows().get(0);
        assertEquals(rows("Bob"), otherRows.inserts().rows());
        assertNull(a.poll(100), "the caller gets no TransactionUpdate for its own transaction");

        a.send((e) -> e.unsubscribe(2, 7, true));
        final UnsubscribeApplied dropped = a.next(UnsubscribeApplied.class);
        assertEquals(7, dropped.querySetId());
        assertEquals(2, tableRows(dropped.rows(), 0).size());
        a.close();
        await(() -> core.disconnects.get() == 1);
        b.close();
    }

    /** Invariant: a procedure's result reaches its caller as ProcedureResult, held until its transaction is durable. */
    @Test
    void shouldAnswerProceduresWithTheirResultOnceDurable() throws Exception
    {
        final WsClient a = connected("", null, V2);
        core.holdDurable = true;
        final int commits = core.commits.get();
        final byte[] dave = FakeCore.row("Dave");
        a.send((e) -> e.callProcedure(11, "echo", new UnsafeBuffer(dave), 0, dave.length));
        await(() -> core.commits.get() > commits);
        assertNull(a.poll(200), "procedure answered before its transaction was durable");
        core.releaseDurable();
        final ProcedureResult result = a.next(ProcedureResult.class);
        assertEquals(11, result.requestId());
        assertNull(result.internalError());
        assertEquals(new Blob(dave), result.returned());
        assertEquals(5, result.durationMicros());

        a.send((e) -> e.callProcedure(12, "nope", new UnsafeBuffer(new byte[0]), 0, 0));
        final ProcedureResult failed = a.next(ProcedureResult.class);
        assertEquals(12, failed.requestId());
        assertNull(failed.returned());
        assertEquals("no such procedure: nope", failed.internalError());
        a.close();
    }

    /** Invariant: a database bootstrapped as SnapshotChunks holds every row of this edge's chunks and no other's. */
    @Test
    void shouldBootstrapADatabaseFromSnapshotChunks() throws Exception
    {
        final WsClient a = WsClient.connectTo(server.port(), "big", "", null, V2);
        a.next(InitialConnection.class);
        final SubscribeApplied applied = subscribe(a, 1, 1);
        final List<Blob> expected = new java.util.ArrayList<>();
        for (int i = 0; i < FakeCore.BIG_ROWS; i++)
        {
            expected.add(new Blob(FakeCore.row("person " + i)));
        }
        final List<Blob> actual = new java.util.ArrayList<>(tableRows(applied.rows(), 0));
        final java.util.Comparator<Blob> order = java.util.Comparator.comparing(
            (Blob b) -> java.util.HexFormat.of().formatHex(b.bytes()));
        actual.sort(order);
        expected.sort(order);
        assertEquals(expected, actual);
        assertEquals(1, server.agent().bootstrappedDatabaseCount(), "one database bootstrapped, for this edge");
        long rowBytes = 0;
        for (final Blob row : expected)
        {
            rowBytes += row.bytes().length;
        }
        assertTrue(server.agent().bootstrapBytes() >= rowBytes, "the progress counts every row's bytes: " +
            server.agent().bootstrapBytes() + " < " + rowBytes);
        a.close();
    }

    @Test
    void shouldNotHoldUpdatesWithoutConfirmedReads() throws Exception
    {
        final WsClient a = connected("?confirmed=false", null, V2);
        subscribe(a, 1, 1);
        core.holdDurable = true;
        final byte[] carol = FakeCore.row("Carol");
        a.send((e) -> e.callReducer(4, "add", new UnsafeBuffer(carol), 0, carol.length));
        final ReducerResult result = a.next(ReducerResult.class);
        assertInstanceOf(ReducerOk.class, result.outcome());
        a.close();
    }

    @Test
    void shouldAnswerErrorsWithoutClosing() throws Exception
    {
        final WsClient a = connected("", null, V2);
        a.send((e) -> e.subscribe(1, 1, List.of("SELECT * FROM nope")));
        final SubscriptionError error = a.next(SubscriptionError.class);
        assertEquals(1, error.requestId());
        assertTrue(error.error().contains("nope"), error.error());
        a.send((e) -> e.subscribe(2, 2, List.of("SELECT * FROM secret")));
        assertEquals(2, a.next(SubscriptionError.class).requestId());
        a.send((e) -> e.unsubscribe(3, 99, true));
        assertEquals(3, a.next(SubscriptionError.class).requestId());

        a.send((e) -> e.oneOffQuery(4, PERSON));
        final OneOffQueryResult oneOff = a.next(OneOffQueryResult.class);
        assertEquals(rows("Alice"), tableRows(oneOff.rows(), 0));

        a.send((e) -> e.callReducer(5, "fail", new UnsafeBuffer(new byte[0]), 0, 0));
        final ReducerResult failed = a.next(ReducerResult.class);
        assertEquals("boom", assertInstanceOf(ReducerErr.class, failed.outcome()).message());
        a.send((e) -> e.callReducer(6, "nope", new UnsafeBuffer(new byte[0]), 0, 0));
        assertInstanceOf(ReducerInternalError.class, a.next(ReducerResult.class).outcome());
        a.close();
    }

    @Test
    void shouldBatchV3MessagesAndAcceptMessagesBeforeInitialConnection() throws Exception
    {
        final WsClient b = WsClient.connect(server.port(), "", null, V3);
        b.send((e) -> e.subscribe(0, 0, List.of(PERSON)).subscribe(1, 1, List.of(PERSON)));
        b.next(InitialConnection.class);
        assertEquals(0, b.next(SubscribeApplied.class).querySetId());
        assertEquals(1, b.next(SubscribeApplied.class).querySetId());
        assertTrue(b.messagesPerFrame.stream().anyMatch((n) -> n >= 2), b.messagesPerFrame.toString());
        b.close();
    }

    @Test
    void shouldReconnectWithTokenAsSameIdentity() throws Exception
    {
        final HttpResponse<String> created = send("POST", "/v1/identity", null);
        final String token = jsonField(created.body(), "token");
        final WsClient a = WsClient.connect(server.port(), "", token, V2);
        final InitialConnection initial = a.next(InitialConnection.class);
        assertEquals(jsonField(created.body(), "identity"),
            Identity.fromLittleEndian(initial.identity().bytes()).toHex());
        assertEquals(token, initial.token());
        a.close();
    }

    @Test
    void shouldRefuseBadTokenAndMissingProtocolBeforeUpgrade() throws Exception
    {
        final ExecutionException badToken = assertThrows(ExecutionException.class,
            () -> WsClient.connect(server.port(), "?token=not.a.jwt", null, V2));
        assertEquals(401, ((WebSocketHandshakeException)badToken.getCause()).getResponse().statusCode());
        final ExecutionException noProtocol = assertThrows(ExecutionException.class,
            () -> WsClient.connect(server.port(), "", null, "v1.json.spacetimedb"));
        final HttpResponse<?> response = ((WebSocketHandshakeException)noProtocol.getCause()).getResponse();
        assertEquals(400, response.statusCode());
    }

    @Test
    void shouldCloseWith1011OnTextAndMalformedFrames() throws Exception
    {
        final WsClient a = connected("", null, V2);
        a.sendText("hello");
        assertTrue(a.awaitClose().startsWith("1011:text frames"), a.closed.get());
        final WsClient b = connected("", null, V2);
        b.sendRaw(new byte[]{9, 9, 9});
        assertTrue(b.awaitClose().startsWith("1011:"), b.closed.get());
    }

    @Test
    void shouldCloseRejectedConnectionWithoutInitialConnection() throws Exception
    {
        core.rejectConnections = true;
        final WsClient a = WsClient.connect(server.port(), "", null, V2);
        assertTrue(a.awaitClose().startsWith("1008:connection rejected: not welcome"), a.closed.get());
        assertTrue(a.messages.isEmpty());
    }

    @Test
    void shouldCloseWith1009OverTheInboundLimit() throws Exception
    {
        server.close();
        core = new FakeCore();
        server = EdgeServer.launch(new EdgeContext()
            .listenAddress("127.0.0.1:0")
            .coreLink(core)
            .maxInboundMessageLength(1024)
            .authContext(new AuthContext().keyDir(keyDir)));
        await(() -> server.agent().knowsDatabase("quickstart"));
        final WsClient a = connected("", null, V2);
        a.sendRaw(new byte[4096]);
        assertTrue(a.awaitClose().startsWith("1009:"), a.closed.get());
    }
}
