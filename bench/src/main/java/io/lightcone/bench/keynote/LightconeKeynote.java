package io.lightcone.bench.keynote;

import io.lightcone.bench.report.Machine;
import io.lightcone.client.LightconeClient;
import io.lightcone.client.PrimaryKey;
import io.lightcone.client.ReducerOutcome;
import io.lightcone.client.Subscription;
import io.lightcone.client.SubscriptionListener;
import io.lightcone.client.TableCache;
import io.lightcone.edge.protocol.Compression;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The keynote transfer workload against a running Lightcone through the Java SDK, as the keynote-2 harness drives
 * SpacetimeDB: {@code connections} WebSocket connections (v3 framing, no compression, confirmed reads on or off, no
 * subscriptions) plus one root connection that seeds; each connection keeps {@code inFlight} transfer
 * calls in flight over its slice of the precomputed pairs. One thread polls every connection, completes the calls
 * and tops each window up again, so latency includes client queueing, as in the harness.
 * <p>
 * Every outcome is counted, and before and after the run a short-lived connection subscribes to
 * {@code SELECT * FROM accounts}: each account's final balance must equal its balance before plus the committed
 * transfers, and the sum must equal accounts × initial balance.
 */
public final class LightconeKeynote
{
    private static final String DATABASE = "keynote";
    private static final long CONNECT_TIMEOUT_MS = 60_000;
    private static final long SEED_TIMEOUT_MS = 300_000;

    private final String url;
    private final long serverPid;

    /**
     * @param url       the server's base address ({@code http://127.0.0.1:PORT}).
     * @param serverPid the server process, for its CPU (-1 when it runs in this JVM).
     */
    public LightconeKeynote(final String url, final long serverPid)
    {
        this.url = url;
        this.serverPid = serverPid;
    }

    /**
     * Seeds, runs the workload and checks every outcome.
     *
     * @param workload  what to run.
     * @param confirmed confirmed reads (each result held until the transaction is durable).
     * @return the result.
     * @throws InterruptedException if interrupted.
     */
    public RunResult run(final KeynoteWorkload workload, final boolean confirmed) throws InterruptedException
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
        final LightconeClient root = client(true, 4, true);
        final List<Connection> connections = new ArrayList<>();
        try
        {
            root.connect();
            await(root, root::isConnected, CONNECT_TIMEOUT_MS, "the root connection");
            final long[] baseline = baseline(root, workload);
            for (int i = 0; i < workload.connections(); i++)
            {
                final Connection c = new Connection(client(confirmed, workload.inFlight(), false),
                    workload.pairs().startOf(i, workload.connections()));
                connections.add(c);
                c.client.connect();
            }
            for (final Connection c : connections)
            {
                await(c.client, c.client::isConnected, CONNECT_TIMEOUT_MS, "a load connection");
            }
            return drive(workload, confirmed, connections, baseline, idle);
        }
        finally
        {
            for (final Connection c : connections)
            {
                CloseHelper.quietClose(c.client);
            }
            CloseHelper.quietClose(root);
        }
    }

    private RunResult drive(
        final KeynoteWorkload workload, final boolean confirmed, final List<Connection> connections,
        final long[] baseline, final IdleStrategy idle) throws InterruptedException
    {
        final long[] delta = new long[workload.accounts()];
        final RunRecorder recorder = new RunRecorder(System.nanoTime(), workload.warmupSeconds(), workload.seconds());
        final UnsafeBuffer args = new UnsafeBuffer(new byte[16]);
        args.putLong(8, KeynoteWorkload.AMOUNT, ByteOrder.LITTLE_ENDIAN);
        final TransferPairs pairs = workload.pairs();
        long serverCpuStart = -1;
        long clientCpuStart = -1;
        long windowStartNs = 0;
        long now = System.nanoTime();
        while (now < recorder.endNs())
        {
            if (0 == windowStartNs && now >= recorder.warmupEndNs())
            {
                windowStartNs = now;
                serverCpuStart = CpuMeter.processTreeCpuNs(serverPid);
                clientCpuStart = CpuMeter.ownCpuNs();
            }
            int work = 0;
            for (final Connection c : connections)
            {
                while (c.inFlight < workload.inFlight() && c.client.isConnected())
                {
                    final int index = c.pairIndex;
                    c.pairIndex = pairs.nextIndex(index);
                    args.putInt(0, pairs.from(index), ByteOrder.LITTLE_ENDIAN);
                    args.putInt(4, pairs.to(index), ByteOrder.LITTLE_ENDIAN);
                    c.inFlight++;
                    recorder.launched();
                    c.client.callReducer("transfer", args, 0, 16)
                        .whenComplete(new Call(c, recorder, delta, pairs.from(index), pairs.to(index), now));
                    work++;
                }
                work += c.client.poll(64);
            }
            if (0 == work)
            {
                idle.idle();
            }
            else
            {
                idle.reset();
            }
            now = System.nanoTime();
        }
        final long windowNs = now - windowStartNs;
        final long serverCpu = serverCpuStart < 0 ? -1 : CpuMeter.processTreeCpuNs(serverPid) - serverCpuStart;
        final long clientCpu = CpuMeter.ownCpuNs() - clientCpuStart;
        final double load = Machine.loadAverage();

        final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(workload.drainSeconds());
        long unanswered = inFlight(connections);
        while (unanswered > 0 && System.nanoTime() < drainDeadline)
        {
            int work = 0;
            for (final Connection c : connections)
            {
                work += c.client.poll(64);
            }
            if (0 == work)
            {
                idle.idle();
            }
            unanswered = inFlight(connections);
        }

        final long[] balances = balances(workload.accounts());
        for (int id = 0; id < delta.length; id++)
        {
            delta[id] += baseline[id] - workload.initialBalance();
        }
        final BalanceCheck check = BalanceCheck.of(balances, workload.initialBalance(), delta);
        return new RunResult("lightcone", confirmed ? "confirmed" : "unconfirmed", workload.alpha(),
            workload.connections(), workload.inFlight(), workload.accounts(), pairs.count(), workload.warmupSeconds(),
            workload.seconds(), recorder, unanswered, check.mismatches(), check.sum(),
            workload.accounts() * workload.initialBalance(), serverCpu, clientCpu, windowNs, load);
    }

    private static long inFlight(final List<Connection> connections)
    {
        long sum = 0;
        for (final Connection c : connections)
        {
            sum += c.inFlight;
        }
        return sum;
    }

    /**
     * The balances before the run: seeds when the table does not hold exactly the accounts {@code 0..n-1} with the
     * seeded total, else keeps them (re-seeding replaces every row in one transaction, which the edge's replica
     * applies in time quadratic in the row count: see docs/benchmarks.md), so runs after the first start from the
     * previous run's balances and are checked against those.
     */
    private long[] baseline(final LightconeClient root, final KeynoteWorkload workload) throws InterruptedException
    {
        final long[] current = balances(workload.accounts());
        long sum = 0;
        boolean complete = true;
        for (final long balance : current)
        {
            complete &= balance != Long.MIN_VALUE;
            sum += complete ? balance : 0;
        }
        if (complete && sum == workload.accounts() * workload.initialBalance())
        {
            return current;
        }
        final UnsafeBuffer seedArgs = new UnsafeBuffer(new byte[12]);
        seedArgs.putInt(0, workload.accounts(), ByteOrder.LITTLE_ENDIAN);
        seedArgs.putLong(4, workload.initialBalance(), ByteOrder.LITTLE_ENDIAN);
        final CompletableFuture<ReducerOutcome> seeded = root.callReducer("seed", seedArgs, 0, 12);
        await(root, seeded::isDone, SEED_TIMEOUT_MS, "seed(" + workload.accounts() + ")");
        final ReducerOutcome seedOutcome = seeded.join();
        if (!seedOutcome.isCommitted())
        {
            throw new IllegalStateException("seed failed: " + seedOutcome);
        }
        java.util.Arrays.fill(current, workload.initialBalance());
        return current;
    }

    /** Reads every balance through a subscription of a short-lived connection (so no subscriber during runs). */
    private long[] balances(final int accounts) throws InterruptedException
    {
        try (LightconeClient reader = client(true, 4, true))
        {
            reader.connect();
            await(reader, reader::isConnected, CONNECT_TIMEOUT_MS, "the reading connection");
            return balances(reader, accounts);
        }
    }

    private static long[] balances(final LightconeClient root, final int accounts) throws InterruptedException
    {
        final long[] balances = new long[accounts];
        java.util.Arrays.fill(balances, Long.MIN_VALUE);
        final String[] error = new String[1];
        final Subscription subscription = root.subscribe(List.of("SELECT * FROM accounts"), new SubscriptionListener()
        {
            @Override
            public void onError(final Subscription s, final String message)
            {
                error[0] = message;
            }
        });
        await(root, () -> subscription.isActive() || null != error[0], SEED_TIMEOUT_MS, "SELECT * FROM accounts");
        if (null != error[0])
        {
            throw new IllegalStateException("subscribing to accounts failed: " + error[0]);
        }
        final TableCache cache = root.table("accounts");
        cache.forEach((table, row) ->
        {
            final int id = row.getI32(0);
            if (id >= 0 && id < accounts)
            {
                balances[id] = row.getI64(4);
            }
        });
        return balances;
    }

    private LightconeClient client(final boolean confirmed, final int inFlight, final boolean keyedCache)
    {
        final LightconeClient.Builder builder = LightconeClient.builder().uri(url).database(DATABASE)
            .compression(Compression.NONE).confirmedReads(confirmed).reconnect(false)
            .maxInFlight(Math.max(16, 2 * inFlight));
        if (keyedCache)
        {
            builder.primaryKey("accounts", PrimaryKey.fixed(0, 4));
        }
        return builder.build();
    }

    private static void await(
        final LightconeClient client, final BooleanSupplier condition, final long timeoutMs, final String what)
        throws InterruptedException
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
            if (0 == client.poll(256))
            {
                idle.idle();
            }
            else
            {
                idle.reset();
            }
        }
    }

    private static final class Connection
    {
        final LightconeClient client;
        int pairIndex;
        int inFlight;

        Connection(final LightconeClient client, final int pairIndex)
        {
            this.client = client;
            this.pairIndex = pairIndex;
        }
    }

    /** One call's completion, on the polling thread. */
    private record Call(Connection connection, RunRecorder recorder, long[] delta, int from, int to, long launchNs)
        implements BiConsumer<ReducerOutcome, Throwable>
    {
        @Override
        public void accept(final ReducerOutcome outcome, final Throwable error)
        {
            connection.inFlight--;
            if (null != error)
            {
                recorder.lost();
            }
            else if (outcome.isCommitted())
            {
                KeynoteWorkload.applyCommitted(delta, from, to);
                recorder.committed(launchNs, System.nanoTime());
            }
            else
            {
                recorder.failed(outcome.status() + ": " + outcome.message());
            }
        }
    }
}
