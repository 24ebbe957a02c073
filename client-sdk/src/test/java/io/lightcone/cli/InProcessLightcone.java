package io.lightcone.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code lightcone start} in-process for the SDK's tests (LightconeServer is package-private to cli): the embedded
 * core and edge on an ephemeral loopback port with modules published.
 */
public final class InProcessLightcone implements AutoCloseable
{
    private final LightconeServer server;

    private InProcessLightcone(final LightconeServer server)
    {
        this.server = server;
    }

    /**
     * Starts a server.
     *
     * @param dataDir data directory.
     * @param modules database name to module file.
     * @return the running server.
     */
    public static InProcessLightcone start(final Path dataDir, final Map<String, Path> modules)
    {
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new InProcessLightcone(LightconeServer.start(
            new LightconeServer.Settings(dataDir, "127.0.0.1:0", true, modules), out));
    }

    /**
     * The base URL.
     *
     * @return {@code http://127.0.0.1:PORT}.
     */
    public String httpUrl()
    {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close()
    {
        server.close();
    }
}
