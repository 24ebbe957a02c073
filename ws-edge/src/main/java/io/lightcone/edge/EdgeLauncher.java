package io.lightcone.edge;

import org.agrona.SystemUtil;
import org.agrona.concurrent.ShutdownSignalBarrier;

/**
 * Runs an edge process linked to the core over Aeron: {@code EdgeLauncher [properties files...]}.
 */
public final class EdgeLauncher
{
    /** Aeron directory of the media driver shared with the core. */
    public static final String AERON_DIR_PROP_NAME = "aeron.dir";

    private EdgeLauncher()
    {
    }

    /**
     * Entry point.
     *
     * @param args properties files to load.
     */
    public static void main(final String[] args)
    {
        SystemUtil.loadPropertiesFiles(args);
        final EdgeContext ctx = new EdgeContext().coreLink(new AeronCoreLink(System.getProperty(AERON_DIR_PROP_NAME)));
        try (EdgeServer server = EdgeServer.launch(ctx))
        {
            System.out.println("lightcone edge listening on " + ctx.listenHost() + ":" + server.port() +
                (server.isEpoll() ? " (epoll)" : " (nio)"));
            new ShutdownSignalBarrier().await();
        }
    }
}
