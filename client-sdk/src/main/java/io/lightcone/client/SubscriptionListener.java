package io.lightcone.client;

/**
 * Callbacks of one subscription, on the polling thread.
 */
public interface SubscriptionListener
{
    /**
     * The server evaluated the queries; their rows are in the cache and insert listeners have run. Called again
     * after each reconnect once the subscription is re-applied.
     *
     * @param subscription the subscription.
     */
    default void onApplied(final Subscription subscription)
    {
    }

    /**
     * The server refused the queries, or dropped the subscription after an evaluation error; it is no longer
     * active.
     *
     * @param subscription the subscription.
     * @param error        the server's message.
     */
    default void onError(final Subscription subscription, final String error)
    {
    }

    /**
     * An unsubscribe completed: the rows only this subscription held were deleted from the cache.
     *
     * @param subscription the subscription.
     */
    default void onEnded(final Subscription subscription)
    {
    }
}
