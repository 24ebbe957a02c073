package io.lightcone.cli.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code lightcone backup DIR}: a consistent backup of a data directory, online through the running server's
 * {@link AdminEndpoint} when one answers, else offline (the data directory's lock taken). See docs/operations.md.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {
        "Write a consistent backup of a data directory into DIR (new or empty). While a server runs on the data " +
            "directory, it is asked through its admin endpoint (<data-dir>/admin.endpoint, readable only by its " +
            "owner) to snapshot every database and the backup holds everything up to one durable tx offset; " +
            "with no server, the files are backed up directly.",
        "Exit codes: 0 done, 2 bad arguments or DIR not empty, 4 data directory unusable or in use by a server " +
            "that does not answer, 1 anything else."
    })
public final class BackupCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "DIR", description = "The backup directory (created owner-only).")
    Path target;

    @Option(names = "--data-dir", defaultValue = "./lightcone-data", paramLabel = "DIR",
        description = "The data directory to back up (${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        final Path absolute = target.toAbsolutePath().normalize();
        try
        {
            final String online = AdminClient.request(dataDir, "backup " + absolute,
                (line) -> out.println("  " + line));
            if (null != online)
            {
                out.println("online " + online);
                return 0;
            }
            out.println("no server answers for " + dataDir + ": backing it up offline");
            final Backup.Result result = Backup.offline(dataDir, absolute, (line) -> out.println("  " + line));
            out.println("offline " + result.summary());
            return 0;
        }
        catch (final OpsException ex)
        {
            System.err.println("lightcone backup: " + ex.getMessage());
            return ex.exitCode();
        }
    }
}
