package io.lightcone.bench.fanout;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a fan-out run saw, recorded from the subscribers' event-loop threads and the writer's thread: rows delivered
 * per subscriber and per second (by receive time, warm-up included), commit-to-client latency of the rows the writer
 * sent inside the measured window (µs, writer's clock at send to the subscriber's clock at decode, same JVM, HDR with 3
 * digits), the rows each zone should have received (from the commits that succeeded), and everything unexpected: a
 * row of another zone, a row of a commit that was never sent, an initial snapshot of the wrong size. Recording a
 * row allocates nothing.
 */
public final class FanoutRecorder
{
    /** Largest latency the histogram tracks: one hour in µs. */
    static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);

    private final FanoutWorkload workload;
    private volatile long startNs = Long.MAX_VALUE;
    private volatile long warmupEndNs = Long.MAX_VALUE;
    private volatile long endNs = Long.MAX_VALUE;
    private final AtomicLongArray rowsPerSecond;
    private final AtomicLongArray messagesPerSecond;
    private final AtomicLongArray receivedBySubscriber;
    private final AtomicLongArray expectedByZone;
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(HIGHEST_TRACKABLE_MICROS, 3);
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong highestSentSeq = new AtomicLong();
    private final AtomicLong commitsSent = new AtomicLong();
    private final AtomicLong commitsCommitted = new AtomicLong();
    private final AtomicLong commitsHeldBack = new AtomicLong();
    private final Map<String, Long> failures = new TreeMap<>();
    private volatile String firstUnexpected;

    /**
     * @param workload what runs.
     */
    public FanoutRecorder(final FanoutWorkload workload)
    {
        this.workload = workload;
        final int slots = workload.warmupSeconds() + workload.seconds() + workload.drainSeconds() + 1;
        this.rowsPerSecond = new AtomicLongArray(slots);
        this.messagesPerSecond = new AtomicLongArray(slots);
        this.receivedBySubscriber = new AtomicLongArray(workload.subscribers());
        this.expectedByZone = new AtomicLongArray(workload.zones());
    }

    /**
     * The writer starts: the warm-up begins now (the subscribers connected before).
     *
     * @param nowNs {@link System#nanoTime()}.
     */
    public void start(final long nowNs)
    {
        endNs = nowNs + TimeUnit.SECONDS.toNanos(workload.warmupSeconds() + workload.seconds());
        warmupEndNs = nowNs + TimeUnit.SECONDS.toNanos(workload.warmupSeconds());
        startNs = nowNs;
    }

    /**
     * @return nanoTime at which the warm-up ends.
     */
    public long warmupEndNs()
    {
        return warmupEndNs;
    }

    /**
     * @return nanoTime at which the writer stops.
     */
    public long endNs()
    {
        return endNs;
    }

    /**
     * @return the workload.
     */
    public FanoutWorkload workload()
    {
        return workload;
    }

    /**
     * The writer sent commit {@code seq} (before the first row of it can arrive).
     *
     * @param seq commit number.
     */
    public void sent(final long seq)
    {
        commitsSent.incrementAndGet();
        highestSentSeq.accumulateAndGet(seq, Math::max);
    }

    /** The writer skipped a commit because too many were still in flight. */
    public void heldBack()
    {
        commitsHeldBack.incrementAndGet();
    }

    /**
     * Commit {@code seq} succeeded: its rows are now expected by every subscriber of their zones.
     *
     * @param seq commit number.
     */
    public void committed(final long seq)
    {
        commitsCommitted.incrementAndGet();
        for (int zone = 0; zone < workload.zones(); zone++)
        {
            final int rows = workload.rowsInZone(seq, zone);
            if (rows > 0)
            {
                expectedByZone.addAndGet(zone, rows);
            }
        }
    }

    /**
     * A commit failed: its rows are not expected.
     *
     * @param message why.
     */
    public synchronized void failed(final String message)
    {
        failures.merge(String.valueOf(message), 1L, Long::sum);
    }

    /**
     * A subscriber received a message (a frame's message holding rows, or a Redis message).
     *
     * @param nowNs nanoTime of receipt.
     */
    public void message(final long nowNs)
    {
        final int second = second(nowNs);
        if (second >= 0)
        {
            messagesPerSecond.incrementAndGet(second);
        }
    }

    /**
     * A subscriber received a row (an insert; for Lightcone the update's delete of the old row is counted apart).
     *
     * @param subscriber subscriber index.
     * @param zone       the row's zone.
     * @param seq        the row's commit number.
     * @param sentNs     the writer's nanoTime when it sent that commit.
     * @param nowNs      nanoTime of receipt.
     */
    public void row(final int subscriber, final int zone, final long seq, final long sentNs, final long nowNs)
    {
        if (zone != workload.zoneOf(subscriber) || seq < 1 || seq > highestSentSeq.get())
        {
            unexpected(subscriber, "row of zone " + zone + ", commit " + seq);
            return;
        }
        receivedBySubscriber.incrementAndGet(subscriber);
        final int second = second(nowNs);
        if (second >= 0)
        {
            rowsPerSecond.incrementAndGet(second);
        }
        if (sentNs >= warmupEndNs && sentNs <= endNs)
        {
            latencyMicros.recordValue(Math.max(1, Math.min(HIGHEST_TRACKABLE_MICROS, (nowNs - sentNs) / 1_000)));
        }
    }

    /**
     * A subscriber received the deletes of updated rows' old versions.
     *
     * @param rows how many.
     */
    public void deleted(final long rows)
    {
        deletes.addAndGet(rows);
    }

    /**
     * A subscriber's initial snapshot arrived: it must hold every seeded row of its zone.
     *
     * @param subscriber subscriber index.
     * @param rows       rows in it.
     */
    public void snapshot(final int subscriber, final long rows)
    {
        final int zone = workload.zoneOf(subscriber);
        final long expected = workload.entities() / workload.zones() +
            (zone < workload.entities() % workload.zones() ? 1 : 0);
        if (rows != expected)
        {
            unexpected(subscriber, "initial snapshot of " + rows + " rows, expected " + expected);
        }
    }

    /**
     * Something a subscriber received was not expected.
     *
     * @param subscriber subscriber index.
     * @param what       what it was.
     */
    public void unexpected(final int subscriber, final String what)
    {
        if (unexpected.getAndIncrement() == 0)
        {
            firstUnexpected = "subscriber " + subscriber + ": " + what;
        }
    }

    /**
     * @return rows delivered so far, all subscribers.
     */
    public long delivered()
    {
        long sum = 0;
        for (int i = 0; i < receivedBySubscriber.length(); i++)
        {
            sum += receivedBySubscriber.get(i);
        }
        return sum;
    }

    /**
     * @return rows expected so far, all subscribers (from the commits that succeeded).
     */
    public long expected()
    {
        long sum = 0;
        for (int i = 0; i < workload.subscribers(); i++)
        {
            sum += expectedByZone.get(workload.zoneOf(i));
        }
        return sum;
    }

    /**
     * @return subscribers whose received row count differs from their zone's expected count.
     */
    public int subscribersOff()
    {
        int off = 0;
        for (int i = 0; i < workload.subscribers(); i++)
        {
            if (receivedBySubscriber.get(i) != expectedByZone.get(workload.zoneOf(i)))
            {
                off++;
            }
        }
        return off;
    }

    /**
     * @return rows per second by receive time since the start (warm-up and drain included).
     */
    public long[] rowsPerSecond()
    {
        return snapshot(rowsPerSecond);
    }

    /**
     * @return messages per second by receive time since the start.
     */
    public long[] messagesPerSecond()
    {
        return snapshot(messagesPerSecond);
    }

    /**
     * @return latency of the rows sent in the measured window, µs.
     */
    public Histogram latencyMicros()
    {
        return latencyMicros;
    }

    /**
     * @return unexpected things received.
     */
    public long unexpectedCount()
    {
        return unexpected.get();
    }

    /**
     * @return the first unexpected thing, or null.
     */
    public String firstUnexpected()
    {
        return firstUnexpected;
    }

    /**
     * @return deletes received (Lightcone: one per updated row).
     */
    public long deletesCount()
    {
        return deletes.get();
    }

    /**
     * @return commits sent.
     */
    public long sentCount()
    {
        return commitsSent.get();
    }

    /**
     * @return commits that succeeded.
     */
    public long committedCount()
    {
        return commitsCommitted.get();
    }

    /**
     * @return commits skipped because too many were in flight.
     */
    public long heldBackCount()
    {
        return commitsHeldBack.get();
    }

    /**
     * @return failure message to count.
     */
    public synchronized Map<String, Long> failures()
    {
        return new TreeMap<>(failures);
    }

    /**
     * @return commits that failed.
     */
    public synchronized long failedCount()
    {
        long sum = 0;
        for (final long count : failures.values())
        {
            sum += count;
        }
        return sum;
    }

    private int second(final long nowNs)
    {
        final long second = (nowNs - startNs) / 1_000_000_000L;
        return second >= 0 && second < rowsPerSecond.length() ? (int)second : -1;
    }

    private static long[] snapshot(final AtomicLongArray array)
    {
        final long[] copy = new long[array.length()];
        for (int i = 0; i < copy.length; i++)
        {
            copy[i] = array.get(i);
        }
        return copy;
    }
}
