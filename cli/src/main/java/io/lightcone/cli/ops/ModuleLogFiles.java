package io.lightcone.cli.ops;

import io.lightcone.txn.loop.Database;
import io.lightcone.txn.loop.EmbeddedCore;
import io.lightcone.txn.loop.TxnLoopAgent;
import io.lightcone.wasm.host.LogRecord;
import io.lightcone.wasm.host.ModuleLog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes every database's module log ({@code console_log} records, kept in memory by each module's {@link ModuleLog})
 * to {@code <dataDir>/db/<id>/logs/module.log} as JSON lines, off the transaction loop: a daemon thread polls each
 * log every {@value #POLL_INTERVAL_MS} ms (the list of databases is refreshed through one loop task per second) and
 * appends the records it has not written yet. Records dropped from a module's in-memory ring before they were polled
 * are counted in a {@code "dropped"} line. Size-based rotation: when {@code module.log} reaches
 * {@value #MAX_BYTES_PROP_NAME} bytes (default 10 MiB) it becomes {@code module.log.1}, older ones shift up, and
 * only {@value #FILES_PROP_NAME} rotated files (default 5) are kept.
 * <pre>
 *  {"ts":"2025-01-01T12:00:00.000123Z","level":"INFO","database":"chat","target":"chat","filename":"src/lib.rs",
 *   "line":"42","msg":"hello"}
 * </pre>
 */
public final class ModuleLogFiles implements AutoCloseable
{
    /** System property: size at which {@code module.log} is rotated, in bytes. */
    public static final String MAX_BYTES_PROP_NAME = "lightcone.module.log.max.bytes";
    /** System property: rotated files kept per database. */
    public static final String FILES_PROP_NAME = "lightcone.module.log.files";
    /** How often the module logs are polled. */
    static final long POLL_INTERVAL_MS = 200;
    private static final long REFRESH_INTERVAL_MS = 1_000;
    private static final Logger LOGGER = Logger.getLogger(ModuleLogFiles.class.getName());

    private final EmbeddedCore core;
    private final long maxBytes;
    private final int files;
    private final Map<ModuleLog, long[]> written = new IdentityHashMap<>();
    private final Set<Path> warned = new HashSet<>();
    private final Thread thread;
    private volatile boolean closed;
    private List<Source> sources = List.of();
    private long refreshedAtNs;

    private record Source(String name, Path file, ModuleLog log)
    {
    }

    private ModuleLogFiles(final EmbeddedCore core, final long maxBytes, final int files)
    {
        this.core = core;
        this.maxBytes = maxBytes;
        this.files = files;
        this.thread = new Thread(this::run, "lightcone-module-logs");
        this.thread.setDaemon(true);
    }

    /**
     * Starts writing the module logs of a core's databases.
     *
     * @param core the core.
     * @return the writer; close it before the core.
     */
    public static ModuleLogFiles start(final EmbeddedCore core)
    {
        return start(core, Long.getLong(MAX_BYTES_PROP_NAME, 10L * 1024 * 1024),
            Integer.getInteger(FILES_PROP_NAME, 5));
    }

    /**
     * Starts writing the module logs of a core's databases with explicit rotation settings.
     *
     * @param core     the core.
     * @param maxBytes size at which a log is rotated (at least 1024).
     * @param files    rotated files kept (0: the full log is deleted).
     * @return the writer; close it before the core.
     */
    public static ModuleLogFiles start(final EmbeddedCore core, final long maxBytes, final int files)
    {
        final ModuleLogFiles writer = new ModuleLogFiles(core, Math.max(1024, maxBytes), Math.max(0, files));
        writer.thread.start();
        return writer;
    }

    /**
     * Writes what is left and stops.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run()
    {
        while (true)
        {
            final boolean last = closed;
            try
            {
                poll(last);
            }
            catch (final RuntimeException ex)
            {
                LOGGER.log(Level.WARNING, "writing the module logs failed: " + ex, ex);
            }
            if (last)
            {
                return;
            }
            try
            {
                Thread.sleep(POLL_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private void poll(final boolean last)
    {
        final long nowNs = System.nanoTime();
        // The last poll refreshes too (the writer is closed before the core): a database published since the
        // previous refresh would otherwise never be written.
        if (last || sources.isEmpty() || nowNs - refreshedAtNs > TimeUnit.MILLISECONDS.toNanos(REFRESH_INTERVAL_MS))
        {
            refreshedAtNs = nowNs;
            try
            {
                sources = core.onLoop(ModuleLogFiles::sources, 5_000);
                final Set<ModuleLog> current = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
                sources.forEach((source) -> current.add(source.log()));
                written.keySet().retainAll(current);
            }
            catch (final IllegalStateException ex)
            {
                if (!last)
                {
                    return;
                }
            }
        }
        for (final Source source : sources)
        {
            write(source);
        }
    }

    private static List<Source> sources(final TxnLoopAgent agent)
    {
        final List<Source> sources = new ArrayList<>();
        for (final Database database : agent.registry().all())
        {
            sources.add(new Source(database.name(), database.dir().resolve("logs").resolve("module.log"),
                database.instance().log()));
        }
        return sources;
    }

    private void write(final Source source)
    {
        final long count;
        final List<LogRecord> records;
        synchronized (source.log())
        {
            count = source.log().writtenCount();
            records = source.log().records();
        }
        final long[] done = written.computeIfAbsent(source.log(), (log) -> new long[]{ 0 });
        if (count == done[0])
        {
            return;
        }
        final long fresh = count - done[0];
        final long dropped = Math.max(0, fresh - records.size());
        final StringBuilder lines = new StringBuilder();
        if (dropped > 0)
        {
            lines.append("{\"ts\":\"").append(Instant.now()).append('"');
            JsonLogFormatter.field(lines, "level", "WARN");
            JsonLogFormatter.field(lines, "database", source.name());
            JsonLogFormatter.field(lines, "msg", dropped + " module log records dropped before they were written");
            lines.append("}\n");
        }
        for (int i = records.size() - (int)Math.min(fresh, records.size()); i < records.size(); i++)
        {
            final LogRecord record = records.get(i);
            lines.append("{\"ts\":\"").append(Instant.EPOCH.plus(record.timestampMicros(),
                java.time.temporal.ChronoUnit.MICROS)).append('"');
            JsonLogFormatter.field(lines, "level", record.levelName());
            JsonLogFormatter.field(lines, "database", source.name());
            JsonLogFormatter.field(lines, "target", record.target());
            JsonLogFormatter.field(lines, "filename", record.filename());
            JsonLogFormatter.field(lines, "line", Long.toString(record.line()));
            JsonLogFormatter.field(lines, "msg", record.message());
            lines.append("}\n");
        }
        done[0] = count;
        try
        {
            append(source.file(), lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            if (warned.add(source.file()))
            {
                LOGGER.warning("cannot write " + source.file() + ": " + ex.getMessage());
            }
        }
    }

    /**
     * Appends the lines, rotating before any line that would take the file past its size (so a batch larger than the
     * limit spreads over several files; a single longer line goes alone).
     */
    private void append(final Path file, final byte[] bytes) throws IOException
    {
        Files.createDirectories(file.getParent());
        long size = Files.exists(file) ? Files.size(file) : 0;
        int start = 0;
        while (start < bytes.length)
        {
            int end = start;
            while (end < bytes.length && (end == start || size + (end - start) + lineLength(bytes, end) <= maxBytes))
            {
                end += lineLength(bytes, end);
            }
            if (end == start + lineLength(bytes, start) && size > 0 && size + (end - start) > maxBytes)
            {
                rotate(file);
                size = 0;
                continue;
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND))
            {
                out.write(bytes, start, end - start);
            }
            size += end - start;
            start = end;
            if (start < bytes.length)
            {
                rotate(file);
                size = 0;
            }
        }
    }

    private static int lineLength(final byte[] bytes, final int from)
    {
        int i = from;
        while (i < bytes.length && bytes[i] != '\n')
        {
            i++;
        }
        return Math.min(bytes.length, i + 1) - from;
    }

    private void rotate(final Path file) throws IOException
    {
        ServerLogging.rotate(file, files);
    }
}
