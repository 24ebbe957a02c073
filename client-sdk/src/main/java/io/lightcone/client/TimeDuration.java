package io.lightcone.client;

import java.time.Duration;

/**
 * SATS {@code TimeDuration} ({@code {__time_duration_micros__: i64}}): a signed span of microseconds, kept exactly.
 * Generated bindings use it for every {@code TimeDuration}; {@link #toDuration()} and {@link #fromDuration(Duration)}
 * convert.
 *
 * @param micros the span in microseconds.
 */
public record TimeDuration(long micros)
{
    /** No time. */
    public static final TimeDuration ZERO = new TimeDuration(0);

    /**
     * The span of a duration, sub-microsecond digits dropped (rounded towards negative infinity).
     *
     * @param duration the duration.
     * @return the span.
     * @throws ArithmeticException when the duration is outside the i64 microsecond range.
     */
    public static TimeDuration fromDuration(final Duration duration)
    {
        return new TimeDuration(Micros.of(duration.getSeconds(), duration.getNano()));
    }

    /**
     * This span as a duration (exact).
     *
     * @return the duration.
     */
    public Duration toDuration()
    {
        return Duration.ofSeconds(Math.floorDiv(micros, Micros.PER_SECOND),
            Math.floorMod(micros, Micros.PER_SECOND) * 1_000L);
    }
}
