package io.lightcone.client;

import io.lightcone.cli.InProcessLightcone;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection, one call in flight, many sequential calls: the SDK's outbound ring wraps many times (it is made
 * small here so that it wraps every few hundred calls) and the edge's ingress publication rotates its terms many
 * times; every call must still be answered, none refused, and the balances must equal a model's.
 */
@Timeout(600)
final class LongConnectionTest
{
    private static final long TIMEOUT_MS = 60_000;
    private static final Path KEYNOTE = Path.of("../wasm-aot/src/test/resources/modules/keynote.wasm");
    private static final int ACCOUNTS = 50;
    private static final long INITIAL_BALANCE = 1_000;
    private static final int CALLS = 200_000;
    /** The smallest power of two above a few messages: the ring wraps every ~340 calls. */
    private static final int OUTBOUND_BYTES = 16 * 1024;

    @TempDir
    Path dataDir;

    /** Round trips are short: spin and yield briefly, then park for up to a millisecond. */
    private final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);

    /**
     * Invariant: with one call in flight at a time, each of 200,000 sequential transfers (some designed to fail)
     * gets exactly the outcome a sequential model predicts, none is refused for back pressure or lost, and the
     * balances the server ends with equal the model's.
     */
    @Test
    void shouldAnswerEverySequentialCallAcrossManyOutboundRingWraps() throws Exception
    {
        try (InProcessLightcone server = InProcessLightcone.start(dataDir, Map.of("keynote", KEYNOTE));
            LightconeClient client = LightconeClient.builder().uri(server.httpUrl()).database("keynote")
                .confirmedReads(false).outboundBytes(OUTBOUND_BYTES)
                .primaryKey("accounts", PrimaryKey.fixed(0, 4)).build())
        {
            client.connect().get();
            await(client, client::isConnected, () -> "InitialConnection");
            final UnsafeBuffer args = new UnsafeBuffer(new byte[16]);
            args.putInt(0, ACCOUNTS, ByteOrder.LITTLE_ENDIAN);
            args.putLong(4, INITIAL_BALANCE, ByteOrder.LITTLE_ENDIAN);
            final CompletableFuture<ReducerOutcome> seeded = client.callReducer("seed", args, 0, 12);
            await(client, seeded::isDone, () -> "seed");
            assertTrue(seeded.get().isCommitted(), seeded.get().toString());

            final long[] model = new long[ACCOUNTS];
            Arrays.fill(model, INITIAL_BALANCE);
            final Random random = new Random(0x10C0);
            int committed = 0;
            for (int i = 0; i < CALLS; i++)
            {
                final int from = random.nextInt(ACCOUNTS);
                final int to = random.nextInt(64) == 0 ? from : random.nextInt(ACCOUNTS);
                final long amount = 1 + random.nextInt(40);
                args.putInt(0, from, ByteOrder.LITTLE_ENDIAN);
                args.putInt(4, to, ByteOrder.LITTLE_ENDIAN);
                args.putLong(8, amount, ByteOrder.LITTLE_ENDIAN);
                final CompletableFuture<ReducerOutcome> call = client.callReducer("transfer", args, 0, 16);
                final int index = i;
                await(client, call::isDone, () -> "the result of call " + index);
                final ReducerOutcome outcome = call.get();
                final String expected = transfer(model, from, to, amount);
                if (null == expected)
                {
                    assertEquals(ReducerOutcome.Status.COMMITTED, outcome.status(), "call " + i + ": " + outcome);
                    committed++;
                }
                else
                {
                    assertEquals(ReducerOutcome.Status.FAILED, outcome.status(), "call " + i + ": " + outcome);
                    assertEquals(expected, outcome.message(), "call " + i);
                }
            }
            assertEquals(0, client.callsInFlight());
            assertTrue(committed > CALLS / 2, "committed " + committed);

            final TableCache accounts = client.table("accounts");
            final Subscription subscription = client.subscribe(List.of("SELECT * FROM accounts"),
                new SubscriptionListener()
                {
                });
            await(client, subscription::isActive, () -> "SubscribeApplied");
            assertEquals(ACCOUNTS, accounts.count());
            final long[] balances = new long[ACCOUNTS];
            accounts.forEach((t, row) -> balances[row.getI32(0)] = row.getI64(4));
            assertEquals(Arrays.toString(model), Arrays.toString(balances));
        }
    }

    /** The keynote reducer's checks in its order; null when it commits (and the model is updated). */
    private static String transfer(final long[] model, final int from, final int to, final long amount)
    {
        if (from == to)
        {
            return "cannot transfer to the same account";
        }
        if (model[from] < amount)
        {
            return "insufficient balance";
        }
        model[from] -= amount;
        model[to] += amount;
        return null;
    }

    /** Polls (the test thread is the polling thread) until the condition holds; backs off to parking when idle. */
    private void await(final LightconeClient client, final BooleanSupplier condition, final Supplier<String> what)
    {
        final long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        idle.reset();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            idle.idle(client.poll(256));
        }
    }
}
