package io.lightcone.edge;

import io.lightcone.wire.metrics.MetricFamily;
import io.lightcone.wire.metrics.Metrics;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The edge's counters, each a metric of the {@link MetricFamily} catalog served on {@code /metrics}. Each is
 * allocated once in {@link EdgeContext#conclude()} from the context's {@link Metrics}
 * ({@link EdgeContext#counter(EdgeCounter)} gives the live value). Netty event loops and the agent thread both write
 * some of them, so writers use {@code increment()} (atomic), never the single-writer {@code incrementRelease()}.
 */
public enum EdgeCounter
{
    /** WebSocket pings sent (one per interval while the previous one was answered). */
    PINGS_SENT(MetricFamily.EDGE_PINGS_SENT),
    /** Connections closed because no frame (Pong included) arrived within the idle timeout. */
    IDLE_CLOSES(MetricFamily.EDGE_IDLE_CLOSES),
    /** Connections closed with 1009 because an inbound message exceeded the size limit. */
    OVERSIZE_CLOSES(MetricFamily.EDGE_OVERSIZE_CLOSES),
    /** Connections closed with 1013 because more inbound messages waited than the per-client limit. */
    INBOUND_OVERFLOW_CLOSES(MetricFamily.EDGE_INBOUND_OVERFLOW_CLOSES),
    /** Connections closed with 1008 because their outbound queue exceeded its byte limit (a client too slow). */
    SLOW_CLIENT_CLOSES(MetricFamily.EDGE_SLOW_CLIENT_CLOSES),
    /** Requests answered 503 because the token validation workers' queue was full. */
    AUTH_REJECTED_BUSY(MetricFamily.EDGE_AUTH_REJECTED_BUSY),
    /** WebSocket clients connected (a gauge, set by the agent). */
    CLIENTS(MetricFamily.EDGE_CLIENTS),
    /** Distinct subscribed query plans evaluated (a gauge, set by the agent). */
    SUBSCRIPTIONS(MetricFamily.EDGE_SUBSCRIPTIONS),
    /** Messages received from clients (agent). */
    CLIENT_MESSAGES(MetricFamily.EDGE_MESSAGES_IN),
    /** Rows delivered in subscription updates, once per client (agent). */
    FANOUT_ROWS(MetricFamily.EDGE_FANOUT_ROWS),
    /** Bytes of server messages queued for clients, before compression (agent). */
    FANOUT_BYTES(MetricFamily.EDGE_FANOUT_BYTES),
    /** Committed transactions applied to the replica (agent). */
    TXS_APPLIED(MetricFamily.EDGE_TXS_APPLIED),
    /** Commands waiting for the agent (a gauge, sampled by the agent). */
    COMMAND_QUEUE_DEPTH(MetricFamily.EDGE_COMMAND_QUEUE_DEPTH);

    private final MetricFamily family;

    EdgeCounter(final MetricFamily family)
    {
        this.family = family;
    }

    /**
     * @return the metric family.
     */
    public MetricFamily family()
    {
        return family;
    }

    /**
     * Allocates this counter.
     *
     * @param metrics where.
     * @return the counter.
     */
    public AtomicCounter allocate(final Metrics metrics)
    {
        return metrics.counter(family, "");
    }
}
