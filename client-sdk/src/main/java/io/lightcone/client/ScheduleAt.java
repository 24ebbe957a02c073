package io.lightcone.client;

import java.util.Objects;

/**
 * SATS {@code ScheduleAt} ({@code Interval(TimeDuration) | Time(Timestamp)}): when a scheduled reducer runs, as
 * generated bindings give it for a schedule table's {@code scheduled_at} column.
 */
public sealed interface ScheduleAt
{
    /**
     * Repeatedly, at this interval (BSATN tag 0).
     *
     * @param interval the interval.
     */
    record Interval(TimeDuration interval) implements ScheduleAt
    {
        /**
         * Checks the interval is given.
         *
         * @param interval the interval.
         */
        public Interval
        {
            Objects.requireNonNull(interval, "interval");
        }
    }

    /**
     * Once, at this time (BSATN tag 1).
     *
     * @param time the time.
     */
    record Time(Timestamp time) implements ScheduleAt
    {
        /**
         * Checks the time is given.
         *
         * @param time the time.
         */
        public Time
        {
            Objects.requireNonNull(time, "time");
        }
    }
}
