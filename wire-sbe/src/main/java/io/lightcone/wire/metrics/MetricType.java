package io.lightcone.wire.metrics;

/**
 * The Prometheus metric types Lightcone exposes.
 */
public enum MetricType
{
    /** Only ever goes up; a rate is taken over it. */
    COUNTER("counter"),
    /** Goes up and down. */
    GAUGE("gauge"),
    /** Buckets, a sum and a count. */
    HISTOGRAM("histogram");

    private final String text;

    MetricType(final String text)
    {
        this.text = text;
    }

    /**
     * @return the name in a {@code # TYPE} line.
     */
    public String text()
    {
        return text;
    }
}
