package io.lightcone.cli;

import io.lightcone.cli.generate.GenerateCommand;
import io.lightcone.cli.ops.BackupCommand;
import io.lightcone.cli.ops.RestoreCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lightcone} command. Run it through the {@code ./lightcone} script at the repository root, which builds
 * the project on first use and passes the JVM flags Agrona needs.
 */
@Command(
    name = "lightcone",
    mixinStandardHelpOptions = true,
    version = "lightcone 0.1.0-SNAPSHOT",
    description = "A SpacetimeDB-compatible database that is the server.",
    subcommands = { StartCommand.class, GenerateCommand.class, BackupCommand.class, RestoreCommand.class })
public final class Lightcone
{
    private Lightcone()
    {
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the command line of {@code lightcone} and its subcommands.
     */
    static CommandLine commandLine()
    {
        return new CommandLine(new Lightcone()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
