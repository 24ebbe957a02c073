package io.lightcone.cli;

import io.lightcone.cli.client.CallCommand;
import io.lightcone.cli.client.DeleteCommand;
import io.lightcone.cli.client.DescribeCommand;
import io.lightcone.cli.client.IdentityCommand;
import io.lightcone.cli.client.LogsCommand;
import io.lightcone.cli.client.PublishCommand;
import io.lightcone.cli.client.SqlCommand;
import io.lightcone.cli.client.SubscribeCommand;
import io.lightcone.cli.generate.GenerateCommand;
import io.lightcone.cli.ops.BackupCommand;
import io.lightcone.cli.ops.RestoreCommand;
import io.lightcone.cli.ops.ServerLogging;
import io.lightcone.cli.process.CoreCommand;
import io.lightcone.cli.process.EdgeCommand;
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
    subcommands = { StartCommand.class, GenerateCommand.class,
        // client commands (io.lightcone.cli.client): talk to a running server over HTTP and WebSocket
        PublishCommand.class, CallCommand.class, SqlCommand.class, LogsCommand.class, SubscribeCommand.class,
        DescribeCommand.class, DeleteCommand.class, IdentityCommand.class,
        // separate processes over Aeron UDP (io.lightcone.cli.process)
        CoreCommand.class, EdgeCommand.class,
        // operations (io.lightcone.cli.ops)
        BackupCommand.class, RestoreCommand.class })
public final class Lightcone
{
    private static final String LOG_MANAGER_PROPERTY = "java.util.logging.manager";

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
        if (null == System.getProperty(LOG_MANAGER_PROPERTY))
        {
            // before anything uses java.util.logging: keeps the server log through the JVM's shutdown hooks
            System.setProperty(LOG_MANAGER_PROPERTY, ServerLogging.Manager.class.getName());
        }
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
