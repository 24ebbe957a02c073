package io.lightcone.txn.loop;

import io.lightcone.wire.metrics.MetricFamily;
import io.lightcone.wire.metrics.Metrics;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The loop's counters, each a metric of the {@link MetricFamily} catalog (so {@code /metrics} shows them). Each is
 * allocated once in {@link TxnLoopContext#conclude()} from the context's {@link Metrics} and written only by the loop
 * thread, so {@code incrementRelease}/{@code setRelease} suffice.
 */
public enum TxnLoopCounter
{
    /** Transactions committed (any cause: call, lifecycle, schedule, procedure, init). */
    TXS_COMMITTED(MetricFamily.CORE_TXS_COMMITTED, false),
    /** Calls rolled back: user errors, traps, budget overruns, refusals. */
    TXS_FAILED(MetricFamily.CORE_TXS_FAILED, false),
    /** Egress sends refused (back pressure, not connected); the message stays queued. */
    EGRESS_BACK_PRESSURE(MetricFamily.CORE_EGRESS_BACK_PRESSURE, false),
    /** Commit-log appends refused (back pressure); the record stays queued. */
    LOG_BACK_PRESSURE(MetricFamily.CORE_LOG_BACK_PRESSURE, false),
    /** Duty cycles that skipped ingress because egress or the log was behind. */
    INGRESS_PAUSED(MetricFamily.CORE_INGRESS_PAUSED, false),
    /** Scheduled reducer runs (schedule tables and volatile_nonatomic_schedule_immediate). */
    SCHEDULED_RUNS(MetricFamily.CORE_SCHEDULED_RUNS, false),
    /** Scheduled reducer runs that failed and were rolled back. */
    SCHEDULED_FAILURES(MetricFamily.CORE_SCHEDULED_FAILURES, false),
    /** Largest tick jitter seen (actual minus intended run time), microseconds. */
    TICK_JITTER_MAX_US(MetricFamily.CORE_TICK_JITTER_MAX, true),
    /** Sum of tick jitter, microseconds (divide by schedule-table runs for the mean). */
    TICK_JITTER_TOTAL_US(MetricFamily.CORE_TICK_JITTER_TOTAL, true),
    /** Snapshots written. */
    SNAPSHOTS(MetricFamily.CORE_SNAPSHOTS, false),
    /** Exceptions passed to the error handler. */
    ERRORS(MetricFamily.CORE_ERRORS, false),
    /** Ingress messages not acted on: an unknown database, an unsupported request. */
    INGRESS_REJECTED(MetricFamily.CORE_INGRESS_REJECTED, false),
    /** How long the last startup recovery took, microseconds. */
    RECOVERY_TIME_US(MetricFamily.CORE_RECOVERY_TIME, true),
    /** Commit-log segments removed (deleted or archived) by retention. */
    LOG_SEGMENTS_RETIRED(MetricFamily.CORE_LOG_SEGMENTS_RETIRED, false);

    private final MetricFamily family;
    private final boolean micros;

    TxnLoopCounter(final MetricFamily family, final boolean micros)
    {
        this.family = family;
        this.micros = micros;
    }

    /**
     * @return the metric family.
     */
    public MetricFamily family()
    {
        return family;
    }

    /**
     * Allocates this counter.
     *
     * @param metrics where.
     * @return the counter.
     */
    public AtomicCounter allocate(final Metrics metrics)
    {
        return micros ? metrics.micros(family, "") : metrics.counter(family, "");
    }
}
