package io.lightcone.txn.log;

import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Helpers shared by the commit log tests: deterministic payloads, bounded sleeping waits.
 */
final class LogTestSupport
{
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);

    private LogTestSupport()
    {
    }

    static CommitLogContext context(final Path dir)
    {
        return new CommitLogContext().dir(dir).idleStrategy(new SleepingIdleStrategy(50_000))
            .ringCapacity(1 << 20).errorHandler((ex) ->
            {
            });
    }

    /** The payload of a tx offset: a deterministic function of it, 0..maxLength bytes. */
    static byte[] payload(final long txOffset, final int maxLength)
    {
        long state = txOffset * 0x9E37_79B9_7F4A_7C15L + 0x632B_E59B_D9B4_E019L;
        state ^= state >>> 29;
        final int length = (int)Long.remainderUnsigned(state, maxLength + 1);
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            state = state * 6364136223846793005L + 1442695040888963407L;
            bytes[i] = (byte)(state >>> 56);
        }
        return bytes;
    }

    static void appendOrWait(final CommitLog log, final long txOffset, final byte[] payload)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(payload);
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!log.append(txOffset, buffer, 0, payload.length))
        {
            if (log.isFailed())
            {
                fail("log failed", log.failure());
            }
            if (System.nanoTime() - deadline > 0)
            {
                fail("append of " + txOffset + " back-pressured for too long");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    static void awaitDurable(final CommitLog log, final long txOffset)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (log.durableTxOffset() < txOffset)
        {
            if (log.isFailed())
            {
                fail("log failed", log.failure());
            }
            if (System.nanoTime() - deadline > 0)
            {
                fail("tx " + txOffset + " not durable in time; durable=" + log.durableTxOffset());
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** A record read back. */
    record Read(long txOffset, byte[] payload)
    {
    }

    static List<Read> readAll(final Path dir, final long from)
    {
        final List<Read> records = new ArrayList<>();
        new CommitLogReader(dir).replay(from, (txOffset, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            records.add(new Read(txOffset, bytes));
        }, false);
        return records;
    }

    static void copyDir(final Path from, final Path to)
    {
        try
        {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    if (Files.isRegularFile(file))
                    {
                        Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
