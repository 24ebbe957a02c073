package io.lightcone.bench.keynote;

/**
 * The shape of one run, shared by every system: accounts seeded with {@code initialBalance}, the precomputed pairs
 * (their alpha), connections (or threads) with {@code inFlight} calls each, warm-up and measured seconds, amount 1.
 *
 * @param accounts       accounts seeded before the run.
 * @param initialBalance balance of each account after seeding.
 * @param alpha          Zipf exponent of the pairs.
 * @param pairs          the precomputed pairs.
 * @param connections    connections (Lightcone) or threads with a connection each (JDBC).
 * @param inFlight       calls in flight per connection (1 for JDBC).
 * @param warmupSeconds  seconds run before measuring.
 * @param seconds        seconds measured.
 * @param drainSeconds   how long to wait for in-flight calls after the window.
 */
public record KeynoteWorkload(
    int accounts,
    long initialBalance,
    double alpha,
    TransferPairs pairs,
    int connections,
    int inFlight,
    int warmupSeconds,
    int seconds,
    int drainSeconds)
{
    /** Every call moves 1, as in the keynote. */
    public static final long AMOUNT = 1;

    /**
     * @param connections other connection count.
     * @param inFlight    other in-flight count.
     * @return the same workload with other concurrency.
     */
    public KeynoteWorkload withConcurrency(final int connections, final int inFlight)
    {
        return new KeynoteWorkload(accounts, initialBalance, alpha, pairs, connections, inFlight, warmupSeconds,
            seconds, drainSeconds);
    }

    /**
     * Balances a committed transfer leaves: the model the final balances are checked against.
     *
     * @param delta per-account change so far.
     * @param from  sender.
     * @param to    receiver.
     */
    static void applyCommitted(final long[] delta, final int from, final int to)
    {
        delta[from] -= AMOUNT;
        delta[to] += AMOUNT;
    }
}
