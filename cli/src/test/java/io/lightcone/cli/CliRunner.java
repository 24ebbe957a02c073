package io.lightcone.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a client command through {@link Lightcone}'s command line with {@code --server} and {@code --config}, and
 * captures what it printed.
 */
final class CliRunner
{
    /** What one run printed and returned. */
    record Run(int exit, String out, String err)
    {
        List<String> lines()
        {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
        }
    }

    private CliRunner()
    {
    }

    /**
     * @param serverUrl the server.
     * @param config    the config file.
     * @param args      the command ({@code identity} takes two words) and its arguments.
     * @return what it printed and its exit code.
     */
    static Run run(final String serverUrl, final Path config, final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = execute(serverUrl, config, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * @param serverUrl the server.
     * @param config    the config file.
     * @param out       stdout.
     * @param err       stderr.
     * @param args      the command and its arguments.
     * @return the exit code.
     */
    static int execute(final String serverUrl, final Path config, final PrintWriter out, final PrintWriter err,
        final String... args)
    {
        final int commandWords = "identity".equals(args[0]) ? 2 : 1;
        final List<String> all = new ArrayList<>(Arrays.asList(args).subList(0, commandWords));
        all.addAll(List.of("--server", serverUrl, "--config", config.toString()));
        all.addAll(Arrays.asList(args).subList(commandWords, args.length));
        final CommandLine commandLine = Lightcone.commandLine();
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(all.toArray(String[]::new));
    }
}
