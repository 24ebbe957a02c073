package io.lightcone.edge;

import io.lightcone.edge.auth.AuthContext;
import io.lightcone.edge.auth.IdentityDerivation;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.auth.JwksSource;
import io.lightcone.edge.protocol.Protocol;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.PersistentRows;
import io.lightcone.edge.protocol.ServerMessage.SubscribeApplied;
import io.lightcone.edge.protocol.ServerMessage.TransactionUpdate;
import io.lightcone.edge.ws.WebSocketSessionHandler;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every client is bounded and none can hurt the others: keep-alive and idle close, the inbound message size and
 * queue limits, the outbound byte limit for a client that stops reading, and token validation off the event loop.
 * Intervals and limits are configured small; the assertions are about outcomes (who is closed, with what, and that
 * everyone else got everything in order), never about how long something took.
 */
final class EdgeClientLimitsTest
{
    private static final String V2 = Protocol.SUBPROTOCOL_V2;
    private static final String PERSON = "SELECT * FROM person";
    private static final long AWAIT_MS = 30_000;

    @TempDir
    Path keyDir;

    private FakeCore core;
    private EdgeServer server;

    private void start(final Consumer<EdgeContext> settings) throws InterruptedException
    {
        core = new FakeCore();
        final EdgeContext ctx = new EdgeContext()
            .listenAddress("127.0.0.1:0")
            .coreLink(core)
            .workerThreads(2)
            .authContext(new AuthContext().keyDir(keyDir));
        settings.accept(ctx);
        server = EdgeServer.launch(ctx);
        await(() -> server.agent().knowsDatabase("quickstart"));
    }

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            server.close();
        }
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(5);
        }
    }

    private long count(final EdgeCounter counter)
    {
        return server.context().counter(counter).get();
    }

    private static long millis(final long ms)
    {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /**
     * Invariant: a client that answers pings is never closed as idle and keeps being pinged; a client that sends
     * nothing gets exactly one ping (no new one while it is unanswered) and then a close frame naming the timeout.
     */
    @Test
    void shouldKeepAnsweringClientAndCloseSilentOne() throws Exception
    {
        start((ctx) -> ctx.pingIntervalNs(millis(200)).idleTimeoutNs(millis(1_500)));
        final WsClient answering = WsClient.connect(server.port(), "", null, V2);
        answering.next(InitialConnection.class);

        try (RawWsClient silent = RawWsClient.connect(server.port(), "", 0))
        {
            int pings = 0;
            RawWsClient.Frame frame;
            while ((frame = silent.readFrame()).opcode() != RawWsClient.OPCODE_CLOSE)
            {
                pings += frame.opcode() == RawWsClient.OPCODE_PING ? 1 : 0;
            }
            assertEquals(1, pings, "no second ping while the first is unanswered");
            assertEquals(WebSocketSessionHandler.CLOSE_NORMAL, frame.closeCode());
            assertEquals("idle timeout: no frame for 1500 ms", frame.closeReason());
        }
        assertEquals(1, count(EdgeCounter.IDLE_CLOSES));

        // Pings continue only when answered: ten more span longer than the idle timeout.
        final long pingsAfterSilentClosed = count(EdgeCounter.PINGS_SENT);
        await(() -> count(EdgeCounter.PINGS_SENT) >= pingsAfterSilentClosed + 10);
        assertFalse(answering.closed.isDone(), answering.closed::toString);
        answering.send((e) -> e.subscribe(1, 1, List.of(PERSON)));
        assertEquals(1, answering.next(SubscribeApplied.class).querySetId());
        assertEquals(1, count(EdgeCounter.IDLE_CLOSES));
        answering.close();
    }

    /** Invariant: a message over the limit closes its sender with 1009, whether sent whole or in fragments. */
    @Test
    void shouldCloseWith1009AndCountOversizeMessages() throws Exception
    {
        start((ctx) -> ctx.maxInboundMessageLength(1024));
        try (RawWsClient whole = RawWsClient.connect(server.port(), "", 0);
            RawWsClient fragmented = RawWsClient.connect(server.port(), "", 0))
        {
            whole.sendFrame(true, RawWsClient.OPCODE_BINARY, new byte[4096]);
            fragmented.sendFrame(false, RawWsClient.OPCODE_BINARY, new byte[800]);
            fragmented.sendFrame(true, RawWsClient.OPCODE_CONTINUATION, new byte[800]);
            assertEquals(WebSocketSessionHandler.CLOSE_TOO_BIG, closeFrame(whole).closeCode());
            final RawWsClient.Frame close = closeFrame(fragmented);
            assertEquals(WebSocketSessionHandler.CLOSE_TOO_BIG, close.closeCode());
            assertEquals("message too long: the limit is 1024 bytes", close.closeReason());
        }
        // Netty's frame decoder writes its own close frame before the exception reaches the counting handler.
        await(() -> count(EdgeCounter.OVERSIZE_CLOSES) == 2);
    }

    private static RawWsClient.Frame closeFrame(final RawWsClient client) throws Exception
    {
        RawWsClient.Frame frame;
        while ((frame = client.readFrame()).opcode() != RawWsClient.OPCODE_CLOSE)
        {
            assertTrue(frame.opcode() != RawWsClient.OPCODE_CONTINUATION, "unexpected continuation");
        }
        return frame;
    }

    /**
     * Invariant: at most the inbound limit of a client's messages wait unprocessed (here while the core has not yet
     * accepted the client); one more closes that client with 1013, and a client at the limit loses nothing.
     */
    @Test
    void shouldCloseClientOverTheInboundQueueLimit() throws Exception
    {
        final int limit = 4;
        start((ctx) -> ctx.inboundQueueLimit(limit));
        core.holdConnections = true;
        final WsClient atLimit = WsClient.connect(server.port(), "", null, V2);
        final WsClient overLimit = WsClient.connect(server.port(), "", null, V2);
        for (int i = 0; i < limit; i++)
        {
            final int id = i;
            atLimit.send((e) -> e.subscribe(id, id, List.of(PERSON)));
        }
        for (int i = 0; i <= limit; i++)
        {
            final int id = i;
            overLimit.send((e) -> e.subscribe(id, id, List.of(PERSON)));
        }
        assertEquals(WebSocketSessionHandler.CLOSE_TRY_AGAIN_LATER + ":" +
            WebSocketSessionHandler.TOO_MANY_REQUESTS, overLimit.awaitClose());
        assertEquals(1, count(EdgeCounter.INBOUND_OVERFLOW_CLOSES));

        core.releaseConnections();
        atLimit.next(InitialConnection.class);
        for (int i = 0; i < limit; i++)
        {
            assertEquals(i, atLimit.next(SubscribeApplied.class).querySetId());
        }
        assertFalse(atLimit.closed.isDone(), atLimit.closed::toString);
        assertTrue(overLimit.messages.isEmpty(), overLimit.messages::toString);
        atLimit.close();
    }

    /**
     * Invariant: a subscriber that stops reading is disconnected once its outbound queue would exceed the byte limit
     * (never growing memory without bound), while another subscriber of the same table receives every update, in
     * commit order, before, during and after.
     */
    @Test
    void shouldDisconnectClientThatStopsReadingAndKeepServingOthers() throws Exception
    {
        final int maxBytes = 1024 * 1024;
        final int rowBytes = 16 * 1024;
        final int batch = 16;
        start((ctx) -> ctx.outboundQueueMaxBytes(maxBytes));
        final WsClient reader = WsClient.connect(server.port(), "?compression=None", null, V2);
        reader.next(InitialConnection.class);
        reader.send((e) -> e.subscribe(1, 1, List.of(PERSON)));
        reader.next(SubscribeApplied.class);

        try (RawWsClient stalled = RawWsClient.connect(server.port(), "?compression=None", 4096))
        {
            stalled.send((e) -> e.subscribe(1, 1, List.of(PERSON)));
            assertEquals(RawWsClient.OPCODE_BINARY, stalled.readFrame().opcode()); // InitialConnection
            assertEquals(RawWsClient.OPCODE_BINARY, stalled.readFrame().opcode()); // SubscribeApplied
            await(() -> server.agent().sessionCount() == 2);

            // From here on the stalled client reads nothing. Each batch stays well under the byte limit, so only a
            // client that does not read can exceed it; the reader takes every batch before the next is pushed.
            int pushed = 0;
            int batchesAfterDisconnect = 0;
            final int maxBatches = 256;
            for (int b = 0; b < maxBatches && batchesAfterDisconnect < 4; b++)
            {
                final List<String> names = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++)
                {
                    names.add(name(pushed++, rowBytes));
                }
                final int commits = core.commits.get();
                core.insertPeople(names);
                await(() -> core.commits.get() == commits + batch);
                expectRows(reader, pushed - batch, batch);
                if (count(EdgeCounter.SLOW_CLIENT_CLOSES) > 0)
                {
                    batchesAfterDisconnect++;
                }
            }
            assertEquals(1, count(EdgeCounter.SLOW_CLIENT_CLOSES), "only the stalled client is too slow");
            await(() -> server.agent().sessionCount() == 1);
            stalled.readToEnd();
        }
        assertFalse(reader.closed.isDone(), reader.closed::toString);
        reader.close();
    }

    private static String name(final int index, final int length)
    {
        final StringBuilder name = new StringBuilder(length).append(String.format("p%08d-", index));
        while (name.length() < length)
        {
            name.append((char)('a' + name.length() % 26));
        }
        return name.toString();
    }

    private static void expectRows(final WsClient client, final int first, final int count) throws Exception
    {
        int expected = first;
        while (expected < first + count)
        {
            final TransactionUpdate update = client.next(TransactionUpdate.class);
            final PersistentRows rows = (PersistentRows)update.querySets().get(0).tables().get(0).rows().get(0);
            for (final var row : rows.inserts().rows())
            {
                final ByteBuffer bytes = ByteBuffer.wrap(row.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                final String name = new String(row.bytes(), 4, bytes.getInt(0), StandardCharsets.UTF_8);
                assertEquals(String.format("p%08d-", expected), name.substring(0, 10), "update out of order");
                expected++;
            }
        }
    }

    /**
     * Invariant: a token validation that blocks (a JWKS fetch that hangs) occupies an auth thread, never the event
     * loop: with a single event loop, HTTP requests and other upgrades are served meanwhile, and the blocked
     * connection completes once the keys arrive.
     */
    @Test
    void shouldValidateTokensOffTheEventLoop() throws Exception
    {
        final String issuer = "https://issuer.example";
        final ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        final CountDownLatch fetching = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Queue<String> fetchThreads = new ConcurrentLinkedQueue<>();
        final JwksSource blocking = (iss) ->
        {
            fetchThreads.add(Thread.currentThread().getName());
            fetching.countDown();
            try
            {
                assertTrue(release.await(AWAIT_MS, TimeUnit.MILLISECONDS));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return new JWKSet(key.toPublicJWK());
        };
        start((ctx) -> ctx.workerThreads(1).authThreads(2)
            .authContext(new AuthContext().keyDir(keyDir).trustedIssuers(List.of(issuer)).jwksSource(blocking)));
        final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
            new JWTClaimsSet.Builder().issuer(issuer).subject("alice").issueTime(new Date()).build());
        jwt.sign(new ECDSASigner(key));
        final String token = jwt.serialize();

        final CompletableFuture<WsClient> external = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return WsClient.connect(server.port(), "", token, V2);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        try
        {
            assertTrue(fetching.await(AWAIT_MS, TimeUnit.MILLISECONDS), "the JWKS was never asked for");
            final HttpResponse<String> ping = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/ping")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ping.statusCode());
            final WsClient anonymous = WsClient.connect(server.port(), "", null, V2);
            anonymous.next(InitialConnection.class);
            assertFalse(external.isDone(), "validation finished before the keys arrived");
            anonymous.close();
        }
        finally
        {
            release.countDown();
        }
        final WsClient client = external.get(AWAIT_MS, TimeUnit.MILLISECONDS);
        final InitialConnection initial = client.next(InitialConnection.class);
        assertEquals(IdentityDerivation.fromClaims(issuer, "alice"),
            Identity.fromLittleEndian(initial.identity().bytes()));
        assertEquals(token, initial.token());
        assertTrue(fetchThreads.stream().allMatch((name) -> name.startsWith("edge-auth-")), fetchThreads::toString);
        client.close();
    }
}
