package io.lightcone.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lightcone sql <db> "<query>"}: {@code POST /v1/database/:name/sql}, printed as a table like SpacetimeDB's
 * CLI (values as SATS-JSON, strings quoted), or the raw JSON with {@code --json}.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {
        "Run one SQL statement on database DB: SELECT on the edge's replica, INSERT/UPDATE/DELETE (owner only) "
            + "in one transaction on the core.",
        "Exit codes: 0 ok, 2 bad SQL, 3 cannot reach the server, 6 no such database, 7 not allowed (DML by a "
            + "non-owner), 1 other."
    })
public final class SqlCommand extends ClientCommand
{
    private static final String IDENTITY = "__identity__";
    private static final String CONNECTION_ID = "__connection_id__";
    private static final String TIMESTAMP = "__timestamp_micros_since_unix_epoch__";
    private static final String TIME_DURATION = "__time_duration_micros__";
    private static final DateTimeFormatter TIMESTAMP_FORMAT =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    @Parameters(index = "0", paramLabel = "DB", description = "Database name or identity.")
    String database;

    @Parameters(index = "1", paramLabel = "QUERY", description = "One SQL statement.")
    String query;

    @Option(names = "--json", description = "Print the server's JSON answer as it is.")
    boolean json;

    /**
     * A command object for picocli.
     */
    public SqlCommand()
    {
    }

    @Override
    int run(final ServerConnection server)
    {
        final HttpRequest request = server.request(databasePath(database) + "/sql", true)
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(query))
            .build();
        final HttpResponse<String> response = server.send(request);
        if (response.statusCode() != 200)
        {
            throw server.failure(response, "query on " + database);
        }
        if (json)
        {
            out.println(response.body().strip());
            return ExitCodes.OK;
        }
        for (final Object statement : asList(ServerConnection.parseAnswer(response.body(), "sql")))
        {
            print(statement);
        }
        return ExitCodes.OK;
    }

    private void print(final Object statement)
    {
        final List<String> header = new ArrayList<>();
        final List<String> special = new ArrayList<>();
        final List<?> elements = Json.list(Json.field(statement, "schema"), "elements");
        for (int i = 0; i < elements.size(); i++)
        {
            final Object name = Json.option(Json.field(elements.get(i), "name"));
            header.add(name instanceof String text ? text : "column " + i);
            special.add(specialType(Json.field(elements.get(i), "algebraic_type")));
        }
        final List<List<String>> rows = new ArrayList<>();
        for (final Object row : Json.list(statement, "rows"))
        {
            final List<String> cells = new ArrayList<>();
            final List<?> values = asList(row);
            for (int i = 0; i < values.size(); i++)
            {
                cells.add(cell(i < special.size() ? special.get(i) : null, values.get(i)));
            }
            rows.add(cells);
        }
        if (!header.isEmpty())
        {
            for (final String line : table(header, rows))
            {
                out.println(line);
            }
        }
        final Object stats = Json.field(statement, "stats");
        final String changes = changes(stats);
        if (!changes.isEmpty())
        {
            out.println(changes);
        }
        else if (header.isEmpty())
        {
            out.println("OK");
        }
    }

    /**
     * @return the name of the one field of a special product type (Identity, ConnectionId, Timestamp, TimeDuration),
     * or null.
     */
    static String specialType(final Object type)
    {
        final List<?> fields = Json.list(Json.field(type, "Product"), "elements");
        if (1 == fields.size() && Json.option(Json.field(fields.get(0), "name")) instanceof String name &&
            (IDENTITY.equals(name) || CONNECTION_ID.equals(name) || TIMESTAMP.equals(name) ||
            TIME_DURATION.equals(name)))
        {
            return name;
        }
        return null;
    }

    /**
     * A value as SpacetimeDB's CLI shows it: SATS-JSON, except identities and connection ids as their hex, timestamps
     * as RFC 3339 with microseconds and durations in seconds with microseconds.
     *
     * @param special the special type ({@link #specialType}) or null.
     * @param value   the SATS-JSON value.
     * @return the cell's text.
     */
    static String cell(final String special, final Object value)
    {
        final Object inner = null != special && value instanceof List<?> wrapped && 1 == wrapped.size() ?
            wrapped.get(0) : null;
        if (inner instanceof String hex && (IDENTITY.equals(special) || CONNECTION_ID.equals(special)))
        {
            return hex;
        }
        final Long us = inner instanceof Json.RawNumber number && number.text().matches("-?[0-9]{1,18}") ?
            Long.valueOf(number.text()) : null;
        if (null != us && TIMESTAMP.equals(special))
        {
            return TIMESTAMP_FORMAT.format(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L),
                Math.floorMod(us, 1_000_000L) * 1_000L));
        }
        if (null != us && TIME_DURATION.equals(special))
        {
            return String.format("%s%d.%06d", us < 0 ? "-" : "+", Math.abs(us / 1_000_000L),
                Math.abs(us % 1_000_000L));
        }
        return Json.write(value);
    }

    /**
     * Lays out a table as SpacetimeDB's CLI does: a header row, a dashed rule, one line per row; cells padded with
     * a space each side and separated by {@code |}.
     *
     * @param header the column names.
     * @param rows   the cells, as text.
     * @return the lines, without trailing spaces.
     */
    static List<String> table(final List<String> header, final List<List<String>> rows)
    {
        final int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++)
        {
            widths[c] = header.get(c).length();
            for (final List<String> row : rows)
            {
                widths[c] = Math.max(widths[c], c < row.size() ? row.get(c).length() : 0);
            }
        }
        final List<String> lines = new ArrayList<>();
        lines.add(line(header, widths));
        final StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++)
        {
            rule.append(c == 0 ? "" : "+").append("-".repeat(widths[c] + 2));
        }
        lines.add(rule.toString());
        for (final List<String> row : rows)
        {
            lines.add(line(row, widths));
        }
        return lines;
    }

    private static String line(final List<String> cells, final int[] widths)
    {
        final StringBuilder line = new StringBuilder();
        for (int c = 0; c < widths.length; c++)
        {
            final String cell = c < cells.size() ? cells.get(c) : "";
            line.append(c == 0 ? " " : "| ").append(cell).append(" ".repeat(widths[c] - cell.length() + 1));
        }
        return line.toString().stripTrailing();
    }

    private static String changes(final Object stats)
    {
        final StringBuilder text = new StringBuilder();
        for (final String kind : new String[]{"inserted", "updated", "deleted"})
        {
            final Object count = Json.field(stats, "rows_" + kind);
            if (count instanceof Json.RawNumber number && !"0".equals(number.text()))
            {
                text.append(text.length() == 0 ? "" : ", ").append(number.text())
                    .append("1".equals(number.text()) ? " row " : " rows ").append(kind);
            }
        }
        return text.toString();
    }

    private static List<?> asList(final Object value)
    {
        return value instanceof List<?> list ? list : List.of();
    }
}
