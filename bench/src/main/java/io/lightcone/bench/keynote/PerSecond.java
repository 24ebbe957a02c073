package io.lightcone.bench.keynote;

/**
 * Statistics of per-second counts (transfers, row deliveries) over a measured window.
 */
public final class PerSecond
{
    private PerSecond()
    {
    }

    /**
     * @param counts per-second counts.
     * @return their mean, 0 when empty.
     */
    public static double mean(final long[] counts)
    {
        if (counts.length == 0)
        {
            return 0;
        }
        double sum = 0;
        for (final long v : counts)
        {
            sum += v;
        }
        return sum / counts.length;
    }

    /**
     * @param counts per-second counts.
     * @return their sample standard deviation, 0 for fewer than two.
     */
    public static double sampleSd(final long[] counts)
    {
        if (counts.length < 2)
        {
            return 0;
        }
        final double mean = mean(counts);
        double sq = 0;
        for (final long v : counts)
        {
            sq += (v - mean) * (v - mean);
        }
        return Math.sqrt(sq / (counts.length - 1));
    }
}
