package io.lightcone.edge.protocol;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Turns server messages into WebSocket frames: {@code tag byte + body}, where the tag says how the body is
 * compressed (0 none, 1 brotli, 2 gzip).
 * <p>
 * v2: each committed message is one frame, handed to the sink at once. v3: committed messages are batched back to
 * back until the body would exceed the batch limit (512 KiB by default) or {@link #flush} is called; a single message
 * bigger than the limit goes alone.
 * <p>
 * Compression: a body longer than 1024 bytes is compressed as the client asked: gzip (tag 2, {@code Gzip}, what the
 * npm SDK asks for) or brotli (tag 1, {@code Brotli}, also the default when the client names none; see
 * {@link BrotliFrames}). Gzip reuses one deflater and buffers; brotli allocates its output array per frame (brotli4j's
 * encoder returns one).
 * <p>
 * Usage: {@code encoder = writer.begin(); encoder.…; writer.commit();} then {@code writer.flush()} at the end of a
 * batch. Not thread-safe; one per connection (or per sending thread, reused across connections).
 */
public final class ServerFrameWriter implements AutoCloseable
{
    private static final int GZIP_HEADER_BYTES = 10;
    private static final int GZIP_TRAILER_BYTES = 8;

    private final ProtocolVersion version;
    private final Compression compression;
    private final int maxBatchBytes;
    private final FrameSink sink;
    private final ServerMessageEncoder encoder = new ServerMessageEncoder();
    private final ExpandableDirectByteBuffer body = new ExpandableDirectByteBuffer(4096);
    private final ExpandableDirectByteBuffer compressed = new ExpandableDirectByteBuffer(4096);
    private final CRC32 crc = new CRC32();
    private Deflater deflater;
    private byte[] brotliInput;
    private int bodyEnd = 1;
    private int messageStart = -1;
    private int pendingMessages;
    private long framesWritten;

    /**
     * A frame writer with the default v3 batch limit.
     *
     * @param version framing of the connection.
     * @param compression the client asked for.
     * @param sink receiving frames.
     */
    public ServerFrameWriter(final ProtocolVersion version, final Compression compression, final FrameSink sink)
    {
        this(version, compression, Protocol.V3_MAX_BATCH_BYTES, sink);
    }

    /**
     * A frame writer.
     *
     * @param version framing of the connection.
     * @param compression the client asked for.
     * @param maxBatchBytes v3: most uncompressed body bytes per frame (a bigger single message goes alone).
     * @param sink receiving frames.
     */
    public ServerFrameWriter(
        final ProtocolVersion version, final Compression compression, final int maxBatchBytes, final FrameSink sink)
    {
        if (maxBatchBytes < 1)
        {
            throw new IllegalArgumentException("maxBatchBytes must be positive: " + maxBatchBytes);
        }
        this.version = version;
        this.compression = compression;
        this.maxBatchBytes = maxBatchBytes;
        this.sink = sink;
    }

    /**
     * The encoder to write the next message with, positioned after the messages already batched.
     *
     * @return the encoder; write exactly one message, then {@link #commit}.
     */
    public ServerMessageEncoder begin()
    {
        if (messageStart >= 0)
        {
            throw new IllegalStateException("begin() twice without commit()");
        }
        messageStart = bodyEnd;
        return encoder.wrap(body, bodyEnd);
    }

    /**
     * Takes the message written since {@link #begin}: v2 sends it as a frame now; v3 batches it.
     */
    public void commit()
    {
        if (messageStart < 0)
        {
            throw new IllegalStateException("commit() without begin()");
        }
        if (!encoder.isComplete() || encoder.messageLength() == 0)
        {
            throw new IllegalStateException("commit() of an incomplete or empty message");
        }
        final int start = messageStart;
        final int end = encoder.position();
        messageStart = -1;
        accept(start, end);
    }

    /**
     * Sends an already encoded message (copies it).
     *
     * @param message buffer holding one BSATN ServerMessage.
     * @param offset of the message.
     * @param length of the message.
     */
    public void write(final DirectBuffer message, final int offset, final int length)
    {
        if (messageStart >= 0)
        {
            throw new IllegalStateException("write() between begin() and commit()");
        }
        if (length <= 0)
        {
            throw new IllegalArgumentException("empty message");
        }
        body.putBytes(bodyEnd, message, offset, length);
        accept(bodyEnd, bodyEnd + length);
    }

    private void accept(final int start, final int end)
    {
        if (version == ProtocolVersion.V2)
        {
            bodyEnd = end;
            emit();
            return;
        }
        final int length = end - start;
        if (pendingMessages > 0 && end - 1 > maxBatchBytes)
        {
            bodyEnd = start;
            emit();
            moveToFront(start, length);
            bodyEnd = 1 + length;
        }
        else
        {
            bodyEnd = end;
        }
        pendingMessages++;
        if (bodyEnd - 1 >= maxBatchBytes)
        {
            emit();
        }
    }

    private void moveToFront(final int from, final int length)
    {
        // Chunks no longer than the gap never overlap, whatever copy direction the JVM uses.
        final int gap = from - 1;
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(gap, length - done);
            body.putBytes(1 + done, body, from + done, chunk);
            done += chunk;
        }
    }

    /**
     * Sends the batched messages (v3) as one frame, if there are any.
     */
    public void flush()
    {
        if (messageStart >= 0)
        {
            throw new IllegalStateException("flush() between begin() and commit()");
        }
        if (bodyEnd > 1)
        {
            emit();
        }
    }

    /**
     * Messages batched and not yet sent.
     *
     * @return the count.
     */
    public int pendingMessages()
    {
        return pendingMessages;
    }

    /**
     * Frames handed to the sink so far.
     *
     * @return the count.
     */
    public long framesWritten()
    {
        return framesWritten;
    }

    private void emit()
    {
        final int bodyLength = bodyEnd - 1;
        if (compression == Compression.GZIP && bodyLength > Protocol.COMPRESSION_THRESHOLD)
        {
            final int frameLength = gzip(bodyLength);
            compressed.putByte(0, Protocol.COMPRESSION_TAG_GZIP);
            sink.onFrame(compressed, 0, frameLength);
        }
        else if (compression == Compression.BROTLI && bodyLength > Protocol.COMPRESSION_THRESHOLD &&
            BrotliFrames.AVAILABLE)
        {
            final int frameLength = brotli(bodyLength);
            compressed.putByte(0, Protocol.COMPRESSION_TAG_BROTLI);
            sink.onFrame(compressed, 0, frameLength);
        }
        else
        {
            body.putByte(0, Protocol.COMPRESSION_TAG_NONE);
            sink.onFrame(body, 0, 1 + bodyLength);
        }
        framesWritten++;
        bodyEnd = 1;
        pendingMessages = 0;
    }

    private int gzip(final int bodyLength)
    {
        if (deflater == null)
        {
            deflater = new Deflater(Deflater.BEST_SPEED, true);
        }
        final ByteBuffer input = body.byteBuffer().duplicate();
        input.limit(1 + bodyLength).position(1);
        crc.reset();
        crc.update(input.duplicate());
        deflater.reset();
        deflater.setInput(input);
        deflater.finish();

        compressed.checkLimit(1 + GZIP_HEADER_BYTES + 64);
        compressed.putByte(1, (byte)0x1f);
        compressed.putByte(2, (byte)0x8b);
        compressed.putByte(3, (byte)8);
        compressed.putByte(4, (byte)0);
        compressed.putInt(5, 0, LITTLE_ENDIAN);
        compressed.putByte(9, (byte)0);
        compressed.putByte(10, (byte)0xff);
        int position = 1 + GZIP_HEADER_BYTES;
        while (!deflater.finished())
        {
            compressed.checkLimit(position + Math.max(4096, bodyLength / 4));
            final ByteBuffer output = compressed.byteBuffer().duplicate();
            output.limit(compressed.capacity()).position(position);
            position += deflater.deflate(output);
        }
        compressed.checkLimit(position + GZIP_TRAILER_BYTES);
        compressed.putInt(position, (int)crc.getValue(), LITTLE_ENDIAN);
        compressed.putInt(position + 4, bodyLength, LITTLE_ENDIAN);
        return position + GZIP_TRAILER_BYTES;
    }

    private int brotli(final int bodyLength)
    {
        if (null == brotliInput || brotliInput.length < bodyLength)
        {
            brotliInput = new byte[(int)Math.min(Integer.MAX_VALUE - 8, bodyLength * 3L / 2)];
        }
        body.getBytes(1, brotliInput, 0, bodyLength);
        final byte[] stream;
        try
        {
            stream = BrotliFrames.compress(brotliInput, 0, bodyLength);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("brotli compression of a " + bodyLength + " byte frame failed", ex);
        }
        compressed.putBytes(1, stream);
        return 1 + stream.length;
    }

    /**
     * Releases the native deflater.
     */
    @Override
    public void close()
    {
        if (deflater != null)
        {
            deflater.end();
            deflater = null;
        }
    }
}
