package io.lightcone.bench.plot;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

import java.util.Locale;

/**
 * Plots of a {@code keynote-*.json}: for the pipelined (throughput) runs, per alpha and durability class, the best
 * TPS of each system over its runs (rounds and PostgreSQL concurrencies), and the p99 latency of that same run.
 */
final class KeynotePlots
{
    private KeynotePlots()
    {
    }

    /**
     * @param json  the file's value.
     * @param title the chart's title.
     * @return TPS by (alpha, durability) and system.
     */
    static JFreeChart tps(final Object json, final String title)
    {
        final DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (final Object run : JsonTree.list(json, "runs"))
        {
            if (isThroughput(run))
            {
                put(data, JsonTree.number(run, "tps_mean"), run);
            }
        }
        return ChartFactory.createBarChart(title + ": pipelined transfers, best TPS per system", "alpha, durability",
            "transfers per second", data, PlotOrientation.VERTICAL, true, false, false);
    }

    /**
     * @param json  the file's value.
     * @param title the chart's title.
     * @return p99 (ms) of each system's best-TPS run by (alpha, durability).
     */
    static JFreeChart p99(final Object json, final String title)
    {
        final DefaultCategoryDataset best = new DefaultCategoryDataset();
        final DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (final Object run : JsonTree.list(json, "runs"))
        {
            if (isThroughput(run) && put(best, JsonTree.number(run, "tps_mean"), run))
            {
                data.setValue(JsonTree.number(run, "latency_us", "p99") / 1000.0, system(run), category(run));
            }
        }
        return ChartFactory.createBarChart(title + ": p99 latency of the best-TPS run", "alpha, durability",
            "p99, ms", data, PlotOrientation.VERTICAL, true, false, false);
    }

    /** Keeps the larger value per (system, category); returns whether this run's value was kept. */
    private static boolean put(final DefaultCategoryDataset data, final double value, final Object run)
    {
        final String system = system(run);
        final String category = category(run);
        if (data.getRowIndex(system) >= 0 && data.getColumnIndex(category) >= 0)
        {
            final Number old = data.getValue(system, category);
            if (null != old && old.doubleValue() >= value)
            {
                return false;
            }
        }
        data.setValue(value, system, category);
        return true;
    }

    /** The latency set runs one call in flight on 1 or 4 connections (never SQLite); the rest is pipelined. */
    private static boolean isThroughput(final Object run)
    {
        final double inFlight = JsonTree.number(run, "in_flight_per_connection");
        final double connections = JsonTree.number(run, "connections");
        return "sqlite".equals(JsonTree.text(run, "system")) || inFlight > 1 || connections > 4;
    }

    private static String system(final Object run)
    {
        return JsonTree.text(run, "system");
    }

    private static String category(final Object run)
    {
        final String durability = JsonTree.text(run, "durability").toLowerCase(Locale.ROOT);
        final boolean durable = durability.equals("confirmed") || durability.endsWith("=on") ||
            durability.endsWith("=full");
        return "α=" + JsonTree.text(run, "alpha") + (durable ? " durable" : " async");
    }
}
