package io.lightcone.bench.publish;

import io.lightcone.bench.WasmModules;
import io.lightcone.bench.report.Json;
import io.lightcone.bench.report.Machine;
import io.lightcone.bench.report.Options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publish time of a module through the HTTP API ({@code PUT /v1/database/:name}, answered once the core has
 * compiled the module, created its tables and run {@code init}), then the first call it serves
 * ({@code POST /v1/database/:name/call/empty}), performance-anchors §7 B5. Each run of each module:
 * <ol>
 *     <li>a server on a fresh data directory (its compile cache empty: checked) and the module published as
 *     {@code pub-a}: <b>cold</b>, the module compiled;</li>
 *     <li>the same bytes published as {@code pub-b} on that server: <b>cached</b>, the compiled module found in the
 *     cache (checked: it is on disk after the cold publish);</li>
 *     <li>the server stopped and started again on that directory (recovering {@code pub-a} and {@code pub-b}), and
 *     the module published as {@code pub-c}: <b>cached after a restart</b>, in a fresh JVM.</li>
 * </ol>
 * Reported per module: every run's times and the median of each. The server is a {@code lightcone start} process
 * ({@code --lightcone PATH}) or anything a {@link ServerLauncher} starts (the smoke test runs one in-process).
 * <pre>
 *   java -cp benchmarks.jar io.lightcone.bench.publish.PublishMain --lightcone ./lightcone \
 *       --modules big.wasm,keynote.wasm [--runs 5] [--dir DIR] [--out publish.json]
 * </pre>
 */
public final class PublishMain
{
    /** A running server. */
    public interface Server extends AutoCloseable
    {
        /**
         * @return its base URL, {@code http://host:port}.
         */
        String url();

        /** Stops it. */
        @Override
        void close();
    }

    /** Starts a server on a data directory and returns once it listens. */
    @FunctionalInterface
    public interface ServerLauncher
    {
        /**
         * @param dataDir the data directory.
         * @return the running server.
         */
        Server start(Path dataDir);
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final ServerLauncher launcher;

    /**
     * @param launcher starts the servers.
     */
    public PublishMain(final ServerLauncher launcher)
    {
        this.launcher = launcher;
    }

    /**
     * Runs the benchmark: {@code --lightcone PATH} (the {@code lightcone} command), {@code --modules A.wasm,B.wasm},
     * {@code --runs N}, {@code --dir DIR} (scratch, default a temporary directory), {@code --out FILE}.
     *
     * @param args the options.
     * @throws IOException when the scratch directory or the results file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Map<String, String> options = Options.parse(args);
        final Path lightcone = Path.of(options.getOrDefault("lightcone", "lightcone"));
        final List<Path> modules = new ArrayList<>();
        for (final String module : options.getOrDefault("modules", "big.wasm").split(","))
        {
            modules.add(Path.of(module.trim()));
        }
        final boolean temporary = !options.containsKey("dir");
        final Path dir = temporary ? Files.createTempDirectory("lightcone-publish") : Path.of(options.get("dir"));
        try
        {
            final Map<String, Object> json = new PublishMain((dataDir) -> new ProcessServer(lightcone, dataDir))
                .run(dir, modules, Integer.parseInt(options.getOrDefault("runs", "5")));
            final Path out = Path.of(options.getOrDefault("out", "publish.json"));
            Files.writeString(out, Json.render(json));
            System.err.println("# wrote " + out);
        }
        finally
        {
            if (temporary)
            {
                WasmModules.deleteTree(dir);
            }
        }
    }

    /**
     * Runs every module {@code runs} times.
     *
     * @param dir     scratch space (one data directory per run, deleted after it).
     * @param modules the modules' files.
     * @param runs    runs per module.
     * @return the results, as written to the JSON file.
     * @throws IllegalStateException when a request fails or the compile cache is not as expected.
     */
    public Map<String, Object> run(final Path dir, final List<Path> modules, final int runs)
    {
        final double loadBefore = Machine.loadAverage();
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "publish");
        json.put("started", Instant.now().toString());
        json.put("runs_per_module", runs);
        final List<Object> results = new ArrayList<>();
        for (final Path module : modules)
        {
            results.add(runModule(dir, module, runs));
        }
        json.put("modules", results);
        json.put("machine", Machine.describe(loadBefore));
        return json;
    }

    private Map<String, Object> runModule(final Path dir, final Path module, final int runs)
    {
        final byte[] wasm = read(module);
        final String cacheFile = sha256(wasm) + ".jar";
        final String[] measures = {
            "start_ms", "cold_publish_ms", "cold_first_call_ms", "cached_publish_ms", "cached_first_call_ms",
            "restart_ms", "restart_publish_ms", "restart_first_call_ms" };
        final double[][] values = new double[measures.length][runs];
        final List<Object> runList = new ArrayList<>();
        for (int run = 0; run < runs; run++)
        {
            final Path dataDir = dir.resolve(module.getFileName() + "-" + run);
            WasmModules.deleteTree(dataDir);
            final double[] times = new double[measures.length];
            try
            {
                long startNs = System.nanoTime();
                try (Server server = launcher.start(dataDir))
                {
                    times[0] = millisSince(startNs);
                    if (Files.exists(dataDir.resolve("cache").resolve(cacheFile)))
                    {
                        throw new IllegalStateException("not cold: " + cacheFile + " is already in the cache");
                    }
                    times[1] = publish(server, "pub-a", wasm);
                    times[2] = firstCall(server, "pub-a");
                    if (!Files.exists(dataDir.resolve("cache").resolve(cacheFile)))
                    {
                        throw new IllegalStateException("the cold publish left no " + cacheFile + " in the cache");
                    }
                    times[3] = publish(server, "pub-b", wasm);
                    times[4] = firstCall(server, "pub-b");
                }
                startNs = System.nanoTime();
                try (Server server = launcher.start(dataDir))
                {
                    times[5] = millisSince(startNs);
                    times[6] = publish(server, "pub-c", wasm);
                    times[7] = firstCall(server, "pub-c");
                }
            }
            finally
            {
                WasmModules.deleteTree(dataDir);
            }
            final Map<String, Object> entry = new LinkedHashMap<>();
            for (int i = 0; i < measures.length; i++)
            {
                values[i][run] = times[i];
                entry.put(measures[i], times[i]);
            }
            runList.add(entry);
            System.err.println("# " + module.getFileName() + " run " + (run + 1) + ": " + entry);
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("module", module.getFileName().toString());
        result.put("module_bytes", wasm.length);
        final Map<String, Object> medians = new LinkedHashMap<>();
        for (int i = 0; i < measures.length; i++)
        {
            medians.put(measures[i], median(values[i]));
        }
        result.put("median", medians);
        result.put("runs", runList);
        return result;
    }

    private double publish(final Server server, final String name, final byte[] wasm)
    {
        final long startNs = System.nanoTime();
        send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/database/" + name))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(wasm)), "publish " + name);
        return millisSince(startNs);
    }

    private double firstCall(final Server server, final String name)
    {
        final long startNs = System.nanoTime();
        send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/database/" + name + "/call/empty"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("[]")), "call empty on " + name);
        return millisSince(startNs);
    }

    private void send(final HttpRequest.Builder request, final String what)
    {
        try
        {
            final HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
            if (200 != response.statusCode())
            {
                throw new IllegalStateException(what + ": HTTP " + response.statusCode() + " " + response.body());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(what + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", ex);
        }
    }

    private static byte[] read(final Path module)
    {
        try
        {
            return Files.readAllBytes(module);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double millisSince(final long startNs)
    {
        return Math.round((System.nanoTime() - startNs) / 1e4) / 100.0;
    }
}
