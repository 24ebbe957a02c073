package io.lightcone.edge;

import io.lightcone.edge.protocol.ClientMessageEncoder;
import io.lightcone.edge.protocol.Protocol;
import org.agrona.ExpandableArrayBuffer;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket client over a plain blocking socket, for what the JDK client does not allow: never answering pings,
 * sending fragments, and not reading at all (with a small receive buffer, so the server's writes back up).
 */
final class RawWsClient implements AutoCloseable
{
    static final int OPCODE_CONTINUATION = 0;
    static final int OPCODE_BINARY = 2;
    static final int OPCODE_CLOSE = 8;
    static final int OPCODE_PING = 9;
    static final int READ_TIMEOUT_MS = 20_000;

    /** One frame from the server (never masked). */
    record Frame(int opcode, byte[] payload)
    {
        int closeCode()
        {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String closeReason()
        {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWsClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connect and upgrade with the v2 subprotocol.
     *
     * @param port               the edge's port.
     * @param query              query string, with its {@code ?}, or empty.
     * @param receiveBufferBytes the socket's receive buffer, 0 for the default.
     * @return the upgraded client.
     */
    static RawWsClient connect(final int port, final String query, final int receiveBufferBytes) throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        final RawWsClient client = new RawWsClient(socket);
        client.out.write(("GET /v1/database/quickstart/subscribe" + query + " HTTP/1.1\r\n" +
            "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Protocol: " + Protocol.SUBPROTOCOL_V2 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n"))
        {
            head.write(client.readByte());
        }
        assertTrue(head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101"), head.toString());
        return client;
    }

    private int readByte() throws IOException
    {
        final int b = in.read();
        if (b < 0)
        {
            throw new EOFException("connection closed by the server");
        }
        return b;
    }

    /**
     * @return the next frame from the server.
     */
    Frame readFrame() throws IOException
    {
        final int first = readByte();
        final int second = readByte();
        long length = second & 0x7f;
        if (length == 126)
        {
            length = (readByte() << 8) | readByte();
        }
        else if (length == 127)
        {
            length = 0;
            for (int i = 0; i < 8; i++)
            {
                length = (length << 8) | readByte();
            }
        }
        return new Frame(first & 0x0f, in.readNBytes((int)length));
    }

    /**
     * Send one masked frame.
     *
     * @param fin     whether it ends the message.
     * @param opcode  the opcode.
     * @param payload the payload.
     */
    void sendFrame(final boolean fin, final int opcode, final byte[] payload) throws IOException
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126)
        {
            frame.write(0x80 | payload.length);
        }
        else if (payload.length < 65536)
        {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        else
        {
            frame.write(0x80 | 127);
            for (int i = 7; i >= 0; i--)
            {
                frame.write((int)((long)payload.length >>> (8 * i)) & 0xff);
            }
        }
        final byte[] mask = {0x11, 0x22, 0x33, 0x44};
        frame.write(mask);
        for (int i = 0; i < payload.length; i++)
        {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Send one client message as one binary frame.
     *
     * @param message writes the message.
     */
    void send(final Consumer<ClientMessageEncoder> message) throws IOException
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final ClientMessageEncoder encoder = new ClientMessageEncoder().wrap(buffer, 0);
        message.accept(encoder);
        sendFrame(true, OPCODE_BINARY, Arrays.copyOf(buffer.byteArray(), encoder.position()));
    }

    /**
     * Read and discard until the server closes the connection.
     *
     * @return bytes read.
     * @throws IOException if the connection is not closed within the read timeout.
     */
    long readToEnd() throws IOException
    {
        final byte[] chunk = new byte[64 * 1024];
        long total = 0;
        try
        {
            int n;
            while ((n = in.read(chunk)) >= 0)
            {
                total += n;
            }
        }
        catch (final SocketException ex)
        {
            // a reset also ends the connection
        }
        return total;
    }

    public void close() throws IOException
    {
        socket.close();
    }
}
