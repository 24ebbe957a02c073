package io.lightcone.txn.log;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.lightcone.txn.log.LogTestSupport.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a child JVM that appends under load with SIGKILL at random moments, then checks the log it left.
 */
@Tag("crash")
class CommitLogCrashTest
{
    @TempDir
    Path dir;

    /**
     * Invariant: after a SIGKILL, every tx offset the child saw durable is in the log with its payload, the log is
     * contiguous from 0 with nothing that was not appended, and the next run continues after it.
     */
    @Test
    void shouldKeepEveryDurableRecordAcrossKills() throws Exception
    {
        final Random random = new Random(42);
        final Path log = dir.resolve("log");
        long totalDurable = -1;
        for (int cycle = 0; cycle < 10; cycle++)
        {
            final Process child = start(log);
            final AtomicLong reported = new AtomicLong(-1);
            final AtomicLong opened = new AtomicLong(-1);
            final Thread reader = new Thread(() -> readOutput(child, reported, opened), "crash-child-reader");
            reader.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (reported.get() < 0 && child.isAlive() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(5);
            }
            Thread.sleep(20 + random.nextInt(250));
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
            reader.join(10_000);
            assertTrue(reported.get() >= 0, "cycle " + cycle + ": the child reported nothing durable");
            assertEquals(totalDurable + 1, opened.get(), "cycle " + cycle + " continued after the last record");

            final List<LogTestSupport.Read> records = new ArrayList<>();
            final CommitLogReader.Result result = new CommitLogReader(log).replay(0,
                (txOffset, buffer, offset, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                records.add(new LogTestSupport.Read(txOffset, bytes));
            }, true);
            assertTrue(result.lastTxOffset() >= reported.get(), "cycle " + cycle + ": durable " + reported.get() +
                " but the log ends at " + result.lastTxOffset());
            for (int i = 0; i < records.size(); i++)
            {
                assertEquals(i, records.get(i).txOffset());
                assertArrayEquals(payload(i, 200), records.get(i).payload(), "tx " + i);
            }
            totalDurable = result.lastTxOffset();
        }
        assertTrue(totalDurable > 1_000, "the children made progress: " + totalDurable);
    }

    private static Process start(final Path log) throws IOException
    {
        final String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java,
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx128m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            CrashChild.class.getName(), log.toString());
        builder.redirectErrorStream(true);
        return builder.start();
    }

    private static void readOutput(final Process child, final AtomicLong reported, final AtomicLong opened)
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                if (line.startsWith("durable "))
                {
                    reported.set(Long.parseLong(line.substring(8).trim()));
                }
                else if (line.startsWith("open "))
                {
                    opened.set(Long.parseLong(line.split(" ")[1]));
                }
                else
                {
                    System.err.println("child: " + line);
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // the child was killed mid-line; what was read before stands
        }
    }
}
