package io.lightcone.cli.process;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronException;
import io.lightcone.cli.EmbeddedCoreLink;
import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ExitCodes;
import io.lightcone.edge.EdgeContext;
import io.lightcone.edge.EdgeServer;
import io.lightcone.edge.auth.AuthContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code lightcone edge}: a WebSocket/HTTP edge in its own process, linked to a core over Aeron UDP
 * ({@link CoreChannels}) through its own embedded media driver (or an external one, {@code aeronDir}). It may start
 * before or after the core: once its two streams connect, it asks the core for a bootstrap and serves the databases
 * from then on. Closing it leaves the core running; the core forgets this edge's destination after Aeron's timeout.
 * <p>
 * Every edge of one core must validate the same tokens: give them the same key directory.
 */
public final class EdgeProcess implements AutoCloseable
{
    private final MediaDriver driver;
    private final Aeron aeron;
    private final EmbeddedCoreLink link;
    private final EdgeServer edge;
    private boolean closed;

    /**
     * What to run.
     *
     * @param listen          HTTP/WebSocket host:port, port 0 for any free port.
     * @param ingressChannel  the core's ingress channel to publish to.
     * @param egressChannel   the channel to subscribe to the core's egress on.
     * @param ingressStreamId the ingress stream id.
     * @param egressStreamId  the egress stream id.
     * @param edgeId          this edge's id on the wire, distinct among the core's edges.
     * @param keyDir          the token key directory, or null for the default.
     * @param aeronDir        an external media driver's directory, or null to embed one.
     */
    public record Settings(
        String listen,
        String ingressChannel,
        String egressChannel,
        int ingressStreamId,
        int egressStreamId,
        int edgeId,
        Path keyDir,
        String aeronDir)
    {
    }

    private EdgeProcess(final MediaDriver driver, final Aeron aeron, final EmbeddedCoreLink link,
        final EdgeServer edge)
    {
        this.driver = driver;
        this.aeron = aeron;
        this.link = link;
        this.edge = edge;
    }

    /**
     * Starts the driver (unless external), the link and the edge; does not wait for the core.
     *
     * @param settings what to run.
     * @return the running edge.
     * @throws CommandFailure with {@link ExitCodes#UNREACHABLE} (cannot listen or bind) or
     *                        {@link ExitCodes#BAD_ARGS} (a malformed channel).
     */
    public static EdgeProcess start(final Settings settings)
    {
        MediaDriver driver = null;
        Aeron aeron = null;
        EmbeddedCoreLink link = null;
        try
        {
            final Aeron.Context aeronContext = new Aeron.Context().idleStrategy(new SleepingMillisIdleStrategy(1));
            if (null == settings.aeronDir())
            {
                driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                    .aeronDirectoryName(CommonContext.generateRandomDirName())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(1, 10, 1_000, TimeUnit.MILLISECONDS.toNanos(1)))
                    .publicationTermBufferLength(1 << 20)
                    .ipcTermBufferLength(1 << 20)
                    .termBufferSparseFile(true)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true));
                aeronContext.aeronDirectoryName(driver.aeronDirectoryName());
            }
            else
            {
                aeronContext.aeronDirectoryName(settings.aeronDir());
            }
            aeron = Aeron.connect(aeronContext);
            link = new EmbeddedCoreLink(aeron, settings.ingressChannel(), settings.ingressStreamId(),
                settings.egressChannel(), settings.egressStreamId());
        }
        catch (final AeronException | IllegalArgumentException | IllegalStateException ex)
        {
            CloseHelper.quietCloseAll(link, aeron, driver);
            throw CoreProcess.channelFailure(ex, "the core's channels (ingress " + settings.ingressChannel() +
                ", egress " + settings.egressChannel() + ")");
        }
        final AuthContext auth = new AuthContext();
        if (null != settings.keyDir())
        {
            auth.keyDir(settings.keyDir());
        }
        try
        {
            final EdgeServer edge = EdgeServer.launch(new EdgeContext()
                .listenAddress(settings.listen())
                .edgeId(settings.edgeId())
                .coreLink(link)
                .authContext(auth));
            return new EdgeProcess(driver, aeron, link, edge);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(link, aeron, driver);
            throw new CommandFailure(ExitCodes.UNREACHABLE, "cannot listen on " + settings.listen() + ": " +
                ex.getMessage() + "; pass --listen with a free local host:port", ex);
        }
    }

    /**
     * Waits until the streams to the core are connected.
     *
     * @param timeoutMs how long to wait.
     * @return whether they are.
     */
    public boolean awaitConnected(final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!link.isConnected())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether both streams to the core are connected.
     */
    public boolean isConnected()
    {
        return link.isConnected();
    }

    /**
     * @return the HTTP/WebSocket port.
     */
    public int port()
    {
        return edge.port();
    }

    /**
     * @return the edge.
     */
    public EdgeServer edge()
    {
        return edge;
    }

    /**
     * Closes the edge (its clients and its link), then the Aeron client and the driver; idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.closeAll(edge, aeron, driver);
    }
}
