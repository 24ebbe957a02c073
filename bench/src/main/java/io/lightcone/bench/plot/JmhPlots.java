package io.lightcone.bench.plot;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

import java.util.List;
import java.util.Map;

/**
 * Plot of a JMH result file: one horizontal bar per benchmark and parameter set, grouped by score unit.
 */
final class JmhPlots
{
    private JmhPlots()
    {
    }

    /**
     * @param results JMH's JSON array.
     * @param title   the chart's title.
     * @return score by benchmark.
     */
    static JFreeChart scores(final List<?> results, final String title)
    {
        final DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (final Object result : results)
        {
            final String benchmark = JsonTree.text(result, "benchmark");
            final StringBuilder label = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.',
                benchmark.lastIndexOf('.') - 1) + 1));
            if (JsonTree.at(result, "params") instanceof Map<?, ?> params)
            {
                params.forEach((k, v) -> label.append(' ').append(k).append('=').append(v));
            }
            data.setValue(JsonTree.number(result, "primaryMetric", "score"),
                JsonTree.text(result, "primaryMetric", "scoreUnit"), label.toString());
        }
        return ChartFactory.createBarChart(title + ": JMH scores", "benchmark", "score", data,
            PlotOrientation.HORIZONTAL, true, false, false);
    }
}
