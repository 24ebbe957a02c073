package io.lightcone.core.moduledef;

/**
 * Lifecycle of a reducer (reference/spacetimedb-contracts.md §4.5 {@code Lifecycle}; §7).
 */
public enum Lifecycle
{
    /** Runs once at first publish, in the transaction that creates the tables. */
    INIT,
    /** Runs when a client connects; a failure rejects the connection. */
    ON_CONNECT,
    /** Runs when a client disconnects. */
    ON_DISCONNECT
}
