package io.lightcone.bench.keynote;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What one load-generating thread saw during a run: committed transfers per second since the start (warm-up
 * included, so the time series is complete), the latency of each committed call launched after the warm-up and
 * completed inside the window (µs, launch to completion as the caller sees it, client queueing included, HDR with 3
 * significant digits as in the keynote harness), and every outcome. Single-threaded; {@link #add} merges.
 */
public final class RunRecorder
{
    /** Largest latency the histogram tracks: one hour in µs. */
    static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);

    private final long startNs;
    private final long warmupEndNs;
    private final long endNs;
    private final long[] committedPerSecond;
    private final Histogram latencyMicros = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
    private final Map<String, Long> failures = new TreeMap<>();
    private long launched;
    private long committed;
    private long lost;

    /**
     * @param startNs       {@link System#nanoTime()} at the start of the warm-up.
     * @param warmupSeconds seconds excluded from the statistics.
     * @param seconds       measured seconds after the warm-up.
     */
    public RunRecorder(final long startNs, final int warmupSeconds, final int seconds)
    {
        this.startNs = startNs;
        this.warmupEndNs = startNs + TimeUnit.SECONDS.toNanos(warmupSeconds);
        this.endNs = warmupEndNs + TimeUnit.SECONDS.toNanos(seconds);
        this.committedPerSecond = new long[warmupSeconds + seconds];
    }

    /**
     * @return nanoTime at which the warm-up ends.
     */
    public long warmupEndNs()
    {
        return warmupEndNs;
    }

    /**
     * @return nanoTime at which the measured window ends (no call is launched after it).
     */
    public long endNs()
    {
        return endNs;
    }

    /** A call was sent. */
    public void launched()
    {
        launched++;
    }

    /**
     * A call committed.
     *
     * @param launchNs nanoTime at launch.
     * @param nowNs    nanoTime at completion.
     */
    public void committed(final long launchNs, final long nowNs)
    {
        committed++;
        final long second = (nowNs - startNs) / 1_000_000_000L;
        if (second >= 0 && second < committedPerSecond.length)
        {
            committedPerSecond[(int)second]++;
        }
        if (launchNs >= warmupEndNs && nowNs <= endNs)
        {
            latencyMicros.recordValue(Math.max(1, Math.min(HIGHEST_TRACKABLE_MICROS, (nowNs - launchNs) / 1_000)));
        }
    }

    /**
     * A call was refused by the server or the database, with this message.
     *
     * @param message why.
     */
    public void failed(final String message)
    {
        failures.merge(String.valueOf(message), 1L, Long::sum);
    }

    /** A call's outcome is unknown: the connection dropped, or the client gave up waiting. */
    public void lost()
    {
        lost++;
    }

    /**
     * Adds another thread's record of the same run.
     *
     * @param other the other record.
     */
    public void add(final RunRecorder other)
    {
        for (int i = 0; i < committedPerSecond.length; i++)
        {
            committedPerSecond[i] += other.committedPerSecond[i];
        }
        latencyMicros.add(other.latencyMicros);
        other.failures.forEach((message, count) -> failures.merge(message, count, Long::sum));
        launched += other.launched;
        committed += other.committed;
        lost += other.lost;
    }

    /**
     * @return committed transfers per second since the start, warm-up included.
     */
    public long[] committedPerSecond()
    {
        return committedPerSecond.clone();
    }

    /**
     * @return latency histogram of measured calls, µs.
     */
    public Histogram latencyMicros()
    {
        return latencyMicros;
    }

    /**
     * @return failure message to count.
     */
    public Map<String, Long> failures()
    {
        return failures;
    }

    /**
     * @return calls sent.
     */
    public long launchedCount()
    {
        return launched;
    }

    /**
     * @return calls committed.
     */
    public long committedCount()
    {
        return committed;
    }

    /**
     * @return calls whose outcome is unknown.
     */
    public long lostCount()
    {
        return lost;
    }

    /**
     * @return calls refused.
     */
    public long failedCount()
    {
        long sum = 0;
        for (final long count : failures.values())
        {
            sum += count;
        }
        return sum;
    }
}
