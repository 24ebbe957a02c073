package io.lightcone.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
