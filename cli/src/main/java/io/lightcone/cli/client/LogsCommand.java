package io.lightcone.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code lightcone logs <db>}: {@code GET /v1/database/:name/logs} (owner only), one line per record as
 * {@code <timestamp> <LEVEL>: <message>}; {@code -f} keeps following until the database is deleted, the server
 * stops or the command is interrupted.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {
        "Print the module's log lines of database DB (you must own it).",
        "Exit codes: 0 ok, 2 bad arguments, 3 cannot reach the server, 6 no such database, 7 not the owner, "
            + "1 other."
    })
public final class LogsCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "DB", description = "Database name or identity.")
    String database;

    @Option(names = {"-n", "--num-lines"}, paramLabel = "N",
        description = "Only the newest N lines (default: all the server keeps).")
    Integer numLines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are logged.")
    boolean follow;

    @Option(names = "--json", description = "Print the records as the server sends them (JSON lines).")
    boolean json;

    /**
     * A command object for picocli.
     */
    public LogsCommand()
    {
    }

    @Override
    int run(final ServerConnection server)
    {
        if (null != numLines && numLines < 0)
        {
            throw new CommandFailure(ExitCodes.BAD_ARGS, "-n must not be negative (got " + numLines + ")");
        }
        final String query = "?follow=" + follow + (null == numLines ? "" : "&num_lines=" + numLines);
        final HttpRequest.Builder builder = server.request(databasePath(database) + "/logs" + query, true).GET();
        if (follow)
        {
            builder.timeout(Duration.ofDays(365L * 100));
        }
        final HttpResponse<Stream<String>> response = server.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body())
        {
            if (response.statusCode() != 200)
            {
                final String body = String.join("\n", (Iterable<String>)lines::iterator);
                throw server.failure(response.statusCode(), body, "logs of " + database);
            }
            final Iterator<String> iterator = lines.iterator();
            while (iterator.hasNext())
            {
                final String line = iterator.next();
                if (!line.isBlank())
                {
                    out.println(json ? line : format(line));
                    out.flush();
                }
            }
        }
        catch (final UncheckedIOException ex)
        {
            throw new CommandFailure(ExitCodes.OTHER, "the log stream of " + database + " broke: " + ex.getCause(),
                ex);
        }
        return ExitCodes.OK;
    }

    /**
     * A record as a line: {@code 2025-01-01T12:00:00.000001Z  INFO: message}.
     *
     * @param record one JSON record.
     * @return the line, or the record itself when it is not a record.
     */
    static String format(final String record)
    {
        final Object json;
        try
        {
            json = Json.parse(record);
        }
        catch (final IllegalArgumentException ex)
        {
            return record;
        }
        final Object ts = Json.field(json, "ts");
        String time = "";
        if (ts instanceof Json.RawNumber micros)
        {
            try
            {
                final long value = micros.longValue();
                time = Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L),
                    Math.floorMod(value, 1_000_000L) * 1_000L).toString() + " ";
            }
            catch (final NumberFormatException ex)
            {
                time = micros.text() + " ";
            }
        }
        final String level = String.valueOf(Json.string(json, "level")).toUpperCase(Locale.ROOT);
        final String file = Json.string(json, "filename");
        final Object lineNumber = Json.field(json, "line_number");
        final String where = null == file ? "" :
            file + (lineNumber instanceof Json.RawNumber n ? ":" + n.text() : "") + ": ";
        return time + String.format("%5s", level) + ": " + where + Json.string(json, "message");
    }
}
