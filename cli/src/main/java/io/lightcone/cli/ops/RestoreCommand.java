package io.lightcone.cli.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code lightcone restore BACKUP --data-dir DIR}: checks a backup and copies it into a data directory ({@link
 * Restore}); {@code lightcone start} then recovers the backed-up state.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {
        "Check a backup written by 'lightcone backup' (every byte against its manifest, every snapshot, the log) " +
            "and copy it into a data directory, which must be empty unless --force. Then 'lightcone start " +
            "--data-dir DIR' recovers the backed-up state.",
        "Exit codes: 0 done, 2 bad arguments or a non-empty data directory without --force, 4 data directory " +
            "unusable or in use, 6 the backup is damaged or incomplete, 1 anything else."
    })
public final class RestoreCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "BACKUP", description = "The backup directory.")
    Path backupDir;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The data directory to restore "
        + "into (created if missing).")
    Path dataDir;

    @Option(names = "--force", description = "Delete what the data directory holds before restoring.")
    boolean force;

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        try
        {
            final BackupManifest manifest = Restore.restore(backupDir, dataDir, force,
                (line) -> out.println("  " + line));
            out.println("restored the backup at tx offset " + manifest.txOffset() + " into " + dataDir +
                ": start it with lightcone start --data-dir " + dataDir);
            return 0;
        }
        catch (final OpsException ex)
        {
            System.err.println("lightcone restore: " + ex.getMessage());
            return ex.exitCode();
        }
    }
}
