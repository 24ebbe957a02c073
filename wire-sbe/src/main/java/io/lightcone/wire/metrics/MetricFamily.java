package io.lightcone.wire.metrics;

/**
 * Every metric family Lightcone exposes, core and edge alike: its Prometheus name, type and help text. The id of a
 * family is its position in this catalog, so families are only ever appended.
 */
public enum MetricFamily
{
    // Core: the transaction loop.
    /** Transactions committed. */
    CORE_TXS_COMMITTED("lightcone_core_transactions_committed_total", MetricType.COUNTER,
        "Transactions committed (calls, lifecycle, scheduled, procedure and init transactions)."),
    /** Calls rolled back. */
    CORE_TXS_FAILED("lightcone_core_calls_failed_total", MetricType.COUNTER,
        "Calls rolled back: user errors, traps, budget overruns and refusals."),
    /** Egress back pressure. */
    CORE_EGRESS_BACK_PRESSURE("lightcone_core_egress_back_pressure_total", MetricType.COUNTER,
        "Egress sends refused by back pressure (the message stays queued)."),
    /** Commit log back pressure. */
    CORE_LOG_BACK_PRESSURE("lightcone_core_commit_log_back_pressure_total", MetricType.COUNTER,
        "Commit log appends refused by back pressure (the record stays queued)."),
    /** Ingress paused. */
    CORE_INGRESS_PAUSED("lightcone_core_ingress_paused_cycles_total", MetricType.COUNTER,
        "Duty cycles that skipped ingress because egress or the commit log was behind."),
    /** Scheduled runs. */
    CORE_SCHEDULED_RUNS("lightcone_core_scheduled_runs_total", MetricType.COUNTER,
        "Scheduled reducer runs (schedule tables and volatile_nonatomic_schedule_immediate)."),
    /** Scheduled failures. */
    CORE_SCHEDULED_FAILURES("lightcone_core_scheduled_failures_total", MetricType.COUNTER,
        "Scheduled reducer runs that failed and were rolled back."),
    /** Largest tick jitter. */
    CORE_TICK_JITTER_MAX("lightcone_core_tick_jitter_max_seconds", MetricType.GAUGE,
        "Largest scheduler tick jitter seen (actual minus intended run time)."),
    /** Total tick jitter. */
    CORE_TICK_JITTER_TOTAL("lightcone_core_tick_jitter_seconds_total", MetricType.COUNTER,
        "Sum of scheduler tick jitter; divide by scheduled runs for the mean."),
    /** Snapshots. */
    CORE_SNAPSHOTS("lightcone_core_snapshots_total", MetricType.COUNTER, "Snapshots written."),
    /** Errors. */
    CORE_ERRORS("lightcone_core_errors_total", MetricType.COUNTER, "Exceptions passed to the core's error handler."),
    /** Ingress rejected. */
    CORE_INGRESS_REJECTED("lightcone_core_ingress_rejected_total", MetricType.COUNTER,
        "Ingress messages not acted on: an unknown database or an unsupported request."),
    /** Log segments retired. */
    CORE_LOG_SEGMENTS_RETIRED("lightcone_core_log_segments_retired_total", MetricType.COUNTER,
        "Commit log segments deleted or archived by retention after snapshots."),
    /** Recovery time. */
    CORE_RECOVERY_TIME("lightcone_core_recovery_seconds", MetricType.GAUGE,
        "Time the last startup recovery took (snapshots plus log replay)."),

    // Core: per reducer.
    /** Reducer calls. */
    REDUCER_CALLS("lightcone_reducer_calls_total", MetricType.COUNTER,
        "Reducer calls, committed or not, per database and reducer."),
    /** Reducer failures. */
    REDUCER_FAILURES("lightcone_reducer_failures_total", MetricType.COUNTER,
        "Reducer calls that failed and were rolled back, per database and reducer."),
    /** Reducer duration. */
    REDUCER_DURATION("lightcone_reducer_duration_seconds", MetricType.HISTOGRAM,
        "Time spent running a reducer, per database and reducer."),

    // Core: the commit log.
    /** Fsync batch size. */
    COMMITLOG_BATCH_RECORDS("lightcone_commitlog_batch_records", MetricType.HISTOGRAM,
        "Records per group commit; its count is the number of group commits, its sum the records written."),
    /** Fsync duration. */
    COMMITLOG_FSYNC_DURATION("lightcone_commitlog_fsync_duration_seconds", MetricType.HISTOGRAM,
        "Time to force one group commit to disk (fdatasync)."),
    /** Commit log queue depth. */
    COMMITLOG_QUEUE_BYTES("lightcone_commitlog_queue_bytes", MetricType.GAUGE,
        "Bytes of records appended to the commit log's ring and waiting for the writer (its queue depth)."),

    // Core: per table.
    /** Rows per table. */
    TABLE_ROWS("lightcone_table_rows", MetricType.GAUGE, "Rows in a table, per database and table."),
    /** Memory per table. */
    TABLE_MEMORY_BYTES("lightcone_table_memory_bytes", MetricType.GAUGE,
        "Off-heap bytes held by a table's rows and indexes, per database and table."),

    /** Memory per index. */
    INDEX_MEMORY_BYTES("lightcone_index_memory_bytes", MetricType.GAUGE,
        "Off-heap bytes held by one index, per database, table and index (also counted in the table's figure)."),

    // Edge.
    /** Connected clients. */
    EDGE_CLIENTS("lightcone_edge_clients", MetricType.GAUGE, "WebSocket clients connected to this edge."),
    /** Live subscriptions. */
    EDGE_SUBSCRIPTIONS("lightcone_edge_subscriptions", MetricType.GAUGE,
        "Distinct subscribed queries evaluated by this edge."),
    /** Messages from clients. */
    EDGE_MESSAGES_IN("lightcone_edge_client_messages_total", MetricType.COUNTER, "Messages received from clients."),
    /** Rows fanned out. */
    EDGE_FANOUT_ROWS("lightcone_edge_fanout_rows_total", MetricType.COUNTER,
        "Rows delivered to clients in subscription updates (inserts plus deletes, once per client)."),
    /** Bytes fanned out. */
    EDGE_FANOUT_BYTES("lightcone_edge_fanout_bytes_total", MetricType.COUNTER,
        "Bytes of server messages queued for clients, before compression."),
    /** Transactions applied to the replica. */
    EDGE_TXS_APPLIED("lightcone_edge_transactions_applied_total", MetricType.COUNTER,
        "Committed transactions applied to this edge's replica."),
    /** Pending command queue depth. */
    EDGE_COMMAND_QUEUE_DEPTH("lightcone_edge_command_queue_depth", MetricType.GAUGE,
        "Commands from client connections waiting for the edge agent."),
    /** Pings sent. */
    EDGE_PINGS_SENT("lightcone_edge_pings_sent_total", MetricType.COUNTER,
        "WebSocket pings sent (one per interval while the previous one was answered)."),
    /** Idle closes. */
    EDGE_IDLE_CLOSES("lightcone_edge_idle_closes_total", MetricType.COUNTER,
        "Connections closed because no frame arrived within the idle timeout."),
    /** Oversize closes. */
    EDGE_OVERSIZE_CLOSES("lightcone_edge_oversize_closes_total", MetricType.COUNTER,
        "Connections closed with 1009 because an inbound message exceeded the size limit."),
    /** Inbound overflow closes. */
    EDGE_INBOUND_OVERFLOW_CLOSES("lightcone_edge_inbound_overflow_closes_total", MetricType.COUNTER,
        "Connections closed with 1013 because more inbound messages waited than the per-client limit."),
    /** Slow client closes. */
    EDGE_SLOW_CLIENT_CLOSES("lightcone_edge_slow_client_closes_total", MetricType.COUNTER,
        "Connections closed with 1008 because their outbound queue exceeded its byte limit."),
    /** Auth busy. */
    EDGE_AUTH_REJECTED_BUSY("lightcone_edge_auth_busy_rejections_total", MetricType.COUNTER,
        "Requests answered 503 because the token validation workers' queue was full.");

    private static final MetricFamily[] VALUES = values();

    private final String metricName;
    private final MetricType type;
    private final String help;

    MetricFamily(final String metricName, final MetricType type, final String help)
    {
        this.metricName = metricName;
        this.type = type;
        this.help = help;
    }

    /**
     * @param id a family id read from a counter key.
     * @return the family, or null when the id is unknown (a newer process's family).
     */
    public static MetricFamily get(final int id)
    {
        return id >= 0 && id < VALUES.length ? VALUES[id] : null;
    }

    /**
     * @return the family id written into counter keys.
     */
    public int id()
    {
        return ordinal();
    }

    /**
     * @return the Prometheus metric name.
     */
    public String metricName()
    {
        return metricName;
    }

    /**
     * @return the Prometheus type.
     */
    public MetricType type()
    {
        return type;
    }

    /**
     * @return the help text.
     */
    public String help()
    {
        return help;
    }
}
