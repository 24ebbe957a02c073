package io.lightcone.cli.ops;

import io.lightcone.txn.loop.RecoveryListener;
import io.lightcone.wasm.host.ModuleLoader;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Progress of the long steps of {@code lightcone start}, printed as they happen: recovery (each database loaded, the
 * log replay's start and every {@link io.lightcone.txn.loop.TxnLoopAgent#RECOVERY_PROGRESS_RECORDS} records) and
 * compiling a {@code --module} (done here, off the transaction loop, into the compile cache the loop then loads
 * from).
 */
public final class StartProgress implements RecoveryListener
{
    private final PrintStream out;

    /**
     * Progress printed to a stream.
     *
     * @param out where the lines go.
     */
    public StartProgress(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    public void onDatabaseLoaded(final String databaseName, final long snapshotTxOffset, final int index,
        final int count)
    {
        out.println("  [" + (index + 1) + "/" + count + "] loaded " + databaseName + (snapshotTxOffset < 0 ?
            " (no snapshot)" : " from its snapshot at tx offset " + snapshotTxOffset));
        out.flush();
    }

    /**
     * {@inheritDoc}
     */
    public void onReplayStarted(final long fromTxOffset, final long toTxOffset)
    {
        out.println("  replaying the commit log from tx offset " + fromTxOffset + " to " + toTxOffset + " ...");
        out.flush();
    }

    /**
     * {@inheritDoc}
     */
    public void onReplayProgress(final long recordsRead, final long txOffset, final long toTxOffset)
    {
        out.printf("  replayed %d records, at tx offset %d of %d%n", recordsRead, txOffset, toTxOffset);
        out.flush();
    }

    /**
     * Compiles a module into the data directory's compile cache, printing what happens; a module that cannot be
     * compiled is left for the publish to refuse with its message.
     *
     * @param dataDir the data directory (its {@code cache/}).
     * @param name    the database name.
     * @param module  the module bytes.
     */
    public void compile(final Path dataDir, final String name, final byte[] module)
    {
        out.printf("compiling the module of %s (%d KiB) ...%n", name, (module.length + 1023) / 1024);
        out.flush();
        final long startNs = System.nanoTime();
        final ModuleLoader loader = new ModuleLoader(dataDir.resolve("cache"));
        try
        {
            loader.load(module);
            out.printf("  %s in %.0f ms%n", loader.cacheHits() > 0 ? "found in the compile cache" : "compiled",
                (System.nanoTime() - startNs) / 1e6);
        }
        catch (final RuntimeException ex)
        {
            out.println("  it does not compile: " + ex.getMessage());
        }
        out.flush();
    }
}
