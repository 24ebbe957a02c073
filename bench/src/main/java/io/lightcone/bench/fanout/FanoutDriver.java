package io.lightcone.bench.fanout;

import io.lightcone.bench.report.Machine;
import io.lightcone.bench.keynote.CpuMeter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one fan-out run: sends commits at the workload's fixed rate (skipping, and counting, a commit when
 * {@code maxInFlight} are still unanswered), measures CPU over the measured window, then waits until every commit
 * has an outcome and every subscriber has every row of its zone, or the drain time is up. Sleeps between commits.
 */
final class FanoutDriver
{
    private static final long MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long DRAIN_PARK_NS = TimeUnit.MILLISECONDS.toNanos(2);

    private FanoutDriver()
    {
    }

    /**
     * @param system      peer name for the result.
     * @param variant     variant name for the result.
     * @param recorder    the run's recorder (subscribers already connected).
     * @param sink        where commits go.
     * @param maxInFlight most commits without an outcome.
     * @param serverPid   server process for CPU, or -1.
     * @param rssBefore   server RSS before the subscribers connected, or -1.
     * @param rssAfter    server RSS after they subscribed, or -1.
     * @return the result.
     */
    static FanoutResult drive(
        final String system,
        final String variant,
        final FanoutRecorder recorder,
        final CommitSink sink,
        final int maxInFlight,
        final long serverPid,
        final long rssBefore,
        final long rssAfter)
    {
        final FanoutWorkload workload = recorder.workload();
        final long periodNs = TimeUnit.SECONDS.toNanos(1) / workload.commitsPerSecond();
        recorder.start(System.nanoTime());
        long next = System.nanoTime();
        long seq = 0;
        long windowStartNs = 0;
        long serverCpuStart = -1;
        long clientCpuStart = -1;
        long now = System.nanoTime();
        while (now < recorder.endNs())
        {
            if (0 == windowStartNs && now >= recorder.warmupEndNs())
            {
                windowStartNs = now;
                serverCpuStart = CpuMeter.processTreeCpuNs(serverPid);
                clientCpuStart = CpuMeter.ownCpuNs();
            }
            if (now >= next)
            {
                if (sink.inFlight() < maxInFlight)
                {
                    seq++;
                    recorder.sent(seq);
                    sink.send(seq, workload.firstId(seq), now);
                }
                else
                {
                    recorder.heldBack();
                }
                next += periodNs;
            }
            else if (0 == sink.poll())
            {
                LockSupport.parkNanos(Math.min(next - now, MAX_PARK_NS));
            }
            now = System.nanoTime();
        }
        final long windowNs = now - windowStartNs;
        final long serverCpu = serverCpuStart < 0 ? -1 : CpuMeter.processTreeCpuNs(serverPid) - serverCpuStart;
        final long clientCpu = CpuMeter.ownCpuNs() - clientCpuStart;
        final double load = Machine.loadAverage();

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(workload.drainSeconds());
        int checks = 0;
        while (System.nanoTime() < deadline)
        {
            sink.poll();
            if (sink.inFlight() == 0 && (++checks % 8 == 0) && recorder.subscribersOff() == 0)
            {
                break;
            }
            LockSupport.parkNanos(DRAIN_PARK_NS);
        }
        return new FanoutResult(system, variant, recorder, sink.inFlight(), serverCpu, clientCpu, windowNs,
            rssBefore, rssAfter, load);
    }

    /**
     * Resident set size of a process from {@code /proc/<pid>/status}.
     *
     * @param pid process id, or -1.
     * @return bytes, or -1 when unknown.
     */
    static long rssBytes(final long pid)
    {
        if (pid < 0)
        {
            return -1;
        }
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return 1024 * Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        return -1;
    }
}
