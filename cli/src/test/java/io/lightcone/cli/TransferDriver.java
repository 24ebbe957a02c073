package io.lightcone.cli;

import io.lightcone.txn.loop.CoreClient;
import io.lightcone.txn.loop.EmbeddedCore;
import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.TxCommittedView;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives keynote's {@code seed} and then a steady stream of seeded random {@code transfer}s straight into a running
 * core over the wire (its own {@link CoreClient}, up to 32 calls in flight) on its own thread, and remembers what
 * committed at which tx offset and the highest {@code Durable} seen, so that the state at any tx offset can be
 * computed from a model.
 */
final class TransferDriver implements CoreEgressListener, Runnable, AutoCloseable
{
    static final int ACCOUNTS = 10;
    static final long START_BALANCE = 1_000;
    private static final int EDGE_ID = 7;
    private static final int SEED_REQUEST = 999;
    private static final int MAX_IN_FLIGHT = 32;

    private final EmbeddedCore core;
    private final long databaseId;
    private final Random random;
    private final Map<Integer, int[]> sent = new ConcurrentHashMap<>();
    private final Map<Integer, Long> committed = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> failed = new ConcurrentHashMap<>();
    private final Thread thread = new Thread(this, "transfer-driver");
    private volatile long durable = -1;
    private volatile boolean stop;
    private volatile Throwable error;

    TransferDriver(final EmbeddedCore core, final long databaseId, final long seed)
    {
        this.core = core;
        this.databaseId = databaseId;
        this.random = new Random(seed);
    }

    void start()
    {
        thread.start();
    }

    int committedCount()
    {
        return committed.size();
    }

    long durable()
    {
        return durable;
    }

    Throwable error()
    {
        return error;
    }

    /**
     * Stops sending and waits for the thread (the calls in flight may stay unanswered).
     */
    public void close()
    {
        stop = true;
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The balances after every committed call up to a tx offset, applied in tx offset order.
     */
    Map<Integer, Long> balancesAt(final long txOffset)
    {
        final List<Map.Entry<Integer, Long>> calls = new ArrayList<>(committed.entrySet());
        calls.sort(Comparator.comparingLong(Map.Entry::getValue));
        final Map<Integer, Long> balances = new TreeMap<>();
        for (final Map.Entry<Integer, Long> call : calls)
        {
            if (call.getValue() > txOffset)
            {
                break;
            }
            final int[] transfer = sent.get(call.getKey());
            if (null == transfer)
            {
                for (int id = 0; id < ACCOUNTS; id++)
                {
                    balances.put(id, START_BALANCE);
                }
            }
            else
            {
                balances.merge(transfer[0], (long)-transfer[2], Long::sum);
                balances.merge(transfer[1], (long)transfer[2], Long::sum);
            }
        }
        return balances;
    }

    /**
     * @return the tx offsets of the calls that committed.
     */
    List<Long> committedOffsets()
    {
        return new ArrayList<>(committed.values());
    }

    public void run()
    {
        final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
        identity.putByte(0, (byte)7);
        final UnsafeBuffer args = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer seedName = new UnsafeBuffer("seed".getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer transferName = new UnsafeBuffer("transfer".getBytes(StandardCharsets.UTF_8));
        try (CoreClient client = core.newClient(this))
        {
            while (!client.isConnected() && !stop)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            args.putInt(0, ACCOUNTS, ByteOrder.LITTLE_ENDIAN);
            args.putLong(4, START_BALANCE, ByteOrder.LITTLE_ENDIAN);
            while (!stop && !client.proxy().callReducer(databaseId, EDGE_ID, SEED_REQUEST, 0, 0, identity, 0, 0, 0,
                seedName, 0, seedName.capacity(), args, 0, 12))
            {
                client.poll(64);
            }
            while (!stop && !committed.containsKey(SEED_REQUEST))
            {
                idle(client.poll(64));
            }
            int requestId = SEED_REQUEST + 1;
            while (!stop)
            {
                int work = client.poll(64);
                if (sent.size() - committed.size() - failed.size() + 1 < MAX_IN_FLIGHT)
                {
                    final int from = random.nextInt(ACCOUNTS);
                    final int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    final int amount = 1 + random.nextInt(5);
                    args.putInt(0, from, ByteOrder.LITTLE_ENDIAN);
                    args.putInt(4, to, ByteOrder.LITTLE_ENDIAN);
                    args.putLong(8, amount, ByteOrder.LITTLE_ENDIAN);
                    sent.put(requestId, new int[]{ from, to, amount });
                    if (client.proxy().callReducer(databaseId, EDGE_ID, requestId, 0, 0, identity, 0, 0, 0,
                        transferName, 0, transferName.capacity(), args, 0, 16))
                    {
                        requestId++;
                        work++;
                    }
                    else
                    {
                        sent.remove(requestId);
                    }
                }
                idle(work);
            }
        }
        catch (final Throwable ex)
        {
            error = ex;
        }
    }

    private static void idle(final int work)
    {
        if (0 == work)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void onTxCommitted(final TxCommittedView tx)
    {
        if (tx.databaseId() == databaseId && tx.requestId() >= SEED_REQUEST && Outcome.COMMITTED == tx.outcome())
        {
            committed.put(tx.requestId(), tx.txOffset());
        }
    }

    @Override
    public void onTxFailed(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long timestampMicros,
        final long energyUsed,
        final long durationMicros,
        final Outcome outcome,
        final int nameOffset,
        final int nameLength,
        final int messageOffset,
        final int messageLength)
    {
        if (EDGE_ID == edgeId && sent.containsKey(requestId))
        {
            failed.put(requestId, Boolean.TRUE);
        }
    }

    @Override
    public void onDurable(final long databaseId, final long upToTxOffset)
    {
        if (databaseId == this.databaseId && upToTxOffset > durable)
        {
            durable = upToTxOffset;
        }
    }
}
