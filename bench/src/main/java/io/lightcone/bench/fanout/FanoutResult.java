package io.lightcone.bench.fanout;

import io.lightcone.bench.keynote.PerSecond;
import io.lightcone.bench.keynote.RunResult;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured fan-out run: row deliveries per second over all subscribers (mean ± sample sd of the per-second
 * counts of the measured window), commit-to-client latency percentiles, every row accounted for, server memory per
 * connection and CPU.
 *
 * @param system            {@code lightcone} or {@code redis}.
 * @param variant           e.g. {@code unconfirmed} or {@code pubsub}.
 * @param recorder          what the run saw.
 * @param unanswered        commits still without an outcome when the drain ended.
 * @param serverCpuNs       CPU of the server process during the measured window (-1: not separable).
 * @param clientCpuNs       CPU of this JVM (writer and subscribers) during the measured window.
 * @param windowNs          wall time of the measured window.
 * @param serverRssBefore   server resident set before the subscribers connected, bytes (-1: unknown).
 * @param serverRssAfter    server resident set once every subscriber was subscribed, bytes (-1: unknown).
 * @param loadAverage       1-minute load average at the end of the window.
 */
public record FanoutResult(
    String system,
    String variant,
    FanoutRecorder recorder,
    long unanswered,
    long serverCpuNs,
    long clientCpuNs,
    long windowNs,
    long serverRssBefore,
    long serverRssAfter,
    double loadAverage)
{
    /**
     * @return the per-second row counts of the measured window.
     */
    public long[] measuredSeconds()
    {
        final FanoutWorkload w = recorder.workload();
        final long[] all = recorder.rowsPerSecond();
        return Arrays.copyOfRange(all, w.warmupSeconds(), w.warmupSeconds() + w.seconds());
    }

    /**
     * @return mean row deliveries per second over the measured window.
     */
    public double deliveriesMean()
    {
        return PerSecond.mean(measuredSeconds());
    }

    /**
     * @return sample standard deviation of the per-second deliveries.
     */
    public double deliveriesSd()
    {
        return PerSecond.sampleSd(measuredSeconds());
    }

    /**
     * @return row deliveries per second the writer offered: rate × rows per commit × subscribers per zone.
     */
    public double offeredPerSecond()
    {
        final FanoutWorkload w = recorder.workload();
        return (double)w.commitsPerSecond() * w.rowsPerCommit() * w.subscribers() / w.zones();
    }

    /**
     * @param percentile e.g. 99.
     * @return latency at that percentile, µs.
     */
    public long latencyMicros(final double percentile)
    {
        return recorder.latencyMicros().getValueAtPercentile(percentile);
    }

    /**
     * @return whether every commit has an outcome, nothing unexpected arrived and every subscriber received exactly
     *     the rows of its zone's successful commits.
     */
    public boolean accountedFor()
    {
        return unanswered == 0 && recorder.unexpectedCount() == 0 && recorder.subscribersOff() == 0 &&
            recorder.sentCount() == recorder.committedCount() + recorder.failedCount();
    }

    /**
     * @return server resident memory per subscriber connection, bytes, or -1.
     */
    public long rssPerConnection()
    {
        return serverRssBefore < 0 || serverRssAfter < 0 ? -1 :
            (serverRssAfter - serverRssBefore) / recorder.workload().subscribers();
    }

    /**
     * @param cpuNs CPU nanoseconds.
     * @return percent of one core over the window, or -1.
     */
    public double cpuPercent(final long cpuNs)
    {
        return cpuNs < 0 || windowNs <= 0 ? -1 : 100.0 * cpuNs / windowNs;
    }

    /**
     * @return one line for the console.
     */
    public String summary()
    {
        return String.format("%-9s %-11s N=%-5d rows/s %,11.0f ± %,9.0f (offered %,11.0f)  p50 %,8d µs  " +
            "p99 %,8d µs  max %,9d µs  RSS/conn %,7d B  cpu server %4.0f%% client %4.0f%%  load %.1f  %s",
            system, variant, recorder.workload().subscribers(), deliveriesMean(), deliveriesSd(), offeredPerSecond(),
            latencyMicros(50), latencyMicros(99), recorder.latencyMicros().getMaxValue(), rssPerConnection(),
            cpuPercent(serverCpuNs), cpuPercent(clientCpuNs), loadAverage,
            accountedFor() ? "rows ok" : "ROWS NOT ACCOUNTED FOR: " + outcomes());
    }

    /**
     * @return the outcome counts.
     */
    public Map<String, Object> outcomes()
    {
        final Map<String, Object> o = new LinkedHashMap<>();
        o.put("commits_sent", recorder.sentCount());
        o.put("commits_committed", recorder.committedCount());
        o.put("commits_failed", recorder.failures());
        o.put("commits_held_back", recorder.heldBackCount());
        o.put("commits_unanswered", unanswered);
        o.put("rows_expected", recorder.expected());
        o.put("rows_delivered", recorder.delivered());
        o.put("deletes_delivered", recorder.deletesCount());
        o.put("subscribers_off", recorder.subscribersOff());
        o.put("unexpected", recorder.unexpectedCount());
        o.put("first_unexpected", recorder.firstUnexpected());
        return o;
    }

    /**
     * @return the run as JSON-ready maps and lists.
     */
    public Map<String, Object> toJson()
    {
        final FanoutWorkload w = recorder.workload();
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("system", system);
        json.put("variant", variant);
        json.put("subscribers", w.subscribers());
        json.put("zones", w.zones());
        json.put("entities", w.entities());
        json.put("rows_per_commit", w.rowsPerCommit());
        json.put("commits_per_second", w.commitsPerSecond());
        json.put("row_bytes", FanoutWorkload.ROW_BYTES);
        json.put("client_threads", w.clientThreads());
        json.put("warmup_seconds", w.warmupSeconds());
        json.put("seconds", w.seconds());
        json.put("offered_rows_per_second", Math.round(offeredPerSecond()));
        json.put("rows_per_second_mean", Math.round(deliveriesMean()));
        json.put("rows_per_second_sd", Math.round(deliveriesSd()));
        json.put("latency_us", RunResult.latencyJson(recorder.latencyMicros()));
        json.put("outcomes", outcomes());
        json.put("accounted_for", accountedFor());
        json.put("server_rss_before_bytes", serverRssBefore);
        json.put("server_rss_after_bytes", serverRssAfter);
        json.put("server_rss_per_connection_bytes", rssPerConnection());
        json.put("server_cpu_percent", Math.round(cpuPercent(serverCpuNs)));
        json.put("client_cpu_percent", Math.round(cpuPercent(clientCpuNs)));
        json.put("load_average", loadAverage);
        json.put("rows_per_second", recorder.rowsPerSecond());
        json.put("messages_per_second", recorder.messagesPerSecond());
        return json;
    }
}
