package io.lightcone.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code lightcone call <db> <reducer> [args...]}: {@code POST /v1/database/:name/call/:reducer} with the arguments
 * as SATS-JSON. The arguments are one JSON array (or object, by parameter name), or one JSON value per parameter;
 * strings must be quoted JSON strings. A procedure's return value is printed; a reducer prints nothing on commit.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
    description = {
        "Call a reducer (or procedure) of database DB with SATS-JSON arguments.",
        "Examples: lightcone call chat send_message '\"hi\"';  lightcone call bank transfer 1 2 50;  "
            + "lightcone call bank transfer '[1, 2, 50]'",
        "Exit codes: 0 committed, 2 malformed or wrong arguments, 3 cannot reach the server, "
            + "6 no such database or reducer, 8 the reducer failed (its error is printed), 1 other."
    })
public final class CallCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "DB", description = "Database name or identity.")
    String database;

    @Parameters(index = "1", paramLabel = "REDUCER", description = "Reducer or procedure name.")
    String reducer;

    @Parameters(index = "2..*", paramLabel = "ARG",
        description = "Arguments: one JSON array or object, or one JSON value per parameter.")
    List<String> args = new ArrayList<>();

    /**
     * A command object for picocli.
     */
    public CallCommand()
    {
    }

    @Override
    int run(final ServerConnection server)
    {
        final String body = argumentsJson(args);
        final HttpRequest request = server.request(databasePath(database) + "/call/" + encode(reducer), true)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        final HttpResponse<String> response = server.send(request);
        if (response.statusCode() != 200)
        {
            throw server.failure(response, "calling " + reducer + " on " + database);
        }
        if (!response.body().isBlank())
        {
            out.println(response.body().strip());
        }
        return ExitCodes.OK;
    }

    /**
     * The request body for the command-line arguments: a single JSON array or object as given, else the values in
     * an array.
     *
     * @param args the arguments, each JSON text.
     * @return the JSON body.
     * @throws CommandFailure ({@link ExitCodes#BAD_ARGS}) naming the argument that is not JSON.
     */
    static String argumentsJson(final List<String> args)
    {
        final List<Object> values = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++)
        {
            try
            {
                values.add(Json.parse(args.get(i)));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandFailure(ExitCodes.BAD_ARGS, "argument " + (i + 1) + " is not JSON (" +
                    ex.getMessage() + "): " + args.get(i) + System.lineSeparator() +
                    "  quote strings as JSON, for example '\"text\"'");
            }
        }
        if (values.size() == 1 && (values.get(0) instanceof List || values.get(0) instanceof Map))
        {
            return Json.write(values.get(0));
        }
        return Json.write(values);
    }
}
