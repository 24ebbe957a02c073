package io.lightcone.edge;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The edge's counters. Each is allocated once in {@link EdgeContext#conclude()} from the context's
 * {@link CountersManager} (on a mapped file it can be read by a {@code stat} tool or a {@code /metrics} endpoint;
 * {@link EdgeContext#counter(EdgeCounter)} gives the live value). Netty event loops and the agent thread both write
 * some of them, so writers use {@code increment()} (atomic), never the single-writer {@code incrementRelease()}.
 */
public enum EdgeCounter
{
    /** WebSocket pings sent (one per interval while the previous one was answered). */
    PINGS_SENT(101, "edge: pings sent"),
    /** Connections closed because no frame (Pong included) arrived within the idle timeout. */
    IDLE_CLOSES(102, "edge: idle closes"),
    /** Connections closed with 1009 because an inbound message exceeded the size limit. */
    OVERSIZE_CLOSES(103, "edge: oversize message closes"),
    /** Connections closed with 1013 because more inbound messages waited than the per-client limit. */
    INBOUND_OVERFLOW_CLOSES(104, "edge: inbound queue overflow closes"),
    /** Connections closed with 1008 because their outbound queue exceeded its byte limit (a client too slow). */
    SLOW_CLIENT_CLOSES(105, "edge: slow client closes"),
    /** Requests answered 503 because the token validation workers' queue was full. */
    AUTH_REJECTED_BUSY(106, "edge: auth busy rejections");

    private final int typeId;
    private final String label;

    EdgeCounter(final int typeId, final String label)
    {
        this.typeId = typeId;
        this.label = label;
    }

    /**
     * @return the counter type id.
     */
    public int typeId()
    {
        return typeId;
    }

    /**
     * @return the counter label.
     */
    public String label()
    {
        return label;
    }

    /**
     * Allocates this counter.
     *
     * @param countersManager where.
     * @return the counter.
     */
    public AtomicCounter allocate(final CountersManager countersManager)
    {
        return countersManager.newCounter(label, typeId);
    }
}
