package io.lightcone.bench.keynote;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of a server process (and its descendants: PostgreSQL's backends) from {@code /proc/<pid>/stat}, and of
 * this JVM from {@link com.sun.management.OperatingSystemMXBean#getProcessCpuTime()}; also the load average.
 */
public final class CpuMeter
{
    /** Linux reports utime and stime in USER_HZ ticks, 100 per second on every supported architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuMeter()
    {
    }

    /**
     * CPU time (user + system) of a process and all its live descendants.
     *
     * @param pid process id, or a negative value for none.
     * @return nanoseconds, or -1 when there is no such process or no /proc.
     */
    public static long processTreeCpuNs(final long pid)
    {
        if (pid < 0)
        {
            return -1;
        }
        final List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent((handle) -> handle.descendants().forEach((d) -> pids.add(d.pid())));
        long sum = 0;
        for (final long p : pids)
        {
            final long ticks = ticks(p);
            if (ticks < 0 && p == pid)
            {
                return -1;
            }
            sum += Math.max(0, ticks);
        }
        return sum * NANOS_PER_TICK;
    }

    /**
     * @return CPU time of this JVM (all threads), nanoseconds, or -1 if unavailable.
     */
    public static long ownCpuNs()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
        {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long ticks(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after "(comm)": state is field 3; utime and stime are fields 14 and 15
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}
