package io.lightcone.bench.keynote;

/**
 * The keynote-2 account picker (performance-anchors §1.1): Zipf over {@code 0..n-1} with exponent {@code alpha}, fed
 * by {@link Mulberry32} with the keynote seed. {@code alpha <= 0} is uniform ({@code floor(u * n)}); otherwise a
 * cumulative distribution, Kahan-summed and normalised the way the harness does it, searched for the first index
 * whose cumulative probability is at least {@code u}. (The harness switches to rejection sampling above 100,000
 * accounts; the keynote uses exactly 100,000, so only the CDF path exists here.)
 */
public final class ZipfSampler
{
    /** How often {@link #pickTwoDistinct} re-draws the second account (the harness's {@code maxSpins}). */
    public static final int MAX_SPINS = 32;
    /** Largest account count the harness samples with a CDF. */
    public static final int MAX_CDF_ACCOUNTS = 100_000;

    private final int accounts;
    private final Mulberry32 rng;
    private final double[] cdf;

    /**
     * @param accounts number of accounts (at most {@link #MAX_CDF_ACCOUNTS} when {@code alpha > 0}).
     * @param alpha    Zipf exponent; {@code <= 0} means uniform.
     * @param seed     PRNG seed ({@link Mulberry32#KEYNOTE_SEED} for the keynote).
     */
    public ZipfSampler(final int accounts, final double alpha, final int seed)
    {
        if (accounts < 1)
        {
            throw new IllegalArgumentException("accounts must be >= 1: " + accounts);
        }
        if (alpha > 0 && accounts > MAX_CDF_ACCOUNTS)
        {
            throw new IllegalArgumentException("the keynote's CDF sampler covers at most " + MAX_CDF_ACCOUNTS +
                " accounts (it switches to rejection sampling above): " + accounts);
        }
        this.accounts = accounts;
        this.rng = new Mulberry32(seed);
        this.cdf = alpha > 0 ? cdf(accounts, alpha) : null;
    }

    /**
     * @return the next account id.
     */
    public int next()
    {
        final double u = rng.next();
        if (null == cdf)
        {
            return (int)Math.floor(u * accounts);
        }
        int left = 0;
        int right = accounts - 1;
        while (left < right)
        {
            final int mid = (left + right) >>> 1;
            if (cdf[mid] < u)
            {
                left = mid + 1;
            }
            else
            {
                right = mid;
            }
        }
        return left;
    }

    /**
     * Two accounts, the second re-drawn up to {@link #MAX_SPINS} times while it equals the first (so they can still
     * be equal, as in the harness).
     *
     * @param pair receives {@code from} at 0 and {@code to} at 1.
     */
    public void pickTwoDistinct(final int[] pair)
    {
        final int a = next();
        int b = next();
        int spins = 0;
        while (b == a && spins++ < MAX_SPINS)
        {
            b = next();
        }
        pair[0] = a;
        pair[1] = b;
    }

    private static double[] cdf(final int n, final double s)
    {
        double sum = 0;
        double c = 0;
        for (int i = 0; i < n; i++)
        {
            final double y = 1 / Math.pow(i + 1, s) - c;
            final double t = sum + y;
            c = t - sum - y;
            sum = t;
        }
        final double[] cdf = new double[n];
        double cumulative = 0;
        double comp = 0;
        for (int i = 0; i < n; i++)
        {
            final double y = 1 / Math.pow(i + 1, s) / sum - comp;
            final double t = cumulative + y;
            comp = t - cumulative - y;
            cumulative = t;
            cdf[i] = cumulative;
        }
        cdf[n - 1] = 1.0;
        return cdf;
    }
}
