package io.lightcone.cli.client;

import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SatsJson;
import io.lightcone.edge.protocol.ClientMessageEncoder;
import io.lightcone.edge.protocol.ProtocolException;
import io.lightcone.edge.protocol.ServerMessage;
import io.lightcone.edge.protocol.ServerMessageDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code lightcone subscribe <db> <query>...}: opens the WebSocket protocol ({@code v2.bsatn.spacetimedb}, no
 * compression), subscribes to the queries as one query set, and prints the initial rows, then every transaction
 * update, one JSON line each, as SpacetimeDB's CLI does: {@code {"table": {"deletes": [...], "inserts": [...]}}}
 * with rows as typed SATS-JSON objects (decoded with the table's row type from {@code /schema}).
 * <p>
 * It uses ws-edge's protocol codecs directly rather than the Java SDK: the SDK folds updates into per-row cache
 * callbacks, while this command prints each update whole, as it arrives.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
    description = {
        "Subscribe to SQL queries on database DB and print the initial rows, then each update as it arrives, as "
            + "JSON lines: {\"table\": {\"deletes\": [...], \"inserts\": [...]}}.",
        "Exit codes: 0 done (-n updates printed, --timeout reached, or the server closed normally), 2 a query was "
            + "refused, 3 cannot reach the server, 6 no such database, 7 token refused, 1 other."
    })
public final class SubscribeCommand extends ClientCommand
{
    /** The only subprotocol this command speaks: one message per frame. */
    static final String SUBPROTOCOL = "v2.bsatn.spacetimedb";

    private static final Object CLOSED = new Object();

    @Parameters(index = "0", paramLabel = "DB", description = "Database name or identity.")
    String database;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "QUERY", description = "SQL subscription queries.")
    List<String> queries = new ArrayList<>();

    @Option(names = {"-n", "--num-updates"}, paramLabel = "N",
        description = "Exit after printing N updates (the initial rows do not count).")
    Integer numUpdates;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
        description = "Exit after this many seconds (default: run until interrupted or the server closes).")
    Double timeoutSeconds;

    @Option(names = "--no-initial", description = "Do not print the initial rows.")
    boolean noInitial;

    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private volatile String closeReason;

    /**
     * A command object for picocli.
     */
    public SubscribeCommand()
    {
    }

    @Override
    int run(final ServerConnection server)
    {
        if ((null != numUpdates && numUpdates < 0) || (null != timeoutSeconds && !(timeoutSeconds > 0)))
        {
            throw new CommandFailure(ExitCodes.BAD_ARGS, "-n must not be negative and --timeout must be positive");
        }
        final ModuleSchema schema = ModuleSchema.fetch(server, database);
        final long deadlineNs = null == timeoutSeconds ? Long.MAX_VALUE :
            System.nanoTime() + (long)(timeoutSeconds * 1e9);
        final WebSocket socket = open(server);
        try
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
            final ClientMessageEncoder encoder = new ClientMessageEncoder().wrap(buffer, 0).subscribe(1, 1, queries);
            final byte[] subscribe = new byte[encoder.length()];
            buffer.getBytes(0, subscribe);
            socket.sendBinary(ByteBuffer.wrap(subscribe), true).join();
            return receive(schema, deadlineNs);
        }
        finally
        {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null);
            socket.abort();
        }
    }

    private int receive(final ModuleSchema schema, final long deadlineNs)
    {
        final ServerMessageDecoder decoder = new ServerMessageDecoder();
        int updates = 0;
        boolean applied = false;
        while (null == numUpdates || updates < numUpdates || !applied)
        {
            final Object frame = poll(deadlineNs);
            if (null == frame)
            {
                return ExitCodes.OK;
            }
            if (frame == CLOSED)
            {
                if (null == closeReason || closeReason.startsWith("1000") || closeReason.startsWith("1001"))
                {
                    return ExitCodes.OK;
                }
                throw new CommandFailure(ExitCodes.OTHER, "the server closed the connection: " + closeReason);
            }
            final byte[] bytes = (byte[])frame;
            final List<ServerMessage> messages;
            try
            {
                messages = decoder.decodeFrame(new UnsafeBuffer(bytes), 0, bytes.length);
            }
            catch (final ProtocolException ex)
            {
                throw new CommandFailure(ExitCodes.OTHER, "undecodable message from the server: " + ex.getMessage(),
                    ex);
            }
            for (final ServerMessage message : messages)
            {
                if (message instanceof ServerMessage.SubscribeApplied subscribeApplied)
                {
                    applied = true;
                    if (!noInitial)
                    {
                        final Map<String, Rows> rows = new LinkedHashMap<>();
                        for (final ServerMessage.SingleTableRows table : subscribeApplied.rows().tables())
                        {
                            rows.computeIfAbsent(table.table(), (name) -> new Rows()).inserts
                                .addAll(table.rows().rows());
                        }
                        print(schema, rows);
                    }
                }
                else if (message instanceof ServerMessage.SubscriptionError error)
                {
                    throw new CommandFailure(ExitCodes.BAD_ARGS, "subscription refused: " + error.error());
                }
                else if (message instanceof ServerMessage.TransactionUpdate update && applied)
                {
                    print(schema, rows(update));
                    updates++;
                }
            }
        }
        return ExitCodes.OK;
    }

    private static Map<String, Rows> rows(final ServerMessage.TransactionUpdate update)
    {
        final Map<String, Rows> rows = new LinkedHashMap<>();
        for (final ServerMessage.QuerySetUpdate querySet : update.querySets())
        {
            for (final ServerMessage.TableUpdate table : querySet.tables())
            {
                final Rows tableRows = rows.computeIfAbsent(table.tableName(), (name) -> new Rows());
                for (final ServerMessage.TableUpdateRows changes : table.rows())
                {
                    if (changes instanceof ServerMessage.PersistentRows persistent)
                    {
                        tableRows.inserts.addAll(persistent.inserts().rows());
                        tableRows.deletes.addAll(persistent.deletes().rows());
                    }
                    else if (changes instanceof ServerMessage.EventRows events)
                    {
                        tableRows.inserts.addAll(events.events().rows());
                    }
                }
            }
        }
        return rows;
    }

    private void print(final ModuleSchema schema, final Map<String, Rows> rows)
    {
        final StringBuilder line = new StringBuilder("{");
        for (final Map.Entry<String, Rows> table : rows.entrySet())
        {
            final ModuleSchema.Table definition = schema.table(table.getKey());
            final ProductType rowType = null == definition ? null : schema.rowType(definition);
            line.append(line.length() == 1 ? "" : ",").append(Json.write(table.getKey()))
                .append(":{\"deletes\":");
            appendRows(line, rowType, table.getValue().deletes);
            line.append(",\"inserts\":");
            appendRows(line, rowType, table.getValue().inserts);
            line.append('}');
        }
        out.println(line.append('}'));
        out.flush();
    }

    private static void appendRows(final StringBuilder line, final ProductType rowType,
        final List<ServerMessage.Blob> rows)
    {
        line.append('[');
        for (int i = 0; i < rows.size(); i++)
        {
            line.append(i == 0 ? "" : ",");
            final byte[] bytes = rows.get(i).bytes();
            try
            {
                line.append(null == rowType ? Json.write(rows.get(i).toString()) :
                    SatsJson.write(rowType, Bsatn.decodeValueFully(bytes, rowType)));
            }
            catch (final BsatnDecodeException ex)
            {
                throw new CommandFailure(ExitCodes.OTHER, "a row does not match its table's type (" +
                    ex.getMessage() + "): did the module change? run the command again", ex);
            }
        }
        line.append(']');
    }

    /**
     * @return the next frame or {@link #CLOSED}, or null once the deadline passed.
     */
    private Object poll(final long deadlineNs)
    {
        try
        {
            for (long waitNs = deadlineNs - System.nanoTime(); waitNs > 0; waitNs = deadlineNs - System.nanoTime())
            {
                final Object frame = inbound.poll(Math.min(waitNs, TimeUnit.HOURS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (null != frame)
                {
                    return frame;
                }
            }
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.OTHER, "interrupted", ex);
        }
    }

    private WebSocket open(final ServerConnection server)
    {
        final URI uri = URI.create(server.baseUrl().replaceFirst("^http", "ws") + databasePath(database) +
            "/subscribe?compression=None");
        try
        {
            return server.http().newWebSocketBuilder()
                .subprotocols(SUBPROTOCOL)
                .header("Authorization", "Bearer " + server.token())
                .connectTimeout(ServerConnection.CONNECT_TIMEOUT)
                .buildAsync(uri, new Listener())
                .get(ServerConnection.CONNECT_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof WebSocketHandshakeException handshake)
            {
                final Object body = handshake.getResponse().body();
                throw server.failure(handshake.getResponse().statusCode(), body instanceof String text ? text : "",
                    "subscribing to " + database);
            }
            if (ex.getCause() instanceof ConnectException || ex.getCause() instanceof IOException &&
                ex.getCause().getCause() instanceof ConnectException)
            {
                throw server.unreachable(ex.getCause());
            }
            throw new CommandFailure(ExitCodes.OTHER, "cannot open the WebSocket " + uri + ": " + ex.getCause(), ex);
        }
        catch (final TimeoutException ex)
        {
            throw new CommandFailure(ExitCodes.UNREACHABLE, "the WebSocket " + uri + " did not open in time", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.OTHER, "interrupted", ex);
        }
    }

    /** Rows of one table in one message. */
    private static final class Rows
    {
        final List<ServerMessage.Blob> deletes = new ArrayList<>();
        final List<ServerMessage.Blob> inserts = new ArrayList<>();
    }

    /** Collects whole binary messages into the queue the command thread reads. */
    private final class Listener implements WebSocket.Listener
    {
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(final WebSocket webSocket, final ByteBuffer data, final boolean last)
        {
            final byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last)
            {
                inbound.add(partial.toByteArray());
                partial.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
        {
            closeReason = statusCode + (reason.isEmpty() ? "" : " " + reason);
            inbound.add(CLOSED);
            return null;
        }

        @Override
        public void onError(final WebSocket webSocket, final Throwable error)
        {
            closeReason = "error: " + error;
            inbound.add(CLOSED);
        }
    }
}
