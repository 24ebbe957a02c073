package io.lightcone.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine a run was measured on, for the results file: processors, OS, JVM, CPU model and the load average at
 * the start and the end of the run (other builds share the box, so the load average says how much of it the run had).
 */
public final class Machine
{
    private Machine()
    {
    }

    /**
     * @return the one-minute load average, or a negative value where the OS has none.
     */
    public static double loadAverage()
    {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Describes the machine now.
     *
     * @param loadBefore the load average at the start of the run ({@link #loadAverage()}).
     * @return processors, os, java, load averages and (on Linux) the CPU model.
     */
    public static Map<String, Object> describe(final double loadBefore)
    {
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("processors", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("load_average_at_start", loadBefore);
        machine.put("load_average_at_end", loadAverage());
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    machine.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        }
        catch (final IOException ignore)
        {
            // not Linux: no model name
        }
        return machine;
    }
}
