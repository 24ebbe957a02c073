package io.lightcone.wire.metrics;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Allocates metrics as counters in a {@link CountersManager}. Allocation is for setup and for rare events (a module
 * published, a table created); the counters it returns are then updated on hot paths without allocating.
 * Not thread safe, like the manager: allocate from one thread.
 */
public final class Metrics
{
    /**
     * The counter type id of every Lightcone metric.
     */
    public static final int METRIC_TYPE_ID = 7001;

    /**
     * Offset of the family id in a metric counter's key.
     */
    public static final int FAMILY_KEY_OFFSET = 0;

    /**
     * Offset of the role ordinal in a metric counter's key.
     */
    public static final int ROLE_KEY_OFFSET = 4;

    /**
     * Label values are cut to this many characters, so that a sample name always fits a counter label.
     */
    public static final int MAX_LABEL_VALUE_LENGTH = 64;

    /**
     * Latency bucket upper bounds in microseconds, from 1 µs to 5 s.
     */
    public static final long[] LATENCY_BOUNDS_MICROS =
    {
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
        1_000_000, 2_000_000, 5_000_000
    };

    /**
     * Batch size bucket upper bounds, from 1 to 65,536.
     */
    public static final long[] BATCH_BOUNDS =
    {
        1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_024, 2_048, 4_096, 8_192, 16_384, 32_768, 65_536
    };

    private final CountersManager countersManager;

    /**
     * @param countersManager where the counters live.
     */
    public Metrics(final CountersManager countersManager)
    {
        this.countersManager = Objects.requireNonNull(countersManager, "countersManager");
    }

    /**
     * @return the counters, for reading.
     */
    public CountersReader reader()
    {
        return countersManager;
    }

    /**
     * A counter or gauge whose value is printed as is.
     *
     * @param family the family.
     * @param labels the labels, from {@link #labels(String...)}; empty for none.
     * @return the counter.
     */
    public AtomicCounter counter(final MetricFamily family, final String labels)
    {
        return allocate(family, MetricRole.VALUE, "", labels);
    }

    /**
     * A counter or gauge kept in microseconds and printed in seconds.
     *
     * @param family the family (its name ends in {@code _seconds} or {@code _seconds_total}).
     * @param labels the labels; empty for none.
     * @return the counter.
     */
    public AtomicCounter micros(final MetricFamily family, final String labels)
    {
        return allocate(family, MetricRole.MICROS, "", labels);
    }

    /**
     * A histogram of microsecond values ({@link #LATENCY_BOUNDS_MICROS}), printed in seconds.
     *
     * @param family a histogram family.
     * @param labels the labels; empty for none.
     * @return the histogram.
     */
    public Histogram latencyHistogram(final MetricFamily family, final String labels)
    {
        return histogram(family, labels, LATENCY_BOUNDS_MICROS, true);
    }

    /**
     * A histogram.
     *
     * @param family      a histogram family.
     * @param labels      the labels; empty for none.
     * @param upperBounds inclusive bucket upper bounds, ascending; a {@code +Inf} bucket follows them.
     * @param micros      whether values are microseconds, printed in seconds.
     * @return the histogram.
     */
    public Histogram histogram(
        final MetricFamily family, final String labels, final long[] upperBounds, final boolean micros)
    {
        if (MetricType.HISTOGRAM != family.type())
        {
            throw new IllegalArgumentException(family + " is not a histogram");
        }
        final AtomicCounter[] buckets = new AtomicCounter[upperBounds.length + 1];
        final String separator = labels.isEmpty() ? "" : labels + ",";
        for (int i = 0; i <= upperBounds.length; i++)
        {
            if (i > 0 && upperBounds[i - 1] >= (i < upperBounds.length ? upperBounds[i] : Long.MAX_VALUE))
            {
                throw new IllegalArgumentException("bucket bounds must ascend: " + upperBounds[i - 1]);
            }
            final String le = i == upperBounds.length ? "+Inf" : format(upperBounds[i], micros);
            buckets[i] = allocate(family, MetricRole.BUCKET, "_bucket", separator + "le=\"" + le + "\"");
        }
        final AtomicCounter sum = allocate(family, micros ? MetricRole.SUM_MICROS : MetricRole.VALUE, "_sum", labels);
        final AtomicCounter count = allocate(family, MetricRole.COUNT, "_count", labels);
        return new Histogram(upperBounds.clone(), buckets, sum, count);
    }

    /**
     * Builds a label list such as {@code database="chat",reducer="send"}, escaping values as Prometheus requires and
     * cutting each to {@link #MAX_LABEL_VALUE_LENGTH} characters.
     *
     * @param namesAndValues label names and values, alternating.
     * @return the label list without braces.
     */
    public static String labels(final String... namesAndValues)
    {
        if (0 != (namesAndValues.length & 1))
        {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        final StringBuilder builder = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            if (i > 0)
            {
                builder.append(',');
            }
            builder.append(namesAndValues[i]).append("=\"");
            final String value = namesAndValues[i + 1];
            final int length = Math.min(value.length(), MAX_LABEL_VALUE_LENGTH);
            for (int j = 0; j < length; j++)
            {
                final char c = value.charAt(j);
                if ('\\' == c || '"' == c)
                {
                    builder.append('\\').append(c);
                }
                else if ('\n' == c)
                {
                    builder.append("\\n");
                }
                else if (c < 0x20 || c > 0x7e)
                {
                    builder.append('?');
                }
                else
                {
                    builder.append(c);
                }
            }
            builder.append('"');
        }
        return builder.toString();
    }

    static String format(final long value, final boolean micros)
    {
        return micros ? BigDecimal.valueOf(value, 6).stripTrailingZeros().toPlainString() : Long.toString(value);
    }

    private AtomicCounter allocate(
        final MetricFamily family, final MetricRole role, final String suffix, final String labels)
    {
        final String name = family.metricName() + suffix + (labels.isEmpty() ? "" : "{" + labels + "}");
        if (name.length() > CountersReader.MAX_LABEL_LENGTH)
        {
            throw new IllegalArgumentException("sample name longer than a counter label: " + name);
        }
        return countersManager.newCounter(name, METRIC_TYPE_ID, (key) ->
        {
            key.putInt(FAMILY_KEY_OFFSET, family.id());
            key.putInt(ROLE_KEY_OFFSET, role.ordinal());
        });
    }
}
