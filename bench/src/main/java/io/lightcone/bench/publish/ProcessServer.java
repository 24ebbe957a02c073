package io.lightcone.bench.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lightcone start --data-dir DIR --listen 127.0.0.1:0} as its own process, its output in
 * {@code DIR.log}; ready once it prints {@code Lightcone listening on ws://HOST:PORT}; closed with SIGTERM (a graceful
 * shutdown), killed if it has not stopped a minute later.
 */
final class ProcessServer implements PublishMain.Server
{
    private static final Pattern LISTENING = Pattern.compile("Lightcone listening on ws://([^ /]+)");
    private static final long START_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);

    private final Process process;
    private final String url;

    ProcessServer(final Path lightcone, final Path dataDir)
    {
        final Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        try
        {
            process = new ProcessBuilder(lightcone.toString(), "start", "--data-dir", dataDir.toString(),
                "--listen", "127.0.0.1:0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + lightcone + ": " + ex.getMessage(), ex);
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        String found = null;
        try
        {
            while (null == found)
            {
                final Matcher matcher = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
                if (matcher.find())
                {
                    found = "http://" + matcher.group(1);
                }
                else if (!process.isAlive() || System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("lightcone start did not come up (" + log + "):\n" +
                        (Files.exists(log) ? Files.readString(log) : ""));
                }
                else
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            process.destroyForcibly();
            throw ex instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException)ex;
        }
        url = found;
    }

    @Override
    public String url()
    {
        return url;
    }

    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(1, TimeUnit.MINUTES))
            {
                process.destroyForcibly().waitFor();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
