package io.lightcone.wire.metrics;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * A histogram over counters: one counter per bucket (its own count; the exposition makes them cumulative), a sum and
 * a count. {@link #record(long)} does three ordered stores and allocates nothing; call it from the one thread that owns
 * the histogram.
 */
public final class Histogram implements AutoCloseable
{
    private final long[] upperBounds;
    private final AtomicCounter[] buckets;
    private final AtomicCounter sum;
    private final AtomicCounter count;

    Histogram(
        final long[] upperBounds, final AtomicCounter[] buckets, final AtomicCounter sum, final AtomicCounter count)
    {
        this.upperBounds = upperBounds;
        this.buckets = buckets;
        this.sum = sum;
        this.count = count;
    }

    /**
     * Records one value.
     *
     * @param value the value, in the histogram's unit; negative values count as zero.
     */
    public void record(final long value)
    {
        final long v = Math.max(0, value);
        int i = 0;
        final long[] bounds = upperBounds;
        while (i < bounds.length && v > bounds[i])
        {
            i++;
        }
        buckets[i].incrementRelease();
        sum.getAndAddRelease(v);
        count.incrementRelease();
    }

    /**
     * @return values recorded.
     */
    public long count()
    {
        return count.get();
    }

    /**
     * @return sum of the values recorded.
     */
    public long sum()
    {
        return sum.get();
    }

    /**
     * Frees the counters.
     */
    public void close()
    {
        for (final AtomicCounter bucket : buckets)
        {
            bucket.close();
        }
        sum.close();
        count.close();
    }
}
