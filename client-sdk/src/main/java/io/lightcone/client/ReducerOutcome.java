package io.lightcone.client;

/**
 * How a reducer call ended, as the server reported it in its ReducerResult.
 *
 * @param status          committed, failed (the module's error) or internal error.
 * @param message         the error message, or null when committed.
 * @param timestampMicros when the reducer started, microseconds since the Unix epoch.
 */
public record ReducerOutcome(Status status, String message, long timestampMicros)
{
    /**
     * The kinds of outcome.
     */
    public enum Status
    {
        /** The transaction committed; the caller's deltas were applied to the cache before the future completed. */
        COMMITTED,
        /** The reducer returned an error (ReducerOutcome::Err): the module's message; nothing changed. */
        FAILED,
        /** The server could not run the reducer (unknown reducer, bad arguments, trap, budget): nothing changed. */
        INTERNAL_ERROR
    }

    /**
     * Whether the transaction committed.
     *
     * @return true for {@link Status#COMMITTED}.
     */
    public boolean isCommitted()
    {
        return status == Status.COMMITTED;
    }
}
