package io.lightcone.cli.ops;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The server log: every {@code java.util.logging} and {@code System.Logger} record (Lightcone's own, and libraries'
 * that log through the JDK) at INFO and above goes to one handler on the root logger, as text or as JSON lines
 * ({@link JsonLogFormatter}), to stderr or appended to a file. The handler survives the JDK's logging shutdown hook
 * (which closes every handler while the server is still stopping): closing it only flushes, so the shutdown steps
 * are logged too. Nothing is logged from the transaction loop's duty cycle.
 */
public final class ServerLogging
{
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
     * Installs the server log handler, replacing the root logger's handlers.
     *
     * @param format  text or json.
     * @param logFile the file to append to, or null for stderr.
     * @return the handler (call {@link Handler#flush()} as needed).
     * @throws OpsException when the file cannot be opened.
     */
    public static Handler install(final Format format, final Path logFile)
    {
        final OutputStream stream;
        try
        {
            if (null == logFile)
            {
                stream = new NonClosingStream(System.err);
            }
            else
            {
                if (null != logFile.toAbsolutePath().getParent())
                {
                    Files.createDirectories(logFile.toAbsolutePath().getParent());
                }
                stream = new FileOutputStream(logFile.toFile(), true);
            }
        }
        catch (final IOException ex)
        {
            throw new OpsException(OpsException.EXIT_USAGE, "cannot open the log file " + logFile + ": " +
                ex.getMessage(), ex);
        }
        final Handler handler = new FlushingHandler(stream, Format.JSON == format ? new JsonLogFormatter() :
            new TextFormatter());
        handler.setLevel(Level.INFO);
        final Logger root = Logger.getLogger("");
        for (final Handler existing : root.getHandlers())
        {
            root.removeHandler(existing);
        }
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        return handler;
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
    static final class FlushingHandler extends StreamHandler
    {
        FlushingHandler(final OutputStream stream, final Formatter formatter)
        {
            super(stream, formatter);
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
