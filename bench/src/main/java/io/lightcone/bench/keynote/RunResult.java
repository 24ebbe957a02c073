package io.lightcone.bench.keynote;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured run: what ran, TPS (mean ± sample sd of the per-second counts after the warm-up), latency
 * percentiles, every outcome, the balance check and CPU.
 *
 * @param system          {@code lightcone}, {@code postgresql} or {@code sqlite}.
 * @param durability      the durability variant ({@code confirmed}, {@code unconfirmed}, {@code synchronous_commit=on},
 *                        ...).
 * @param alpha           Zipf exponent.
 * @param connections     connections (or JDBC threads).
 * @param inFlight        calls in flight per connection.
 * @param accounts        accounts seeded.
 * @param pairs           precomputed pairs.
 * @param warmupSeconds   seconds excluded.
 * @param seconds         seconds measured.
 * @param recorder        the merged record of the run.
 * @param unanswered      calls still without an outcome when the drain timed out.
 * @param balanceMismatches accounts whose final balance differs from the model of committed transfers (-1: not
 *                        checked).
 * @param balanceSum      sum of the final balances.
 * @param expectedSum     accounts × initial balance.
 * @param serverCpuNs     CPU of the server process tree during the measured window (-1: not separable).
 * @param clientCpuNs     CPU of this JVM during the measured window.
 * @param windowNs        wall time of the measured window.
 * @param loadAverage     1-minute load average at the end of the window.
 */
public record RunResult(
    String system,
    String durability,
    double alpha,
    int connections,
    int inFlight,
    int accounts,
    int pairs,
    int warmupSeconds,
    int seconds,
    RunRecorder recorder,
    long unanswered,
    long balanceMismatches,
    long balanceSum,
    long expectedSum,
    long serverCpuNs,
    long clientCpuNs,
    long windowNs,
    double loadAverage)
{
    /**
     * @return the per-second committed counts of the measured window.
     */
    public long[] measuredSeconds()
    {
        final long[] all = recorder.committedPerSecond();
        return Arrays.copyOfRange(all, Math.min(warmupSeconds, all.length), all.length);
    }

    /**
     * @return mean of the measured per-second counts.
     */
    public double tpsMean()
    {
        return PerSecond.mean(measuredSeconds());
    }

    /**
     * @return sample standard deviation of the measured per-second counts.
     */
    public double tpsSd()
    {
        return PerSecond.sampleSd(measuredSeconds());
    }

    /**
     * @param percentile e.g. 99.9.
     * @return latency at that percentile, µs.
     */
    public long latencyMicros(final double percentile)
    {
        return recorder.latencyMicros().getValueAtPercentile(percentile);
    }

    /**
     * @return whether every launched call has a known outcome, the balances are conserved and every account matches
     *     the model (when checked).
     */
    public boolean accountedFor()
    {
        return unanswered == 0 && recorder.lostCount() == 0 &&
            recorder.launchedCount() == recorder.committedCount() + recorder.failedCount() &&
            balanceSum == expectedSum && balanceMismatches <= 0;
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
        return String.format("%-10s %-24s alpha=%-3s conns=%-3d inflight=%-3d  TPS %,10.0f ± %,7.0f  " +
            "p50 %,8d µs  p99 %,8d µs  p99.9 %,8d µs  cpu server %5.0f%% client %5.0f%%  load %.1f  %s",
            system, durability, alpha, connections, inFlight, tpsMean(), tpsSd(), latencyMicros(50),
            latencyMicros(99), latencyMicros(99.9), cpuPercent(serverCpuNs), cpuPercent(clientCpuNs), loadAverage,
            accountedFor() ? "outcomes ok" : "OUTCOMES NOT ACCOUNTED FOR: " + outcomes());
    }

    /**
     * @return the outcome counts by kind.
     */
    public Map<String, Object> outcomes()
    {
        final Map<String, Object> o = new LinkedHashMap<>();
        o.put("launched", recorder.launchedCount());
        o.put("committed", recorder.committedCount());
        o.put("failed", recorder.failures());
        o.put("lost", recorder.lostCount());
        o.put("unanswered", unanswered);
        o.put("balance_mismatches", balanceMismatches);
        o.put("balance_sum", balanceSum);
        o.put("expected_sum", expectedSum);
        return o;
    }

    /**
     * @return the run as JSON-ready maps and lists.
     */
    public Map<String, Object> toJson()
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("system", system);
        json.put("durability", durability);
        json.put("alpha", alpha);
        json.put("connections", connections);
        json.put("in_flight_per_connection", inFlight);
        json.put("accounts", accounts);
        json.put("pairs", pairs);
        json.put("warmup_seconds", warmupSeconds);
        json.put("seconds", seconds);
        json.put("tps_mean", Math.round(tpsMean()));
        json.put("tps_sd", Math.round(tpsSd()));
        json.put("latency_us", latencyJson(recorder.latencyMicros()));
        json.put("outcomes", outcomes());
        json.put("accounted_for", accountedFor());
        json.put("server_cpu_percent", Math.round(cpuPercent(serverCpuNs)));
        json.put("client_cpu_percent", Math.round(cpuPercent(clientCpuNs)));
        json.put("load_average", loadAverage);
        json.put("committed_per_second", recorder.committedPerSecond());
        return json;
    }

    /**
     * @param h a latency histogram.
     * @return its count, mean, p50, p99, p99.9 and max as JSON-ready map.
     */
    public static Map<String, Object> latencyJson(final Histogram h)
    {
        final Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", h.getTotalCount());
        latency.put("mean", Math.round(h.getMean()));
        latency.put("p50", h.getValueAtPercentile(50));
        latency.put("p99", h.getValueAtPercentile(99));
        latency.put("p99_9", h.getValueAtPercentile(99.9));
        latency.put("max", h.getMaxValue());
        return latency;
    }
}
