package io.lightcone.bench.keynote;

import io.lightcone.bench.report.Json;
import io.lightcone.bench.report.Machine;
import io.lightcone.bench.report.Options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keynote benchmark (issue [7/7], performance-anchors §1.1 and §7 B1/B2) against a running Lightcone and,
 * interleaved in the same run, PostgreSQL (PL/pgSQL function over JDBC, best of several concurrencies) and SQLite
 * in-process. Started by {@code bench/run keynote}, which starts the servers and passes their addresses and process
 * ids; writes every run to a JSON file and prints a summary line per run.
 * <pre>
 * options (defaults in brackets):
 *   --lightcone URL            Lightcone base address, e.g. http://127.0.0.1:3000 (skipped when absent)
 *   --lightcone-pid PID        its process, for server CPU [-1]
 *   --postgres JDBC_URL        PostgreSQL (skipped when absent)
 *   --postgres-pid PID         its postmaster [-1]
 *   --sqlite DIR               directory for SQLite files (skipped when absent)
 *   --alphas LIST              [0,1.5]
 *   --accounts N               [100000]
 *   --pairs N                  [10000000]
 *   --initial-balance N        [1000000000]
 *   --connections N            Lightcone connections [64]
 *   --in-flight N              calls in flight per Lightcone connection [40]
 *   --pg-concurrency LIST      PostgreSQL threads, best of [16,64]
 *   --warmup S                 [5]
 *   --seconds S                [20]
 *   --rounds N                 interleaved rounds (A/B/A/B) [2]
 *   --sets LIST                throughput,latency [throughput,latency]
 *   --out FILE                 JSON results [keynote.json]
 * </pre>
 */
public final class KeynoteMain
{
    private final Map<String, String> options;
    private final List<RunResult> results = new ArrayList<>();
    private final Map<Double, TransferPairs> pairsByAlpha = new HashMap<>();

    private KeynoteMain(final Map<String, String> options)
    {
        this.options = options;
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
        new KeynoteMain(options).runAll();
    }

    private void runAll() throws Exception
    {
        final Instant started = Instant.now();
        final double loadBefore = Machine.loadAverage();
        final List<String> sets = list("sets", "throughput,latency");
        final int rounds = integer("rounds", 2);
        for (int round = 1; round <= rounds; round++)
        {
            System.out.println("# round " + round + " of " + rounds);
            if (sets.contains("throughput"))
            {
                for (final String alpha : list("alphas", "0,1.5"))
                {
                    throughputRound(Double.parseDouble(alpha));
                }
            }
            if (sets.contains("latency"))
            {
                latencyRound();
            }
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "keynote transfer (performance-anchors 1.1, 7 B1/B2)");
        json.put("started", started.toString());
        json.put("finished", Instant.now().toString());
        json.put("machine", Machine.describe(loadBefore));
        json.put("options", options);
        final List<Object> runs = new ArrayList<>();
        for (final RunResult result : results)
        {
            runs.add(result.toJson());
        }
        json.put("runs", runs);
        final Path out = Path.of(options.getOrDefault("out", "keynote.json"));
        Files.writeString(out, Json.render(json));
        System.out.println("# wrote " + out);
        boolean allAccounted = true;
        for (final RunResult result : results)
        {
            allAccounted &= result.accountedFor();
        }
        if (!allAccounted)
        {
            System.out.println("# SOME RUNS HAVE OUTCOMES NOT ACCOUNTED FOR (see above)");
            System.exit(1);
        }
    }

    private void throughputRound(final double alpha) throws Exception
    {
        final KeynoteWorkload workload = workload(alpha, integer("connections", 64), integer("in-flight", 40));
        for (final boolean durable : new boolean[]{ true, false })
        {
            if (options.containsKey("lightcone"))
            {
                record(lightcone().run(workload, durable));
            }
            if (options.containsKey("postgres"))
            {
                for (final String threads : list("pg-concurrency", "16,64"))
                {
                    record(postgres(durable).run(workload.withConcurrency(Integer.parseInt(threads), 1)));
                }
            }
            if (options.containsKey("sqlite"))
            {
                record(sqlite(durable).run(workload.withConcurrency(1, 1)));
            }
        }
    }

    private void latencyRound() throws Exception
    {
        final KeynoteWorkload workload = workload(0, 1, 1);
        for (final int connections : new int[]{ 1, 4 })
        {
            for (final boolean durable : new boolean[]{ true, false })
            {
                if (options.containsKey("lightcone"))
                {
                    record(lightcone().run(workload.withConcurrency(connections, 1), durable));
                }
                if (options.containsKey("postgres"))
                {
                    record(postgres(durable).run(workload.withConcurrency(connections, 1)));
                }
            }
        }
    }

    private void record(final RunResult result)
    {
        results.add(result);
        System.out.println(result.summary());
    }

    private LightconeKeynote lightcone()
    {
        return new LightconeKeynote(options.get("lightcone"), Long.parseLong(options.getOrDefault("lightcone-pid",
            "-1")));
    }

    private JdbcKeynote postgres(final boolean durable)
    {
        return new JdbcKeynote(new PostgresPeer(options.get("postgres"), durable,
            Long.parseLong(options.getOrDefault("postgres-pid", "-1"))));
    }

    private JdbcKeynote sqlite(final boolean durable) throws IOException
    {
        final Path dir = Files.createDirectories(Path.of(options.get("sqlite")));
        return new JdbcKeynote(new SqlitePeer(dir.resolve(durable ? "keynote-full.db" : "keynote-normal.db"),
            durable));
    }

    private KeynoteWorkload workload(final double alpha, final int connections, final int inFlight)
    {
        final TransferPairs pairs = pairsByAlpha.computeIfAbsent(alpha, (a) ->
        {
            final long start = System.nanoTime();
            final TransferPairs p = TransferPairs.generate(integer("accounts", 100_000), a,
                integer("pairs", 10_000_000));
            System.out.printf("# precomputed %,d pairs for alpha=%s in %.1f s%n", p.count(), a,
                (System.nanoTime() - start) / 1e9);
            return p;
        });
        return new KeynoteWorkload(integer("accounts", 100_000),
            Long.parseLong(options.getOrDefault("initial-balance", "1000000000")), alpha, pairs, connections,
            inFlight, integer("warmup", 5), integer("seconds", 20), 60);
    }

    private int integer(final String name, final int defaultValue)
    {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(defaultValue)).replace("_", ""));
    }

    private List<String> list(final String name, final String defaultValue)
    {
        return List.of(options.getOrDefault(name, defaultValue).split(","));
    }
}
