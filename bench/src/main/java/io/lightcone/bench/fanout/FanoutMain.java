package io.lightcone.bench.fanout;

import io.lightcone.bench.report.Json;
import io.lightcone.bench.report.Machine;
import io.lightcone.bench.report.Options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fan-out benchmark (issue [7/7], performance-anchors section 7 B3) against a running Lightcone and, in the same
 * run, Redis PUBLISH/SUBSCRIBE: for each subscriber count, Lightcone then Redis. Started by {@code bench/run fanout},
 * which starts both servers and passes their addresses and process ids; writes every run to a JSON file and prints a
 * summary line per run; exits 1 when some run did not account for every row.
 * <pre>
 * options (defaults in brackets):
 *   --lightcone URL          Lightcone base address serving fanout.wasm as "fanout" (skipped when absent)
 *   --lightcone-pid PID      its process, for CPU and RSS [-1]
 *   --redis HOST:PORT        Redis (skipped when absent)
 *   --redis-pid PID          redis-server's process [-1]
 *   --subscribers LIST       [100,1000,5000]
 *   --zones N                [10]
 *   --entities N             rows seeded, a multiple of rows per commit [10000]
 *   --rows-per-commit N      [100]
 *   --rate N                 commits per second [100]
 *   --warmup S               [5]
 *   --seconds S              [20]
 *   --drain S                [60]
 *   --client-threads N       event-loop threads for all subscribers [1]
 *   --confirmed BOOL         confirmed reads for Lightcone's subscribers and writer [false]
 *   --out FILE               JSON results [fanout.json]
 * </pre>
 */
public final class FanoutMain
{
    private FanoutMain()
    {
    }

    /**
     * Runs the benchmark.
     *
     * @param args options, see the class comment.
     * @throws Exception if a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> options = Options.parse(args);
        final Instant started = Instant.now();
        final double loadBefore = Machine.loadAverage();
        final List<FanoutResult> results = new ArrayList<>();
        final FanoutWorkload base = workload(options, 1);
        final boolean confirmed = Boolean.parseBoolean(options.getOrDefault("confirmed", "false"));
        for (final String n : options.getOrDefault("subscribers", "100,1000,5000").split(","))
        {
            final FanoutWorkload workload = base.withSubscribers(Integer.parseInt(n.trim().replace("_", "")));
            if (options.containsKey("lightcone"))
            {
                record(results, new LightconeFanout(options.get("lightcone"), pid(options, "lightcone-pid"))
                    .run(workload, confirmed));
            }
            if (options.containsKey("redis"))
            {
                final String[] hostPort = options.get("redis").split(":");
                record(results, new RedisFanout(hostPort[0], Integer.parseInt(hostPort[1]),
                    pid(options, "redis-pid")).run(workload));
            }
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "subscription fan-out (performance-anchors 7 B3)");
        json.put("started", started.toString());
        json.put("finished", Instant.now().toString());
        json.put("machine", Machine.describe(loadBefore));
        json.put("options", options);
        final List<Object> runs = new ArrayList<>();
        boolean allAccounted = true;
        for (final FanoutResult result : results)
        {
            runs.add(result.toJson());
            allAccounted &= result.accountedFor();
        }
        json.put("runs", runs);
        final Path out = Path.of(options.getOrDefault("out", "fanout.json"));
        Files.writeString(out, Json.render(json));
        System.out.println("# wrote " + out);
        if (!allAccounted)
        {
            System.out.println("# SOME RUNS HAVE ROWS NOT ACCOUNTED FOR (see above)");
            System.exit(1);
        }
    }

    /**
     * The workload the options describe.
     *
     * @param options     parsed options.
     * @param subscribers subscriber count.
     * @return the workload.
     */
    static FanoutWorkload workload(final Map<String, String> options, final int subscribers)
    {
        return new FanoutWorkload(subscribers, integer(options, "zones", 10), integer(options, "entities", 10_000),
            integer(options, "rows-per-commit", 100), integer(options, "rate", 100), integer(options, "warmup", 5),
            integer(options, "seconds", 20), integer(options, "drain", 60), integer(options, "client-threads", 1));
    }

    private static void record(final List<FanoutResult> results, final FanoutResult result)
    {
        results.add(result);
        System.out.println(result.summary());
    }

    private static long pid(final Map<String, String> options, final String name)
    {
        return Long.parseLong(options.getOrDefault(name, "-1"));
    }

    private static int integer(final Map<String, String> options, final String name, final int defaultValue)
    {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(defaultValue)).replace("_", ""));
    }
}
