package io.lightcone.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.net.http.HttpResponse;

/**
 * {@code lightcone delete <db>}: {@code DELETE /v1/database/:name} (owner only).
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {
        "Delete database DB and all its data (you must own it).",
        "Exit codes: 0 deleted, 3 cannot reach the server, 6 no such database, 7 not the owner, 1 other."
    })
public final class DeleteCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "DB", description = "Database name or identity.")
    String database;

    /**
     * A command object for picocli.
     */
    public DeleteCommand()
    {
    }

    @Override
    int run(final ServerConnection server)
    {
        final HttpResponse<String> response = server.send(server.request(databasePath(database), true)
            .DELETE().build());
        if (response.statusCode() != 200)
        {
            throw server.failure(response, "deleting " + database);
        }
        out.println("Deleted database " + database);
        return ExitCodes.OK;
    }
}
