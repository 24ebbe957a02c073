package io.lightcone.cli.ops;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's errors reach the server log: each distinct error is logged once when first seen, again (with its count)
 * only when it was seen again since the last read, and never when nothing new happened.
 */
final class CoreErrorLoggerTest
{
    @Test
    void shouldLogEachNewOrRepeatedErrorOnceWithItsCount()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000);
        final DistinctErrorLog log =
            new DistinctErrorLog(new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), clock);
        final List<LogRecord> records = new ArrayList<>();
        final Logger logger = Logger.getLogger(CoreErrorLogger.class.getName());
        final Handler capture = new Handler()
        {
            public void publish(final LogRecord record)
            {
                records.add(record);
            }

            public void flush()
            {
            }

            public void close()
            {
            }
        };
        logger.addHandler(capture);
        try
        {
            final CoreErrorLogger errors = CoreErrorLogger.polledBy(log);
            errors.poll();
            assertEquals(0, records.size(), "nothing to log");

            final IllegalArgumentException tooLarge = new IllegalArgumentException("payload of 3600141 bytes");
            log.record(tooLarge);
            errors.poll();
            assertEquals(1, records.size());
            assertEquals(Level.WARNING, records.get(0).getLevel());
            assertTrue(records.get(0).getMessage().contains("core error (1 time so far)") &&
                records.get(0).getMessage().contains("payload of 3600141 bytes"), records.get(0).getMessage());

            errors.poll();
            assertEquals(1, records.size(), "an error already logged is not logged again");

            clock.update(2_000);
            log.record(tooLarge);
            log.record(new IllegalStateException("another"));
            errors.poll();
            assertEquals(3, records.size(), "the repeated one and the new one");
            assertTrue(records.get(1).getMessage().contains("(2 times so far)"), records.get(1).getMessage());
            assertTrue(records.get(2).getMessage().contains("another"), records.get(2).getMessage());
            errors.close();
        }
        finally
        {
            logger.removeHandler(capture);
        }
    }
}
