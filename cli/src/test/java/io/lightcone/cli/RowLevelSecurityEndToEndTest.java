package io.lightcone.cli;

import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.OneOffQueryResult;
import io.lightcone.edge.protocol.ServerMessage.PersistentRows;
import io.lightcone.edge.protocol.ServerMessage.QueryRows;
import io.lightcone.edge.protocol.ServerMessage.QuerySetUpdate;
import io.lightcone.edge.protocol.ServerMessage.SubscribeApplied;
import io.lightcone.edge.protocol.ServerMessage.SubscriptionError;
import io.lightcone.edge.protocol.ServerMessage.TableUpdate;
import io.lightcone.edge.protocol.ServerMessage.TransactionUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row-level security and private tables end to end with the real core ({@link LightconeServer}: embedded core and
 * edge over aeron:ipc) and {@code rls.wasm}: {@code message} rows are visible to a non-owner when it posted them
 * ({@code owner = :sender}) or when their text is {@code 'hello all'}; {@code secret} is private.
 * <p>
 * Two clients and the owner subscribe to {@code SELECT * FROM message} over WebSocket; each client's initial rows and
 * every update hold only the rows its rules allow, the owner (exempt, as in SpacetimeDB) gets every row; one-off
 * queries and HTTP {@code /sql} (including {@code COUNT(*)}) answer the same; non-owners are told the private table
 * does not exist, the owner reads it.
 */
@Timeout(180)
final class RowLevelSecurityEndToEndTest
{
    private static final String ALL = "SELECT * FROM message";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int port;

    @Test
    void shouldShowEachClientOnlyTheRowsItsRulesAllow() throws Exception
    {
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (LightconeServer server = LightconeServer.start(
            new LightconeServer.Settings(dataDir, "127.0.0.1:0", true, Map.of()), out))
        {
            port = server.port();
            final String owner = token();
            final String alice = token();
            final String bob = token();
            final HttpResponse<String> created = send("PUT", "/v1/database/rls", owner, module(), null);
            assertEquals(200, created.statusCode(), created.body());

            final WsClient ownerWs = subscribed(server, owner);
            final WsClient aliceWs = subscribed(server, alice);
            final WsClient bobWs = subscribed(server, bob);

            post(alice, "from alice");
            post(bob, "from bob");
            post(alice, "hello all");
            assertEquals(List.of("from alice"), update(aliceWs));
            assertEquals(List.of("hello all"), update(aliceWs), "alice never receives bob's row");
            assertEquals(List.of("from bob"), update(bobWs));
            assertEquals(List.of("hello all"), update(bobWs), "bob never receives alice's own row");
            assertEquals(List.of("from alice"), update(ownerWs));
            assertEquals(List.of("from bob"), update(ownerWs), "the owner is exempt from row-level security");
            assertEquals(List.of("hello all"), update(ownerWs));

            final WsClient late = WsClient.connect(server.url(), "rls");
            late.next(InitialConnection.class);
            late.send((e) -> e.subscribe(1, 1, List.of(ALL)));
            assertEquals(List.of("hello all"), texts(late.next(SubscribeApplied.class).rows()),
                "a new anonymous client's initial rows");
            aliceWs.send((e) -> e.subscribe(2, 2, List.of("SELECT * FROM message WHERE text = 'from bob'")));
            assertEquals(List.of(), texts(aliceWs.next(SubscribeApplied.class).rows()));

            bobWs.send((e) -> e.oneOffQuery(3, ALL));
            final OneOffQueryResult oneOff = bobWs.next(OneOffQueryResult.class);
            assertNull(oneOff.error());
            assertEquals(List.of("from bob", "hello all"), texts(oneOff.rows()));
            ownerWs.send((e) -> e.oneOffQuery(3, ALL));
            assertEquals(List.of("from alice", "from bob", "hello all"),
                texts(ownerWs.next(OneOffQueryResult.class).rows()));

            assertTrue(sql(alice, "SELECT text FROM message ORDER BY text").body()
                .contains("\"rows\":[[\"from alice\"],[\"hello all\"]]"));
            assertTrue(sql(bob, "SELECT COUNT(*) AS n FROM message").body().contains("\"rows\":[[2]]"));
            assertTrue(sql(owner, "SELECT COUNT(*) AS n FROM message").body().contains("\"rows\":[[3]]"));
            assertTrue(sql(bob, "SELECT text FROM message WHERE text = 'from alice'").body()
                .contains("\"rows\":[]"));

            assertEquals(200, call(alice, "put_secret", "[7, \"seven\"]").statusCode());
            final HttpResponse<String> hidden = sql(alice, "SELECT * FROM secret");
            assertEquals(400, hidden.statusCode());
            assertTrue(hidden.body().startsWith("no such table: secret"), hidden.body());
            assertTrue(sql(owner, "SELECT * FROM secret").body().contains("\"rows\":[[7,\"seven\"]]"));
            bobWs.send((e) -> e.subscribe(4, 4, List.of("SELECT * FROM secret")));
            final SubscriptionError refused = bobWs.next(SubscriptionError.class);
            assertTrue(refused.error().startsWith("no such table: secret"), refused.error());
            bobWs.send((e) -> e.oneOffQuery(5, "SELECT * FROM secret"));
            assertTrue(bobWs.next(OneOffQueryResult.class).error().startsWith("no such table: secret"));
            ownerWs.send((e) -> e.subscribe(6, 6, List.of("SELECT * FROM secret")));
            assertEquals(1, ownerWs.next(SubscribeApplied.class).rows().tables().get(0).rows().rows().size());

            for (final WsClient client : List.of(ownerWs, aliceWs, bobWs, late))
            {
                client.close();
            }
        }
    }

    private WsClient subscribed(final LightconeServer server, final String token) throws Exception
    {
        final WsClient client = WsClient.connect(server.url(), "rls", token);
        client.next(InitialConnection.class);
        client.send((e) -> e.subscribe(1, 1, List.of(ALL)));
        assertEquals(List.of(), texts(client.next(SubscribeApplied.class).rows()));
        return client;
    }

    /** The texts of the message rows one TransactionUpdate inserts (no deletes expected). */
    private static List<String> update(final WsClient client) throws Exception
    {
        final TransactionUpdate update = client.next(TransactionUpdate.class);
        final List<String> texts = new ArrayList<>();
        for (final QuerySetUpdate querySet : update.querySets())
        {
            for (final TableUpdate table : querySet.tables())
            {
                assertEquals("message", table.tableName());
                final PersistentRows rows = assertInstanceOf(PersistentRows.class, table.rows().get(0));
                assertTrue(rows.deletes().rows().isEmpty());
                rows.inserts().rows().forEach((row) -> texts.add(text(row)));
            }
        }
        return texts;
    }

    private static List<String> texts(final QueryRows rows)
    {
        final List<String> texts = new ArrayList<>();
        rows.tables().forEach((table) -> table.rows().rows().forEach((row) -> texts.add(text(row))));
        texts.sort(null);
        return texts;
    }

    /** message row: id u64, owner Identity (32 bytes), text String (u32 length, UTF-8). */
    private static String text(final Blob row)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(row.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        final int length = bytes.getInt(40);
        return new String(row.bytes(), 44, length, StandardCharsets.UTF_8);
    }

    private String token() throws Exception
    {
        final String body = send("POST", "/v1/identity", null, null, null).body();
        final Matcher m = Pattern.compile("\"token\":\"([^\"]*)\"").matcher(body);
        assertTrue(m.find(), body);
        return m.group(1);
    }

    private void post(final String token, final String text) throws Exception
    {
        final HttpResponse<String> response = call(token, "post", "[\"" + text + "\"]");
        assertEquals(200, response.statusCode(), response.body());
    }

    private HttpResponse<String> call(final String token, final String reducer, final String args) throws Exception
    {
        return send("POST", "/v1/database/rls/call/" + reducer, token, args.getBytes(StandardCharsets.UTF_8),
            "application/json");
    }

    private HttpResponse<String> sql(final String token, final String query) throws Exception
    {
        return send("POST", "/v1/database/rls/sql", token, query.getBytes(StandardCharsets.UTF_8), null);
    }

    private HttpResponse<String> send(
        final String method, final String path, final String token, final byte[] body, final String contentType)
        throws Exception
    {
        return HttpTestClient.send(http, port, method, path, token, body, contentType);
    }

    private byte[] module() throws Exception
    {
        return Files.readAllBytes(Path.of(getClass().getResource("/modules/rls.wasm").toURI()));
    }
}
