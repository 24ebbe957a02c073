package io.lightcone.edge;

import org.agrona.SystemUtil;

import java.util.concurrent.TimeUnit;

/**
 * System properties of an edge and their defaults (first layer of the Aeron-style configuration; see
 * {@link EdgeContext}). Units are in the names.
 */
public final class EdgeConfiguration
{
    /** Address to listen on, {@code host:port}; port 0 picks an ephemeral port. */
    public static final String LISTEN_ADDRESS_PROP_NAME = "lightcone.edge.listen.address";
    /** Default of {@link #LISTEN_ADDRESS_PROP_NAME}, as SpacetimeDB standalone. */
    public static final String LISTEN_ADDRESS_DEFAULT = "127.0.0.1:3000";
    /** Id of this edge on the wire (TxFailed and requests name it). */
    public static final String EDGE_ID_PROP_NAME = "lightcone.edge.id";
    /** Default of {@link #EDGE_ID_PROP_NAME}. */
    public static final int EDGE_ID_DEFAULT = 1;
    /** Interval between WebSocket pings. */
    public static final String PING_INTERVAL_PROP_NAME = "lightcone.edge.ping.interval";
    /** Default of {@link #PING_INTERVAL_PROP_NAME}: 15 s. */
    public static final long PING_INTERVAL_DEFAULT_NS = TimeUnit.SECONDS.toNanos(15);
    /** A connection that received no frame (Pong included) for this long is closed. */
    public static final String IDLE_TIMEOUT_PROP_NAME = "lightcone.edge.idle.timeout";
    /** Default of {@link #IDLE_TIMEOUT_PROP_NAME}: 30 s. */
    public static final long IDLE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(30);
    /** Largest inbound WebSocket message (after reassembly of continuation frames). */
    public static final String MAX_INBOUND_MESSAGE_LENGTH_PROP_NAME = "lightcone.edge.max.inbound.message.length";
    /** Default of {@link #MAX_INBOUND_MESSAGE_LENGTH_PROP_NAME}: 32 MiB, as SpacetimeDB. */
    public static final int MAX_INBOUND_MESSAGE_LENGTH_DEFAULT = 32 * 1024 * 1024;
    /**
     * Most bytes of encoded server messages queued for one client and not yet handed to its socket (held for
     * durability, or waiting while the channel is not writable); beyond it the client is closed with 1008.
     */
    public static final String OUTBOUND_QUEUE_MAX_BYTES_PROP_NAME = "lightcone.edge.outbound.queue.max.bytes";
    /** Default of {@link #OUTBOUND_QUEUE_MAX_BYTES_PROP_NAME}: 16 MiB. */
    public static final int OUTBOUND_QUEUE_MAX_BYTES_DEFAULT = 16 * 1024 * 1024;
    /** Netty's write buffer low water mark per channel: writable again once pending bytes fall below it. */
    public static final String WRITE_BUFFER_LOW_WATER_MARK_PROP_NAME = "lightcone.edge.write.buffer.low.water.mark";
    /** Default of {@link #WRITE_BUFFER_LOW_WATER_MARK_PROP_NAME}: 64 KiB. */
    public static final int WRITE_BUFFER_LOW_WATER_MARK_DEFAULT = 64 * 1024;
    /** Netty's write buffer high water mark per channel: not writable above it, so the edge stops writing. */
    public static final String WRITE_BUFFER_HIGH_WATER_MARK_PROP_NAME =
        "lightcone.edge.write.buffer.high.water.mark";
    /** Default of {@link #WRITE_BUFFER_HIGH_WATER_MARK_PROP_NAME}: 256 KiB. */
    public static final int WRITE_BUFFER_HIGH_WATER_MARK_DEFAULT = 256 * 1024;
    /** Most client messages received from one client and not yet processed; beyond it the client is closed (1013). */
    public static final String INBOUND_QUEUE_LIMIT_PROP_NAME = "lightcone.edge.inbound.queue.limit";
    /** Default of {@link #INBOUND_QUEUE_LIMIT_PROP_NAME}: 16384 messages, as SpacetimeDB. */
    public static final int INBOUND_QUEUE_LIMIT_DEFAULT = 16384;
    /** Threads that validate tokens (signatures, JWKS fetches) off the Netty event loops. */
    public static final String AUTH_THREADS_PROP_NAME = "lightcone.edge.auth.threads";
    /** Default of {@link #AUTH_THREADS_PROP_NAME}. */
    public static final int AUTH_THREADS_DEFAULT = 2;
    /** Requests waiting for a token validation thread; beyond it a request is answered 503. */
    public static final String AUTH_QUEUE_CAPACITY_PROP_NAME = "lightcone.edge.auth.queue.capacity";
    /** Default of {@link #AUTH_QUEUE_CAPACITY_PROP_NAME}. */
    public static final int AUTH_QUEUE_CAPACITY_DEFAULT = 1024;
    /** Inbound client messages queued to the edge agent, all clients together. */
    public static final String COMMAND_QUEUE_CAPACITY_PROP_NAME = "lightcone.edge.command.queue.capacity";
    /** Default of {@link #COMMAND_QUEUE_CAPACITY_PROP_NAME}. */
    public static final int COMMAND_QUEUE_CAPACITY_DEFAULT = 65536;
    /** Whether clients get confirmed reads when they do not say ({@code confirmed} query parameter). */
    public static final String CONFIRMED_READS_DEFAULT_PROP_NAME = "lightcone.edge.confirmed.reads.default";
    /** Default of {@link #CONFIRMED_READS_DEFAULT_PROP_NAME}: true, as SpacetimeDB v2/v3. */
    public static final boolean CONFIRMED_READS_DEFAULT = true;
    /** Use native epoll when available (else NIO). */
    public static final String EPOLL_ENABLED_PROP_NAME = "lightcone.edge.epoll.enabled";
    /** Most egress fragments polled per duty cycle. */
    public static final String FRAGMENT_LIMIT_PROP_NAME = "lightcone.edge.fragment.limit";
    /** Default of {@link #FRAGMENT_LIMIT_PROP_NAME}. */
    public static final int FRAGMENT_LIMIT_DEFAULT = 64;
    /** Netty worker threads; 0 = Netty's default. */
    public static final String WORKER_THREADS_PROP_NAME = "lightcone.edge.worker.threads";

    private EdgeConfiguration()
    {
    }

    /**
     * @return {@link #LISTEN_ADDRESS_PROP_NAME}.
     */
    public static String listenAddress()
    {
        return System.getProperty(LISTEN_ADDRESS_PROP_NAME, LISTEN_ADDRESS_DEFAULT);
    }

    /**
     * @return {@link #EDGE_ID_PROP_NAME}.
     */
    public static int edgeId()
    {
        return Integer.getInteger(EDGE_ID_PROP_NAME, EDGE_ID_DEFAULT);
    }

    /**
     * @return {@link #PING_INTERVAL_PROP_NAME} in ns.
     */
    public static long pingIntervalNs()
    {
        return SystemUtil.getDurationInNanos(PING_INTERVAL_PROP_NAME, PING_INTERVAL_DEFAULT_NS);
    }

    /**
     * @return {@link #IDLE_TIMEOUT_PROP_NAME} in ns.
     */
    public static long idleTimeoutNs()
    {
        return SystemUtil.getDurationInNanos(IDLE_TIMEOUT_PROP_NAME, IDLE_TIMEOUT_DEFAULT_NS);
    }

    /**
     * @return {@link #MAX_INBOUND_MESSAGE_LENGTH_PROP_NAME}.
     */
    public static int maxInboundMessageLength()
    {
        return SystemUtil.getSizeAsInt(MAX_INBOUND_MESSAGE_LENGTH_PROP_NAME, MAX_INBOUND_MESSAGE_LENGTH_DEFAULT);
    }

    /**
     * @return {@link #OUTBOUND_QUEUE_MAX_BYTES_PROP_NAME}.
     */
    public static int outboundQueueMaxBytes()
    {
        return SystemUtil.getSizeAsInt(OUTBOUND_QUEUE_MAX_BYTES_PROP_NAME, OUTBOUND_QUEUE_MAX_BYTES_DEFAULT);
    }

    /**
     * @return {@link #WRITE_BUFFER_LOW_WATER_MARK_PROP_NAME}.
     */
    public static int writeBufferLowWaterMark()
    {
        return SystemUtil.getSizeAsInt(WRITE_BUFFER_LOW_WATER_MARK_PROP_NAME, WRITE_BUFFER_LOW_WATER_MARK_DEFAULT);
    }

    /**
     * @return {@link #WRITE_BUFFER_HIGH_WATER_MARK_PROP_NAME}.
     */
    public static int writeBufferHighWaterMark()
    {
        return SystemUtil.getSizeAsInt(WRITE_BUFFER_HIGH_WATER_MARK_PROP_NAME, WRITE_BUFFER_HIGH_WATER_MARK_DEFAULT);
    }

    /**
     * @return {@link #INBOUND_QUEUE_LIMIT_PROP_NAME}.
     */
    public static int inboundQueueLimit()
    {
        return Integer.getInteger(INBOUND_QUEUE_LIMIT_PROP_NAME, INBOUND_QUEUE_LIMIT_DEFAULT);
    }

    /**
     * @return {@link #AUTH_THREADS_PROP_NAME}.
     */
    public static int authThreads()
    {
        return Integer.getInteger(AUTH_THREADS_PROP_NAME, AUTH_THREADS_DEFAULT);
    }

    /**
     * @return {@link #AUTH_QUEUE_CAPACITY_PROP_NAME}.
     */
    public static int authQueueCapacity()
    {
        return Integer.getInteger(AUTH_QUEUE_CAPACITY_PROP_NAME, AUTH_QUEUE_CAPACITY_DEFAULT);
    }

    /**
     * @return {@link #COMMAND_QUEUE_CAPACITY_PROP_NAME}.
     */
    public static int commandQueueCapacity()
    {
        return Integer.getInteger(COMMAND_QUEUE_CAPACITY_PROP_NAME, COMMAND_QUEUE_CAPACITY_DEFAULT);
    }

    /**
     * @return {@link #CONFIRMED_READS_DEFAULT_PROP_NAME}.
     */
    public static boolean confirmedReadsDefault()
    {
        return Boolean.parseBoolean(
            System.getProperty(CONFIRMED_READS_DEFAULT_PROP_NAME, String.valueOf(CONFIRMED_READS_DEFAULT)));
    }

    /**
     * @return {@link #EPOLL_ENABLED_PROP_NAME}, default true.
     */
    public static boolean epollEnabled()
    {
        return Boolean.parseBoolean(System.getProperty(EPOLL_ENABLED_PROP_NAME, "true"));
    }

    /**
     * @return {@link #FRAGMENT_LIMIT_PROP_NAME}.
     */
    public static int fragmentLimit()
    {
        return Integer.getInteger(FRAGMENT_LIMIT_PROP_NAME, FRAGMENT_LIMIT_DEFAULT);
    }

    /**
     * @return {@link #WORKER_THREADS_PROP_NAME}.
     */
    public static int workerThreads()
    {
        return Integer.getInteger(WORKER_THREADS_PROP_NAME, 0);
    }
}
