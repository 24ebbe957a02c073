package io.lightcone.edge.protocol;

import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import io.lightcone.edge.protocol.ServerMessage.Blob;
import io.lightcone.edge.protocol.ServerMessage.SubscriptionError;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Framing: compression tag, v2 one message per frame, v3 batching and its limit, gzip or brotli above 1024 bytes only.
 */
class ServerFrameWriterTest
{
    private final List<byte[]> frames = new ArrayList<>();
    private final FrameSink sink = (buffer, offset, length) -> frames.add(Hex.copy(buffer, offset, length));
    private final ServerMessageDecoder decoder = new ServerMessageDecoder();

    private static ServerMessage error(final int size)
    {
        // SubscriptionError None: 1 + 1 + 4 + 4 + n bytes
        return new SubscriptionError(null, 1, "e".repeat(size - 10));
    }

    private static void write(final ServerFrameWriter writer, final ServerMessage message)
    {
        ServerModel.encode(message, writer.begin());
        writer.commit();
    }

    private List<ServerMessage> decode(final byte[] frame)
    {
        return decoder.decodeFrame(new UnsafeBuffer(frame), 0, frame.length);
    }

    @Test
    void v2WritesOneFramePerMessage()
    {
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V2, Compression.NONE, sink))
        {
            write(writer, error(20));
            write(writer, error(30));
            assertEquals(0, writer.pendingMessages());
            writer.flush();
            assertEquals(2, writer.framesWritten());
        }
        assertEquals(2, frames.size());
        assertEquals(21, frames.get(0).length);
        assertEquals(0, frames.get(0)[0]);
        assertEquals(List.of(error(30)), decode(frames.get(1)));
    }

    @Test
    void v3BatchesUntilFlush()
    {
        final Random random = new Random(0x5eed_2001L);
        final List<ServerMessage> messages = new ArrayList<>();
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V3, Compression.NONE, sink))
        {
            for (int i = 0; i < 50; i++)
            {
                final ServerMessage message = ServerModel.random(random);
                messages.add(message);
                write(writer, message);
            }
            assertEquals(50, writer.pendingMessages());
            assertEquals(List.of(), frames);
            writer.flush();
            writer.flush();
        }
        assertEquals(1, frames.size());
        assertEquals(messages, decode(frames.get(0)));
    }

    @Test
    void v3BatchLimitSplitsFramesAndOversizeMessagesGoAlone()
    {
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V3, Compression.NONE, 100, sink))
        {
            write(writer, error(40));
            write(writer, error(40));
            write(writer, error(40)); // 120 > 100: the first two go, this one waits
            assertEquals(1, frames.size());
            assertEquals(1, writer.pendingMessages());
            write(writer, error(250)); // oversize: flushes the waiting one, then goes alone
            assertEquals(3, frames.size());
            write(writer, error(60));
            write(writer, error(40)); // exactly 100: sent at once
            assertEquals(4, frames.size());
            writer.flush();
        }
        assertEquals(List.of(error(40), error(40)), decode(frames.get(0)));
        assertEquals(List.of(error(40)), decode(frames.get(1)));
        assertEquals(List.of(error(250)), decode(frames.get(2)));
        assertEquals(List.of(error(60), error(40)), decode(frames.get(3)));
        assertEquals(4, frames.size());
    }

    @Test
    void v3MoveToFrontWithOverlapKeepsTheMessageIntact()
    {
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V3, Compression.NONE, 1000, sink))
        {
            write(writer, error(12));
            final ServerMessage big = new ServerMessage.InitialConnection(new Blob(ServerModel.fill(new Random(1), 32)),
                new Blob(ServerModel.fill(new Random(2), 16)), "abcdefghijklmnopqrstuvwxyz".repeat(38));
            write(writer, big);
            writer.flush();
            assertEquals(List.of(error(12)), decode(frames.get(0)));
            assertEquals(List.of(big), decode(frames.get(1)));
        }
    }

    @Test
    void compressionOnlyAboveTheThresholdAndOnlyAsAsked()
    {
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V2, Compression.GZIP, sink))
        {
            write(writer, error(1024));
            write(writer, error(1025));
        }
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V2, Compression.BROTLI, sink))
        {
            write(writer, error(5000));
        }
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V2, Compression.NONE, sink))
        {
            write(writer, error(5000));
        }
        assertEquals(Protocol.COMPRESSION_TAG_NONE, frames.get(0)[0]);
        assertEquals(1025, frames.get(0).length);
        assertEquals(Protocol.COMPRESSION_TAG_GZIP, frames.get(1)[0]);
        assertTrue(frames.get(1).length < 100);
        assertEquals(List.of(error(1025)), decode(frames.get(1)));
        assertTrue(BrotliFrames.AVAILABLE, "the native brotli encoder loads on the platforms we build on");
        assertEquals(Protocol.COMPRESSION_TAG_BROTLI, frames.get(2)[0]);
        assertTrue(frames.get(2).length < 100);
        assertEquals(List.of(error(5000)), decode(frames.get(2)));
        assertEquals(Protocol.COMPRESSION_TAG_NONE, frames.get(3)[0]);
        assertEquals(5001, frames.get(3).length);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = { "GZIP", "BROTLI" })
    void compressedFramesDecompressToTheSameBody(final Compression compression) throws IOException
    {
        final Random random = new Random(0x5eed_2002L);
        final List<byte[]> plain = new ArrayList<>();
        final FrameSink plainSink = (buffer, offset, length) -> plain.add(Hex.copy(buffer, offset, length));
        try (ServerFrameWriter gzip = new ServerFrameWriter(ProtocolVersion.V3, compression, 64 * 1024, sink);
            ServerFrameWriter none = new ServerFrameWriter(ProtocolVersion.V3, Compression.NONE, 64 * 1024, plainSink))
        {
            for (int i = 0; i < 3000; i++)
            {
                final ServerMessage message = ServerModel.random(random);
                write(gzip, message);
                write(none, message);
                if (random.nextInt(50) == 0)
                {
                    final ProcedureBlob blob = new ProcedureBlob(ServerModel.fill(random, random.nextInt(200_000)));
                    write(gzip, blob.message);
                    write(none, blob.message);
                }
            }
            gzip.flush();
            none.flush();
        }
        assertEquals(plain.size(), frames.size());
        int compressed = 0;
        for (int i = 0; i < frames.size(); i++)
        {
            final byte[] body = new byte[plain.get(i).length - 1];
            System.arraycopy(plain.get(i), 1, body, 0, body.length);
            if (frames.get(i)[0] == Protocol.COMPRESSION_TAG_GZIP)
            {
                compressed++;
                assertEquals(Compression.GZIP, compression);
                try (InputStream in = new GZIPInputStream(
                    new ByteArrayInputStream(frames.get(i), 1, frames.get(i).length - 1)))
                {
                    assertArrayEquals(body, in.readAllBytes());
                }
            }
            else if (frames.get(i)[0] == Protocol.COMPRESSION_TAG_BROTLI)
            {
                compressed++;
                assertEquals(Compression.BROTLI, compression);
                final DirectDecompress result = DirectDecompress.decompress(
                    Arrays.copyOfRange(frames.get(i), 1, frames.get(i).length));
                assertEquals(DecoderJNI.Status.DONE, result.getResultStatus());
                assertArrayEquals(body, result.getDecompressedData());
            }
            else
            {
                assertTrue(body.length <= Protocol.COMPRESSION_THRESHOLD);
                assertArrayEquals(plain.get(i), frames.get(i));
            }
        }
        assertTrue(compressed > 5, "compressed frames: " + compressed);
    }

    @Test
    void preEncodedMessagesAndMisuse()
    {
        final byte[] unsubscribe = Hex.bytes("02 02 00 00 00 03 00 00 00 01");
        try (ServerFrameWriter writer = new ServerFrameWriter(ProtocolVersion.V2, Compression.GZIP, sink))
        {
            writer.write(new UnsafeBuffer(unsubscribe), 0, unsubscribe.length);
            assertThrows(IllegalStateException.class, writer::commit);
            writer.begin().beginSubscribeApplied(1, 1);
            assertThrows(IllegalStateException.class, writer::commit);
        }
        assertEquals("00 02 02 00 00 00 03 00 00 00 01", Hex.string(frames.get(0)));
        assertThrows(IllegalArgumentException.class, () -> Compression.fromQueryParameter("gzip"));
        assertEquals(Compression.BROTLI, Compression.fromQueryParameter(null));
        assertEquals(Compression.GZIP, Compression.fromQueryParameter("Gzip"));
        assertEquals(ProtocolVersion.V3, ProtocolVersion.fromSubprotocol("v3.bsatn.spacetimedb"));
        assertEquals(null, ProtocolVersion.fromSubprotocol("v1.json.spacetimedb"));
    }

    /** A large, incompressible ProcedureResult. */
    private static final class ProcedureBlob
    {
        final ServerMessage message;

        ProcedureBlob(final byte[] bytes)
        {
            message = new ServerMessage.ProcedureResult(new Blob(bytes), null, 1, 2, 3);
        }
    }
}
