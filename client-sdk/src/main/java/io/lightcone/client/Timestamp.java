package io.lightcone.client;

import java.time.Instant;

/**
 * SATS {@code Timestamp} ({@code {__timestamp_micros_since_unix_epoch__: i64}}): microseconds since the Unix epoch,
 * kept exactly as the module stores it. Generated bindings use it for every {@code Timestamp} column, field and
 * parameter; {@link #toInstant()} and {@link #fromInstant(Instant)} convert.
 *
 * @param microsSinceUnixEpoch microseconds since 1970-01-01T00:00:00Z, negative before it.
 */
public record Timestamp(long microsSinceUnixEpoch)
{
    /** The Unix epoch. */
    public static final Timestamp UNIX_EPOCH = new Timestamp(0);

    /**
     * The current time, to the microsecond.
     *
     * @return now.
     */
    public static Timestamp now()
    {
        return fromInstant(Instant.now());
    }

    /**
     * The timestamp of an instant, sub-microsecond digits dropped (rounded towards the past).
     *
     * @param instant the instant.
     * @return the timestamp.
     * @throws ArithmeticException when the instant is outside the i64 microsecond range.
     */
    public static Timestamp fromInstant(final Instant instant)
    {
        return new Timestamp(Micros.of(instant.getEpochSecond(), instant.getNano()));
    }

    /**
     * This timestamp as an instant (exact: every i64 microsecond count is an instant).
     *
     * @return the instant.
     */
    public Instant toInstant()
    {
        return Instant.ofEpochSecond(Math.floorDiv(microsSinceUnixEpoch, Micros.PER_SECOND),
            Math.floorMod(microsSinceUnixEpoch, Micros.PER_SECOND) * 1_000L);
    }

    @Override
    public String toString()
    {
        return toInstant().toString();
    }
}
