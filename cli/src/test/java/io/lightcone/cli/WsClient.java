package io.lightcone.cli;

import io.lightcone.edge.protocol.ClientMessageEncoder;
import io.lightcone.edge.protocol.Protocol;
import io.lightcone.edge.protocol.ServerMessage;
import io.lightcone.edge.protocol.ServerMessageDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A v2 BSATN client over the JDK WebSocket, anonymous or with a token, with ws-edge's public codecs (the JDK may
 * deliver one frame in several parts).
 */
final class WsClient implements WebSocket.Listener
{
    static final long TIMEOUT_MS = 10_000;

    private final BlockingQueue<ServerMessage> messages = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream parts = new ByteArrayOutputStream();
    private final ServerMessageDecoder decoder = new ServerMessageDecoder();
    private WebSocket webSocket;

    static WsClient connect(final String baseUrl, final String database) throws Exception
    {
        return connect(baseUrl, database, null);
    }

    static WsClient connect(final String baseUrl, final String database, final String token) throws Exception
    {
        final WsClient client = new WsClient();
        client.webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
            .subprotocols(Protocol.SUBPROTOCOL_V2)
            .buildAsync(URI.create(baseUrl + "/v1/database/" + database + "/subscribe" +
                (null == token ? "" : "?token=" + token)), client)
            .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return client;
    }

    @Override
    public void onOpen(final WebSocket webSocket)
    {
        webSocket.request(1);
    }

    @Override
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
            messages.addAll(decoded);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
    {
        webSocket.request(1);
        return null;
    }

    void send(final Consumer<ClientMessageEncoder> message) throws Exception
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final ClientMessageEncoder encoder = new ClientMessageEncoder().wrap(buffer, 0);
        message.accept(encoder);
        webSocket.sendBinary(ByteBuffer.wrap(Arrays.copyOf(buffer.byteArray(), encoder.position())), true)
            .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
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

    void close()
    {
        webSocket.abort();
    }
}
