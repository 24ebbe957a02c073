package io.lightcone.cli.process;

import io.aeron.exceptions.AeronException;
import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ExitCodes;
import io.lightcone.cli.ops.AdminEndpoint;
import io.lightcone.cli.ops.CoreErrorLogger;
import io.lightcone.cli.ops.GracefulShutdown;
import io.lightcone.cli.ops.ModuleLogFiles;
import io.lightcone.cli.ops.StartProgress;
import io.lightcone.txn.log.CommitLogException;
import io.lightcone.txn.loop.EmbeddedCore;
import io.lightcone.txn.loop.TxnLoopAgent;
import io.lightcone.txn.loop.TxnLoopContext;
import io.lightcone.txn.recovery.RecoveryException;
import org.agrona.CloseHelper;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code lightcone core}: the data directory locked and recovered, an embedded media driver and the transaction
 * loop ({@link EmbeddedCore}) with its ingress and egress on UDP channels ({@link CoreChannels}), so edges in other
 * processes (or on other machines) link to it. Serves no clients itself.
 */
public final class CoreProcess implements AutoCloseable
{
    private final DataDirLock lock;
    private final EmbeddedCore core;

    /**
     * What to run.
     *
     * @param dataDir        the data directory.
     * @param ingressChannel the ingress subscription channel.
     * @param egressChannel  the egress publication channel.
     * @param durable        whether commits go to the commit log.
     */
    public record Settings(Path dataDir, String ingressChannel, String egressChannel, boolean durable)
    {
    }

    private final AdminEndpoint admin;
    private final ModuleLogFiles moduleLogs;
    private final CoreErrorLogger errors;
    private final PrintStream out;

    private CoreProcess(
        final DataDirLock lock,
        final EmbeddedCore core,
        final AdminEndpoint admin,
        final ModuleLogFiles moduleLogs,
        final PrintStream out)
    {
        this.lock = lock;
        this.core = core;
        this.admin = admin;
        this.moduleLogs = moduleLogs;
        this.errors = CoreErrorLogger.start(core);
        this.out = out;
    }

    /**
     * Locks and recovers the data directory, then starts the driver and the loop on the channels.
     *
     * @param settings what to run.
     * @param out      where progress goes.
     * @return the running core.
     * @throws CommandFailure with {@link ExitCodes#DATA_DIR}, {@link ExitCodes#UNREACHABLE} (a channel cannot be
     *                        bound) or {@link ExitCodes#BAD_ARGS} (a channel is malformed).
     */
    public static CoreProcess start(final Settings settings, final PrintStream out)
    {
        final DataDirLock lock = DataDirLock.acquire(settings.dataDir());
        try
        {
            out.println((settings.durable() ? "recovering " : "starting (durability off) on ") + settings.dataDir() +
                " ...");
            final long startNs = System.nanoTime();
            final EmbeddedCore core = EmbeddedCore.launch(new TxnLoopContext()
                .dataDir(settings.dataDir().toFile())
                .durable(settings.durable())
                .ingressChannel(settings.ingressChannel())
                .egressChannel(settings.egressChannel())
                .recoveryListener(new StartProgress(out)));
            final TxnLoopAgent.RecoveryReport report = core.recoveryReport();
            out.printf("core up in %.0f ms%s%n", (System.nanoTime() - startNs) / 1e6, null == report ? "" :
                ": recovered " + report.databases() + " database(s), " + report.replayedRecords() +
                " log record(s) replayed");
            if (null != report)
            {
                for (final String problem : report.problems())
                {
                    out.println("  recovery: " + problem);
                }
            }
            out.println("core ingress " + settings.ingressChannel() + ", egress " + settings.egressChannel());
            final AdminEndpoint admin;
            try
            {
                admin = AdminEndpoint.start(core, settings.dataDir());
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietClose(core);
                throw ex;
            }
            return new CoreProcess(lock, core, admin, ModuleLogFiles.start(core), out);
        }
        catch (final RecoveryException | CommitLogException ex)
        {
            CloseHelper.quietClose(lock);
            throw new CommandFailure(ExitCodes.DATA_DIR, "recovery of " + settings.dataDir() + " failed: " +
                ex.getMessage() + System.lineSeparator() + "  the data directory is damaged: restore a backup, " +
                "or move it aside and start with an empty --data-dir", ex);
        }
        catch (final AeronException | IllegalArgumentException | IllegalStateException ex)
        {
            CloseHelper.quietClose(lock);
            throw channelFailure(ex, "--ingress " + settings.ingressChannel() + " / --egress " +
                settings.egressChannel());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(lock);
            throw ex;
        }
    }

    /**
     * The failure an Aeron error while adding a stream means.
     *
     * @param ex    the error.
     * @param which the options involved.
     * @return the failure to throw.
     */
    static CommandFailure channelFailure(final RuntimeException ex, final String which)
    {
        final String message = String.valueOf(ex.getMessage());
        if (message.contains("in use") || message.contains("bind") || message.contains("Cannot assign"))
        {
            return new CommandFailure(ExitCodes.UNREACHABLE, "cannot bind " + which + ": " + message +
                "; stop the other process or choose other addresses", ex);
        }
        return new CommandFailure(ExitCodes.BAD_ARGS, "cannot use " + which + ": " + message, ex);
    }

    /**
     * @return the core.
     */
    public EmbeddedCore core()
    {
        return core;
    }

    /**
     * The graceful shutdown, as {@code lightcone start}'s: closes the admin endpoint (online backups), quiesces the
     * loop and snapshots every database (bounded, {@link GracefulShutdown}), flushes the module log files, stops the
     * loop, drains and closes the commit log, closes the driver, then releases the data directory.
     */
    @Override
    public void close()
    {
        GracefulShutdown.stop(core, out, new AutoCloseable[]{ admin }, moduleLogs, core, errors, lock);
    }
}
