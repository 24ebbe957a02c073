package io.lightcone.cli.ops;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The server log: every {@code java.util.logging} and {@code System.Logger} record (Lightcone's own, and libraries'
 * that log through the JDK) at INFO and above goes to one handler on the root logger, as text or as JSON lines
 * ({@link JsonLogFormatter}), to stderr or appended to a file. A log file is rotated by size: before a record
 * would take it past {@value #MAX_BYTES_PROP_NAME} bytes (default 10 MiB) it becomes {@code FILE.1}, older ones
 * shift up, and {@value #FILES_PROP_NAME} rotated files (default 5) are kept. The handler survives the JDK's logging
 * shutdown hook, which would otherwise remove every handler while the server is still stopping: {@code lightcone}
 * runs with {@link Manager} as the {@link LogManager}, whose reset leaves an installed server log in place, and
 * closing the handler only flushes, so the shutdown steps are logged too. Nothing is logged from the transaction
 * loop's duty cycle.
 */
public final class ServerLogging
{
    /** System property: size in bytes past which the server log file is rotated. */
    public static final String MAX_BYTES_PROP_NAME = "lightcone.server.log.max.bytes";
    /** System property: rotated server log files kept. */
    public static final String FILES_PROP_NAME = "lightcone.server.log.files";
    /** Default of {@value #MAX_BYTES_PROP_NAME}. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    /** Default of {@value #FILES_PROP_NAME}. */
    public static final int DEFAULT_FILES = 5;

    /** Log formats. */
    public enum Format
    {
        /** {@code 2025-01-01T12:00:00.123Z INFO logger: message}. */
        TEXT,
        /** One JSON object a line. */
        JSON
    }

    private ServerLogging()
    {
    }

    /**
     * Installs the server log handler, replacing the root logger's handlers, with the rotation settings of
     * {@value #MAX_BYTES_PROP_NAME} and {@value #FILES_PROP_NAME}.
     *
     * @param format  text or json.
     * @param logFile the file to append to, or null for stderr.
     * @return the handler (call {@link Handler#flush()} as needed).
     * @throws OpsException when the file cannot be opened.
     */
    public static Handler install(final Format format, final Path logFile)
    {
        return install(format, logFile, Long.getLong(MAX_BYTES_PROP_NAME, DEFAULT_MAX_BYTES),
            Integer.getInteger(FILES_PROP_NAME, DEFAULT_FILES));
    }

    /**
     * Installs the server log handler, replacing the root logger's handlers.
     *
     * @param format   text or json.
     * @param logFile  the file to append to, or null for stderr.
     * @param maxBytes size past which the file is rotated (at least 1024).
     * @param files    rotated files kept (0: the full file is deleted).
     * @return the handler (call {@link Handler#flush()} as needed).
     * @throws OpsException when the file cannot be opened.
     */
    public static Handler install(final Format format, final Path logFile, final long maxBytes, final int files)
    {
        final Formatter formatter = Format.JSON == format ? new JsonLogFormatter() : new TextFormatter();
        final Handler handler;
        try
        {
            if (null == logFile)
            {
                handler = new FlushingHandler(new NonClosingStream(System.err), formatter);
            }
            else
            {
                if (null != logFile.toAbsolutePath().getParent())
                {
                    Files.createDirectories(logFile.toAbsolutePath().getParent());
                }
                handler = new RotatingFileHandler(logFile, Math.max(1024, maxBytes), Math.max(0, files), formatter);
            }
        }
        catch (final IOException ex)
        {
            throw new OpsException(OpsException.EXIT_USAGE, "cannot open the log file " + logFile + ": " +
                ex.getMessage() + "; pass a writable --log-file", ex);
        }
        handler.setLevel(Level.INFO);
        final Logger root = Logger.getLogger("");
        for (final Handler existing : root.getHandlers())
        {
            root.removeHandler(existing);
        }
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        if (LogManager.getLogManager() instanceof Manager manager)
        {
            manager.keepHandlers = true;
        }
        return handler;
    }

    /**
     * Rotates a log file: {@code FILE.N-1} becomes {@code FILE.N} (the oldest beyond {@code files} is deleted), ...,
     * {@code FILE} becomes {@code FILE.1}. With {@code files} 0 the file is deleted.
     *
     * @param file  the log file.
     * @param files rotated files kept.
     * @throws IOException when a file cannot be moved or deleted.
     */
    public static void rotate(final Path file, final int files) throws IOException
    {
        if (0 == files)
        {
            Files.delete(file);
            return;
        }
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "." + files));
        for (int i = files - 1; i >= 1; i--)
        {
            final Path older = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(older))
            {
                Files.move(older, file.resolveSibling(file.getFileName() + "." + (i + 1)),
                    StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The {@link LogManager} of {@code lightcone} (set by {@code Lightcone.main} through
     * {@code java.util.logging.manager}): once a server log is installed, {@link #reset()} leaves it in place, so the
     * JDK's shutdown hook does not silence the graceful shutdown's log lines.
     */
    public static final class Manager extends LogManager
    {
        volatile boolean keepHandlers;

        /**
         * A log manager; the JDK creates it.
         */
        public Manager()
        {
        }

        @Override
        public void reset()
        {
            if (!keepHandlers)
            {
                super.reset();
            }
        }
    }

    /**
     * A line of text: instant, level, logger, message (and the stack trace, if any).
     */
    static final class TextFormatter extends Formatter
    {
        /**
         * {@inheritDoc}
         */
        public String format(final LogRecord record)
        {
            final StringBuilder line = new StringBuilder().append(Instant.ofEpochMilli(record.getMillis()))
                .append(' ').append(record.getLevel().getName()).append(' ').append(record.getLoggerName())
                .append(": ").append(formatMessage(record)).append('\n');
            if (null != record.getThrown())
            {
                final java.io.StringWriter trace = new java.io.StringWriter();
                record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }
    }

    /**
     * Flushes every record; {@link #close()} only flushes, so records logged during the JVM's shutdown still appear.
     */
    static class FlushingHandler extends StreamHandler
    {
        FlushingHandler(final OutputStream stream, final Formatter formatter)
        {
            super(stream, formatter);
            try
            {
                setEncoding(StandardCharsets.UTF_8.name());
            }
            catch (final java.io.UnsupportedEncodingException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public synchronized void publish(final LogRecord record)
        {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close()
        {
            flush();
        }
    }

    /**
     * A {@link FlushingHandler} appending to a file that it rotates before a record would take it past its size.
     */
    static final class RotatingFileHandler extends FlushingHandler
    {
        private final Path file;
        private final long maxBytes;
        private final int files;
        private long size;

        RotatingFileHandler(final Path file, final long maxBytes, final int files, final Formatter formatter)
            throws IOException
        {
            super(new FileOutputStream(file.toFile(), true), formatter);
            this.file = file;
            this.maxBytes = maxBytes;
            this.files = files;
            this.size = Files.size(file);
        }

        @Override
        public synchronized void publish(final LogRecord record)
        {
            if (!isLoggable(record))
            {
                return;
            }
            final int length;
            try
            {
                length = getFormatter().format(record).getBytes(StandardCharsets.UTF_8).length;
            }
            catch (final RuntimeException ex)
            {
                reportError(null, ex, ErrorManager.FORMAT_FAILURE);
                return;
            }
            if (size > 0 && size + length > maxBytes)
            {
                try
                {
                    flush();
                    rotate(file, files);
                    setOutputStream(new FileOutputStream(file.toFile(), true));
                    size = 0;
                }
                catch (final IOException ex)
                {
                    reportError("cannot rotate " + file, ex, ErrorManager.GENERIC_FAILURE);
                }
            }
            super.publish(record);
            size += length;
        }
    }

    /**
     * stderr, which the handler must never close.
     */
    static final class NonClosingStream extends OutputStream
    {
        private final PrintStream out;

        NonClosingStream(final PrintStream out)
        {
            this.out = out;
        }

        @Override
        public void write(final int b)
        {
            out.write(b);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length)
        {
            out.write(bytes, offset, length);
        }

        @Override
        public void flush()
        {
            out.flush();
        }

        @Override
        public void close()
        {
            out.flush();
        }
    }
}
