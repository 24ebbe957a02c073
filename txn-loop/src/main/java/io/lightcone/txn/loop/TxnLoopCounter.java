package io.lightcone.txn.loop;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The loop's counters. Each is allocated once in {@link TxnLoopContext#conclude()} from the context's
 * {@link CountersManager} (read by a {@code stat} tool when the manager sits on a mapped file) and written only by
 * the loop thread, so {@code incrementRelease}/{@code setRelease} suffice.
 */
public enum TxnLoopCounter
{
    /** Transactions committed (any cause: call, lifecycle, schedule, procedure, init). */
    TXS_COMMITTED(1, "txn-loop: transactions committed"),
    /** Calls rolled back: user errors, traps, budget overruns, refusals. */
    TXS_FAILED(2, "txn-loop: calls failed"),
    /** Egress sends refused (back pressure, not connected); the message stays queued. */
    EGRESS_BACK_PRESSURE(3, "txn-loop: egress back pressure"),
    /** Commit-log appends refused (back pressure); the record stays queued. */
    LOG_BACK_PRESSURE(4, "txn-loop: commit log back pressure"),
    /** Duty cycles that skipped ingress because egress or the log was behind. */
    INGRESS_PAUSED(5, "txn-loop: ingress paused cycles"),
    /** Scheduled reducer runs (schedule tables and volatile_nonatomic_schedule_immediate). */
    SCHEDULED_RUNS(6, "txn-loop: scheduled runs"),
    /** Scheduled reducer runs that failed and were rolled back. */
    SCHEDULED_FAILURES(7, "txn-loop: scheduled failures"),
    /** Largest tick jitter seen (actual minus intended run time), microseconds. */
    TICK_JITTER_MAX_US(8, "txn-loop: max tick jitter us"),
    /** Sum of tick jitter, microseconds (divide by schedule-table runs for the mean). */
    TICK_JITTER_TOTAL_US(9, "txn-loop: total tick jitter us"),
    /** Snapshots written. */
    SNAPSHOTS(10, "txn-loop: snapshots written"),
    /** Exceptions passed to the error handler. */
    ERRORS(11, "txn-loop: errors"),
    /** Ingress messages not acted on: an unknown database, an unsupported request. */
    INGRESS_REJECTED(12, "txn-loop: ingress rejected"),
    /** Commit-log segments removed (deleted or archived) by retention. */
    LOG_SEGMENTS_RETIRED(13, "txn-loop: log segments retired");

    private final int typeId;
    private final String label;

    TxnLoopCounter(final int typeId, final String label)
    {
        this.typeId = typeId;
        this.label = label;
    }

    /**
     * @return the counter type id.
     */
    public int typeId()
    {
        return typeId;
    }

    /**
     * @return the counter label.
     */
    public String label()
    {
        return label;
    }

    /**
     * Allocates this counter.
     *
     * @param countersManager where.
     * @return the counter.
     */
    public AtomicCounter allocate(final CountersManager countersManager)
    {
        return countersManager.newCounter(label, typeId);
    }
}
