package io.lightcone.edge;

import io.lightcone.edge.auth.AuthContext;
import io.lightcone.wire.metrics.Metrics;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settings of an {@link EdgeServer}: same-name fluent accessors over {@link EdgeConfiguration} defaults, validated
 * once by {@link #conclude()}. The {@link CoreLink} must be supplied (an {@link AeronCoreLink} in production).
 * <p>
 * {@link #conclude()} also allocates the {@link EdgeCounter}s (from a heap {@link CountersManager} unless one is
 * supplied) and, unless one is supplied, the executor that validates tokens off the event loops, which
 * {@link #close()} shuts down.
 */
public final class EdgeContext implements AutoCloseable
{
    private static final int COUNTER_VALUES_LENGTH = 16 * 1024;

    private boolean concluded;
    private String listenAddress = EdgeConfiguration.listenAddress();
    private int edgeId = EdgeConfiguration.edgeId();
    private long pingIntervalNs = EdgeConfiguration.pingIntervalNs();
    private long idleTimeoutNs = EdgeConfiguration.idleTimeoutNs();
    private int maxInboundMessageLength = EdgeConfiguration.maxInboundMessageLength();
    private int outboundQueueMaxBytes = EdgeConfiguration.outboundQueueMaxBytes();
    private int writeBufferLowWaterMark = EdgeConfiguration.writeBufferLowWaterMark();
    private int writeBufferHighWaterMark = EdgeConfiguration.writeBufferHighWaterMark();
    private int inboundQueueLimit = EdgeConfiguration.inboundQueueLimit();
    private int authThreads = EdgeConfiguration.authThreads();
    private int authQueueCapacity = EdgeConfiguration.authQueueCapacity();
    private int commandQueueCapacity = EdgeConfiguration.commandQueueCapacity();
    private boolean confirmedReadsDefault = EdgeConfiguration.confirmedReadsDefault();
    private boolean epollEnabled = EdgeConfiguration.epollEnabled();
    private int fragmentLimit = EdgeConfiguration.fragmentLimit();
    private int workerThreads = EdgeConfiguration.workerThreads();
    private IdleStrategy idleStrategy;
    private AuthContext authContext;
    private CoreLink coreLink;
    private CountersManager countersManager;
    private Metrics metrics;
    private CountersReader[] metricsReaders = new CountersReader[0];
    private final Map<EdgeCounter, AtomicCounter> counters = new EnumMap<>(EdgeCounter.class);
    private ExecutorService authExecutor;
    private boolean ownsAuthExecutor;

    /**
     * Validate and fill defaults.
     *
     * @return this.
     */
    public EdgeContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("EdgeContext already concluded");
        }
        concluded = true;
        if (null == coreLink)
        {
            throw new IllegalStateException("coreLink must be set");
        }
        if (listenAddress.lastIndexOf(':') < 0)
        {
            throw new IllegalStateException("listenAddress must be host:port: " + listenAddress);
        }
        if (pingIntervalNs <= 0 || idleTimeoutNs <= 0 || maxInboundMessageLength < 1024 ||
            outboundQueueMaxBytes < 1024 || inboundQueueLimit < 1 || commandQueueCapacity < 2 || fragmentLimit < 1 ||
            workerThreads < 0 || authThreads < 1 || authQueueCapacity < 1)
        {
            throw new IllegalStateException("need positive ping/idle, maxInboundMessageLength >= 1024, " +
                "outboundQueueMaxBytes >= 1024, inboundQueueLimit >= 1, commandQueueCapacity >= 2, " +
                "fragmentLimit >= 1, workerThreads >= 0, authThreads >= 1, authQueueCapacity >= 1");
        }
        if (writeBufferLowWaterMark < 1 || writeBufferHighWaterMark < writeBufferLowWaterMark)
        {
            throw new IllegalStateException("need 0 < writeBufferLowWaterMark <= writeBufferHighWaterMark: " +
                writeBufferLowWaterMark + ", " + writeBufferHighWaterMark);
        }
        if (null == countersManager)
        {
            countersManager = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(COUNTER_VALUES_LENGTH * 4)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(COUNTER_VALUES_LENGTH)));
        }
        metrics = new Metrics(countersManager);
        for (final EdgeCounter counter : EdgeCounter.values())
        {
            counters.put(counter, counter.allocate(metrics));
        }
        if (null == authExecutor)
        {
            authExecutor = newAuthExecutor(authThreads, authQueueCapacity);
            ownsAuthExecutor = true;
        }
        if (null == idleStrategy)
        {
            idleStrategy = new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (null == authContext)
        {
            authContext = new AuthContext();
        }
        authContext.conclude();
        return this;
    }

    /**
     * @return host:port to listen on.
     */
    public String listenAddress()
    {
        return listenAddress;
    }

    /**
     * @param listenAddress host:port, port 0 for ephemeral.
     * @return this.
     */
    public EdgeContext listenAddress(final String listenAddress)
    {
        this.listenAddress = listenAddress;
        return this;
    }

    /**
     * @return listen host.
     */
    public String listenHost()
    {
        return listenAddress.substring(0, listenAddress.lastIndexOf(':'));
    }

    /**
     * @return listen port.
     */
    public int listenPort()
    {
        return Integer.parseInt(listenAddress.substring(listenAddress.lastIndexOf(':') + 1));
    }

    /**
     * @return edge id on the wire.
     */
    public int edgeId()
    {
        return edgeId;
    }

    /**
     * @param edgeId edge id on the wire.
     * @return this.
     */
    public EdgeContext edgeId(final int edgeId)
    {
        this.edgeId = edgeId;
        return this;
    }

    /**
     * @return ping interval in ns.
     */
    public long pingIntervalNs()
    {
        return pingIntervalNs;
    }

    /**
     * @param pingIntervalNs ping interval.
     * @return this.
     */
    public EdgeContext pingIntervalNs(final long pingIntervalNs)
    {
        this.pingIntervalNs = pingIntervalNs;
        return this;
    }

    /**
     * @return idle timeout in ns.
     */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /**
     * @param idleTimeoutNs idle timeout.
     * @return this.
     */
    public EdgeContext idleTimeoutNs(final long idleTimeoutNs)
    {
        this.idleTimeoutNs = idleTimeoutNs;
        return this;
    }

    /**
     * @return largest inbound message.
     */
    public int maxInboundMessageLength()
    {
        return maxInboundMessageLength;
    }

    /**
     * @param maxInboundMessageLength largest inbound message.
     * @return this.
     */
    public EdgeContext maxInboundMessageLength(final int maxInboundMessageLength)
    {
        this.maxInboundMessageLength = maxInboundMessageLength;
        return this;
    }

    /**
     * @return most bytes queued for one client before it is closed as too slow.
     */
    public int outboundQueueMaxBytes()
    {
        return outboundQueueMaxBytes;
    }

    /**
     * @param outboundQueueMaxBytes most bytes queued for one client before it is closed as too slow.
     * @return this.
     */
    public EdgeContext outboundQueueMaxBytes(final int outboundQueueMaxBytes)
    {
        this.outboundQueueMaxBytes = outboundQueueMaxBytes;
        return this;
    }

    /**
     * @return Netty's write buffer low water mark per channel.
     */
    public int writeBufferLowWaterMark()
    {
        return writeBufferLowWaterMark;
    }

    /**
     * @param writeBufferLowWaterMark Netty's write buffer low water mark per channel.
     * @return this.
     */
    public EdgeContext writeBufferLowWaterMark(final int writeBufferLowWaterMark)
    {
        this.writeBufferLowWaterMark = writeBufferLowWaterMark;
        return this;
    }

    /**
     * @return Netty's write buffer high water mark per channel.
     */
    public int writeBufferHighWaterMark()
    {
        return writeBufferHighWaterMark;
    }

    /**
     * @param writeBufferHighWaterMark Netty's write buffer high water mark per channel.
     * @return this.
     */
    public EdgeContext writeBufferHighWaterMark(final int writeBufferHighWaterMark)
    {
        this.writeBufferHighWaterMark = writeBufferHighWaterMark;
        return this;
    }

    /**
     * @return most messages from one client received and not yet processed.
     */
    public int inboundQueueLimit()
    {
        return inboundQueueLimit;
    }

    /**
     * @param inboundQueueLimit most messages from one client received and not yet processed.
     * @return this.
     */
    public EdgeContext inboundQueueLimit(final int inboundQueueLimit)
    {
        this.inboundQueueLimit = inboundQueueLimit;
        return this;
    }

    /**
     * @return threads of the default token validation executor.
     */
    public int authThreads()
    {
        return authThreads;
    }

    /**
     * @param authThreads threads of the default token validation executor.
     * @return this.
     */
    public EdgeContext authThreads(final int authThreads)
    {
        this.authThreads = authThreads;
        return this;
    }

    /**
     * @return requests that may wait for the default token validation executor.
     */
    public int authQueueCapacity()
    {
        return authQueueCapacity;
    }

    /**
     * @param authQueueCapacity requests that may wait for the default token validation executor.
     * @return this.
     */
    public EdgeContext authQueueCapacity(final int authQueueCapacity)
    {
        this.authQueueCapacity = authQueueCapacity;
        return this;
    }

    /**
     * @return where tokens are validated (never a Netty event loop); it may reject work when saturated.
     */
    public ExecutorService authExecutor()
    {
        return authExecutor;
    }

    /**
     * @param authExecutor where tokens are validated; not shut down by {@link #close()}.
     * @return this.
     */
    public EdgeContext authExecutor(final ExecutorService authExecutor)
    {
        this.authExecutor = authExecutor;
        return this;
    }

    /**
     * @return where the counters are allocated.
     */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /**
     * @param countersManager where to allocate the counters (for example on a mapped file).
     * @return this.
     */
    public EdgeContext countersManager(final CountersManager countersManager)
    {
        this.countersManager = countersManager;
        return this;
    }

    /**
     * The edge's metrics over its counters manager, after {@link #conclude()}.
     *
     * @return the metrics.
     */
    public Metrics metrics()
    {
        return metrics;
    }

    /**
     * Other processes' or components' counters that {@code /metrics} serves along with the edge's own, such as the
     * core's when it runs in the same JVM.
     *
     * @param readers the readers.
     * @return this.
     */
    public EdgeContext metricsReaders(final CountersReader... readers)
    {
        this.metricsReaders = readers.clone();
        return this;
    }

    /**
     * @return the edge's own counters followed by the other readers {@code /metrics} serves.
     */
    public CountersReader[] allMetricsReaders()
    {
        final CountersReader[] all = new CountersReader[metricsReaders.length + 1];
        all[0] = countersManager;
        System.arraycopy(metricsReaders, 0, all, 1, metricsReaders.length);
        return all;
    }

    /**
     * A counter, after {@link #conclude()}.
     *
     * @param counter which.
     * @return the counter.
     */
    public AtomicCounter counter(final EdgeCounter counter)
    {
        return counters.get(counter);
    }

    /**
     * Shut down what {@link #conclude()} created (the default token validation executor) and free the counters.
     */
    public void close()
    {
        if (ownsAuthExecutor && null != authExecutor)
        {
            authExecutor.shutdownNow();
        }
        for (final AtomicCounter counter : counters.values())
        {
            counter.close();
        }
        counters.clear();
    }

    private static ExecutorService newAuthExecutor(final int threads, final int queueCapacity)
    {
        final AtomicInteger threadIds = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            (runnable) ->
            {
                final Thread thread = new Thread(runnable, "edge-auth-" + threadIds.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
    }

    /**
     * @return command queue capacity.
     */
    public int commandQueueCapacity()
    {
        return commandQueueCapacity;
    }

    /**
     * @param commandQueueCapacity command queue capacity.
     * @return this.
     */
    public EdgeContext commandQueueCapacity(final int commandQueueCapacity)
    {
        this.commandQueueCapacity = commandQueueCapacity;
        return this;
    }

    /**
     * @return whether confirmed reads are on when a client does not say.
     */
    public boolean confirmedReadsDefault()
    {
        return confirmedReadsDefault;
    }

    /**
     * @param confirmedReadsDefault whether confirmed reads are on when a client does not say.
     * @return this.
     */
    public EdgeContext confirmedReadsDefault(final boolean confirmedReadsDefault)
    {
        this.confirmedReadsDefault = confirmedReadsDefault;
        return this;
    }

    /**
     * @return whether to use epoll when available.
     */
    public boolean epollEnabled()
    {
        return epollEnabled;
    }

    /**
     * @param epollEnabled whether to use epoll when available.
     * @return this.
     */
    public EdgeContext epollEnabled(final boolean epollEnabled)
    {
        this.epollEnabled = epollEnabled;
        return this;
    }

    /**
     * @return egress fragments per duty cycle.
     */
    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    /**
     * @param fragmentLimit egress fragments per duty cycle.
     * @return this.
     */
    public EdgeContext fragmentLimit(final int fragmentLimit)
    {
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    /**
     * @return Netty worker threads, 0 for the default.
     */
    public int workerThreads()
    {
        return workerThreads;
    }

    /**
     * @param workerThreads Netty worker threads, 0 for the default.
     * @return this.
     */
    public EdgeContext workerThreads(final int workerThreads)
    {
        this.workerThreads = workerThreads;
        return this;
    }

    /**
     * @return the agent's idle strategy.
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * @param idleStrategy the agent's idle strategy.
     * @return this.
     */
    public EdgeContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * @return the auth settings (concluded by {@link #conclude()}).
     */
    public AuthContext authContext()
    {
        return authContext;
    }

    /**
     * @param authContext the auth settings, not yet concluded.
     * @return this.
     */
    public EdgeContext authContext(final AuthContext authContext)
    {
        this.authContext = authContext;
        return this;
    }

    /**
     * @return the link to the core.
     */
    public CoreLink coreLink()
    {
        return coreLink;
    }

    /**
     * @param coreLink the link to the core (closed with the server).
     * @return this.
     */
    public EdgeContext coreLink(final CoreLink coreLink)
    {
        this.coreLink = coreLink;
        return this;
    }
}
