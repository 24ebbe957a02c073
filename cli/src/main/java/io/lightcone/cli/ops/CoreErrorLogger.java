package io.lightcone.cli.ops;

import io.lightcone.txn.loop.EmbeddedCore;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorLogReader;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies the core's errors into the server log: the transaction loop records each exception in its
 * {@link DistinctErrorLog} (never logging from its duty cycle); a daemon thread reads the log every
 * {@value #POLL_INTERVAL_MS} ms and logs, at WARNING, each distinct error first seen or seen again since the last
 * read, with how often it occurred and its stack trace.
 */
public final class CoreErrorLogger implements AutoCloseable
{
    /** How often the error log is read. */
    static final long POLL_INTERVAL_MS = 1_000;
    private static final Logger LOGGER = Logger.getLogger(CoreErrorLogger.class.getName());

    private final AtomicBuffer buffer;
    private final Thread thread;
    private volatile boolean closed;
    private long readUpToMs;

    private CoreErrorLogger(final AtomicBuffer buffer)
    {
        this.buffer = buffer;
        this.thread = new Thread(this::run, "lightcone-core-errors");
        this.thread.setDaemon(true);
    }

    /**
     * Starts copying a core's errors into the server log.
     *
     * @param core the core.
     * @return the logger (close it before the core), or null when the core has no error log of its own (its context
     * was given an error handler).
     */
    public static CoreErrorLogger start(final EmbeddedCore core)
    {
        final DistinctErrorLog log = core.context().errorLog();
        if (null == log)
        {
            return null;
        }
        final CoreErrorLogger logger = new CoreErrorLogger(log.buffer());
        logger.thread.start();
        return logger;
    }

    /**
     * A logger of an error log that reads it only when {@link #poll()} is called (for tests).
     *
     * @param log the error log.
     * @return the logger.
     */
    static CoreErrorLogger polledBy(final DistinctErrorLog log)
    {
        return new CoreErrorLogger(log.buffer());
    }

    /**
     * Reads the error log once more and stops.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (!thread.isAlive())
            {
                return;
            }
            thread.interrupt();
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            poll();
        }
    }

    private void run()
    {
        while (!closed)
        {
            try
            {
                Thread.sleep(POLL_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            poll();
        }
    }

    /**
     * Logs the errors first seen or seen again since the last read.
     */
    synchronized void poll()
    {
        final long since = readUpToMs;
        ErrorLogReader.read(buffer, (count, firstMs, lastMs, encoded) ->
        {
            if (lastMs > readUpToMs)
            {
                readUpToMs = lastMs;
            }
            LOGGER.log(Level.WARNING, "core error (" + count + (1 == count ? " time" : " times") + " so far): " +
                encoded);
        }, since + 1);
    }
}
