package io.lightcone.bench.keynote;

/**
 * The final balances against the model of the committed transfers.
 *
 * @param sum        sum of the final balances.
 * @param mismatches accounts whose balance differs from {@code initialBalance + delta} (missing ones included).
 */
public record BalanceCheck(long sum, long mismatches)
{
    /**
     * @param balances       final balance per account id ({@link Long#MIN_VALUE} where the row is missing).
     * @param initialBalance balance after seeding.
     * @param delta          per-account change of the committed transfers.
     * @return the check.
     */
    public static BalanceCheck of(final long[] balances, final long initialBalance, final long[] delta)
    {
        long sum = 0;
        long mismatches = 0;
        for (int id = 0; id < balances.length; id++)
        {
            sum += balances[id];
            if (balances[id] != initialBalance + delta[id])
            {
                mismatches++;
            }
        }
        return new BalanceCheck(sum, mismatches);
    }
}
