package io.lightcone.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A durable {@code lightcone start} in this JVM serving the keynote module as database {@code keynote}, for the
 * benchmark's smoke run, or another module for the fan-out smoke run ({@link LightconeServer} is package-private
 * to cli).
 */
public final class KeynoteServer implements AutoCloseable
{
    private final LightconeServer server;

    /**
     * Starts the server on an ephemeral loopback port.
     *
     * @param dataDir data directory.
     * @param module  the keynote module.
     */
    public KeynoteServer(final Path dataDir, final Path module)
    {
        this(dataDir, "keynote", module);
    }

    /**
     * Starts the server on an ephemeral loopback port serving another module (the fan-out benchmark's).
     *
     * @param dataDir  data directory.
     * @param database the database name to serve the module as.
     * @param module   the module.
     */
    public KeynoteServer(final Path dataDir, final String database, final Path module)
    {
        server = LightconeServer.start(new LightconeServer.Settings(dataDir, "127.0.0.1:0", true,
            Map.of(database, module)), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /**
     * @return {@code http://127.0.0.1:PORT}.
     */
    public String url()
    {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close()
    {
        server.close();
    }
}
