package io.lightcone.bench.keynote;

/**
 * The precomputed {@code (from, to)} pairs of one run (performance-anchors §1.1): {@code count} pairs drawn with
 * {@link ZipfSampler#pickTwoDistinct} from one sampler; worker {@code i} of {@code w} starts at pair
 * {@code i * floor(count / w)} and wraps around ({@link #startOf}).
 */
public final class TransferPairs
{
    private final int[] from;
    private final int[] to;

    private TransferPairs(final int[] from, final int[] to)
    {
        this.from = from;
        this.to = to;
    }

    /**
     * Draws the pairs.
     *
     * @param accounts number of accounts.
     * @param alpha    Zipf exponent (0 = uniform).
     * @param count    number of pairs (10,000,000 in the keynote).
     * @return the pairs.
     */
    public static TransferPairs generate(final int accounts, final double alpha, final int count)
    {
        final ZipfSampler sampler = new ZipfSampler(accounts, alpha, Mulberry32.KEYNOTE_SEED);
        final int[] from = new int[count];
        final int[] to = new int[count];
        final int[] pair = new int[2];
        for (int i = 0; i < count; i++)
        {
            sampler.pickTwoDistinct(pair);
            from[i] = pair[0];
            to[i] = pair[1];
        }
        return new TransferPairs(from, to);
    }

    /**
     * @return number of pairs.
     */
    public int count()
    {
        return from.length;
    }

    /**
     * @param index pair index.
     * @return its sender.
     */
    public int from(final int index)
    {
        return from[index];
    }

    /**
     * @param index pair index.
     * @return its receiver.
     */
    public int to(final int index)
    {
        return to[index];
    }

    /**
     * Where a worker starts, as in the harness.
     *
     * @param worker  worker index.
     * @param workers number of workers.
     * @return the first pair index of that worker.
     */
    public int startOf(final int worker, final int workers)
    {
        return worker * Math.max(1, count() / workers) % count();
    }

    /**
     * The pair after {@code index}, wrapping around.
     *
     * @param index a pair index.
     * @return the next one.
     */
    public int nextIndex(final int index)
    {
        final int next = index + 1;
        return next >= count() ? 0 : next;
    }
}
