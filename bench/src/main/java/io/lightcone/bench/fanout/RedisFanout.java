package io.lightcone.bench.fanout;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer: the same workload over Redis PUBLISH/SUBSCRIBE with Lettuce (one shared set of event-loop threads for
 * every connection). Subscriber {@code i} SUBSCRIBEs to channel {@code zone:<i % zones>}; for each commit the writer
 * PUBLISHes, to every zone the commit touches, one message holding that zone's rows in the same 24-byte layout as
 * Lightcone's BSATN rows. A commit counts as committed once all its PUBLISHes were acknowledged.
 */
public final class RedisFanout
{
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_IN_FLIGHT = 1_000;
    private static final long CONNECT_TIMEOUT_MS = 60_000;

    private final String host;
    private final int port;
    private final long serverPid;

    /**
     * @param host      Redis host.
     * @param port      Redis port.
     * @param serverPid redis-server's process, for CPU and RSS (-1: unknown).
     */
    public RedisFanout(final String host, final int port, final long serverPid)
    {
        this.host = host;
        this.port = port;
        this.serverPid = serverPid;
    }

    /**
     * Connects the subscribers, runs the writer and accounts for every row.
     *
     * @param workload what to run.
     * @return the result.
     * @throws Exception if connecting or subscribing fails.
     */
    public FanoutResult run(final FanoutWorkload workload) throws Exception
    {
        final ClientResources resources = DefaultClientResources.builder()
            .ioThreadPoolSize(workload.clientThreads()).computationThreadPoolSize(1).build();
        final RedisURI uri = RedisURI.create(host, port);
        final RedisClient client = RedisClient.create(resources, uri);
        final FanoutRecorder recorder = new FanoutRecorder(workload);
        final List<StatefulRedisPubSubConnection<byte[], byte[]>> subscribers = new ArrayList<>();
        StatefulRedisConnection<byte[], byte[]> publisher = null;
        try
        {
            final long rssBefore = FanoutDriver.rssBytes(serverPid);
            final List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int i = 0; i < workload.subscribers(); i++)
            {
                final StatefulRedisPubSubConnection<byte[], byte[]> connection =
                    client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).get(CONNECT_TIMEOUT_MS,
                        TimeUnit.MILLISECONDS);
                subscribers.add(connection);
                connection.addListener(new Subscriber(i, recorder));
                pending.add(connection.async().subscribe(channel(workload.zoneOf(i))).toCompletableFuture());
            }
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
                .get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            final long rssAfter = FanoutDriver.rssBytes(serverPid);
            publisher = client.connect(ByteArrayCodec.INSTANCE);
            return FanoutDriver.drive("redis", "pubsub", recorder, new Publisher(publisher, recorder), MAX_IN_FLIGHT,
                serverPid, rssBefore, rssAfter);
        }
        finally
        {
            if (null != publisher)
            {
                publisher.close();
            }
            client.shutdown(0, 2, TimeUnit.SECONDS); // closes the subscribers' connections too
            resources.shutdown(0, 2, TimeUnit.SECONDS).get();
        }
    }

    private static byte[] channel(final int zone)
    {
        return ("zone:" + zone).getBytes(StandardCharsets.US_ASCII);
    }

    /** One subscriber connection's listener, on a Lettuce event-loop thread. */
    private static final class Subscriber extends RedisPubSubAdapter<byte[], byte[]>
    {
        private final int index;
        private final FanoutRecorder recorder;

        Subscriber(final int index, final FanoutRecorder recorder)
        {
            this.index = index;
            this.recorder = recorder;
        }

        @Override
        public void message(final byte[] channel, final byte[] message)
        {
            final long nowNs = System.nanoTime();
            recorder.message(nowNs);
            if (message.length % FanoutWorkload.ROW_BYTES != 0)
            {
                recorder.unexpected(index, "message of " + message.length + " bytes");
                return;
            }
            for (int at = 0; at < message.length; at += FanoutWorkload.ROW_BYTES)
            {
                recorder.row(index, (int)INT.get(message, at + 4), (long)LONG.get(message, at + 8),
                    (long)LONG.get(message, at + 16), nowNs);
            }
        }
    }

    /** The writer: one PUBLISH per zone the commit touches, pipelined on one connection. */
    private static final class Publisher implements CommitSink
    {
        private final StatefulRedisConnection<byte[], byte[]> connection;
        private final FanoutRecorder recorder;
        private final FanoutWorkload workload;
        private final byte[][] channels;
        private final AtomicLong inFlight = new AtomicLong();

        Publisher(final StatefulRedisConnection<byte[], byte[]> connection, final FanoutRecorder recorder)
        {
            this.connection = connection;
            this.recorder = recorder;
            this.workload = recorder.workload();
            this.channels = new byte[workload.zones()][];
            for (int zone = 0; zone < channels.length; zone++)
            {
                channels[zone] = channel(zone);
            }
        }

        @Override
        public void send(final long seq, final int firstId, final long sentNs)
        {
            final int zones = Math.min(workload.zones(), workload.rowsPerCommit());
            final AtomicInteger outstanding = new AtomicInteger(zones);
            inFlight.incrementAndGet();
            for (int z = 0; z < zones; z++)
            {
                final int zone = (firstId + z) % workload.zones();
                final byte[] rows = new byte[workload.rowsInZone(seq, zone) * FanoutWorkload.ROW_BYTES];
                int at = 0;
                for (int id = firstId + z; id < firstId + workload.rowsPerCommit(); id += workload.zones())
                {
                    INT.set(rows, at, id);
                    INT.set(rows, at + 4, zone);
                    LONG.set(rows, at + 8, seq);
                    LONG.set(rows, at + 16, sentNs);
                    at += FanoutWorkload.ROW_BYTES;
                }
                final RedisFuture<Long> published = connection.async().publish(channels[zone], rows);
                published.whenComplete((receivers, error) ->
                {
                    if (null != error)
                    {
                        recorder.failed("PUBLISH failed: " + error);
                        if (outstanding.getAndSet(-1) > 0)
                        {
                            inFlight.decrementAndGet();
                        }
                    }
                    else if (outstanding.decrementAndGet() == 0)
                    {
                        recorder.committed(seq);
                        inFlight.decrementAndGet();
                    }
                });
            }
        }

        @Override
        public int poll()
        {
            return 0;
        }

        @Override
        public long inFlight()
        {
            return inFlight.get();
        }
    }
}
