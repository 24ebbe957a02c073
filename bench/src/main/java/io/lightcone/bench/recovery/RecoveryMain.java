package io.lightcone.bench.recovery;

import io.lightcone.bench.WasmModules;
import io.lightcone.bench.report.Json;
import io.lightcone.bench.report.Machine;
import io.lightcone.bench.report.Options;
import io.lightcone.core.snapshot.Snapshot;
import io.lightcone.txn.log.CommitLogReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Recovery time through the real core (performance-anchors §7 B5): for each table size N, a durable
 * {@link io.lightcone.txn.loop.EmbeddedCore} on a fresh data directory gets the {@code ledger} module and N rows of
 * {@code entry(id u64 primary key, owner u32, amount i64, memo str)} inserted by {@code insert_range} calls of
 * {@code --batch} rows each; then the core is restarted three times on that directory:
 * <ol>
 *     <li>{@code log}: no snapshot, every row replayed from the commit log; a snapshot is taken before stopping;</li>
 *     <li>{@code snapshot}: from that snapshot, nothing to replay; then the first N/10 ids are rewritten
 *     ({@code update_range}, same batches) so the log holds a tail after the snapshot;</li>
 *     <li>{@code snapshot+tail}: the snapshot plus the replay of that tail.</li>
 * </ol>
 * Each restart runs in a JVM of its own, as a real restart does ({@code --jvm same} keeps them in this one, JIT warm,
 * e.g. to profile them all in one recording); it is timed from the launch to the first call served, with the
 * launching thread's CPU time, and split with the core's own recovery time (its
 * {@code lightcone_core_recovery_seconds} metric) and {@link io.lightcone.txn.loop.RecoveryListener} callbacks, and
 * after each one the table's row count and checksum are compared with {@link LedgerModel}'s: any difference throws,
 * so no figure is reported for a wrong recovery. Alone, outside the core: the raw read of the log (records and CRCs,
 * nothing applied), and of the snapshot file, next to {@code Snapshot.read} of it (decode and index build).
 * <pre>
 *   java -cp benchmarks.jar io.lightcone.bench.recovery.RecoveryMain --dir /tmp/rec --rows 1000000,10000000 \
 *       [--batch 20000] [--jvm fresh] [--out recovery.json]
 * </pre>
 */
public final class RecoveryMain
{
    /** Rows per {@code insert_range} / {@code update_range} call unless {@code --batch} says otherwise. */
    static final int DEFAULT_BATCH = 20_000;

    private RecoveryMain()
    {
    }

    /**
     * Runs the benchmark: {@code --dir DIR} (scratch space, one sub-directory per size, deleted after it),
     * {@code --rows N[,N...]}, {@code --batch ROWS}, {@code --jvm fresh|same}, {@code --out FILE}.
     *
     * @param args the options.
     * @throws IOException when the results file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Map<String, String> options = Options.parse(args);
        if (options.containsKey("restart"))
        {
            restartHere(options);
            return;
        }
        if (!options.containsKey("dir"))
        {
            throw new IllegalArgumentException("--dir DIR is required (scratch space for the data directories)");
        }
        final List<Long> rows = new ArrayList<>();
        for (final String n : options.getOrDefault("rows", "1000000,10000000").split(","))
        {
            rows.add(Long.parseLong(n.trim().replace("_", "")));
        }
        final int batch = Integer.parseInt(options.getOrDefault("batch", Integer.toString(DEFAULT_BATCH)));
        final Map<String, Object> json = run(Path.of(options.get("dir")), rows, batch,
            !"same".equals(options.getOrDefault("jvm", "fresh")));
        final Path out = Path.of(options.getOrDefault("out", "recovery.json"));
        Files.writeString(out, Json.render(json));
        System.err.println("# wrote " + out);
    }

    /**
     * Runs every size.
     *
     * @param dir   scratch space.
     * @param rows  the table sizes.
     * @param batch rows per reducer call.
     * @param freshJvm restart each core in a JVM of its own, as a real restart is (else in this one, JIT warm).
     * @return the results, as written to the JSON file.
     * @throws IllegalStateException when a recovered table differs from what was written.
     */
    static Map<String, Object> run(final Path dir, final List<Long> rows, final int batch, final boolean freshJvm)
    {
        final double loadBefore = Machine.loadAverage();
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "recovery");
        json.put("started", Instant.now().toString());
        json.put("batch_rows", batch);
        json.put("restart_jvm", freshJvm ? "fresh (one JVM per restart)" : "same (the harness's, JIT warm)");
        final List<Object> runs = new ArrayList<>();
        for (final long n : rows)
        {
            final Path dataDir = dir.resolve("recovery-" + n);
            WasmModules.deleteTree(dataDir);
            try
            {
                runs.add(runOne(dataDir, n, batch, freshJvm));
            }
            finally
            {
                WasmModules.deleteTree(dataDir);
            }
        }
        json.put("runs", runs);
        json.put("machine", Machine.describe(loadBefore));
        return json;
    }

    private static Map<String, Object> runOne(
        final Path dataDir, final long rows, final int batch, final boolean freshJvm)
    {
        final Map<String, Object> run = new LinkedHashMap<>();
        run.put("rows", rows);
        final long tail = rows / 10;
        final long databaseId;
        final long buildStartNs = System.nanoTime();
        try (LedgerCore core = LedgerCore.launch(dataDir))
        {
            databaseId = core.publish(WasmModules.bytes("ledger"));
            core.awaitDurable(writeRange(core, databaseId, "insert_range", rows, batch, LedgerModel.INSERT_SALT));
        }
        final long buildNs = System.nanoTime() - buildStartNs;
        run.put("build_seconds", seconds(buildNs));
        run.put("build_rows_per_second", rows / seconds(buildNs));
        run.put("log_bytes", treeSize(dataDir.resolve("log")));
        progress(rows, "built in " + seconds(buildNs) + " s, log " + treeSize(dataDir.resolve("log")) + " bytes");
        run.put("log_read_alone", readLogAlone(dataDir.resolve("log")));

        final List<Object> scenarios = new ArrayList<>();
        final Restart restart = new Restart(dataDir, databaseId, rows, batch);
        scenarios.add(restart.run("log", 0, AFTER_SNAPSHOT, freshJvm));
        run.put("snapshot_bytes", treeSize(dataDir.resolve("db")));
        scenarios.add(restart.run("snapshot", 0, AFTER_TAIL, freshJvm));
        scenarios.add(restart.run("snapshot+tail", tail, AFTER_NOTHING, freshJvm));
        run.put("tail_rows", tail);
        run.put("scenarios", scenarios);
        run.put("snapshot_read_alone", readSnapshotAlone(dataDir));
        return run;
    }

    private static long writeRange(
        final LedgerCore core, final long databaseId, final String reducer, final long rows, final int batch,
        final long salt)
    {
        long last = -1;
        for (long first = 0; first < rows; first += batch)
        {
            last = core.call(databaseId, reducer, first, (int)Math.min(batch, rows - first), salt);
        }
        return last;
    }

    /** What a restart does once it is checked: take a snapshot, rewrite the tail, or nothing. */
    private static final String AFTER_SNAPSHOT = "snapshot";
    private static final String AFTER_TAIL = "tail";
    private static final String AFTER_NOTHING = "nothing";

    /**
     * A restart of the core on a built data directory.
     *
     * @param dataDir    the data directory.
     * @param databaseId the ledger database's id.
     * @param rows       rows in the table.
     * @param batch      rows per reducer call.
     */
    private record Restart(Path dataDir, long databaseId, long rows, int batch)
    {
        /**
         * Restarts, checks the table against the model with the first {@code updated} ids rewritten, then does
         * {@code after}, in a JVM of its own or in this one.
         */
        Map<String, Object> run(final String name, final long updated, final String after, final boolean freshJvm)
        {
            if (!freshJvm)
            {
                return restart(this, name, updated, after);
            }
            final Path result = dataDir.resolveSibling(dataDir.getFileName() + "-" + after + ".result");
            final List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), RecoveryMain.class.getName(),
                "--restart", dataDir.toString(), "--database", Long.toString(databaseId), "--rows",
                Long.toString(rows), "--batch", Integer.toString(batch), "--scenario", name, "--updated",
                Long.toString(updated), "--after", after, "--result", result.toString()));
            try
            {
                final Process child = new ProcessBuilder(command).inheritIO().start();
                if (0 != child.waitFor())
                {
                    throw new IllegalStateException("the " + name + " restart failed (exit " + child.exitValue() +
                        "), see its output above");
                }
                final Map<String, Object> scenario = new LinkedHashMap<>();
                for (final String line : Files.readAllLines(result))
                {
                    final int equals = line.indexOf('=');
                    scenario.put(line.substring(0, equals), value(line.substring(equals + 1)));
                }
                Files.delete(result);
                return scenario;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
            }
        }
    }

    private static void restartHere(final Map<String, String> options) throws IOException
    {
        final Restart restart = new Restart(Path.of(options.get("restart")), Long.parseLong(options.get("database")),
            Long.parseLong(options.get("rows")), Integer.parseInt(options.get("batch")));
        final Map<String, Object> scenario = restart(restart, options.get("scenario"),
            Long.parseLong(options.get("updated")), options.get("after"));
        final StringBuilder out = new StringBuilder();
        scenario.forEach((key, value) -> out.append(key).append('=').append(value).append('\n'));
        Files.writeString(Path.of(options.get("result")), out);
    }

    private static Object value(final String text)
    {
        if (text.equals("true") || text.equals("false"))
        {
            return Boolean.parseBoolean(text);
        }
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException notLong)
        {
            try
            {
                return Double.parseDouble(text);
            }
            catch (final NumberFormatException notDouble)
            {
                return text;
            }
        }
    }

    private static Map<String, Object> restart(
        final Restart restart, final String name, final long updated, final String after)
    {
        final long rows = restart.rows();
        final long expectedChecksum = LedgerModel.checksum(rows, updated);
        final long databaseId = restart.databaseId();
        final Map<String, Object> scenario = new LinkedHashMap<>();
        scenario.put("scenario", name);
        try (LedgerCore core = LedgerCore.launch(restart.dataDir()))
        {
            core.call(databaseId, "update_range", 0, 0, LedgerModel.UPDATE_SALT);
            final long servedNs = System.nanoTime();
            final long recoveryNs = core.recoveryNs();
            final long recoveryStartNs = core.launchedNs() - recoveryNs;   // the agent's start after it is ~ms
            final long[] countAndChecksum = core.countAndChecksum();
            if (countAndChecksum[0] != rows || countAndChecksum[1] != expectedChecksum)
            {
                throw new IllegalStateException("RECOVERED TABLE DIFFERS (" + name + ", " + rows + " rows): " +
                    countAndChecksum[0] + " rows with checksum " + Long.toHexString(countAndChecksum[1]) +
                    ", expected " + rows + " rows with checksum " + Long.toHexString(expectedChecksum));
            }
            scenario.put("restart_to_serving_ms", millis(servedNs - core.launchStartNs()));
            scenario.put("launch_ms", millis(core.launchedNs() - core.launchStartNs()));
            scenario.put("recovery_ms", millis(recoveryNs));
            scenario.put("rows_per_second", rows / seconds(recoveryNs));
            scenario.put("launch_cpu_ms", millis(core.launchCpuNs()));
            scenario.put("rows_per_cpu_second", rows / seconds(core.launchCpuNs()));
            scenario.put("launch_process_cpu_ms", millis(core.launchProcessCpuNs()));
            final long replayNs = 0 == core.replayStartedNs() ? 0 : core.launchedNs() - core.replayStartedNs();
            scenario.put("before_recovery_ms", millis(recoveryStartNs - core.launchStartNs()));
            scenario.put("module_and_snapshot_load_ms", millis(Math.max(0, recoveryNs - replayNs)));
            scenario.put("log_replay_ms", millis(replayNs));
            scenario.put("first_call_ms", millis(servedNs - core.connectedNs()));
            scenario.put("replayed_records", core.recoveryReport().replayedRecords());
            scenario.put("rows_recovered", countAndChecksum[0]);
            scenario.put("checksum", Long.toHexString(countAndChecksum[1]));
            scenario.put("checksum_matches_model", true);
            scenario.put("datastore_off_heap_bytes", core.datastoreBytes());
            System.gc();
            scenario.put("heap_used_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            scenario.put("direct_buffer_bytes", directBytes());
            progress(rows, name + ": serving after " + scenario.get("restart_to_serving_ms") + " ms (recovery " +
                scenario.get("recovery_ms") + " ms, " + Math.round(rows / seconds(recoveryNs)) + " rows/s; " +
                "launch CPU " + scenario.get("launch_cpu_ms") + " ms)");
            if (AFTER_SNAPSHOT.equals(after))
            {
                core.snapshot();
            }
            else if (AFTER_TAIL.equals(after))
            {
                core.awaitDurable(writeRange(core, databaseId, "update_range", rows / 10, restart.batch(),
                    LedgerModel.UPDATE_SALT));
            }
        }
        return scenario;
    }

    private static Map<String, Object> readLogAlone(final Path logDir)
    {
        final long[] records = new long[2];
        final long startNs = System.nanoTime();
        new CommitLogReader(logDir).replay(0, (txOffset, buffer, offset, length) ->
        {
            records[0]++;
            records[1] += length;
        }, false);
        final long ns = System.nanoTime() - startNs;
        final Map<String, Object> read = new LinkedHashMap<>();
        read.put("records", records[0]);
        read.put("record_bytes", records[1]);
        read.put("ms", millis(ns));
        read.put("mb_per_second", records[1] / 1e6 / seconds(ns));
        return read;
    }

    private static Map<String, Object> readSnapshotAlone(final Path dataDir)
    {
        final Path file;
        try (Stream<Path> files = Files.walk(dataDir.resolve("db")))
        {
            file = files.filter((p) -> p.toString().endsWith(".snapshot")).max(Comparator.naturalOrder())
                .orElseThrow(() -> new IllegalStateException("no snapshot in " + dataDir));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Map<String, Object> read = new LinkedHashMap<>();
        long startNs = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect((int)Math.min(channel.size(), 1 << 24));
            long bytes = 0;
            while (channel.read(buffer) > 0 || buffer.position() > 0)
            {
                bytes += buffer.position();
                buffer.clear();
            }
            read.put("file_bytes", bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        read.put("file_read_ms", millis(System.nanoTime() - startNs));
        startNs = System.nanoTime();
        final Snapshot.Loaded loaded = Snapshot.read(file);
        read.put("snapshot_read_ms", millis(System.nanoTime() - startNs));
        loaded.datastore().close();
        return read;
    }

    private static long directBytes()
    {
        long bytes = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            bytes += pool.getMemoryUsed();
        }
        return bytes;
    }

    private static long treeSize(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.filter(Files::isRegularFile).mapToLong((p) -> p.toFile().length()).sum();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void progress(final long rows, final String message)
    {
        System.err.println("# " + rows + " rows: " + message);
    }

    private static double seconds(final long ns)
    {
        return ns / 1e9;
    }

    private static double millis(final long ns)
    {
        return Math.round(ns / 1e4) / 100.0;
    }
}
