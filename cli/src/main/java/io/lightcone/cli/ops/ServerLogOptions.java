package io.lightcone.cli.ops;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The server log options of the commands that run a server ({@code start}, {@code core}, {@code edge}): the format
 * and the file of the log ({@link ServerLogging}).
 */
public final class ServerLogOptions
{
    @Option(names = "--log-format", defaultValue = "TEXT", paramLabel = "text|json",
        description = "Server log format: text lines, or JSON lines with ts, level, logger, thread, msg "
            + "(${DEFAULT-VALUE}).")
    ServerLogging.Format format;

    @Option(names = "--log-file", paramLabel = "FILE",
        description = "Append the server log to FILE instead of stderr, rotated by size (" +
            ServerLogging.MAX_BYTES_PROP_NAME + ", " + ServerLogging.FILES_PROP_NAME + ").")
    Path file;

    /**
     * Options for picocli to fill.
     */
    public ServerLogOptions()
    {
    }

    /**
     * Installs the server log these options describe, or says why it cannot.
     *
     * @param command the command, for the message ({@code "lightcone core"}).
     * @return 0, or the exit code when the log file cannot be opened (the reason is printed on stderr).
     */
    public int install(final String command)
    {
        try
        {
            ServerLogging.install(format, file);
            return 0;
        }
        catch (final OpsException ex)
        {
            System.err.println(command + ": " + ex.getMessage());
            return ex.exitCode();
        }
    }
}
