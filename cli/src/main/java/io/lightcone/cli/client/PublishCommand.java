package io.lightcone.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code lightcone publish <db> <module.wasm>}: {@code PUT /v1/database/:name} with the module. Shows the upload,
 * then waits while the core compiles the module and creates the database or migrates it, and prints what happened
 * with the database identity. A module or migration the core refuses prints the core's message and exits
 * {@link ExitCodes#MODULE_REFUSED}.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {
        "Publish a module: create database DB, or update it by automatic migration (you must own it).",
        "Exit codes: 0 published, 2 bad arguments or unreadable file, 3 cannot reach the server, "
            + "5 the module or its migration was refused, 6 no such database identity, 7 not the owner, 1 other."
    })
public final class PublishCommand extends ClientCommand
{
    /** Size of the chunks the module is uploaded in (progress is shown per chunk). */
    static final int CHUNK_BYTES = 64 * 1024;
    /** Interval of the progress lines while the server compiles. */
    private static final long TICK_SECONDS = 5;

    @Parameters(index = "0", paramLabel = "DB", description = "Database name (1-64 letters, digits, - or _).")
    String database;

    @Parameters(index = "1", paramLabel = "MODULE.wasm", description = "The module file.")
    Path module;

    @Option(names = {"-c", "--clear"},
        description = "Delete the database's data first: publish as a fresh database (all rows are lost).")
    boolean clear;

    private volatile boolean uploaded;

    /**
     * A command object for picocli.
     */
    public PublishCommand()
    {
    }

    @Override
    int run(final ServerConnection server)
    {
        final byte[] bytes = readModule();
        final String token = server.token();
        err.printf("publishing %s (%s, %s) to %s%n", database, module.getFileName(), size(bytes.length),
            server.baseUrl());
        err.flush();
        final long startNs = System.nanoTime();
        final HttpRequest request = server.request(databasePath(database) + (clear ? "?clear=true" : ""), false)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/wasm")
            .PUT(HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArrays(new ProgressChunks(bytes)), bytes.length))
            .build();
        final HttpResponse<String> response;
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) ->
        {
            final Thread thread = new Thread(task, "lightcone-publish-progress");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            ticker.scheduleAtFixedRate(() -> waiting(startNs), TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
            response = server.send(request);
        }
        finally
        {
            ticker.shutdownNow();
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        if (response.statusCode() == 400 && !response.body().startsWith("invalid database name"))
        {
            throw new CommandFailure(ExitCodes.MODULE_REFUSED, "the server refused the module: " +
                response.body().strip());
        }
        if ((response.statusCode() == 401 || response.statusCode() == 403) &&
            response.body().contains("PermissionDenied"))
        {
            throw new CommandFailure(ExitCodes.PERMISSION_DENIED, "database " + database + " belongs to another " +
                "identity, not to yours (" + server.config().get(CliConfig.IDENTITY_KEY) + "): publish under " +
                "another name, or as its owner (--config with the owner's file)");
        }
        if (response.statusCode() != 200)
        {
            throw server.failure(response, "publishing " + database);
        }
        final Object success = Json.field(ServerConnection.parseAnswer(response.body(), "publish"), "Success");
        final String identity = Json.string(success, "database_identity");
        final String op = Json.string(success, "op");
        if (null == identity || null == op)
        {
            throw new CommandFailure(ExitCodes.OTHER, "unexpected answer to publish: " + response.body());
        }
        err.printf("compiled and %s in %.1f s%n", "created".equals(op) ? "created" :
            clear ? "recreated empty (--clear)" : "migrated", seconds);
        out.printf("%s database %s, identity: %s%n", "created".equals(op) ? "Created new" : "Updated",
            database, identity);
        return ExitCodes.OK;
    }

    /**
     * Progress while the server compiles and applies the module, which can take a while for a big one.
     */
    private void waiting(final long startNs)
    {
        if (uploaded)
        {
            err.printf("  still compiling and applying the module (%.0f s) ...%n", (System.nanoTime() - startNs) / 1e9);
            err.flush();
        }
    }

    private byte[] readModule()
    {
        try
        {
            return Files.readAllBytes(module);
        }
        catch (final NoSuchFileException ex)
        {
            throw new CommandFailure(ExitCodes.BAD_ARGS, "module file " + module + " does not exist");
        }
        catch (final IOException ex)
        {
            throw new CommandFailure(ExitCodes.BAD_ARGS, "cannot read module file " + module + ": " + ex, ex);
        }
    }

    /**
     * @param bytes a size.
     * @return it for people: {@code 1000 B}, {@code 23.9 KiB}, {@code 3.4 MiB}.
     */
    public static String size(final long bytes)
    {
        return bytes < 1024 ? bytes + " B" :
            bytes < 1024 * 1024 ? String.format("%.1f KiB", bytes / 1024.0) :
                String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /**
     * The module in chunks, taken by the HTTP client as it sends: prints the upload's progress.
     */
    private final class ProgressChunks implements Iterable<byte[]>
    {
        private final byte[] bytes;

        ProgressChunks(final byte[] bytes)
        {
            this.bytes = bytes;
        }

        @Override
        public Iterator<byte[]> iterator()
        {
            return new Iterator<>()
            {
                private int position;
                private int lastPercent = -1;

                @Override
                public boolean hasNext()
                {
                    return position < bytes.length;
                }

                @Override
                public byte[] next()
                {
                    if (!hasNext())
                    {
                        throw new NoSuchElementException();
                    }
                    final int length = Math.min(CHUNK_BYTES, bytes.length - position);
                    final byte[] chunk = new byte[length];
                    System.arraycopy(bytes, position, chunk, 0, length);
                    position += length;
                    final int percent = (int)(100L * position / bytes.length);
                    if (percent / 25 != lastPercent / 25 || position == bytes.length)
                    {
                        lastPercent = percent;
                        err.printf("  uploading %s of %s (%d%%)%n", size(position), size(bytes.length), percent);
                        if (position == bytes.length)
                        {
                            err.println("  uploaded; the core is compiling the module and applying it ...");
                            uploaded = true;
                        }
                        err.flush();
                    }
                    return chunk;
                }
            };
        }
    }
}
