package io.lightcone.edge.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand.
 */
final class MutableClock extends Clock
{
    private volatile long millis;

    MutableClock(final long millis)
    {
        this.millis = millis;
    }

    void advanceSeconds(final long seconds)
    {
        millis += seconds * 1000L;
    }

    long seconds()
    {
        return millis / 1000L;
    }

    public long millis()
    {
        return millis;
    }

    public Instant instant()
    {
        return Instant.ofEpochMilli(millis);
    }

    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    public Clock withZone(final ZoneId zone)
    {
        return this;
    }
}
