package io.lightcone.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.lightcone.edge.EdgeContext;
import io.lightcone.edge.EdgeServer;
import io.lightcone.edge.auth.AuthContext;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.OneOffQueryResult;
import io.lightcone.edge.protocol.ServerMessage.SubscribeApplied;
import io.lightcone.edge.protocol.ServerMessage.SubscriptionError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP database API end to end with the real core ({@link LightconeServer}: embedded core and edge over
 * aeron:ipc): quickstart.wasm published over HTTP, a reducer called over HTTP, its effect read with {@code /sql},
 * the schema JSON, the module's log lines, the owner rules, and a republish that migrates or is refused.
 */
@Timeout(180)
final class HttpApiEndToEndTest
{
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int port;

    @Test
    void shouldPublishCallQueryAndMigrateOverHttp() throws Exception
    {
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (LightconeServer server = LightconeServer.start(
            new LightconeServer.Settings(dataDir, "127.0.0.1:0", true, Map.of()), out))
        {
            port = server.port();
            final String ownerJson = send("POST", "/v1/identity", null, null, null).body();
            final String owner = field(ownerJson, "token");
            final String ownerHex = field(ownerJson, "identity");
            final String other = field(send("POST", "/v1/identity", null, null, null).body(), "token");
            final byte[] quickstart = module("quickstart");

            final HttpResponse<String> created = send("PUT", "/v1/database/qs", owner, quickstart, null);
            assertEquals(200, created.statusCode(), created.body());
            assertTrue(created.body().matches("\\{\"Success\":\\{\"domain\":\"qs\",\"database_identity\":" +
                "\"[0-9a-f]{64}\",\"op\":\"created\"}}"), created.body());
            final String identity = field(created.body(), "database_identity");
            assertEquals(identity, send("GET", "/v1/database/qs/identity", null, null, null).body());
            assertTrue(send("GET", "/v1/database/qs", null, null, null).body().contains(ownerHex));
            assertTrue(send("GET", "/v1/identity/" + ownerHex + "/databases", null, null, null).body()
                .contains(identity));

            assertEquals(200, call(other, "add", "[\"Ada\"]").statusCode());
            assertEquals(200, call(other, "add", "{\"name\":\"Bob\"}").statusCode());
            assertEquals(200, call(other, "say_hello", "[]").statusCode());
            assertEquals(400, call(other, "add", "[1]").statusCode());
            assertEquals(400, call(other, "init", "[]").statusCode());
            assertEquals(404, call(other, "nope", "[]").statusCode());

            final HttpResponse<String> rows = sql(other, "SELECT name FROM person ORDER BY name DESC");
            assertEquals(200, rows.statusCode(), rows.body());
            assertTrue(rows.body().startsWith("[{\"schema\":{\"elements\":[{\"name\":{\"some\":\"name\"}," +
                "\"algebraic_type\":{\"String\":[]}}]},\"rows\":[[\"Bob\"],[\"Ada\"]],"), rows.body());
            assertWellFormed(rows.body());
            assertTrue(sql(other, "SELECT COUNT(*) AS n FROM person").body().contains("\"rows\":[[2]]"));
            assertEquals(400, sql(other, "SELECT * FROM nope").statusCode());
            final HttpResponse<String> dml = sql(owner, "INSERT INTO person VALUES ('Cy')");
            assertEquals(200, dml.statusCode(), dml.body());
            assertTrue(dml.body().contains("\"rows_inserted\":1"), dml.body());
            assertTrue(sql(other, "SELECT * FROM person WHERE name = 'Cy'").body().contains("[[\"Cy\"]]"));
            assertEquals(401, sql(other, "DELETE FROM person").statusCode());

            final HttpResponse<String> schema = send("GET", "/v1/database/qs/schema?version=10", null, null, null);
            assertEquals(200, schema.statusCode(), schema.body());
            assertWellFormed(schema.body());
            assertTrue(schema.body().contains("\"source_name\":\"person\""), schema.body());
            assertTrue(schema.body().contains("\"source_name\":\"say_hello\""), schema.body());
            final HttpResponse<String> v9 = send("GET", "/v1/database/qs/schema?version=9", null, null, null);
            assertEquals(200, v9.statusCode(), v9.body());
            assertTrue(v9.body().contains("\"name\":\"say_hello\""), v9.body());

            assertEquals(401, send("GET", "/v1/database/qs/logs", other, null, null).statusCode());
            final String logs = send("GET", "/v1/database/qs/logs", owner, null, null).body();
            assertTrue(logs.contains("\"message\":\"quickstart: init\""), logs);
            assertTrue(logs.contains("\"message\":\"Hello, Ada!\""), logs);
            assertTrue(logs.contains("\"message\":\"Hello, World!\""), logs);

            final byte[] withSection = withCustomSection(quickstart);
            final HttpResponse<String> migrated = send("PUT", "/v1/database/qs", owner, withSection, null);
            assertEquals(200, migrated.statusCode(), migrated.body());
            assertTrue(migrated.body().endsWith("\"op\":\"updated\"}}"), migrated.body());
            assertTrue(sql(other, "SELECT COUNT(*) AS n FROM person").body().contains("\"rows\":[[3]]"),
                "a migration keeps the rows");
            final HttpResponse<String> refused = send("PUT", "/v1/database/qs", owner, module("keynote"), null);
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().startsWith("Database update rejected: "), refused.body());
            assertEquals(401, send("PUT", "/v1/database/qs", other, quickstart, null).statusCode());

            assertEquals(401, send("DELETE", "/v1/database/qs", other, null, null).statusCode());
            assertEquals(200, send("DELETE", "/v1/database/qs", owner, null, null).statusCode());
            assertEquals(404, send("GET", "/v1/database/qs", null, null, null).statusCode());
        }
    }

    /**
     * Names and st_var with the real core: POST/PUT /names and SET row_limit reach a second edge (DatabaseSettings
     * on bootstrap and on change), every route and the WebSocket route resolve every name, and both survive a
     * restart (database.properties); row_limit is enforced for non-owners' SQL, one-off queries and subscriptions;
     * several statements run in order; initial_program is the module's hash and follows an update.
     */
    @Test
    void shouldKeepNamesAndVariablesAcrossEdgesAndARestart() throws Exception
    {
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final LightconeServer.Settings settings = new LightconeServer.Settings(dataDir, "127.0.0.1:0", true, Map.of());
        final String owner;
        final String other;
        final String program;
        try (LightconeServer server = LightconeServer.start(settings, out))
        {
            port = server.port();
            owner = field(send("POST", "/v1/identity", null, null, null).body(), "token");
            other = field(send("POST", "/v1/identity", null, null, null).body(), "token");
            assertEquals(200, send("PUT", "/v1/database/qs", owner, module("quickstart"), null).statusCode());
            program = field(send("GET", "/v1/database/qs", null, null, null).body(), "initial_program");
            assertTrue(program.matches("[0-9a-f]{64}"), program);

            final HttpResponse<String> added = send("POST", "/v1/database/qs/names", owner, bytes("qs-alias"), null);
            assertEquals(200, added.statusCode(), added.body());
            final HttpResponse<String> replaced = send("PUT", "/v1/database/qs-alias/names", owner,
                bytes("[\"qs-main\",\"qs-alias\"]"), null);
            assertEquals(200, replaced.statusCode(), replaced.body());
            assertEquals(404, send("GET", "/v1/database/qs", null, null, null).statusCode());
            assertEquals(401, send("PUT", "/v1/database/qs-main/names", other, bytes("[\"x\"]"), null).statusCode());
            assertEquals(200, send("PUT", "/v1/database/other-db", other, module("quickstart"), null).statusCode());
            final HttpResponse<String> inUse = send("PUT", "/v1/database/other-db/names", other,
                bytes("[\"qs-alias\"]"), null);
            assertEquals(400, inUse.statusCode());
            assertEquals("{\"OtherError\":\"Cannot rename to qs-alias because it already is in use.\"}",
                inUse.body());

            for (final String name : new String[] {"Ada", "Bob", "Cy"})
            {
                assertEquals(200, send("POST", "/v1/database/qs-alias/call/add", other,
                    bytes("[\"" + name + "\"]"), "application/json").statusCode());
            }
            final HttpResponse<String> set = send("POST", "/v1/database/qs-main/sql", owner,
                bytes("SET row_limit = 2; SHOW row_limit; INSERT INTO person VALUES ('Dee'); " +
                "SELECT COUNT(*) AS n FROM person"), null);
            assertEquals(200, set.statusCode(), set.body());
            assertWellFormed(set.body());
            assertTrue(set.body().contains("\"rows\":[[[8,2]]]"), set.body());
            assertTrue(set.body().contains("\"rows\":[[4]]"), "the SELECT sees the INSERT before it: " + set.body());
            assertRowLimited(other);

            try (EdgeServer second = EdgeServer.launch(new EdgeContext().listenAddress("127.0.0.1:0").edgeId(2)
                .coreLink(new EmbeddedCoreLink(server.core().aeron(), server.core().context()))
                .authContext(new AuthContext().keyDir(dataDir.resolve("keys")))))
            {
                final int first = port;
                port = second.port();
                awaitTrue(() -> second.agent().knowsDatabase("qs-alias"));
                assertFalse(second.agent().knowsDatabase("qs"), "the bootstrap tells the names, not the creation " +
                    "name");
                assertEquals("{\"names\":[\"qs-main\",\"qs-alias\"]}",
                    send("GET", "/v1/database/qs-main/names", null, null, null).body());
                assertRowLimited(other);
                port = first;
                assertEquals(200, send("POST", "/v1/database/qs-main/names", owner, bytes("qs-third"), null)
                    .statusCode());
                awaitTrue(() -> second.agent().knowsDatabase("qs-third"));
            }
        }
        try (LightconeServer server = LightconeServer.start(settings, out))
        {
            port = server.port();
            assertEquals("{\"names\":[\"qs-main\",\"qs-alias\",\"qs-third\"]}",
                send("GET", "/v1/database/qs-third/names", null, null, null).body(), "names survive a restart");
            assertEquals(404, send("GET", "/v1/database/qs", null, null, null).statusCode());
            assertEquals(program, field(send("GET", "/v1/database/qs-main", null, null, null).body(),
                "initial_program"));
            assertTrue(send("POST", "/v1/database/qs-main/sql", other, bytes("SHOW row_limit"), null).body()
                .contains("\"rows\":[[[8,2]]]"), "row_limit survives a restart");
            assertRowLimited(other);
            final WsClient ws = WsClient.connect(server.url(), "qs-alias", other);
            try
            {
                ws.next(InitialConnection.class);
                ws.send((e) -> e.subscribe(1, 1, List.of("SELECT * FROM person")));
                assertEquals("Estimated cardinality (4 rows) exceeds limit (2 rows)",
                    ws.next(SubscriptionError.class).error());
                ws.send((e) -> e.oneOffQuery(2, "SELECT * FROM person"));
                assertEquals("Estimated cardinality (4 rows) exceeds limit (2 rows)",
                    ws.next(OneOffQueryResult.class).error());
                ws.send((e) -> e.subscribe(3, 3, List.of("SELECT * FROM person WHERE name = 'Ada'")));
                assertEquals(1, ws.next(SubscribeApplied.class).rows().tables().get(0).rows().rows().size());
            }
            finally
            {
                ws.close();
            }
            final HttpResponse<String> updated = send("PUT", "/v1/database/qs-alias", owner,
                withCustomSection(module("quickstart")), null);
            assertEquals(200, updated.statusCode(), updated.body());
            final String after = field(send("GET", "/v1/database/qs-main", null, null, null).body(),
                "initial_program");
            assertFalse(program.equals(after), "the hash of the program now running");
        }
    }

    private void assertRowLimited(final String token) throws Exception
    {
        final HttpResponse<String> limited = send("POST", "/v1/database/qs-alias/sql", token,
            bytes("SELECT * FROM person"), null);
        assertEquals(400, limited.statusCode(), limited.body());
        assertEquals("Estimated cardinality (4 rows) exceeds limit (2 rows)", limited.body());
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition) throws Exception
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "condition not met in 30 s");
            Thread.sleep(20);
        }
    }

    private HttpResponse<String> call(final String token, final String reducer, final String args) throws Exception
    {
        return send("POST", "/v1/database/qs/call/" + reducer, token, args.getBytes(StandardCharsets.UTF_8),
            "application/json");
    }

    private HttpResponse<String> sql(final String token, final String query) throws Exception
    {
        return send("POST", "/v1/database/qs/sql", token, query.getBytes(StandardCharsets.UTF_8), null);
    }

    private HttpResponse<String> send(
        final String method, final String path, final String token, final byte[] body, final String contentType)
        throws Exception
    {
        return HttpTestClient.send(http, port, method, path, token, body, contentType);
    }

    private byte[] module(final String name) throws Exception
    {
        return Files.readAllBytes(Path.of(getClass().getResource("/modules/" + name + ".wasm").toURI()));
    }

    /** The same module with a custom section appended: other bytes and hash, the same definition. */
    private static byte[] withCustomSection(final byte[] wasm)
    {
        final byte[] name = "lightcone-test".getBytes(StandardCharsets.US_ASCII);
        final byte[] out = new byte[wasm.length + 3 + name.length];
        System.arraycopy(wasm, 0, out, 0, wasm.length);
        out[wasm.length] = 0;
        out[wasm.length + 1] = (byte)(1 + name.length);
        out[wasm.length + 2] = (byte)name.length;
        System.arraycopy(name, 0, out, wasm.length + 3, name.length);
        return out;
    }

    private static String field(final String json, final String name)
    {
        final Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static void assertWellFormed(final String json) throws Exception
    {
        try (JsonParser parser = JSON.createParser(json))
        {
            parser.nextToken();
            parser.skipChildren();
            assertEquals(null, parser.nextToken(), "one JSON value: " + json);
        }
    }
}
