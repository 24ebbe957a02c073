package io.lightcone.txn.loop;

import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop-level crash test: a child JVM ({@link LoopCrashChild}) runs transfers through the wire on a durable
 * EmbeddedCore and is killed with {@code destroyForcibly()} at random moments; after each kill recovery runs in
 * this JVM on the same data directory and must hold every transaction the child was told was durable, conserve the
 * total balance, and equal a full replay of the log onto empty tables (the same directory without snapshots).
 */
@Tag("crash")
class LoopCrashTest
{
    private static final int CYCLES = 5;

    @TempDir
    Path dir;

    /** Invariant: durable means durable across SIGKILL; the state recovered equals a full log replay. */
    @Test
    void shouldRecoverEverythingReportedDurableAfterKills() throws Exception
    {
        final Random random = new Random(7);
        final Path dataDir = dir.resolve("data");
        long lastRecovered = -1;
        for (int cycle = 0; cycle < CYCLES; cycle++)
        {
            final Process child = start(dataDir);
            final AtomicLong reported = new AtomicLong(-1);
            final AtomicLong ready = new AtomicLong(-1);
            final Thread reader = new Thread(() -> readOutput(child, reported, ready), "loop-crash-reader");
            reader.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reported.get() < 0 && child.isAlive() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(5);
            }
            Thread.sleep(50 + random.nextInt(500));
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not die");
            reader.join(10_000);
            assertTrue(reported.get() >= 0, "cycle " + cycle + ": the child reported nothing durable");
            assertTrue(ready.get() > lastRecovered, "cycle " + cycle + ": the child continued after " +
                lastRecovered + ": " + ready.get());

            final List<String> recovered;
            try (CoreDriver driver = new CoreDriver(ctx(dataDir)))
            {
                final Database bank = driver.core.onLoop((agent) -> agent.registry().byName(LoopCrashChild.BANK),
                    CoreDriver.WAIT_MS);
                final long bankLast = driver.core.onLoop((agent) -> bank.lastTxOffset(), CoreDriver.WAIT_MS);
                assertTrue(bankLast >= reported.get(), "cycle " + cycle + ": Durable said " + reported.get() +
                    " but recovery reached " + bankLast);
                recovered = driver.contents(bank.id());
                assertEquals(LoopCrashChild.ACCOUNTS * LoopCrashChild.INITIAL, totalBalance(recovered),
                    "cycle " + cycle + ": total balance");
                lastRecovered = driver.core.onLoop(TxnLoopAgent::nextTxOffset, CoreDriver.WAIT_MS) - 1;
                System.out.println("cycle " + cycle + ": child started at " + ready.get() + ", reported durable " +
                    reported.get() + ", recovered through " + lastRecovered + ", " +
                    driver.core.recoveryReport().problems());
            }

            final Path copy = dir.resolve("replay-" + cycle);
            copyWithoutSnapshots(dataDir, copy);
            try (CoreDriver driver = new CoreDriver(ctx(copy)))
            {
                final Database bank = driver.core.onLoop((agent) -> agent.registry().byName(LoopCrashChild.BANK),
                    CoreDriver.WAIT_MS);
                assertEquals(recovered, driver.contents(bank.id()), "cycle " + cycle + ": full replay");
            }
            IoUtil.delete(copy.toFile(), false);
        }
        assertTrue(lastRecovered > 50, "the children made progress: " + lastRecovered);
    }

    private static TxnLoopContext ctx(final Path dataDir)
    {
        return new TxnLoopContext().dataDir(dataDir.toFile()).idleStrategyName("sleep").snapshotIntervalTxs(0);
    }

    private static long totalBalance(final List<String> contents)
    {
        long total = 0;
        boolean accounts = false;
        for (final String line : contents)
        {
            if (line.startsWith("table "))
            {
                accounts = "table accounts".equals(line);
            }
            else if (accounts && !line.startsWith("sequence "))
            {
                total += ByteBuffer.wrap(HexFormat.of().parseHex(line)).order(ByteOrder.LITTLE_ENDIAN).getLong(4);
            }
        }
        return total;
    }

    private static void copyWithoutSnapshots(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else if (!file.toString().endsWith(".snapshot") && !file.startsWith(from.resolve("cache")))
                {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static Process start(final Path dataDir) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("lightcone.jvm.flags",
            "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED");
        command.addAll(Arrays.stream(flags.trim().split("\\s+")).filter((f) -> !f.isEmpty()).toList());
        if (!flags.contains("jdk.internal.misc=ALL-UNNAMED"))
        {
            command.add("--add-exports");
            command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        }
        // The child is killed before it can delete its media driver's directory: keep it in the test's directory.
        command.add("-D" + CommonContext.AERON_DIR_PROP_NAME + "=" + dataDir.resolveSibling("aeron"));
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LoopCrashChild.class.getName());
        command.add(dataDir.toString());
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        return builder.start();
    }

    private static void readOutput(final Process child, final AtomicLong reported, final AtomicLong ready)
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
                else if (line.startsWith("ready "))
                {
                    ready.set(Long.parseLong(line.substring(6).trim()));
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
