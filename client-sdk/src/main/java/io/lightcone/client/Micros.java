package io.lightcone.client;

/**
 * Seconds-and-nanoseconds to i64 microseconds, for {@link Timestamp} and {@link TimeDuration}.
 */
final class Micros
{
    static final long PER_SECOND = 1_000_000L;

    private Micros()
    {
    }

    /**
     * Microseconds of {@code seconds + nanos / 1e9}, rounded towards negative infinity; exact for every value whose
     * microsecond count fits an i64 (including {@link Long#MIN_VALUE}, whose seconds times a million does not).
     *
     * @param seconds whole seconds (may be negative).
     * @param nanos   nanoseconds in [0, 1e9).
     * @return the microseconds.
     * @throws ArithmeticException when the result does not fit an i64.
     */
    static long of(final long seconds, final int nanos)
    {
        final long micros = nanos / 1_000;
        if (seconds < 0 && micros > 0)
        {
            return Math.addExact(Math.multiplyExact(seconds + 1, PER_SECOND), micros - PER_SECOND);
        }
        return Math.addExact(Math.multiplyExact(seconds, PER_SECOND), micros);
    }
}
