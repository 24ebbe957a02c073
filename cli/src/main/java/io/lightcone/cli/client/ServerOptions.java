package io.lightcone.cli.client;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The options every client command shares: which server, and which config file holds the caller's identity.
 */
public final class ServerOptions
{
    /** Server used when neither {@code --server} nor the config's {@code server} says otherwise. */
    public static final String DEFAULT_SERVER = "http://127.0.0.1:3000";

    @Option(names = {"-s", "--server"}, paramLabel = "URL",
        description = "The server's HTTP address (default: the config's `server`, else " + DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--config", paramLabel = "FILE",
        description = "The config file holding your identity and token (default: $" + CliConfig.CONFIG_ENV +
            ", else ~/.config/lightcone/cli.properties).")
    Path config;

    /**
     * Loads the config and opens a connection.
     *
     * @param err where notices go.
     * @return the connection.
     */
    public ServerConnection connect(final PrintWriter err)
    {
        final CliConfig loaded = loadConfig();
        final String url = null != server ? server :
            null != loaded.get(CliConfig.SERVER_KEY) ? loaded.get(CliConfig.SERVER_KEY) : DEFAULT_SERVER;
        return new ServerConnection(url, loaded, err);
    }

    /**
     * @return the config the options name.
     */
    CliConfig loadConfig()
    {
        return CliConfig.load(CliConfig.resolve(config, System.getenv()));
    }
}
