package io.lightcone.bench.plot;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Plots render headless from small JSON fixtures into PNGs that decode at the expected size, and carry the values of
 * the fixture.
 */
final class PlotMainTest
{
    private static final Path FIXTURES = Path.of("src/test/resources/plot");

    @TempDir
    Path dir;

    @Test
    void shouldRenderEveryKnownFileAsDecodablePngs() throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        Files.copy(FIXTURES.resolve("fanout-fixture.json"), dir.resolve("fanout-fixture.json"));
        Files.copy(FIXTURES.resolve("keynote-fixture.json"), dir.resolve("keynote-fixture.json"));
        Files.writeString(dir.resolve("notes.json"), "{\"unrelated\": true}");
        final List<Path> written = PlotMain.renderAll(dir);
        assertEquals(List.of(dir.resolve("fanout-fixture-deliveries.png"), dir.resolve("fanout-fixture-p99.png"),
            dir.resolve("keynote-fixture-tps.png"), dir.resolve("keynote-fixture-p99.png")), written);
        for (final Path png : written)
        {
            final BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " does not decode");
            assertEquals(PlotMain.WIDTH, image.getWidth());
            assertEquals(PlotMain.HEIGHT, image.getHeight());
        }
    }

    @Test
    void fanoutPlotsShouldCarryTheFixturesValues() throws IOException
    {
        final Object json = JsonTree.read(FIXTURES.resolve("fanout-fixture.json"));
        final XYPlot deliveries = FanoutPlots.deliveries(json, "t").getXYPlot();
        assertEquals(3, deliveries.getDataset().getSeriesCount(), "lightcone, redis and the offered load");
        assertEquals(700_000.0, deliveries.getDataset().getYValue(0, 1));
        final XYPlot p99 = FanoutPlots.p99(json, "t").getXYPlot();
        assertEquals(9.0, p99.getDataset().getYValue(1, 1), "redis p99 at 1,000 subscribers, ms");
    }

    @Test
    void keynotePlotsShouldKeepTheBestThroughputRunPerSystem() throws IOException
    {
        final Object json = JsonTree.read(FIXTURES.resolve("keynote-fixture.json"));
        final JFreeChart tps = KeynotePlots.tps(json, "t");
        final CategoryPlot plot = tps.getCategoryPlot();
        assertEquals(11454.0, plot.getDataset().getValue("postgresql", "α=0.0 durable").doubleValue());
        assertEquals(45721.0, plot.getDataset().getValue("sqlite", "α=1.5 async").doubleValue());
        assertEquals(-1, plot.getDataset().getColumnIndex("α=0.0 async"), "the latency run is not plotted");
        final CategoryPlot p99 = KeynotePlots.p99(json, "t").getCategoryPlot();
        assertEquals(15.743, p99.getDataset().getValue("postgresql", "α=0.0 durable").doubleValue(), 1e-9);
    }
}
