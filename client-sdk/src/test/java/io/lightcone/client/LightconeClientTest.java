package io.lightcone.client;

import io.lightcone.cli.InProcessLightcone;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.protocol.Compression;
import io.lightcone.edge.protocol.ProtocolVersion;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK against a live Lightcone started in-process (embedded core and edge, ephemeral port): keynote for
 * pipelined transfers, chat for identities, listeners, failing reducers, unsubscribe and reconnect.
 */
@Timeout(300)
final class LightconeClientTest
{
    private static final long TIMEOUT_MS = 60_000;
    private static final Path KEYNOTE = Path.of("../wasm-aot/src/test/resources/modules/keynote.wasm");
    private static final Path CHAT = Path.of("../examples/chat/chat.wasm");
    private static final int ACCOUNTS = 100;
    private static final long INITIAL_BALANCE = 1_000;

    @TempDir
    Path dataDir;

    /**
     * Invariant: 10,000 pipelined transfers (about a fifth designed to fail) each get exactly the outcome a
     * sequential model predicts, in one connection's order, and the cached balances equal the model's.
     */
    @Test
    void shouldPipelineTenThousandTransfersWithEveryOutcomeAccountedFor() throws Exception
    {
        try (InProcessLightcone server = InProcessLightcone.start(dataDir, Map.of("keynote", KEYNOTE));
            LightconeClient client = LightconeClient.builder().uri(server.httpUrl()).database("keynote")
                .primaryKey("accounts", PrimaryKey.fixed(0, 4)).build())
        {
            assertEquals(ProtocolVersion.V3, client.connect().get());
            await(client, client::isConnected, "InitialConnection");
            final TableCache accounts = client.table("accounts");
            final AtomicInteger updates = new AtomicInteger();
            accounts.onUpdate((t, oldRow, newRow) -> updates.incrementAndGet());
            final Subscription subscription = client.subscribe(List.of("SELECT * FROM accounts"),
                new SubscriptionListener()
                {
                });
            await(client, subscription::isActive, "SubscribeApplied");

            final UnsafeBuffer args = new UnsafeBuffer(new byte[16]);
            args.putInt(0, ACCOUNTS, ByteOrder.LITTLE_ENDIAN);
            args.putLong(4, INITIAL_BALANCE, ByteOrder.LITTLE_ENDIAN);
            final AtomicInteger countAtCompletion = new AtomicInteger(-1);
            final CompletableFuture<ReducerOutcome> seeded = client.callReducer("seed", args, 0, 12);
            seeded.thenAccept((outcome) -> countAtCompletion.set(accounts.count()));
            await(client, seeded::isDone, "seed");
            assertTrue(seeded.get().isCommitted(), seeded.get().toString());
            assertEquals(ACCOUNTS, countAtCompletion.get(), "the caller's deltas are applied before completion");

            final Random random = new Random(0x5EED);
            final int calls = 10_000;
            final int window = 2_000;
            final List<CompletableFuture<ReducerOutcome>> futures = new ArrayList<>(calls);
            final int[][] transfers = new int[calls][];
            for (int i = 0; i < calls; i++)
            {
                final int from = random.nextInt(ACCOUNTS + 3);
                final int to = random.nextInt(20) == 0 ? from : random.nextInt(ACCOUNTS + 3);
                final int amount = random.nextInt(30) == 0 ? 0 : random.nextInt(25) == 0 ? 5_000 :
                    1 + random.nextInt(60);
                transfers[i] = new int[] { from, to, amount };
                args.putInt(0, from, ByteOrder.LITTLE_ENDIAN);
                args.putInt(4, to, ByteOrder.LITTLE_ENDIAN);
                args.putLong(8, amount, ByteOrder.LITTLE_ENDIAN);
                futures.add(client.callReducer("transfer", args, 0, 16));
                if (client.callsInFlight() >= window)
                {
                    await(client, () -> client.callsInFlight() < window / 2, "the window to drain");
                }
            }
            final CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
            await(client, all::isDone, "10,000 transfer results");

            // One connection's calls run in send order: replay the model in that order. A call the edge refused
            // for back pressure did not run (the server says so and changes nothing), so the model skips it.
            final long[] model = new long[ACCOUNTS];
            java.util.Arrays.fill(model, INITIAL_BALANCE);
            int committed = 0;
            int failed = 0;
            int refused = 0;
            for (int i = 0; i < calls; i++)
            {
                final ReducerOutcome outcome = futures.get(i).get();
                if (outcome.status() == ReducerOutcome.Status.INTERNAL_ERROR &&
                    outcome.message().contains("back pressure"))
                {
                    refused++;
                    continue;
                }
                final String expected = transfer(model, transfers[i][0], transfers[i][1], transfers[i][2]);
                if (null == expected)
                {
                    assertEquals(ReducerOutcome.Status.COMMITTED, outcome.status(), "call " + i + ": " + outcome);
                    committed++;
                }
                else
                {
                    assertEquals(ReducerOutcome.Status.FAILED, outcome.status(), "call " + i + ": " + outcome);
                    assertEquals(expected, outcome.message(), "call " + i);
                    failed++;
                }
            }
            assertEquals(calls, committed + failed + refused, "every outcome accounted for");
            assertTrue(failed > calls / 10, "failed " + failed);
            assertTrue(committed > calls / 4, "committed " + committed + ", refused " + refused);
            assertEquals(2 * committed, updates.get(), "each committed transfer updates two cached rows");
            assertEquals(0, client.callsInFlight());
            assertEquals(ACCOUNTS, accounts.count());
            final long[] cached = new long[ACCOUNTS];
            accounts.forEach((t, row) -> cached[row.getI32(0)] = row.getI64(4));
            assertEquals(java.util.Arrays.toString(model), java.util.Arrays.toString(cached));
            assertEquals(0, accounts.unknownDeletes());

            final CompletableFuture<ProcedureOutcome> procedure = client.callProcedure("anything", args, 0, 0);
            await(client, procedure::isDone, "ProcedureResult");
            assertFalse(procedure.get().isReturned());
            assertTrue(procedure.get().error().contains("no such procedure: anything"), procedure.get().error());
        }
    }

    /** Invariant: a v2, uncompressed, confirmed-reads client gets the same behaviour one message per frame. */
    @Test
    void shouldSpeakV2WithoutCompressionAndConfirmedReads() throws Exception
    {
        try (InProcessLightcone server = InProcessLightcone.start(dataDir, Map.of("keynote", KEYNOTE));
            LightconeClient client = LightconeClient.builder().uri(server.httpUrl()).database("keynote")
                .preferV3(false).compression(Compression.NONE).confirmedReads(true).build())
        {
            assertTrue(client.subscribeUri(null).toString().endsWith("/v1/database/keynote/subscribe" +
                "?compression=None&confirmed=true"), client.subscribeUri(null).toString());
            assertEquals(ProtocolVersion.V2, client.connect().get());
            await(client, client::isConnected, "InitialConnection");
            final UnsafeBuffer args = new UnsafeBuffer(new byte[12]);
            args.putInt(0, 3, ByteOrder.LITTLE_ENDIAN);
            args.putLong(4, 10, ByteOrder.LITTLE_ENDIAN);
            final CompletableFuture<ReducerOutcome> seeded = client.callReducer("seed", args, 0, 12);
            final CompletableFuture<ReducerOutcome> empty = client.callReducer("empty", args, 0, 0);
            final CompletableFuture<ReducerOutcome> unknown = client.callReducer("no_such_reducer", args, 0, 0);
            await(client, () -> seeded.isDone() && empty.isDone() && unknown.isDone(), "three results");
            assertTrue(seeded.get().isCommitted());
            assertTrue(empty.get().isCommitted());
            assertEquals(ReducerOutcome.Status.INTERNAL_ERROR, unknown.get().status(), unknown.get().toString());
        }
    }

    /**
     * Invariants: an anonymous client gets an identity and a token; the cache follows inserts, updates and deletes
     * (own calls and another client's); a failing reducer reports the module's message and changes nothing;
     * after a dropped connection the client comes back as the same identity with the cache reconciled; a new
     * client with the saved token is the same identity; unsubscribe empties the cache.
     */
    @Test
    void shouldFollowChatThroughReducersReconnectAndUnsubscribe() throws Exception
    {
        try (InProcessLightcone server = InProcessLightcone.start(dataDir, Map.of("chat", CHAT)))
        {
            final List<String> events = new ArrayList<>();
            final AtomicInteger connects = new AtomicInteger();
            final AtomicInteger disconnects = new AtomicInteger();
            final LightconeClient alice = chatClient(server, null, new ClientListener()
            {
                @Override
                public void onConnect(
                    final LightconeClient client, final Identity identity,
                    final io.lightcone.edge.auth.ConnectionId connectionId, final String token)
                {
                    connects.incrementAndGet();
                }

                @Override
                public void onDisconnect(final LightconeClient client, final Throwable cause)
                {
                    disconnects.incrementAndGet();
                }
            });
            final LightconeClient bob = chatClient(server, null, new ClientListener()
            {
            });
            try
            {
                alice.connect().get();
                await(alice, alice::isConnected, "alice InitialConnection");
                final Identity identity = alice.identity();
                assertNotNull(identity);
                assertNotNull(alice.token());
                final TableCache users = alice.table("user");
                final TableCache messages = alice.table("message");
                messages.onInsert((t, row) -> events.add("insert " + text(row)));
                messages.onDelete((t, row) -> events.add("delete " + text(row)));
                users.onUpdate((t, oldRow, newRow) -> events.add("update user " + name(oldRow) + "->" +
                    name(newRow)));
                final Subscription subscription = alice.subscribe(
                    List.of("SELECT * FROM user", "SELECT * FROM message"), new SubscriptionListener()
                    {
                    });
                await(alice, subscription::isActive, "alice SubscribeApplied");
                final RowView own = new RowView();
                assertTrue(users.find(new UnsafeBuffer(identity.toLittleEndian()), 0, 32, own), "own user row");
                assertEquals(1, own.buffer().getByte(own.offset() + own.length() - 1), "online");

                assertEquals(ReducerOutcome.Status.COMMITTED, call(alice, "send_message", string("hello")).status());
                final ReducerOutcome refused = call(alice, "set_name", string(""));
                assertEquals(ReducerOutcome.Status.FAILED, refused.status());
                assertEquals("Names must not be empty", refused.message());
                assertTrue(call(alice, "set_name", string("alice")).isCommitted());
                assertEquals(List.of("insert hello", "update user null->alice"), events);
                events.clear();

                bob.connect().get();
                await(bob, bob::isConnected, "bob InitialConnection");
                final Subscription bobs = bob.subscribe(List.of("SELECT * FROM message"), new SubscriptionListener()
                {
                });
                await(bob, bobs::isActive, "bob SubscribeApplied");
                assertEquals(1, bob.table("message").count(), "bob sees alice's message");
                assertTrue(call(bob, "send_message", string("from bob")).isCommitted());
                await(alice, () -> messages.count() == 2, "alice receives bob's message (TransactionUpdate)");
                assertEquals(List.of("insert from bob"), events);
                events.clear();

                // alice's connection drops; bob deletes his message and sends another meanwhile (or just after:
                // either way alice's cache must end equal to the server's rows, through reconnect reconciliation
                // or through TransactionUpdates)
                alice.dropConnection();
                final long bobMessageId = findMessageId(bob.table("message"), "from bob");
                assertTrue(call(bob, "delete_message", u64(bobMessageId)).isCommitted());
                assertTrue(call(bob, "send_message", string("while away")).isCommitted());
                await(alice, () -> connects.get() == 2 && subscription.isActive() && messages.count() == 2 &&
                    findMessageId(messages, "while away") >= 0, "alice reconnected and reconciled");
                assertEquals(1, disconnects.get());
                assertEquals(identity, alice.identity(), "the saved token brings back the same identity");
                assertEquals(-1, findMessageId(messages, "from bob"));
                assertTrue(events.contains("delete from bob") && events.contains("insert while away"),
                    events.toString());
                assertFalse(events.contains("delete hello"), "rows present before and after fire nothing");

                subscription.unsubscribe();
                await(alice, () -> subscription.state() == Subscription.State.ENDED, "UnsubscribeApplied");
                assertEquals(0, messages.count());
                assertEquals(0, users.count());
                assertEquals(0, messages.unknownDeletes());
            }
            finally
            {
                bob.close();
                alice.close();
            }

            try (LightconeClient again = chatClient(server, alice.token(), new ClientListener()
            {
            }))
            {
                again.connect().get();
                await(again, again::isConnected, "InitialConnection with the saved token");
                assertEquals(alice.identity(), again.identity());
            }
        }
    }

    private static LightconeClient chatClient(
        final InProcessLightcone server, final String token, final ClientListener listener)
    {
        return LightconeClient.builder().uri(server.httpUrl()).database("chat").token(token).listener(listener)
            .primaryKey("user", PrimaryKey.fixed(0, 32)).primaryKey("message", PrimaryKey.fixed(0, 8))
            .reconnectDelayMs(50).build();
    }

    private static ReducerOutcome call(final LightconeClient client, final String reducer, final byte[] args)
        throws Exception
    {
        final CompletableFuture<ReducerOutcome> result =
            client.callReducer(reducer, new UnsafeBuffer(args), 0, args.length);
        await(client, result::isDone, reducer);
        return result.get();
    }

    private static long findMessageId(final TableCache messages, final String text)
    {
        final long[] found = { -1 };
        messages.forEach((t, row) ->
        {
            if (text.equals(text(row)))
            {
                found[0] = row.getI64(0);
            }
        });
        return found[0];
    }

    /** Message {id: u64, sender: Identity, sent: Timestamp, text: String}. */
    private static String text(final RowView row)
    {
        final int at = 8 + 32 + 8;
        final int length = row.getI32(at);
        final byte[] bytes = new byte[length];
        row.buffer().getBytes(row.offset() + at + 4, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** User {identity, name: Option<String>, online: bool}: Some is tag 0. */
    private static String name(final RowView row)
    {
        if (row.buffer().getByte(row.offset() + 32) != 0)
        {
            return null;
        }
        final int length = row.getI32(33);
        final byte[] bytes = new byte[length];
        row.buffer().getBytes(row.offset() + 37, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] string(final String value)
    {
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4 + utf8.length);
        buffer.putInt(0, utf8.length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(4, utf8);
        return java.util.Arrays.copyOf(buffer.byteArray(), 4 + utf8.length);
    }

    private static byte[] u64(final long value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        buffer.putLong(0, value, ByteOrder.LITTLE_ENDIAN);
        return buffer.byteArray();
    }

    /** The keynote reducer's checks in its order; null when it commits (and the model is updated). */
    private static String transfer(final long[] model, final int from, final int to, final long amount)
    {
        if (from == to)
        {
            return "cannot transfer to the same account";
        }
        if (amount <= 0)
        {
            return "amount must be positive";
        }
        if (from >= ACCOUNTS)
        {
            return "account " + from + " not found";
        }
        if (to >= ACCOUNTS)
        {
            return "account " + to + " not found";
        }
        if (model[from] < amount)
        {
            return "insufficient balance";
        }
        model[from] -= amount;
        model[to] += amount;
        return null;
    }

    /** Polls (the test thread is the polling thread) until the condition holds; sleeps when idle. */
    private static void await(final LightconeClient client, final BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (client.poll(256) == 0)
            {
                Thread.sleep(1);
            }
        }
    }
}
