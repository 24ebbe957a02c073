package io.lightcone.bench.plot;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.text.DecimalFormat;
import java.util.function.ToDoubleFunction;

/**
 * Plots of a {@code fanout-*.json}: row deliveries per second (and what the writer offered) and p99
 * commit-to-client latency, by subscriber count (log axis), one line per system.
 */
final class FanoutPlots
{
    private FanoutPlots()
    {
    }

    /**
     * @param json  the file's value.
     * @param title the chart's title.
     * @return deliveries per second by subscribers.
     */
    static JFreeChart deliveries(final Object json, final String title)
    {
        final XYSeriesCollection data = series(json, (run) -> JsonTree.number(run, "rows_per_second_mean"), "");
        final XYSeries offered = new XYSeries("offered by the writer", true, true);
        for (final Object run : JsonTree.list(json, "runs"))
        {
            offered.addOrUpdate(JsonTree.number(run, "subscribers"), JsonTree.number(run, "offered_rows_per_second"));
        }
        data.addSeries(offered);
        return chart(title + ": row deliveries per second, all subscribers", "rows per second", data, false);
    }

    /**
     * @param json  the file's value.
     * @param title the chart's title.
     * @return p99 latency (ms) by subscribers.
     */
    static JFreeChart p99(final Object json, final String title)
    {
        return chart(title + ": p99 commit-to-client latency (log scale)", "p99, ms",
            series(json, (run) -> JsonTree.number(run, "latency_us", "p99") / 1000.0, ""), true);
    }

    private static XYSeriesCollection series(
        final Object json, final ToDoubleFunction<Object> value, final String suffix)
    {
        final XYSeriesCollection data = new XYSeriesCollection();
        for (final Object run : JsonTree.list(json, "runs"))
        {
            final String key = JsonTree.text(run, "system") + suffix;
            XYSeries series = data.getSeriesIndex(key) >= 0 ? data.getSeries(key) : null;
            if (null == series)
            {
                series = new XYSeries(key, true, true);
                data.addSeries(series);
            }
            series.addOrUpdate(JsonTree.number(run, "subscribers"), value.applyAsDouble(run));
        }
        return data;
    }

    private static JFreeChart chart(
        final String title, final String yLabel, final XYSeriesCollection data, final boolean logY)
    {
        final LogAxis x = new LogAxis("subscribers");
        x.setBase(10);
        x.setNumberFormatOverride(new DecimalFormat("#,##0"));
        final ValueAxis y;
        if (logY)
        {
            final LogAxis log = new LogAxis(yLabel);
            log.setBase(10);
            log.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
            y = log;
        }
        else
        {
            y = new NumberAxis(yLabel);
        }
        final XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(true, true));
        return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }
}
