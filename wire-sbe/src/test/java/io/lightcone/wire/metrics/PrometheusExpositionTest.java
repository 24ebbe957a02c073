package io.lightcone.wire.metrics;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusExpositionTest
{
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\",?)*)})? (\\S+)");

    private static CountersManager newManager()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 * 4)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)));
    }

    @Test
    void shouldRenderHistogramsAndCountersThatAgreeWithAModel()
    {
        final Metrics metrics = new Metrics(newManager());
        final Random random = new Random(0x5eed_2026L);
        final String[] reducers = {"add", "say_hello", "transfer"};
        final Map<String, Histogram> histograms = new LinkedHashMap<>();
        final Map<String, List<Long>> recorded = new HashMap<>();
        final Map<String, AtomicCounter> calls = new LinkedHashMap<>();
        for (final String reducer : reducers)
        {
            final String labels = Metrics.labels("database", "bank", "reducer", reducer);
            histograms.put(reducer, metrics.latencyHistogram(MetricFamily.REDUCER_DURATION, labels));
            calls.put(reducer, metrics.counter(MetricFamily.REDUCER_CALLS, labels));
            recorded.put(reducer, new java.util.ArrayList<>());
        }
        final AtomicCounter recovery = metrics.micros(MetricFamily.CORE_RECOVERY_TIME, "");
        recovery.setRelease(1_234_567);

        for (int i = 0; i < 10_000; i++)
        {
            final String reducer = reducers[random.nextInt(reducers.length)];
            final long micros = (long)Math.exp(random.nextDouble() * 17) - 1;
            histograms.get(reducer).record(micros);
            calls.get(reducer).incrementRelease();
            recorded.get(reducer).add(micros);
        }

        final String page = PrometheusExposition.render(metrics.reader());
        final Map<String, String> values = parse(page);

        for (final String reducer : reducers)
        {
            final List<Long> model = recorded.get(reducer);
            final String labels = "database=\"bank\",reducer=\"" + reducer + "\"";
            assertEquals(Long.toString(model.size()), values.get("lightcone_reducer_calls_total{" + labels + "}"));
            assertEquals(Long.toString(model.size()), values.get("lightcone_reducer_duration_seconds_count{" +
                labels + "}"));
            final long sum = model.stream().mapToLong(Long::longValue).sum();
            assertEquals(0, BigDecimal.valueOf(sum, 6).compareTo(
                new BigDecimal(values.get("lightcone_reducer_duration_seconds_sum{" + labels + "}"))));
            long previous = 0;
            for (final long bound : Metrics.LATENCY_BOUNDS_MICROS)
            {
                final String le = BigDecimal.valueOf(bound, 6).stripTrailingZeros().toPlainString();
                final long cumulative = Long.parseLong(
                    values.get("lightcone_reducer_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"}"));
                assertEquals(model.stream().filter((v) -> v <= bound).count(), cumulative, reducer + " le " + le);
                assertTrue(cumulative >= previous);
                previous = cumulative;
            }
            assertEquals(Long.toString(model.size()),
                values.get("lightcone_reducer_duration_seconds_bucket{" + labels + ",le=\"+Inf\"}"));
        }
        assertEquals("1.234567", values.get("lightcone_core_recovery_seconds"));
        assertEquals(1, count(page, "# TYPE lightcone_reducer_duration_seconds histogram\n"));
        assertEquals(1, count(page, "# TYPE lightcone_reducer_calls_total counter\n"));
        assertEquals(1, count(page, "# HELP lightcone_core_recovery_seconds "));
    }

    @Test
    void shouldMergeReadersAndIgnoreOtherCounters()
    {
        final CountersManager core = newManager();
        final CountersManager edge = newManager();
        core.newCounter("somebody else's counter", 42).setRelease(99);
        new Metrics(core).counter(MetricFamily.CORE_TXS_COMMITTED, "").setRelease(7);
        new Metrics(edge).counter(MetricFamily.EDGE_CLIENTS, "").setRelease(3);

        final String page = PrometheusExposition.render(core, edge);
        final Map<String, String> values = parse(page);
        assertEquals(Map.of("lightcone_core_transactions_committed_total", "7", "lightcone_edge_clients", "3"), values);
        assertFalse(page.contains("somebody"));
    }

    @Test
    void shouldEscapeLabelValuesAndFreeClosedHistograms()
    {
        final Metrics metrics = new Metrics(newManager());
        final String labels = Metrics.labels("table", "a\"b\\c\nd\u00e9", "database", "x".repeat(100));
        assertEquals("table=\"a\\\"b\\\\c\\nd?\",database=\"" + "x".repeat(Metrics.MAX_LABEL_VALUE_LENGTH) + "\"",
            labels);
        metrics.counter(MetricFamily.TABLE_ROWS, labels).setRelease(5);
        assertEquals("5", parse(PrometheusExposition.render(metrics.reader()))
            .get("lightcone_table_rows{" + labels + "}"));

        final Histogram histogram = metrics.histogram(MetricFamily.COMMITLOG_BATCH_RECORDS, "", Metrics.BATCH_BOUNDS,
            false);
        histogram.record(3);
        assertEquals("1", parse(PrometheusExposition.render(metrics.reader()))
            .get("lightcone_commitlog_batch_records_bucket{le=\"4\"}"));
        histogram.close();
        assertFalse(PrometheusExposition.render(metrics.reader()).contains("lightcone_commitlog_batch_records"));

        assertThrows(IllegalArgumentException.class, () -> metrics.latencyHistogram(MetricFamily.TABLE_ROWS, ""));
        assertThrows(IllegalArgumentException.class, () -> Metrics.labels("odd"));
    }

    private static Map<String, String> parse(final String page)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String line : page.split("\n"))
        {
            if (line.startsWith("#"))
            {
                assertTrue(line.startsWith("# HELP lightcone_") || line.startsWith("# TYPE lightcone_"), line);
                continue;
            }
            final Matcher matcher = SAMPLE.matcher(line);
            assertTrue(matcher.matches(), line);
            final String value = matcher.group(4);
            assertTrue(value.matches("-?[0-9]+(\\.[0-9]+)?"), line);
            assertEquals(null, values.put(line.substring(0, line.lastIndexOf(' ')), value), "duplicate " + line);
        }
        return values;
    }

    private static int count(final String text, final String part)
    {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1))
        {
            n++;
        }
        return n;
    }
}
