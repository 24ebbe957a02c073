package io.lightcone.wire.metrics;

/**
 * What one counter is within its metric family.
 */
public enum MetricRole
{
    /** A counter's or gauge's value, printed as is. */
    VALUE,
    /** A value in microseconds, printed in seconds. */
    MICROS,
    /** One histogram bucket's own count (not cumulative); the exposition makes buckets cumulative. */
    BUCKET,
    /** A histogram's sum in microseconds, printed in seconds. */
    SUM_MICROS,
    /** A histogram's count. */
    COUNT;

    private static final MetricRole[] VALUES = values();

    /**
     * @param ordinal an ordinal read from a counter key.
     * @return the role, or null when the ordinal is out of range.
     */
    public static MetricRole get(final int ordinal)
    {
        return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : null;
    }
}
