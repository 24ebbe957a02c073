package io.lightcone.client;

import java.util.List;

/**
 * One subscribed query set. Created by {@link LightconeClient#subscribe}; its rows live in the client's
 * {@link TableCache}s. Survives reconnects: the client subscribes it again and reconciles the cache.
 */
public final class Subscription
{
    /** Lifecycle states. */
    public enum State
    {
        /** Registered; Subscribe sent or about to be. */
        PENDING,
        /** SubscribeApplied received. */
        ACTIVE,
        /** Unsubscribe requested; UnsubscribeApplied not yet received. */
        ENDING,
        /** Unsubscribed: its rows left the cache. */
        ENDED,
        /** Refused or dropped by the server. */
        FAILED
    }

    private final LightconeClient client;
    private final int querySetId;
    private final List<String> queries;
    private final SubscriptionListener listener;
    private volatile State state = State.PENDING;
    volatile boolean unsubscribeRequested;
    boolean subscribeSent;
    boolean resubscribing;

    Subscription(
        final LightconeClient client, final int querySetId, final List<String> queries,
        final SubscriptionListener listener)
    {
        this.client = client;
        this.querySetId = querySetId;
        this.queries = List.copyOf(queries);
        this.listener = listener;
    }

    /**
     * The query set id on the wire.
     *
     * @return the id.
     */
    public int querySetId()
    {
        return querySetId;
    }

    /**
     * The SQL queries.
     *
     * @return the queries.
     */
    public List<String> queries()
    {
        return queries;
    }

    /**
     * The current state (written by the polling thread).
     *
     * @return the state.
     */
    public State state()
    {
        return state;
    }

    /**
     * Whether SubscribeApplied has arrived and no unsubscribe or error ended it.
     *
     * @return true when active.
     */
    public boolean isActive()
    {
        return state == State.ACTIVE;
    }

    /**
     * Asks the server to end the subscription (sent on the next poll); rows held only by it are deleted from the
     * cache when UnsubscribeApplied arrives, then {@link SubscriptionListener#onEnded} runs. Any thread.
     */
    public void unsubscribe()
    {
        unsubscribeRequested = true;
        client.requestUnsubscribe(this);
    }

    SubscriptionListener listener()
    {
        return listener;
    }

    void state(final State state)
    {
        this.state = state;
    }

    @Override
    public String toString()
    {
        return "Subscription{" + querySetId + ", " + state + ", " + queries + '}';
    }
}
