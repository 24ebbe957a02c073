package io.lightcone.cli.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant of the server log file's retention: the kept files ({@code FILE}, {@code FILE.1} .. {@code FILE.N}) hold
 * whole JSON lines, none larger than the limit unless a single record is, and read oldest to newest they are exactly
 * the newest records logged, in order, with nothing lost between them.
 */
final class ServerLoggingTest
{
    private Handler handler;

    @AfterEach
    void removeHandler()
    {
        if (null != handler)
        {
            Logger.getLogger("").removeHandler(handler);
            handler.close();
        }
    }

    @Test
    void shouldRotateTheLogFileBySizeKeepingTheNewestRecordsInOrder(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("logs/server.log");
        final int maxBytes = 2048;
        final int files = 3;
        handler = ServerLogging.install(ServerLogging.Format.JSON, file, maxBytes, files);
        final Logger log = Logger.getLogger("io.lightcone.test.rotation");
        final Random random = new Random(42);
        final int records = 200;
        for (int i = 0; i < records; i++)
        {
            log.info("record " + i + " " + "x".repeat(random.nextInt(120)));
        }
        handler.flush();

        assertFalse(Files.exists(dir.resolve("logs/server.log." + (files + 1))), "only " + files + " rotated files");
        final List<Integer> kept = new ArrayList<>();
        for (int generation = files; generation >= 0; generation--)
        {
            final Path part = 0 == generation ? file : dir.resolve("logs/server.log." + generation);
            assertTrue(Files.exists(part), part + " exists");
            final String text = Files.readString(part, StandardCharsets.UTF_8);
            assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= maxBytes, part + " within the limit");
            assertTrue(text.endsWith("\n"), part + " ends with a whole line");
            for (final String line : text.split("\n"))
            {
                assertTrue(line.startsWith("{\"ts\":\"") && line.endsWith("}"), "a JSON line: " + line);
                final int at = line.indexOf("record ");
                kept.add(Integer.parseInt(line.substring(at + 7, line.indexOf(' ', at + 7))));
            }
        }
        assertEquals(records - 1, kept.get(kept.size() - 1), "the newest record is kept");
        for (int i = 1; i < kept.size(); i++)
        {
            assertEquals(kept.get(i - 1) + 1, kept.get(i), "consecutive records, oldest first");
        }
        assertTrue(kept.size() < records, "older records were dropped by retention");
    }
}
