package io.lightcone.bench.plot;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bench/run plots}: renders a PNG for every result file in a directory ({@code docs/benchmarks/}) that it
 * knows how to draw, next to the file and named after it: {@code keynote-*.json} (TPS and p99 by peer, alpha and
 * durability), {@code fanout-*.json} (row deliveries per second and p99 by subscriber count and peer) and JMH
 * results ({@code storage-, reducer-, load-*.json}: score by benchmark). Runs headless.
 */
public final class PlotMain
{
    /** Width of every plot, pixels. */
    public static final int WIDTH = 1000;
    /** Height of every plot, pixels. */
    public static final int HEIGHT = 560;

    private PlotMain()
    {
    }

    /**
     * @param args the results directory [docs/benchmarks].
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final Path dir = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
        for (final Path png : renderAll(dir))
        {
            System.out.println("# wrote " + png);
        }
    }

    /**
     * Renders every known result file in a directory.
     *
     * @param dir the directory.
     * @return the PNGs written.
     * @throws IOException if a file cannot be read or written.
     */
    public static List<Path> renderAll(final Path dir) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter((p) -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        final List<Path> written = new ArrayList<>();
        for (final Path file : files)
        {
            written.addAll(render(file, dir));
        }
        return written;
    }

    /**
     * Renders one result file.
     *
     * @param file   the JSON file.
     * @param outDir where the PNGs go.
     * @return the PNGs written (none when the file is of no known kind).
     * @throws IOException if it cannot be read or written.
     */
    public static List<Path> render(final Path file, final Path outDir) throws IOException
    {
        final String name = file.getFileName().toString();
        final String stem = name.substring(0, name.length() - ".json".length());
        final Object json = JsonTree.read(file);
        final List<Path> written = new ArrayList<>();
        if (name.startsWith("keynote-"))
        {
            written.add(write(KeynotePlots.tps(json, stem), outDir.resolve(stem + "-tps.png")));
            written.add(write(KeynotePlots.p99(json, stem), outDir.resolve(stem + "-p99.png")));
        }
        else if (name.startsWith("fanout-"))
        {
            written.add(write(FanoutPlots.deliveries(json, stem), outDir.resolve(stem + "-deliveries.png")));
            written.add(write(FanoutPlots.p99(json, stem), outDir.resolve(stem + "-p99.png")));
        }
        else if (json instanceof List<?> list && !list.isEmpty() && null != JsonTree.at(list, 0, "primaryMetric"))
        {
            written.add(write(JmhPlots.scores(list, stem), outDir.resolve(stem + ".png")));
        }
        return written;
    }

    private static Path write(final JFreeChart chart, final Path png) throws IOException
    {
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        return png;
    }
}
