package io.lightcone.cli;

import io.lightcone.cli.CliRunner.Run;
import io.lightcone.cli.client.ExitCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client commands ({@code publish}, {@code call}, {@code sql}, {@code logs}, {@code subscribe},
 * {@code identity}, {@code describe}, {@code delete}) run through {@link Lightcone}'s command line against an
 * in-process {@link LightconeServer} on an ephemeral port: their output and exit codes, on good and bad input.
 */
@Timeout(300)
final class ClientCommandsTest
{
    private static final Pattern IDENTITY = Pattern.compile("identity: ([0-9a-f]{64})");

    @TempDir
    static Path tempDir;

    private static LightconeServer server;
    private static String url;
    private static Path owner;
    private static Path other;

    @BeforeAll
    static void startServer()
    {
        final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        server = LightconeServer.start(
            new LightconeServer.Settings(tempDir.resolve("data"), "127.0.0.1:0", true, Map.of()), log);
        url = "http://127.0.0.1:" + server.port();
        owner = tempDir.resolve("owner/cli.properties");
        other = tempDir.resolve("other/cli.properties");
    }

    @AfterAll
    static void stopServer()
    {
        server.close();
    }

    @Test
    void shouldPublishCallQueryDescribeAndDeleteTheChatExample() throws Exception
    {
        final Path chatOwner = tempDir.resolve("chat-owner/cli.properties");
        final Path chat = NodeProcess.repositoryRoot().resolve("examples/chat/chat.wasm");
        final Run created = run(chatOwner, "publish", "chat", chat.toString());
        assertEquals(0, created.exit(), created.err());
        assertTrue(created.out().matches("Created new database chat, identity: [0-9a-f]{64}\\R"), created.out());
        assertTrue(created.err().contains("created identity "), "first use mints an identity: " + created.err());
        assertTrue(created.err().contains("(100%)"), "upload progress: " + created.err());
        assertTrue(Files.isRegularFile(chatOwner), "config written on first use");

        final Run updated = run(chatOwner, "publish", "chat", chat.toString());
        assertEquals(0, updated.exit(), updated.err());
        assertTrue(updated.out().startsWith("Updated database chat, identity: "), updated.out());
        assertFalse(updated.err().contains("created identity"), "the saved identity is reused");

        assertEquals(0, run(chatOwner, "call", "chat", "send_message", "\"hello\"").exit());
        assertEquals(0, run(other, "call", "chat", "send_message", "[\"second\"]").exit());
        assertEquals(0, run(other, "call", "chat", "send_message", "{\"text\":\"third\"}").exit());

        final Run notJson = run(chatOwner, "call", "chat", "send_message", "hello");
        assertEquals(ExitCodes.BAD_ARGS, notJson.exit());
        assertTrue(notJson.err().contains("argument 1 is not JSON"), notJson.err());
        final Run wrongType = run(chatOwner, "call", "chat", "send_message", "42");
        assertEquals(ExitCodes.BAD_ARGS, wrongType.exit(), wrongType.err());
        final Run failed = run(chatOwner, "call", "chat", "send_message", "\"\"");
        assertEquals(ExitCodes.REDUCER_FAILED, failed.exit());
        assertTrue(failed.err().contains("Messages must not be empty"), failed.err());
        final Run named = run(chatOwner, "call", "chat", "set_name", "\"Ada\"");
        assertEquals(0, named.exit(), "an HTTP call runs after client_connected, which made the user row: " +
            named.err());
        final Run users = run(other, "sql", "chat", "SELECT name FROM user");
        assertEquals(0, users.exit(), users.err());
        assertTrue(users.out().contains("Ada"), users.out());
        final Run emptyName = run(chatOwner, "call", "chat", "set_name", "\"\"");
        assertEquals(ExitCodes.REDUCER_FAILED, emptyName.exit());
        assertTrue(emptyName.err().contains("Names must not be empty"), emptyName.err());
        assertEquals(ExitCodes.NOT_FOUND, run(chatOwner, "call", "chat", "nope").exit());
        final Run noDb = run(chatOwner, "call", "no-such-db", "send_message", "\"x\"");
        assertEquals(ExitCodes.NOT_FOUND, noDb.exit());
        assertTrue(noDb.err().contains("or publish it first"), "says what to do: " + noDb.err());

        final Run table = run(other, "sql", "chat", "SELECT id, text FROM message ORDER BY id");
        assertEquals(0, table.exit(), table.err());
        assertEquals(List.of(
            " id | text",
            "----+----------",
            " 1  | \"hello\"",
            " 2  | \"second\"",
            " 3  | \"third\""), table.lines());
        final Run json = run(other, "sql", "chat", "SELECT COUNT(*) AS n FROM message", "--json");
        assertTrue(json.out().startsWith("[{\"schema\":") && json.out().contains("\"rows\":[[3]]"), json.out());
        final Run badSql = run(other, "sql", "chat", "SELEKT * FROM message");
        assertEquals(ExitCodes.BAD_ARGS, badSql.exit());
        assertFalse(badSql.err().isBlank());
        assertEquals(ExitCodes.BAD_ARGS, run(other, "sql", "chat", "SELECT * FROM nope").exit());
        assertEquals(ExitCodes.NOT_FOUND, run(other, "sql", "no-such-db", "SELECT 1").exit());
        assertEquals(ExitCodes.PERMISSION_DENIED, run(other, "sql", "chat", "DELETE FROM message").exit());
        final Run dml = run(chatOwner, "sql", "chat", "DELETE FROM message WHERE id = 3");
        assertEquals(0, dml.exit(), dml.err());
        assertEquals("1 row deleted", dml.out().strip());

        final Run described = run(other, "describe", "chat");
        assertEquals(0, described.exit(), described.err());
        final List<String> lines = described.lines();
        assertEquals("database chat (module definition V10)", lines.get(0));
        assertTrue(lines.contains("  user (public, primary key: identity)"), described.out());
        assertTrue(lines.contains("    name: Option<String>"), described.out());
        assertTrue(lines.contains("  message (public, primary key: id)"), described.out());
        assertTrue(lines.contains("    sender: Identity"), described.out());
        assertTrue(lines.contains("    sent: Timestamp"), described.out());
        assertTrue(lines.contains("  send_message(text: String)"), described.out());
        assertTrue(lines.contains("  delete_message(id: U64)"), described.out());
        assertTrue(lines.contains("  client_connected() [lifecycle: OnConnect]"), described.out());
        assertTrue(run(other, "describe", "chat", "--json").out().startsWith("{\"sections\":["));
        assertEquals(ExitCodes.NOT_FOUND, run(other, "describe", "no-such-db").exit());

        final Path keynote = Path.of(getClass().getResource("/modules/keynote.wasm").toURI());
        final Run refused = run(chatOwner, "publish", "chat", keynote.toString());
        assertEquals(ExitCodes.MODULE_REFUSED, refused.exit());
        assertTrue(refused.err().contains("update refused"), refused.err());
        final Run publishNotOwner = run(other, "publish", "chat", chat.toString());
        assertEquals(ExitCodes.PERMISSION_DENIED, publishNotOwner.exit());
        assertTrue(publishNotOwner.err().contains("database chat belongs to another identity") &&
            publishNotOwner.err().contains("publish under another name"), publishNotOwner.err());
        assertEquals(ExitCodes.BAD_ARGS, run(chatOwner, "publish", "chat", tempDir.resolve("none.wasm").toString())
            .exit());
        assertEquals(ExitCodes.BAD_ARGS, run(chatOwner, "publish", "x".repeat(65), chat.toString()).exit());

        final Run notOwner = run(other, "delete", "chat");
        assertEquals(ExitCodes.PERMISSION_DENIED, notOwner.exit());
        final Run afterRefusal = run(other, "sql", "chat", "SELECT * FROM message");
        assertEquals(4, afterRefusal.lines().size(), "a refused delete loses nothing: " + afterRefusal.out());
        final Run deleted = run(chatOwner, "delete", "chat");
        assertEquals(0, deleted.exit(), deleted.err());
        assertEquals("Deleted database chat", deleted.out().strip());
        assertEquals(ExitCodes.NOT_FOUND, run(chatOwner, "describe", "chat").exit());
        assertEquals(ExitCodes.NOT_FOUND, run(chatOwner, "delete", "chat").exit());
    }

    @Test
    void shouldShowLogsAndKeepTheIdentityInTheConfig() throws Exception
    {
        final Path config = tempDir.resolve("logs/cli.properties");
        final Path quickstart = Path.of(getClass().getResource("/modules/quickstart.wasm").toURI());
        final Run shown = run(config, "identity", "show");
        assertEquals(0, shown.exit(), shown.err());
        final String identity = group(IDENTITY, shown.out());
        final Properties saved = new Properties();
        try (var reader = Files.newBufferedReader(config))
        {
            saved.load(reader);
        }
        assertEquals(identity, saved.getProperty("identity"));
        assertTrue(run(config, "identity", "show", "--token").out().contains("token: " +
            saved.getProperty("token")));
        assertEquals(shown.out(), run(config, "identity", "show").out(), "the same identity every time");

        assertEquals(0, run(config, "publish", "qs", quickstart.toString()).exit());
        assertEquals(0, run(config, "call", "qs", "add", "\"Ada\"").exit());
        assertEquals(0, run(config, "call", "qs", "say_hello").exit());
        final Run logs = run(config, "logs", "qs");
        assertEquals(0, logs.exit(), logs.err());
        assertTrue(logs.out().contains(" INFO: Hello, Ada!"), logs.out());
        assertTrue(logs.out().contains(" INFO: Hello, World!"), logs.out());
        assertTrue(logs.lines().get(0).matches("\\d{4}-\\d\\d-\\d\\dT.*Z +[A-Z]+: .*"), logs.out());
        final Run last = run(config, "logs", "qs", "-n", "1");
        assertEquals(1, last.lines().size(), last.out());
        assertEquals(logs.lines().get(logs.lines().size() - 1), last.lines().get(0));
        assertTrue(run(config, "logs", "qs", "-n", "1", "--json").out().startsWith("{\"level\":"));
        assertEquals(ExitCodes.PERMISSION_DENIED, run(other, "logs", "qs").exit());
        assertEquals(ExitCodes.NOT_FOUND, run(config, "logs", "no-such-db").exit());

        final Run minted = run(config, "identity", "new");
        assertEquals(0, minted.exit(), minted.err());
        final String fresh = group(IDENTITY, minted.out());
        assertNotEquals(identity, fresh);
        assertTrue(minted.err().contains("replaced identity " + identity), minted.err());
        assertEquals(fresh, group(IDENTITY, run(config, "identity", "show").out()));
        assertEquals(ExitCodes.PERMISSION_DENIED, run(config, "logs", "qs").exit(),
            "the new identity does not own what the old one published");
    }

    @Test
    void shouldSubscribeAndPrintEveryCommittedTransferAgainstAModel() throws Exception
    {
        final Path keynote = Path.of(getClass().getResource("/modules/keynote.wasm").toURI());
        assertEquals(0, run(owner, "publish", "bank", keynote.toString()).exit());
        final int accounts = 4;
        assertEquals(0, run(owner, "call", "bank", "seed", String.valueOf(accounts), "100").exit());
        final long[] model = new long[accounts];
        Arrays.fill(model, 100);

        final Random random = new Random(42);
        final int transfers = 12;
        final List<int[]> plan = new ArrayList<>();
        int committed = 0;
        for (int i = 0; i < transfers; i++)
        {
            final int from = random.nextInt(accounts);
            final int to = random.nextInt(accounts);
            final int amount = random.nextInt(80) - 5;
            plan.add(new int[]{from, to, amount});
            if (from != to && amount > 0 && model[from] >= amount)
            {
                model[from] -= amount;
                model[to] += amount;
                committed++;
            }
        }

        final StringWriter subscribed = new StringWriter();
        final String expectedUpdates = String.valueOf(committed);
        final CompletableFuture<Integer> subscriber = CompletableFuture.supplyAsync(() -> CliRunner.execute(url, owner,
            new PrintWriter(subscribed, true), new PrintWriter(new StringWriter(), true),
            "subscribe", "bank", "SELECT * FROM accounts", "-n", expectedUpdates, "--timeout", "120"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!subscribed.toString().contains("\n") && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(10);
        }
        final String initial = subscribed.toString().split("\\R")[0];
        for (int id = 0; id < accounts; id++)
        {
            assertTrue(initial.contains("{\"id\":" + id + ",\"balance\":100}"), initial);
        }
        assertTrue(initial.startsWith("{\"accounts\":{\"deletes\":[],\"inserts\":["), initial);

        for (final int[] transfer : plan)
        {
            final Run call = run(owner, "call", "bank", "transfer", String.valueOf(transfer[0]),
                String.valueOf(transfer[1]), String.valueOf(transfer[2]));
            final boolean ok = transfer[0] != transfer[1] && transfer[2] > 0;
            assertTrue(call.exit() == 0 || call.exit() == ExitCodes.REDUCER_FAILED, call.err());
            if (!ok)
            {
                assertEquals(ExitCodes.REDUCER_FAILED, call.exit(), Arrays.toString(transfer));
            }
        }
        assertEquals(0, subscriber.get(120, TimeUnit.SECONDS));
        final List<String> updates = Arrays.asList(subscribed.toString().split("\\R"));
        assertEquals(committed + 1, updates.size(), subscribed.toString());
        for (final String update : updates.subList(1, updates.size()))
        {
            assertEquals(2, count(update, "\"id\":") / 2, "a transfer deletes and inserts two rows: " + update);
        }

        final Run table = run(owner, "sql", "bank", "SELECT id, balance FROM accounts ORDER BY id");
        final List<String> expected = new ArrayList<>(List.of(" id | balance", "----+---------"));
        for (int id = 0; id < accounts; id++)
        {
            expected.add(String.format(" %-2d | %d", id, model[id]));
        }
        assertEquals(expected, table.lines());

        final Run refused = run(owner, "subscribe", "bank", "SELECT * FROM nope", "--timeout", "30");
        assertEquals(ExitCodes.BAD_ARGS, refused.exit());
        assertTrue(refused.err().contains("subscription refused"), refused.err());
        final Run quiet = run(owner, "subscribe", "bank", "SELECT * FROM accounts WHERE id = 0", "--timeout", "1");
        assertEquals(0, quiet.exit(), quiet.err());
        assertEquals(1, quiet.lines().size(), quiet.out());
        assertEquals(ExitCodes.NOT_FOUND, run(owner, "subscribe", "no-such-db", "SELECT 1", "-t", "5").exit());
    }

    @Test
    void shouldExitWithDocumentedCodesOnBadArgumentsAndUnreachableServers() throws Exception
    {
        final Path config = tempDir.resolve("unreachable/cli.properties");
        final Run unreachable = runOn("http://127.0.0.1:1", config, "sql", "x", "SELECT 1");
        assertEquals(ExitCodes.UNREACHABLE, unreachable.exit());
        assertTrue(unreachable.err().contains("cannot reach a Lightcone server at http://127.0.0.1:1"),
            unreachable.err());
        assertEquals(ExitCodes.BAD_ARGS, runOn("ftp://x", config, "sql", "x", "SELECT 1").exit());
        assertEquals(ExitCodes.BAD_ARGS, run(config, "sql", "only-a-db").exit());
        assertEquals(ExitCodes.BAD_ARGS, run(config, "logs", "x", "-n", "many").exit());
        assertEquals(ExitCodes.BAD_ARGS, run(config, "subscribe", "x", "SELECT 1", "-n", "-1").exit());
        assertFalse(Files.exists(config), "nothing minted for commands that never reached a server");
    }

    private static Run run(final Path config, final String... args)
    {
        return CliRunner.run(url, config, args);
    }

    private static Run runOn(final String serverUrl, final Path config, final String... args)
    {
        return CliRunner.run(serverUrl, config, args);
    }

    private static String group(final Pattern pattern, final String text)
    {
        final Matcher matcher = pattern.matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group(1);
    }

    private static int count(final String text, final String part)
    {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length()))
        {
            count++;
        }
        return count;
    }
}
