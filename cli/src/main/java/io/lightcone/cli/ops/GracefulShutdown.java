package io.lightcone.cli.ops;

import io.lightcone.txn.log.CommitLog;
import io.lightcone.txn.loop.EmbeddedCore;
import io.lightcone.txn.loop.TxnLoopAgent;
import org.agrona.CloseHelper;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The core's part of a graceful shutdown, after the edge stopped taking clients: in one loop task, stop taking new
 * work ({@link TxnLoopAgent#quiesce()}: no ingress, no scheduled reducers) and snapshot every database at its last tx
 * offset; then wait until everything committed is durable, so that the next start loads the snapshots and replays
 * nothing. Bounded by {@value #TIMEOUT_PROP_NAME} (default {@value #TIMEOUT_DEFAULT_MS} ms): past it the server
 * closes anyway (closing the commit log still writes and forces what it accepted; recovery then replays it).
 */
public final class GracefulShutdown
{
    /** System property: the bound on the shutdown snapshot and drain, in ms. */
    public static final String TIMEOUT_PROP_NAME = "lightcone.shutdown.timeout.ms";
    /** Default bound. */
    public static final long TIMEOUT_DEFAULT_MS = 30_000;

    private GracefulShutdown()
    {
    }

    /**
     * @return the configured bound in ms.
     */
    public static long timeoutMs()
    {
        return Long.getLong(TIMEOUT_PROP_NAME, TIMEOUT_DEFAULT_MS);
    }

    /**
     * The whole graceful shutdown of a server: closes what serves clients, then {@link #snapshotAndDrain} with
     * {@link #timeoutMs()}, then closes the rest (the core among them), whatever failed before.
     *
     * @param core     the core.
     * @param out      receives the progress lines, indented.
     * @param serving  closed first: what takes requests (admin endpoint, edge).
     * @param rest     closed last, in order (module logs, the core, the data directory's lock ...).
     */
    public static void stop(
        final EmbeddedCore core, final PrintStream out, final AutoCloseable[] serving, final AutoCloseable... rest)
    {
        try
        {
            CloseHelper.closeAll(serving);
        }
        finally
        {
            try
            {
                snapshotAndDrain(core, timeoutMs(), (line) -> out.println("  " + line));
            }
            finally
            {
                CloseHelper.closeAll(rest);
            }
        }
    }

    /**
     * Quiesces the loop, snapshots every database and waits for the log to make everything durable.
     *
     * @param core      the core (nothing is done when it has no commit log: durability off).
     * @param timeoutMs the bound.
     * @param progress  receives a line per step.
     * @return true when every database was snapshotted and everything is durable within the bound.
     */
    public static boolean snapshotAndDrain(final EmbeddedCore core, final long timeoutMs,
        final Consumer<String> progress)
    {
        final CommitLog log = core.commitLog();
        if (null == log)
        {
            return false;
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final List<TxnLoopAgent.SnapshotTaken> taken;
        final long last;
        try
        {
            final Object[] result = core.onLoop((agent) ->
            {
                agent.quiesce();
                return new Object[]{ agent.snapshotAll(), agent.nextTxOffset() - 1 };
            }, timeoutMs);
            @SuppressWarnings("unchecked")
            final List<TxnLoopAgent.SnapshotTaken> snapshots = (List<TxnLoopAgent.SnapshotTaken>)result[0];
            taken = snapshots;
            last = (Long)result[1];
        }
        catch (final IllegalStateException ex)
        {
            progress.accept("the shutdown snapshot did not complete: " + ex.getMessage());
            return false;
        }
        int failed = 0;
        for (final TxnLoopAgent.SnapshotTaken snapshot : taken)
        {
            if (null == snapshot.file())
            {
                failed++;
                progress.accept("the shutdown snapshot of " + snapshot.name() + " failed (see the error log)");
            }
        }
        while (log.durableTxOffset() < last && !log.isFailed())
        {
            if (System.nanoTime() - deadline > 0)
            {
                progress.accept("tx offset " + last + " was not durable within " + timeoutMs + " ms; closing anyway");
                return false;
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        progress.accept("snapshotted " + (taken.size() - failed) + " of " + taken.size() +
            (1 == taken.size() ? " database" : " databases") + "; durable up to tx offset " + log.durableTxOffset());
        return 0 == failed && !log.isFailed();
    }
}
