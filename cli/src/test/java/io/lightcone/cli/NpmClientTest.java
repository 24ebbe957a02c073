package io.lightcone.cli;

import io.lightcone.core.txn.StoredTable;
import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import io.lightcone.edge.protocol.ServerMessage.SingleTableRows;
import io.lightcone.edge.protocol.ServerMessage.SubscribeApplied;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SpacetimeDB's own npm TypeScript SDK ({@code spacetimedb@2.10.1}, unchanged) against {@code lightcone start}
 * in-process with the chat example module: {@code examples/chat/client/chat-check.mjs} runs under node and must pass
 * every check it prints; then the server side is checked on its own, in the core's tables and through a v2 WebSocket
 * client, against what the script did.
 * <p>
 * Needs {@code node} on the PATH and {@code npm ci} done in {@code examples/chat/client} ({@code ./test.sh} does
 * both); the test fails, saying so, when either is missing.
 */
@Timeout(300)
final class NpmClientTest
{
    private static final long NODE_TIMEOUT_MS = 240_000;
    private static final long OFFLINE_TIMEOUT_MS = 30_000;
    private static final long SLACK_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final int CHECKS = 13;
    private static final Pattern IDENTITY = Pattern.compile("ok 1 connect anonymously: identity ([0-9a-f]{64}),");

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void shouldPassEveryChatCheckOfTheNpmClientAndKeepTheRowsItReported() throws Exception
    {
        final Path chat = NodeProcess.repositoryRoot().resolve("examples/chat");
        final Path client = chat.resolve("client");
        NodeProcess.requireNodeModules(client, "spacetimedb", "typescript");
        // The generated bindings (bindings/*.ts, kept equal to the generator's output by ChatBindingsTest) are
        // compiled to build/bindings/, which chat-check.mjs imports.
        NodeProcess.runOk(client, NODE_TIMEOUT_MS, "node_modules/typescript/bin/tsc", "-p", "tsconfig.json");
        final long startMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());

        try (LightconeServer server = LightconeServer.start(new LightconeServer.Settings(
            dataDir, "127.0.0.1:0", true, Map.of("chat", chat.resolve("chat.wasm"))), out))
        {
            final String httpUrl = "http://127.0.0.1:" + server.port();
            final String printed = NodeProcess.runOk(client, NODE_TIMEOUT_MS, "chat-check.mjs", httpUrl, "chat");
            for (int check = 1; check <= CHECKS; check++)
            {
                assertTrue(Pattern.compile("(?m)^ok " + check + " ").matcher(printed).find(),
                    "check " + check + " not passed:\n" + printed);
            }
            assertTrue(printed.contains("all " + CHECKS + " checks passed"), printed);
            final Matcher identity = IDENTITY.matcher(printed);
            assertTrue(identity.find(), printed);
            final String alice = identity.group(1);

            // The core: the two messages that were not deleted, both from alice; two users, both offline once the
            // disconnects ran, alice named.
            final List<Message> messages = server.core().onLoop((agent) ->
                rows(agent.registry().byName("chat").datastore().table("message")), 5_000)
                .stream().map(Message::decode).toList();
            assertEquals(List.of("second message", "after unsubscribe"),
                messages.stream().sorted((a, b) -> Long.compare(a.id(), b.id())).map(Message::text).toList());
            final long nowMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
            for (final Message message : messages)
            {
                assertEquals(alice, message.sender(), message.toString());
                assertTrue(message.sentMicros() > startMicros - SLACK_MICROS &&
                    message.sentMicros() < nowMicros + SLACK_MICROS, () -> message + " not sent during the run");
            }
            final List<User> users = awaitAllOffline(server);
            assertEquals(2, users.size(), users::toString);
            assertEquals(1, users.stream().filter((u) -> u.identity().equals(alice) && "alice".equals(u.name()))
                .count(), users::toString);
            assertEquals(1, users.stream().filter((u) -> !u.identity().equals(alice) && null == u.name())
                .count(), users::toString);

            // The edge, through a v2 client of our own: the same messages, and the users plus this client online.
            final WsClient ws = WsClient.connect(server.url(), "chat");
            final String self = User.hex(ws.next(InitialConnection.class).identity().bytes());
            ws.send((e) -> e.subscribe(1, 3, List.of("SELECT * FROM message", "SELECT * FROM user")));
            final SubscribeApplied applied = ws.next(SubscribeApplied.class);
            assertEquals(messages.stream().map(Message::text).sorted().toList(),
                rowsOf(applied, "message").stream().map(Message::decode).map(Message::text).sorted().toList());
            final List<User> seen = rowsOf(applied, "user").stream().map(User::decode).toList();
            assertEquals(3, seen.size(), seen::toString);
            assertTrue(seen.contains(new User(self, null, true)), seen::toString);
            assertTrue(seen.containsAll(users), seen::toString);
            ws.close();
        }
    }

    /** client_disconnected runs after the sockets close, so the offline flags land a little after node exits. */
    private static List<User> awaitAllOffline(final LightconeServer server) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OFFLINE_TIMEOUT_MS);
        while (true)
        {
            final List<User> users = server.core().onLoop((agent) ->
                rows(agent.registry().byName("chat").datastore().table("user")), 5_000)
                .stream().map(User::decode).toList();
            if (users.stream().noneMatch(User::online))
            {
                return users;
            }
            if (System.nanoTime() - deadline > 0)
            {
                return fail("users still online " + OFFLINE_TIMEOUT_MS + " ms after the clients closed: " + users);
            }
            Thread.sleep(50);
        }
    }

    private static List<byte[]> rows(final StoredTable table)
    {
        final List<byte[]> rows = new ArrayList<>();
        final ExpandableArrayBuffer row = new ExpandableArrayBuffer(256);
        for (int rowId = table.rows().nextLive(0); rowId >= 0; rowId = table.rows().nextLive(rowId + 1))
        {
            final int length = table.rows().writeRow(rowId, row, 0);
            final byte[] bytes = new byte[length];
            row.getBytes(0, bytes);
            rows.add(bytes);
        }
        return rows;
    }

    private static List<byte[]> rowsOf(final SubscribeApplied applied, final String table)
    {
        final List<SingleTableRows> tables = applied.rows().tables().stream()
            .filter((t) -> t.table().equals(table)).toList();
        assertNotEquals(0, tables.size(), () -> "no rows of " + table + " in " + applied);
        return tables.stream().flatMap((t) -> t.rows().rows().stream()).map(Blob::bytes).toList();
    }

    /** A row of table {@code user}: identity (hex, big-endian), name or null, online. */
    record User(String identity, String name, boolean online)
    {
        static User decode(final byte[] row)
        {
            final ByteBuffer bytes = ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN);
            final byte[] identity = new byte[32];
            bytes.get(identity);
            final String name = bytes.get() == 0 ? string(bytes) : null;
            final boolean online = bytes.get() == 1;
            assertEquals(0, bytes.remaining(), "trailing bytes in a user row");
            return new User(hex(identity), name, online);
        }

        static String hex(final byte[] littleEndian)
        {
            final byte[] bigEndian = new byte[littleEndian.length];
            for (int i = 0; i < littleEndian.length; i++)
            {
                bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
            }
            return HexFormat.of().formatHex(bigEndian);
        }
    }

    /** A row of table {@code message}: id, sender (hex), sent (micros), text. */
    record Message(long id, String sender, long sentMicros, String text)
    {
        static Message decode(final byte[] row)
        {
            final ByteBuffer bytes = ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN);
            final long id = bytes.getLong();
            final byte[] sender = new byte[32];
            bytes.get(sender);
            final long sent = bytes.getLong();
            final String text = string(bytes);
            assertEquals(0, bytes.remaining(), "trailing bytes in a message row");
            return new Message(id, User.hex(sender), sent, text);
        }
    }

    private static String string(final ByteBuffer bytes)
    {
        final byte[] utf8 = new byte[bytes.getInt()];
        bytes.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
