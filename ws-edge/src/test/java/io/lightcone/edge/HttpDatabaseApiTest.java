package io.lightcone.edge;

import io.lightcone.core.moduledef.ModuleDefDecoder;
import io.lightcone.core.moduledef.RawModuleDefJson;
import io.lightcone.edge.auth.AuthContext;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.http.HttpApiConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP database API of the edge (reference/spacetimedb-contracts.md §3.2) against {@link FakeCore}: routing,
 * authorization, status codes, JSON shapes and bad input. The owner is an identity minted by the server; a second
 * minted identity is the non-owner.
 */
final class HttpDatabaseApiTest
{
    private static final String DB = "/v1/database/quickstart";

    @TempDir
    Path keyDir;

    private FakeCore core;
    private EdgeServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String ownerToken;
    private String ownerHex;
    private String otherToken;

    @BeforeEach
    void start() throws Exception
    {
        launch();
    }

    private void launch() throws Exception
    {
        core = new FakeCore();
        server = EdgeServer.launch(new EdgeContext()
            .listenAddress("127.0.0.1:0")
            .coreLink(core)
            .workerThreads(2)
            .authContext(new AuthContext().keyDir(keyDir)));
        await(() -> server.agent().knowsDatabase("quickstart"));
        final String owner = send("POST", "/v1/identity", null, null, null).body();
        ownerToken = jsonField(owner, "token");
        ownerHex = jsonField(owner, "identity");
        otherToken = jsonField(send("POST", "/v1/identity", null, null, null).body(), "token");
        core.announce(Identity.fromHex(ownerHex).toLittleEndian());
        await(() -> get(DB, null).body().contains(ownerHex));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** Metadata routes, identity headers for anonymous callers, 401 for a bad token, 404 for unknown names. */
    @Test
    void shouldServeDatabaseMetadata() throws Exception
    {
        final HttpResponse<String> anonymous = get(DB, null);
        assertEquals(200, anonymous.statusCode());
        final String identity = jsonField(anonymous.body(), "database_identity");
        assertEquals("{\"database_identity\":\"" + identity + "\",\"owner_identity\":\"" + ownerHex +
            "\",\"host_type\":\"wasm\"}", anonymous.body());
        assertTrue(anonymous.headers().firstValue("spacetime-identity").orElseThrow().startsWith("c200"));
        assertFalse(anonymous.headers().firstValue("spacetime-identity-token").orElseThrow().isEmpty());
        assertEquals("*", anonymous.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(get(DB, ownerToken).headers().firstValue("spacetime-identity").isEmpty());

        assertEquals("{\"names\":[\"quickstart\"]}", get(DB + "/names", null).body());
        assertEquals(identity, get(DB + "/identity", null).body());
        assertEquals(200, get("/v1/database/" + identity.toUpperCase(java.util.Locale.ROOT), null).statusCode());
        assertEquals("{\"identities\":[\"" + identity + "\"]}",
            get("/v1/identity/" + ownerHex + "/databases", null).body());
        assertEquals("{\"identities\":[]}", get("/v1/identity/" + "c2".repeat(32) + "/databases", null).body());

        assertEquals(404, get("/v1/database/nope", null).statusCode());
        assertEquals(404, get("/v1/database/nope/schema?version=10", null).statusCode());
        assertEquals(404, get(DB + "/frobnicate", null).statusCode());
        final HttpResponse<String> badToken = get(DB, "not-a-jwt");
        assertEquals(401, badToken.statusCode());
        assertFalse(badToken.body().isEmpty());
    }

    /** Reducer calls: 200 on commit (visible to /sql), 530 on a reducer error, 400/404 on bad requests. */
    @Test
    void shouldCallReducersAndProcedures() throws Exception
    {
        final HttpResponse<String> added = call("add", "[\"Bob\"]", "application/json");
        assertEquals(200, added.statusCode());
        assertEquals("1234", added.headers().firstValue("spacetime-energy-used").orElseThrow(),
            "the energy the core reported in TxCommitted");
        assertEquals("56", added.headers().firstValue("spacetime-execution-duration-micros").orElseThrow());
        assertEquals(200, call("add", "{\"name\":\"Carl\"}", "application/json; charset=utf-8").statusCode());
        assertEquals("[[\"Alice\"],[\"Bob\"],[\"Carl\"]]",
            rows(sql("SELECT name FROM person ORDER BY name", otherToken).body()));

        final HttpResponse<String> failed = call("fail", "[]", "application/json");
        assertEquals(530, failed.statusCode());
        assertEquals("boom", failed.body());
        assertEquals("99", failed.headers().firstValue("spacetime-energy-used").orElseThrow());
        assertEquals("7", failed.headers().firstValue("spacetime-execution-duration-micros").orElseThrow());
        assertEquals(400, call("add", "[\"Bob\"]", "text/plain").statusCode());
        final HttpResponse<String> badJson = call("add", "[\"Bob\"", "application/json");
        assertEquals(400, badJson.statusCode());
        assertTrue(badJson.body().startsWith("invalid arguments for add"), badJson.body());
        assertEquals(400, call("add", "[42]", "application/json").statusCode());
        assertEquals(400, call("add", "[\"a\",\"b\"]", "application/json").statusCode());
        assertEquals(404, call("nope", "[]", "application/json").statusCode());
        final HttpResponse<String> lifecycle = call("init", "[]", "application/json");
        assertEquals(400, lifecycle.statusCode());
        assertTrue(lifecycle.body().contains("lifecycle"), lifecycle.body());

        final HttpResponse<String> doubled = call("double", "[21]", "application/json");
        assertEquals(200, doubled.statusCode(), doubled.body());
        assertEquals("42", doubled.body());
        assertEquals(3 + 3, core.commits.get(), "the initial row, the two adds, and a client_connected for each call " +
            "that reached the core (add, add, fail); refused requests commit nothing");
        assertEquals(3, core.disconnects.get(), "each of those calls ended with client_disconnected");
    }

    /** SQL: the reference's JSON shape, aggregates, private tables for the owner only, DML through the core. */
    @Test
    void shouldAnswerSql() throws Exception
    {
        final HttpResponse<String> select = sql("SELECT * FROM person", otherToken);
        assertEquals(200, select.statusCode(), select.body());
        assertTrue(Pattern.matches("\\[\\{\"schema\":\\{\"elements\":\\[\\{\"name\":\\{\"some\":\"name\"}," +
            "\"algebraic_type\":\\{\"String\":\\[]}}]},\"rows\":\\[\\[\"Alice\"]],\"total_duration_micros\":\\d+," +
            "\"stats\":\\{\"rows_inserted\":0,\"rows_deleted\":0,\"rows_updated\":0}}]", select.body()), select.body());
        assertTrue(sql("SELECT COUNT(*) AS n FROM person", otherToken).body().contains("\"rows\":[[1]]"));

        final HttpResponse<String> bad = sql("SELEKT * FROM person", otherToken);
        assertEquals(400, bad.statusCode());
        assertFalse(bad.body().isEmpty());
        assertEquals(400, sql("SELECT * FROM nope", otherToken).statusCode());
        assertEquals(400, sql("SELECT * FROM secret", otherToken).statusCode(), "private for non-owners");
        assertEquals(200, sql("SELECT * FROM secret", ownerToken).statusCode(), "visible to the owner");

        final HttpResponse<String> refused = sql("INSERT INTO person VALUES ('x')", otherToken);
        assertEquals(401, refused.statusCode());
        final HttpResponse<String> dml = sql("INSERT INTO person VALUES ('x')", ownerToken);
        assertEquals(200, dml.statusCode(), dml.body());
        assertTrue(dml.body().contains("\"stats\":{\"rows_inserted\":1,\"rows_deleted\":0,\"rows_updated\":0}"),
            dml.body());
        assertEquals("[[\"Alice\"],[\"Dml\"]]", rows(sql("SELECT * FROM person ORDER BY name", ownerToken).body()));
    }

    /**
     * Several statements per request: the array of their results in order, DML and SET through the core, SELECT
     * seeing the request's own earlier DML; SHOW answers st_var's value column; row_limit refuses a non-owner's
     * larger query (the owner is exempt); a request that does not parse runs nothing.
     */
    @Test
    void shouldRunStatementsVariablesAndRowLimit() throws Exception
    {
        final HttpResponse<String> two = sql("SELECT name FROM person; SHOW row_limit;", otherToken);
        assertEquals(200, two.statusCode(), two.body());
        assertTrue(two.body().startsWith("[{\"schema\":{\"elements\":[{\"name\":{\"some\":\"name\"}"), two.body());
        assertTrue(two.body().contains("},{\"schema\":{\"elements\":[{\"name\":{\"some\":\"value\"}," +
            "\"algebraic_type\":{\"Sum\":{\"variants\":[{\"name\":{\"some\":\"Bool\"}"), two.body());
        assertEquals(2, two.body().split("\"total_duration_micros\"").length - 1, two.body());
        assertTrue(two.body().endsWith("\"rows\":[],\"total_duration_micros\":" +
            jsonNumber(two.body().substring(two.body().lastIndexOf("\"total_duration_micros\""))) +
            ",\"stats\":{\"rows_inserted\":0,\"rows_deleted\":0,\"rows_updated\":0}}]"), two.body());
        assertTrue(two.headers().firstValue("spacetime-execution-duration-micros").isPresent());

        assertEquals(401, sql("SET row_limit = 1", otherToken).statusCode());
        final HttpResponse<String> unknown = sql("SET nope = 1", ownerToken);
        assertEquals(400, unknown.statusCode());
        assertEquals("nope is not a valid system variable", unknown.body());
        final HttpResponse<String> showUnknown = sql("SHOW nope", ownerToken);
        assertEquals(400, showUnknown.statusCode());
        assertEquals("nope is not a valid system variable", showUnknown.body());

        final HttpResponse<String> three = sql(
            "INSERT INTO person VALUES ('x'); SET row_limit = 1; SELECT name FROM person ORDER BY name; " +
            "SHOW row_limit", ownerToken);
        assertEquals(200, three.statusCode(), three.body());
        assertTrue(three.body().contains("\"rows\":[[\"Alice\"],[\"Dml\"]]"), "SELECT sees the INSERT before " +
            "it; the owner is not limited: " + three.body());
        assertTrue(three.body().contains("\"rows\":[[[8,1]]]"), "SHOW: StVarValue::U64(1): " + three.body());
        assertEquals(4, three.body().split("\"total_duration_micros\"").length - 1, three.body());

        final HttpResponse<String> limited = sql("SELECT * FROM person", otherToken);
        assertEquals(400, limited.statusCode());
        assertEquals("Estimated cardinality (2 rows) exceeds limit (1 rows)", limited.body());
        assertEquals(200, sql("SELECT * FROM person WHERE name = 'Alice'", otherToken).statusCode());
        assertEquals(200, sql("SELECT * FROM person", ownerToken).statusCode());

        final long commits = core.commits.get();
        assertEquals(400, sql("INSERT INTO person VALUES ('y'); SELEKT", ownerToken).statusCode());
        assertEquals(commits, core.commits.get(), "nothing of a request that does not parse runs");
        assertEquals(400, sql(" ; ", ownerToken).statusCode());
    }

    /**
     * POST and PUT /names: SpacetimeDB's name rules and answers, owner only, a name of another database refused;
     * every route resolves every name, a removed name no longer resolves, the identity always does.
     */
    @Test
    void shouldAddAndReplaceNames() throws Exception
    {
        final String identity = get(DB + "/identity", null).body();
        final HttpResponse<String> notOwner = send("POST", DB + "/names", otherToken, "qs-two", null);
        assertEquals(401, notOwner.statusCode());
        assertEquals("{\"PermissionDenied\":{\"domain\":\"qs-two\"}}", notOwner.body());
        final HttpResponse<String> badChars = send("POST", DB + "/names", ownerToken, "Qs_two", null);
        assertEquals(400, badChars.statusCode());
        assertEquals("invalid characters in database name", badChars.body());
        assertEquals("invalid hyphen in database name",
            send("POST", DB + "/names", ownerToken, "qs--two", null).body());
        assertEquals("database names cannot be identities",
            send("POST", DB + "/names", ownerToken, identity, null).body());
        final HttpResponse<String> taken = send("POST", DB + "/names", ownerToken, "big", null);
        assertEquals(500, taken.statusCode(), "SpacetimeDB's RecordAlreadyExists");
        assertEquals("record with the name big already exists", taken.body());

        final HttpResponse<String> added = send("POST", DB + "/names", ownerToken, "qs-two", null);
        assertEquals(200, added.statusCode(), added.body());
        assertEquals("{\"Success\":{\"domain\":\"qs-two\",\"database_identity\":\"" + identity + "\"}}",
            added.body());
        assertEquals("{\"names\":[\"quickstart\",\"qs-two\"]}", get("/v1/database/qs-two/names", null).body());
        assertTrue(get("/v1/database/qs-two", null).body().endsWith(",\"initial_program\":\"" + "ab".repeat(32) +
            "\"}"), "the program hash the core sent");
        assertTrue(server.agent().knowsDatabase("qs-two"), "the WebSocket route resolves it too");

        final HttpResponse<String> putNotOwner = send("PUT", DB + "/names", otherToken, "[\"a\"]", null);
        assertEquals(401, putNotOwner.statusCode());
        assertEquals("{\"NotYourDatabase\":{\"database\":\"" + identity + "\"}}", putNotOwner.body());
        final HttpResponse<String> putBad = send("PUT", DB + "/names", ownerToken, "[\"ok\",\"Not-ok\"]", null);
        assertEquals(400, putBad.statusCode());
        assertEquals("Error parsing `Not-ok`: invalid characters in database name", putBad.body());
        assertEquals(400, send("PUT", DB + "/names", ownerToken, "renamed", null).statusCode());
        final HttpResponse<String> inUse = send("PUT", DB + "/names", ownerToken, "[\"renamed\",\"big\"]", null);
        assertEquals(400, inUse.statusCode());
        assertEquals("{\"OtherError\":\"Cannot rename to big because it already is in use.\"}", inUse.body());

        final HttpResponse<String> replaced = send("PUT", "/v1/database/qs-two/names", ownerToken,
            "[\"renamed\",\"alias-1\"]", null);
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals("\"Success\"", replaced.body());
        assertEquals(404, get(DB, null).statusCode(), "the old names are gone");
        assertEquals(404, get("/v1/database/qs-two", null).statusCode());
        assertFalse(server.agent().knowsDatabase("quickstart"));
        assertEquals("{\"names\":[\"renamed\",\"alias-1\"]}", get("/v1/database/" + identity + "/names", null)
            .body());
        assertEquals(200, send("POST", "/v1/database/alias-1/call/add", otherToken, "[\"Eve\"]",
            "application/json").statusCode());
        assertTrue(sqlAt("/v1/database/renamed/sql", "SELECT * FROM person WHERE name = 'Eve'").contains("[\"Eve\"]"));
        assertEquals(200, send("DELETE", "/v1/database/alias-1", ownerToken, null, null).statusCode(),
            "the core is told the identity, whatever the name in the URL");
    }

    private String sqlAt(final String path, final String query) throws Exception
    {
        return send("POST", path, otherToken, query, null).body();
    }

    private static String jsonNumber(final String text)
    {
        final Matcher m = Pattern.compile("(\\d+)").matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    /** Schema JSON in both versions, describing the same tables; logs for the owner, as a snapshot and followed. */
    @Test
    void shouldServeSchemaAndLogs() throws Exception
    {
        final HttpResponse<String> schema = get(DB + "/schema?version=10", null);
        assertEquals(200, schema.statusCode(), schema.body());
        assertTrue(schema.body().startsWith("{\"sections\":["), schema.body());
        assertTrue(schema.body().contains("\"source_name\":\"person\""), schema.body());
        assertTrue(schema.body().contains("\"source_name\":\"add\""), schema.body());
        assertEquals(schema.body(), RawModuleDefJson.write(RawModuleDefJson.read(schema.body(), 10)));
        final HttpResponse<String> v9 = get(DB + "/schema?version=9", null);
        assertEquals(200, v9.statusCode(), v9.body());
        assertTrue(v9.body().startsWith("{\"typespace\":"), v9.body());
        assertTrue(v9.body().contains("\"name\":\"person\""), v9.body());
        assertEquals(ModuleDefDecoder.decode(RawModuleDefJson.read(schema.body(), 10)).tables(),
            ModuleDefDecoder.decode(RawModuleDefJson.read(v9.body(), 9)).tables());
        assertEquals(400, get(DB + "/schema", null).statusCode());
        assertEquals(400, get(DB + "/schema?version=8", null).statusCode());

        assertEquals(401, get(DB + "/logs", otherToken).statusCode());
        assertEquals(200, call("add", "[\"Bob\"]", "application/json").statusCode());
        assertEquals(200, call("add", "[\"Carl\"]", "application/json").statusCode());
        final HttpResponse<String> logs = get(DB + "/logs", ownerToken);
        assertEquals(200, logs.statusCode());
        assertEquals("application/x-ndjson", logs.headers().firstValue("content-type").orElseThrow());
        final String[] lines = logs.body().split("\n");
        assertEquals(2, lines.length, logs.body());
        assertTrue(lines[0].startsWith("{\"level\":\"Info\",\"ts\":"), lines[0]);
        assertTrue(lines[0].endsWith("\"message\":\"added Bob\"}"), lines[0]);
        assertEquals(lines[1], get(DB + "/logs?num_lines=1", ownerToken).body().trim());
        assertEquals(400, get(DB + "/logs?num_lines=x", ownerToken).statusCode());

        final HttpResponse<InputStream> follow = http.send(request("GET", DB + "/logs?num_lines=0&follow=true",
            ownerToken, null, null), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, follow.statusCode());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(follow.body(), StandardCharsets.UTF_8)))
        {
            assertEquals(200, call("add", "[\"Dora\"]", "application/json").statusCode());
            final String line = reader.readLine();
            assertTrue(line.endsWith("\"message\":\"added Dora\"}"), line);
        }
    }

    /** Publish, update and delete with their owner rules and the reference's JSON answers. */
    @Test
    void shouldPublishUpdateAndDelete() throws Exception
    {
        final HttpResponse<String> created = send("PUT", "/v1/database/fresh", otherToken, "wasm", null);
        assertEquals(200, created.statusCode(), created.body());
        assertTrue(Pattern.matches("\\{\"Success\":\\{\"domain\":\"fresh\",\"database_identity\":\"[0-9a-f]{64}\"," +
            "\"op\":\"created\"}}", created.body()), created.body());
        assertEquals(200, get("/v1/database/fresh/names", null).statusCode());
        final HttpResponse<String> anonymous = send("POST", "/v1/database", null, "wasm", null);
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.body().startsWith("{\"Success\":{\"domain\":null,"), anonymous.body());

        final HttpResponse<String> notOwner = send("PUT", DB, otherToken, "wasm", null);
        assertEquals(401, notOwner.statusCode());
        assertEquals("{\"PermissionDenied\":{\"name\":\"quickstart\"}}", notOwner.body());
        final HttpResponse<String> updated = send("PUT", DB, ownerToken, "wasm", null);
        assertEquals(200, updated.statusCode(), updated.body());
        assertTrue(updated.body().endsWith("\"op\":\"updated\"}}"), updated.body());
        final HttpResponse<String> refused = send("PUT", DB, ownerToken, "bad wasm", null);
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().startsWith("Database update rejected: update refused"), refused.body());
        assertEquals(400, send("PUT", DB, ownerToken, "", null).statusCode());
        assertEquals(400, send("PUT", "/v1/database/bad%20name", ownerToken, "wasm", null).statusCode());

        assertEquals(401, send("DELETE", DB, otherToken, null, null).statusCode());
        assertEquals(200, send("DELETE", DB, ownerToken, null, null).statusCode());
        await(() -> !server.agent().knowsDatabase("quickstart"));
        assertEquals(404, get(DB, null).statusCode());
    }

    /** A core that does not answer yields 504, and the edge keeps serving. */
    @Test
    void shouldTimeOutWhenTheCoreIsSilent() throws Exception
    {
        server.close();
        System.setProperty(HttpApiConfiguration.REQUEST_TIMEOUT_PROP_NAME, "300ms");
        try
        {
            launch();
        }
        finally
        {
            System.clearProperty(HttpApiConfiguration.REQUEST_TIMEOUT_PROP_NAME);
        }
        core.silent = true;
        assertEquals(504, send("PUT", DB, ownerToken, "wasm", null).statusCode());
        assertEquals(200, get(DB, null).statusCode());
    }

    private HttpResponse<String> call(final String reducer, final String json, final String contentType)
        throws Exception
    {
        return send("POST", DB + "/call/" + reducer, otherToken, json, contentType);
    }

    private HttpResponse<String> sql(final String query, final String token) throws Exception
    {
        return send("POST", DB + "/sql", token, query, null);
    }

    private HttpResponse<String> get(final String path, final String token) throws Exception
    {
        return send("GET", path, token, null, null);
    }

    private HttpResponse<String> send(
        final String method, final String path, final String token, final String body, final String contentType)
        throws Exception
    {
        return http.send(request(method, path, token, body, contentType), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(
        final String method, final String path, final String token, final String body, final String contentType)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() +
            path)).timeout(Duration.ofSeconds(30)).method(method, null == body ?
            HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (null != token)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        if (null != contentType)
        {
            builder.header("Content-Type", contentType);
        }
        return builder.build();
    }

    private static String rows(final String sqlJson)
    {
        final Matcher m = Pattern.compile("\"rows\":(\\[.*?]]|\\[])").matcher(sqlJson);
        assertTrue(m.find(), sqlJson);
        return m.group(1);
    }

    private static String jsonField(final String json, final String name)
    {
        final Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static void await(final Callable condition) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.call())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(10);
        }
    }

    @FunctionalInterface
    private interface Callable
    {
        boolean call() throws Exception;
    }
}
