package io.lightcone.cli.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lightcone.wire.metrics.PrometheusExposition;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} for a process that has no edge in its JVM (the stand-alone core): the JDK's small HTTP server
 * on its own thread, rendering the counters with {@link PrometheusExposition} on each scrape.
 */
public final class MetricsHttpServer implements AutoCloseable
{
    private final HttpServer server;

    private MetricsHttpServer(final HttpServer server)
    {
        this.server = server;
    }

    /**
     * Starts serving.
     *
     * @param host    address to bind.
     * @param port    port to bind; 0 picks one.
     * @param readers the counters to serve.
     * @return the running server.
     * @throws IOException when it cannot bind.
     */
    public static MetricsHttpServer start(final String host, final int port, final CountersReader... readers)
        throws IOException
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 8);
        server.createContext("/metrics", (exchange) -> answer(exchange, readers));
        server.start();
        return new MetricsHttpServer(server);
    }

    /**
     * @return the port it listens on.
     */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /**
     * Stops serving.
     */
    public void close()
    {
        server.stop(0);
    }

    private static void answer(final HttpExchange exchange, final CountersReader[] readers) throws IOException
    {
        try (exchange)
        {
            if (!"GET".equals(exchange.getRequestMethod()) || !"/metrics".equals(exchange.getRequestURI().getPath()))
            {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            final byte[] body = PrometheusExposition.render(readers).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", PrometheusExposition.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }
}
