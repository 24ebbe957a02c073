package io.lightcone.edge;

import io.lightcone.edge.auth.AuthContext;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Settings of an {@link EdgeServer}: same-name fluent accessors over {@link EdgeConfiguration} defaults, validated
 * once by {@link #conclude()}. The {@link CoreLink} must be supplied (an {@link AeronCoreLink} in production).
 */
public final class EdgeContext
{
    private boolean concluded;
    private String listenAddress = EdgeConfiguration.listenAddress();
    private int edgeId = EdgeConfiguration.edgeId();
    private long pingIntervalNs = EdgeConfiguration.pingIntervalNs();
    private long idleTimeoutNs = EdgeConfiguration.idleTimeoutNs();
    private int maxInboundMessageLength = EdgeConfiguration.maxInboundMessageLength();
    private int outboundQueueLimit = EdgeConfiguration.outboundQueueLimit();
    private int commandQueueCapacity = EdgeConfiguration.commandQueueCapacity();
    private boolean confirmedReadsDefault = EdgeConfiguration.confirmedReadsDefault();
    private boolean epollEnabled = EdgeConfiguration.epollEnabled();
    private int fragmentLimit = EdgeConfiguration.fragmentLimit();
    private int workerThreads = EdgeConfiguration.workerThreads();
    private IdleStrategy idleStrategy;
    private AuthContext authContext;
    private CoreLink coreLink;

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
        if (pingIntervalNs <= 0 || idleTimeoutNs <= 0 || maxInboundMessageLength < 1024 || outboundQueueLimit < 1 ||
            commandQueueCapacity < 2 || fragmentLimit < 1 || workerThreads < 0)
        {
            throw new IllegalStateException("need positive ping/idle, maxInboundMessageLength >= 1024, " +
                "outboundQueueLimit >= 1, commandQueueCapacity >= 2, fragmentLimit >= 1, workerThreads >= 0");
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
     * @return per-client outbound limit.
     */
    public int outboundQueueLimit()
    {
        return outboundQueueLimit;
    }

    /**
     * @param outboundQueueLimit per-client outbound limit.
     * @return this.
     */
    public EdgeContext outboundQueueLimit(final int outboundQueueLimit)
    {
        this.outboundQueueLimit = outboundQueueLimit;
        return this;
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
