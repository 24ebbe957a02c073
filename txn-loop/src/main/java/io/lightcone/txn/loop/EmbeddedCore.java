package io.lightcone.txn.loop;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.lightcone.txn.log.CommitLog;
import io.lightcone.wire.AeronWirePublication;
import io.lightcone.wire.CoreEgressListener;
import org.agrona.CloseHelper;
import org.agrona.SystemUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One JVM holding an embedded media driver ({@link ThreadingMode#SHARED}, sleeping idle, its directory deleted on
 * start and shutdown, 1 MiB terms), an Aeron client, and the transaction loop on its own {@link AgentRunner}
 * thread, talking over the context's channels ({@code aeron:ipc} by default). {@link #newClient} gives the edge
 * side. With durability on and no commit sink given, it opens the global commit log ({@code <dataDir>/log}, torn
 * tail cut) and recovers every database ({@link TxnLoopAgent#recover}) before the loop serves anything.
 * {@link #close()} stops the loop, then drains and closes the log, then the rest, with {@link CloseHelper}.
 * <pre>
 *   try (EmbeddedCore core = EmbeddedCore.launch(new TxnLoopContext().dataDir(dir)))
 *   {
 *       CoreClient client = core.newClient(listener);   // publish, call, poll egress
 *   }
 * </pre>
 */
public final class EmbeddedCore implements AutoCloseable
{
    private final TxnLoopContext ctx;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Subscription ingress;
    private final Publication egress;
    private final TxnLoopAgent agent;
    private final AgentRunner runner;
    private final CommitLog commitLog;
    private final TxnLoopAgent.RecoveryReport recoveryReport;

    private EmbeddedCore(final TxnLoopContext ctx)
    {
        this.ctx = ctx.conclude();
        CommitLog openedLog = null;
        if (null == ctx.commitSink())
        {
            openedLog = CommitLog.open(ctx.commitLogContext());
            ctx.commitSink(openedLog);
            ctx.firstTxOffset(Math.max(ctx.firstTxOffset(), openedLog.nextTxOffset()));
        }
        MediaDriver launchedDriver = null;
        Aeron connected = null;
        Subscription subscription = null;
        Publication publication = null;
        try
        {
            launchedDriver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(embeddedDriverDirectory())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(1, 10, 1_000, TimeUnit.MILLISECONDS.toNanos(1)))
                .ipcTermBufferLength(1 << 20)
                .publicationTermBufferLength(1 << 20)
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            connected = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(launchedDriver.aeronDirectoryName())
                .idleStrategy(new SleepingMillisIdleStrategy(1)));
            subscription = connected.addSubscription(ctx.ingressChannel(), ctx.ingressStreamId());
            publication = connected.addExclusivePublication(ctx.egressChannel(), ctx.egressStreamId());
            this.agent = new TxnLoopAgent(ctx, new SubscriptionIngress(subscription),
                new AeronWirePublication(publication));
            this.recoveryReport = null == openedLog ? null : agent.recover(ctx.commitLogContext().dir());
            this.runner = new AgentRunner(ctx.idleStrategy(), ctx.errorHandler(), ctx.errorCounter(), agent);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(publication, subscription, connected, launchedDriver, openedLog);
            if (null != openedLog)
            {
                ctx.commitSink(null);
            }
            throw ex;
        }
        this.commitLog = openedLog;
        this.driver = launchedDriver;
        this.aeron = connected;
        this.ingress = subscription;
        this.egress = publication;
        AgentRunner.startOnThread(runner);
    }

    /**
     * Launches a media driver and a loop.
     *
     * @param ctx the loop's context.
     * @return the running core.
     */
    public static EmbeddedCore launch(final TxnLoopContext ctx)
    {
        return new EmbeddedCore(ctx);
    }

    /**
     * A client on the loop's channels.
     *
     * @param listener receives egress.
     * @return the client; close it before the core.
     */
    public CoreClient newClient(final CoreEgressListener listener)
    {
        return new CoreClient(aeron, ctx, listener);
    }

    /**
     * Runs a function on the loop thread and waits for its result.
     *
     * @param function what to run.
     * @param timeoutMs how long to wait.
     * @param <T> the result type.
     * @return the result.
     */
    public <T> T onLoop(final Function<TxnLoopAgent, T> function, final long timeoutMs)
    {
        final CompletableFuture<T> result = new CompletableFuture<>();
        agent.execute(() ->
        {
            try
            {
                result.complete(function.apply(agent));
            }
            catch (final RuntimeException ex)
            {
                result.completeExceptionally(ex);
            }
        });
        try
        {
            return result.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return the loop (touch its state only through {@link #onLoop}).
     */
    public TxnLoopAgent agent()
    {
        return agent;
    }

    /**
     * @return the context.
     */
    public TxnLoopContext context()
    {
        return ctx;
    }

    /**
     * @return the Aeron client.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * @return the commit log this core opened (durable on, no sink given), or null.
     */
    public CommitLog commitLog()
    {
        return commitLog;
    }

    /**
     * @return what recovery did at launch, or null when no commit log was opened here.
     */
    public TxnLoopAgent.RecoveryReport recoveryReport()
    {
        return recoveryReport;
    }

    /**
     * Stops the loop, then drains and closes the commit log (everything accepted is written and forced), then
     * closes the publication, subscription, client and driver.
     */
    public void close()
    {
        CloseHelper.closeAll(runner, commitLog, egress, ingress, aeron, driver);
    }

    /**
     * Runs a core until SIGINT or SIGTERM: {@code java io.lightcone.txn.loop.EmbeddedCore [properties files]}.
     *
     * @param args properties files to load first.
     */
    public static void main(final String[] args)
    {
        SystemUtil.loadPropertiesFiles(args);
        final EmbeddedCore core = launch(new TxnLoopContext());
        try
        {
            new ShutdownSignalBarrier().await();
        }
        finally
        {
            core.close();
        }
    }

    /**
     * The embedded media driver's directory: Aeron's own {@code aeron.dir} property when set (a process that may be
     * killed keeps it somewhere it can be cleaned up), otherwise a fresh one in Aeron's default place.
     */
    private static String embeddedDriverDirectory()
    {
        final String configured = System.getProperty(CommonContext.AERON_DIR_PROP_NAME);
        return null == configured || configured.isBlank() ? CommonContext.generateRandomDirName() : configured;
    }

    /**
     * The loop's ingress: an Aeron subscription, whose images tell which edges' sessions are still there.
     */
    private static final class SubscriptionIngress implements TxnLoopAgent.IngressSource
    {
        private final Subscription subscription;

        SubscriptionIngress(final Subscription subscription)
        {
            this.subscription = subscription;
        }

        /**
         * {@inheritDoc}
         */
        public int poll(final FragmentHandler handler, final int fragmentLimit)
        {
            return subscription.poll(handler, fragmentLimit);
        }

        /**
         * {@inheritDoc}
         */
        public boolean hasSession(final int sessionId)
        {
            return null != subscription.imageBySessionId(sessionId);
        }
    }
}
