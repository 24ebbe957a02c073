package io.lightcone.cli.client;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * What every client command shares: the server options, the output streams of its command line (so tests can
 * capture them), and one place that turns a {@link CommandFailure} into a message on stderr and an exit code.
 */
abstract class ClientCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions serverOptions;

    PrintWriter out;
    PrintWriter err;

    @Override
    public final Integer call()
    {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        try
        {
            return run(serverOptions.connect(err));
        }
        catch (final CommandFailure ex)
        {
            err.println(spec.qualifiedName() + ": " + ex.getMessage());
            return ex.exitCode();
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    /**
     * Runs the command.
     *
     * @param server the server.
     * @return the exit code.
     * @throws CommandFailure when it fails.
     */
    abstract int run(ServerConnection server);

    /**
     * @param database a database name or identity from the command line.
     * @return {@code /v1/database/<name>}, the name URL-encoded.
     */
    static String databasePath(final String database)
    {
        return "/v1/database/" + encode(database);
    }

    /**
     * @param text a path segment or query value.
     * @return it URL-encoded.
     */
    static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
