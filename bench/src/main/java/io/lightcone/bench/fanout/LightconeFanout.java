package io.lightcone.bench.fanout;

import io.lightcone.client.LightconeClient;
import io.lightcone.client.ReducerOutcome;
import io.lightcone.edge.protocol.Compression;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * The fan-out workload against a running Lightcone serving {@code fanout.wasm} as database {@code fanout}: one
 * writer connection (the Java SDK) seeds {@code position} and then calls {@code move} at the fixed rate; the
 * subscribers are {@link SubscriberSockets}, each subscribed to {@code SELECT * FROM position WHERE zone = z}.
 */
public final class LightconeFanout
{
    /** The database name the module is served as. */
    public static final String DATABASE = "fanout";
    private static final int MAX_IN_FLIGHT = 1_000;
    private static final long CONNECT_TIMEOUT_MS = 60_000;

    private final String url;
    private final long serverPid;

    /**
     * @param url       the server's base address ({@code http://127.0.0.1:PORT}).
     * @param serverPid the server process, for CPU and RSS (-1 when it runs in this JVM).
     */
    public LightconeFanout(final String url, final long serverPid)
    {
        this.url = url;
        this.serverPid = serverPid;
    }

    /**
     * Seeds, connects the subscribers, runs the writer and accounts for every row.
     *
     * @param workload  what to run.
     * @param confirmed confirmed reads for the writer and the subscribers.
     * @return the result.
     * @throws InterruptedException if interrupted.
     */
    public FanoutResult run(final FanoutWorkload workload, final boolean confirmed) throws InterruptedException
    {
        final LightconeClient writer = LightconeClient.builder().uri(url).database(DATABASE)
            .compression(Compression.NONE).confirmedReads(confirmed).reconnect(false).maxInFlight(2 * MAX_IN_FLIGHT)
            .build();
        final FanoutRecorder recorder = new FanoutRecorder(workload);
        final SubscriberSockets sockets = new SubscriberSockets(recorder, workload.clientThreads());
        try
        {
            writer.connect();
            await(writer, writer::isConnected, "the writer's connection");
            final UnsafeBuffer args = new UnsafeBuffer(new byte[8]);
            args.putInt(0, workload.entities(), ByteOrder.LITTLE_ENDIAN);
            args.putInt(4, workload.zones(), ByteOrder.LITTLE_ENDIAN);
            final CompletableFuture<ReducerOutcome> seed = writer.callReducer("seed", args, 0, 8);
            await(writer, seed::isDone, "seed");
            final ReducerOutcome seeded = seed.join();
            if (!seeded.isCommitted())
            {
                throw new IllegalStateException("seed failed: " + seeded.status() + " " + seeded.message());
            }
            final long rssBefore = FanoutDriver.rssBytes(serverPid);
            sockets.connectAll(url, DATABASE, confirmed, CONNECT_TIMEOUT_MS + 40L * workload.subscribers());
            final long rssAfter = FanoutDriver.rssBytes(serverPid);
            final FanoutResult result = FanoutDriver.drive("lightcone", confirmed ? "confirmed" : "unconfirmed",
                recorder, new Writer(writer, recorder), MAX_IN_FLIGHT, serverPid, rssBefore, rssAfter);
            if (null != sockets.firstError())
            {
                recorder.unexpected(-1, sockets.firstError());
            }
            return result;
        }
        finally
        {
            CloseHelper.quietClose(sockets);
            CloseHelper.quietClose(writer);
        }
    }

    private static void await(final LightconeClient client, final BooleanSupplier done, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            if (0 == client.poll(64))
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
    }

    /** The writer: one {@code move} call per commit through the SDK; outcomes complete on its polling thread. */
    private static final class Writer implements CommitSink
    {
        private final LightconeClient client;
        private final FanoutRecorder recorder;
        private final FanoutWorkload workload;
        private final UnsafeBuffer args = new UnsafeBuffer(new byte[28]);
        private long inFlight;

        Writer(final LightconeClient client, final FanoutRecorder recorder)
        {
            this.client = client;
            this.recorder = recorder;
            this.workload = recorder.workload();
            args.putInt(4, workload.rowsPerCommit(), ByteOrder.LITTLE_ENDIAN);
            args.putInt(8, workload.zones(), ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void send(final long seq, final int firstId, final long sentNs)
        {
            args.putInt(0, firstId, ByteOrder.LITTLE_ENDIAN);
            args.putLong(12, seq, ByteOrder.LITTLE_ENDIAN);
            args.putLong(20, sentNs, ByteOrder.LITTLE_ENDIAN);
            inFlight++;
            client.callReducer("move", args, 0, 28).whenComplete((outcome, error) ->
            {
                inFlight--;
                if (null != error)
                {
                    recorder.failed("call failed: " + error);
                }
                else if (outcome.isCommitted())
                {
                    recorder.committed(seq);
                }
                else
                {
                    recorder.failed(outcome.status() + ": " + outcome.message());
                }
            });
        }

        @Override
        public int poll()
        {
            return client.poll(64);
        }

        @Override
        public long inFlight()
        {
            return inFlight;
        }
    }
}
