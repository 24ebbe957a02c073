package io.lightcone.cli.process;

import io.lightcone.wire.metrics.MetricFamily;
import io.lightcone.wire.metrics.Metrics;
import io.lightcone.wire.metrics.PrometheusExposition;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stand-alone core's {@code /metrics}: the live counter values in the Prometheus format, 404 elsewhere.
 */
class MetricsHttpServerTest
{
    @Test
    void shouldServeTheLiveCountersAndNothingElse() throws Exception
    {
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 * 4)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)));
        final AtomicCounter committed = new Metrics(counters).counter(MetricFamily.CORE_TXS_COMMITTED, "");
        final HttpClient http = HttpClient.newHttpClient();
        try (MetricsHttpServer server = MetricsHttpServer.start("127.0.0.1", 0, counters))
        {
            final URI metrics = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
            committed.setRelease(41);
            committed.increment();
            final HttpResponse<String> page = http.send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals(PrometheusExposition.CONTENT_TYPE, page.headers().firstValue("content-type").orElse(""));
            assertTrue(page.body().contains("\nlightcone_core_transactions_committed_total 42\n"), page.body());
            assertEquals(404, http.send(HttpRequest.newBuilder(metrics.resolve("/other")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
