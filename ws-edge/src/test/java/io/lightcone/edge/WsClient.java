package io.lightcone.edge;

import io.lightcone.edge.protocol.ClientMessageEncoder;
import io.lightcone.edge.protocol.ServerMessage;
import io.lightcone.edge.protocol.ServerMessageDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A test client over the JDK WebSocket (which may deliver one frame in several parts). */
final class WsClient implements WebSocket.Listener
{
    static final long TIMEOUT_MS = 5_000;

    final BlockingQueue<ServerMessage> messages = new LinkedBlockingQueue<>();
    final List<Integer> messagesPerFrame = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream parts = new ByteArrayOutputStream();
    private final ServerMessageDecoder decoder = new ServerMessageDecoder();
    private WebSocket webSocket;

    static WsClient connect(final int port, final String query, final String token, final String... subprotocols)
        throws Exception
    {
        return connectTo(port, "quickstart", query, token, subprotocols);
    }

    static WsClient connectTo(
        final int port, final String database, final String query, final String token, final String... subprotocols)
        throws Exception
    {
        final WsClient client = new WsClient();
        final WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
            .subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        if (null != token)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        client.webSocket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port +
            "/v1/database/" + database + "/subscribe" + query), client).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return client;
    }

    String subprotocol()
    {
        return webSocket.getSubprotocol();
    }

    public void onOpen(final WebSocket webSocket)
    {
        webSocket.request(1);
    }

    public CompletionStage<?> onBinary(final WebSocket webSocket, final ByteBuffer data, final boolean last)
    {
        final byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        parts.writeBytes(bytes);
        if (last)
        {
            final byte[] frame = parts.toByteArray();
            parts.reset();
            final List<ServerMessage> decoded = decoder.decodeFrame(new UnsafeBuffer(frame), 0, frame.length);
            messagesPerFrame.add(decoded.size());
            messages.addAll(decoded);
        }
        webSocket.request(1);
        return null;
    }

    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
    {
        webSocket.request(1);
        return null;
    }

    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
    {
        closed.complete(statusCode + ":" + reason);
        return null;
    }

    public void onError(final WebSocket webSocket, final Throwable error)
    {
        closed.complete("error:" + error);
    }

    void send(final Consumer<ClientMessageEncoder> message) throws Exception
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final ClientMessageEncoder encoder = new ClientMessageEncoder().wrap(buffer, 0);
        message.accept(encoder);
        sendRaw(java.util.Arrays.copyOf(buffer.byteArray(), encoder.position()));
    }

    void sendRaw(final byte[] frame) throws Exception
    {
        webSocket.sendBinary(ByteBuffer.wrap(frame), true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    void sendText(final String text) throws Exception
    {
        webSocket.sendText(text, true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @SuppressWarnings("unchecked")
    <T extends ServerMessage> T next(final Class<T> type) throws InterruptedException
    {
        final ServerMessage message = messages.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(message, "no " + type.getSimpleName() + " within " + TIMEOUT_MS + " ms");
        if (!type.isInstance(message))
        {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + message);
        }
        return (T)message;
    }

    ServerMessage poll(final long millis) throws InterruptedException
    {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    String awaitClose() throws Exception
    {
        return closed.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    void close()
    {
        webSocket.abort();
    }
}
