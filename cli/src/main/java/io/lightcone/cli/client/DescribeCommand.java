package io.lightcone.cli.client;

import io.lightcone.core.sats.ProductTypeElement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code lightcone describe <db>}: the database's tables (columns and types, primary key, access) and reducers and
 * procedures (parameters, lifecycle), from {@code GET /v1/database/:name/schema}; {@code --json} prints the schema
 * JSON itself.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = {
        "Describe database DB: its tables with their columns and types, and its reducers with their parameters.",
        "Exit codes: 0 ok, 3 cannot reach the server, 6 no such database, 1 other."
    })
public final class DescribeCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "DB", description = "Database name or identity.")
    String database;

    @Option(names = "--json", description = "Print the module definition's SATS-JSON (RawModuleDefV9 or V10).")
    boolean json;

    /**
     * A command object for picocli.
     */
    public DescribeCommand()
    {
    }

    @Override
    int run(final ServerConnection server)
    {
        final ModuleSchema schema = ModuleSchema.fetch(server, database);
        if (json)
        {
            out.println(schema.json());
            return ExitCodes.OK;
        }
        for (final String line : describe(database, schema))
        {
            out.println(line);
        }
        return ExitCodes.OK;
    }

    /**
     * The description's lines.
     *
     * @param database the database's name.
     * @param schema   its schema.
     * @return the lines.
     */
    static List<String> describe(final String database, final ModuleSchema schema)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("database " + database + " (module definition V" + schema.version() + ")");
        lines.add("tables:");
        for (final ModuleSchema.Table table : schema.tables())
        {
            final List<ProductTypeElement> columns = schema.columns(table);
            final List<String> key = new ArrayList<>();
            for (final int column : table.primaryKey())
            {
                key.add(column < columns.size() && null != columns.get(column).name() ?
                    columns.get(column).name() : String.valueOf(column));
            }
            lines.add("  " + table.name() + " (" + (table.isPublic() ? "public" : "private") +
                (table.isEvent() ? ", event table" : "") +
                (key.isEmpty() ? "" : ", primary key: " + String.join(", ", key)) + ")");
            for (int i = 0; i < columns.size(); i++)
            {
                final ProductTypeElement column = columns.get(i);
                lines.add("    " + (null == column.name() ? String.valueOf(i) : column.name()) + ": " +
                    schema.typeName(column.type()));
            }
        }
        lines.add("reducers:");
        for (final ModuleSchema.Function function : schema.functions())
        {
            if ("reducer".equals(function.kind()))
            {
                lines.add("  " + signature(schema, function));
            }
        }
        final List<String> procedures = new ArrayList<>();
        for (final ModuleSchema.Function function : schema.functions())
        {
            if ("procedure".equals(function.kind()))
            {
                procedures.add("  " + signature(schema, function) + " -> " +
                    schema.typeName(function.returnType()));
            }
        }
        if (!procedures.isEmpty())
        {
            lines.add("procedures:");
            lines.addAll(procedures);
        }
        return lines;
    }

    private static String signature(final ModuleSchema schema, final ModuleSchema.Function function)
    {
        final StringBuilder text = new StringBuilder(function.name()).append('(');
        final List<ProductTypeElement> params = function.params().elements();
        for (int i = 0; i < params.size(); i++)
        {
            text.append(i == 0 ? "" : ", ").append(null == params.get(i).name() ? "_" + i : params.get(i).name())
                .append(": ").append(schema.typeName(params.get(i).type()));
        }
        text.append(')');
        if (null != function.lifecycle())
        {
            text.append(" [lifecycle: ").append(function.lifecycle()).append(']');
        }
        else if (!function.callable())
        {
            text.append(" [private]");
        }
        return text.toString();
    }
}
