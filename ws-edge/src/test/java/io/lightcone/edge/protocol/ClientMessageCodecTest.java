package io.lightcone.edge.protocol;

import io.lightcone.edge.protocol.ServerMessage.Blob;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Client messages: seeded random round trips in v2 and v3 frames, and malformed frames.
 */
class ClientMessageCodecTest
{
    private final ClientMessageDecoder decoder = new ClientMessageDecoder();

    static ClientEvent randomEvent(final Random random)
    {
        switch (random.nextInt(5))
        {
            case 0:
                final List<String> queries = new ArrayList<>();
                final int count = random.nextInt(4);
                for (int i = 0; i < count; i++)
                {
                    queries.add(ServerModel.randomString(random, 30));
                }
                return new ClientEvent.Subscribe(random.nextInt(), random.nextInt(), queries);
            case 1:
                return new ClientEvent.Unsubscribe(random.nextInt(), random.nextInt(), random.nextBoolean());
            case 2:
                return new ClientEvent.OneOffQuery(random.nextInt(), ServerModel.randomString(random, 30));
            default:
                return new ClientEvent.Call(random.nextBoolean(), random.nextInt(),
                    ServerModel.randomString(random, 12), ServerModel.randomBytes(random, 20));
        }
    }

    private static byte[] encode(final List<ClientEvent> events)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        final ClientMessageEncoder encoder = new ClientMessageEncoder().wrap(out, 0);
        for (final ClientEvent event : events)
        {
            ClientEvent.encode(event, encoder);
        }
        return Hex.copy(out, 0, encoder.length());
    }

    @Test
    void randomV2RoundTrips()
    {
        final Random random = new Random(0x5eed_0001L);
        for (int i = 0; i < 2000; i++)
        {
            final ClientEvent event = randomEvent(random);
            final byte[] bytes = encode(List.of(event));
            final ClientEvent.Recorder recorder = new ClientEvent.Recorder();
            decoder.decodeV2Frame(new UnsafeBuffer(bytes), 0, bytes.length, recorder);
            assertEquals(List.of(event), recorder.events, "iteration " + i);
        }
    }

    @Test
    void randomV3FramesDecodeEveryMessageInOrder()
    {
        final Random random = new Random(0x5eed_0002L);
        for (int i = 0; i < 500; i++)
        {
            final List<ClientEvent> events = new ArrayList<>();
            final int count = 1 + random.nextInt(6);
            for (int k = 0; k < count; k++)
            {
                events.add(randomEvent(random));
            }
            final byte[] bytes = encode(events);
            final ClientEvent.Recorder recorder = new ClientEvent.Recorder();
            assertEquals(count, decoder.decodeFrame(ProtocolVersion.V3, new UnsafeBuffer(bytes), 0, bytes.length,
                recorder));
            assertEquals(events, recorder.events, "iteration " + i);
        }
    }

    @Test
    void twoMessagesInAV2FrameAreTrailingGarbage()
    {
        final byte[] bytes = encode(List.of(new ClientEvent.Unsubscribe(1, 2, false), new ClientEvent.OneOffQuery(3,
            "SELECT * FROM t")));
        final ProtocolException e = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(new UnsafeBuffer(bytes), 0, bytes.length, new ClientEvent.Recorder()));
        assertTrue(e.getMessage().startsWith("trailing 24 bytes after Unsubscribe ClientMessage ending at byte 10"),
            e.getMessage());
        assertEquals(10, e.offset());
    }

    @Test
    void emptyFramesAreErrors()
    {
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[4]);
        final ProtocolException v3 = assertThrows(ProtocolException.class, () ->
            decoder.decodeV3Frame(empty, 2, 0, new ClientEvent.Recorder()));
        assertEquals("empty v3 frame: expected at least one ClientMessage", v3.getMessage());
        final ProtocolException v2 = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(empty, 2, 0, new ClientEvent.Recorder()));
        assertEquals("empty v2 frame: expected one ClientMessage", v2.getMessage());
    }

    @Test
    void badCallReducerFlags()
    {
        final byte[] bytes = Hex.bytes("03 | 03 00 00 00 | 03 | 03 00 00 00 61 64 64 | 04 00 00 00 05 00 00 00");
        final ProtocolException e = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(new UnsafeBuffer(bytes), 0, bytes.length, new ClientEvent.Recorder()));
        assertTrue(e.getMessage().startsWith("invalid CallReducer flags 3 at byte 5"), e.getMessage());
        assertEquals(5, e.offset());
        bytes[0] = 4;
        final ProtocolException p = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(new UnsafeBuffer(bytes), 0, bytes.length, new ClientEvent.Recorder()));
        assertTrue(p.getMessage().startsWith("invalid CallProcedure flags 3"), p.getMessage());
    }

    @Test
    void badTags()
    {
        for (int tag = 5; tag < 256; tag++)
        {
            final byte[] bytes = {(byte)tag, 0, 0, 0, 0};
            final ProtocolException e = assertThrows(ProtocolException.class, () ->
                decoder.decodeV2Frame(new UnsafeBuffer(bytes), 0, bytes.length, new ClientEvent.Recorder()));
            assertTrue(e.getMessage().startsWith("unknown ClientMessage tag " + tag + " at byte 0"), e.getMessage());
        }
        final byte[] unsubscribe = Hex.bytes("01 | 02 00 00 00 | 00 00 00 00 | 02");
        final ProtocolException e = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(new UnsafeBuffer(unsubscribe), 0, unsubscribe.length, new ClientEvent.Recorder()));
        assertTrue(e.getMessage().startsWith("invalid UnsubscribeFlags tag 2 at byte 9"), e.getMessage());
    }

    @Test
    void badTagInTheSecondMessageOfAV3FrameHasNoEffect()
    {
        final byte[] good = encode(List.of(new ClientEvent.Unsubscribe(1, 2, true)));
        final byte[] bytes = new byte[good.length + 1];
        System.arraycopy(good, 0, bytes, 0, good.length);
        bytes[good.length] = 9;
        final ClientEvent.Recorder recorder = new ClientEvent.Recorder();
        final ProtocolException e = assertThrows(ProtocolException.class, () ->
            decoder.decodeV3Frame(new UnsafeBuffer(bytes), 0, bytes.length, recorder));
        assertEquals("unknown ClientMessage tag 9 at byte 10 (message 1 of the frame, starting at byte 10)",
            e.getMessage());
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void invalidUtf8IsRejected()
    {
        final byte[] bytes = Hex.bytes("02 | 01 00 00 00 | 02 00 00 00 c3 28");
        final ProtocolException e = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(new UnsafeBuffer(bytes), 0, bytes.length, new ClientEvent.Recorder()));
        assertTrue(e.getMessage().contains("invalid UTF-8 continuation byte 0x28"), e.getMessage());
        assertEquals(10, e.offset());
    }

    @Test
    void absurdLengthsAreRejectedWithoutAllocating()
    {
        final byte[] bytes = Hex.bytes("00 | 01 00 00 00 | 00 00 00 00 | ff ff ff 7f");
        final ProtocolException e = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(new UnsafeBuffer(bytes), 0, bytes.length, new ClientEvent.Recorder()));
        assertTrue(e.getMessage().contains("Subscribe.query_strings length"), e.getMessage());
    }

    @Test
    void everyTruncationOfEveryKindIsAProtocolExceptionOnly()
    {
        final Random random = new Random(0x5eed_0003L);
        int checked = 0;
        for (int i = 0; i < 300; i++)
        {
            final byte[] bytes = encode(List.of(randomEvent(random)));
            for (int cut = 0; cut < bytes.length; cut++)
            {
                final byte[] copy = new byte[cut + 3];
                System.arraycopy(bytes, 0, copy, 2, cut);
                for (final ProtocolVersion version : ProtocolVersion.values())
                {
                    try
                    {
                        decoder.decodeFrame(version, new UnsafeBuffer(copy), 2, cut, new ClientEvent.Recorder());
                        fail("decoded a truncation at " + cut + " of " + Hex.string(bytes));
                    }
                    catch (final ProtocolException e)
                    {
                        assertTrue(e.getMessage().length() > 10);
                        assertTrue(e.offset() >= 0 && e.offset() <= cut, e.getMessage());
                        assertTrue(e.closeReason().length() <= ProtocolException.MAX_CLOSE_REASON_BYTES);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 1000);
    }

    @Test
    void randomCorruptionsNeverEscapeAsAnythingButProtocolException()
    {
        final Random random = new Random(0x5eed_0004L);
        for (int i = 0; i < 5000; i++)
        {
            final byte[] bytes = encode(List.of(randomEvent(random), randomEvent(random)));
            final int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++)
            {
                bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
            }
            try
            {
                decoder.decodeV3Frame(new UnsafeBuffer(bytes), 0, bytes.length, new ClientEvent.Recorder());
            }
            catch (final ProtocolException expected)
            {
                assertTrue(expected.getMessage().length() > 10);
            }
        }
    }

    @Test
    void truncatedMessagesNameTheField()
    {
        final byte[] bytes = Hex.bytes("03 | 03 00 00 00 | 00 | 03 00 00 00 61 64 64 | 04 00 00 00 05 00");
        final ProtocolException e = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(new UnsafeBuffer(bytes), 0, bytes.length, new ClientEvent.Recorder()));
        assertTrue(e.getMessage().contains("CallReducer.args"), e.getMessage());
        final byte[] subscribe = Hex.bytes("00 | 01 00 00");
        final ProtocolException s = assertThrows(ProtocolException.class, () ->
            decoder.decodeV2Frame(new UnsafeBuffer(subscribe), 0, subscribe.length, new ClientEvent.Recorder()));
        assertEquals("malformed ClientMessage (message 0 of the frame, starting at byte 0): BSATN decode error at " +
            "offset 1: truncated input: Subscribe.request_id needs 4 bytes, 3 remain", s.getMessage());
    }

    @Test
    void closeReasonFitsAWebSocketCloseFrame()
    {
        final ProtocolException e = new ProtocolException(0, "é".repeat(100));
        assertEquals(61, e.closeReason().length());
        assertEquals("short", new ProtocolException(0, "short").closeReason());
    }

    @Test
    void argsAreASliceOfTheFrame()
    {
        final byte[] args = {1, 2, 3};
        final byte[] bytes = encode(List.of(new ClientEvent.Call(true, 7, "proc", new Blob(args))));
        final UnsafeBuffer frame = new UnsafeBuffer(bytes);
        decoder.decodeV2Frame(frame, 0, bytes.length, new ClientEvent.Recorder()
        {
            @Override
            public void onCallProcedure(final ClientMessageDecoder m)
            {
                assertTrue(m.buffer() == frame);
                assertEquals(bytes.length - 3, m.argsOffset());
                assertEquals(3, m.argsLength());
                assertEquals("proc", m.functionName());
                assertEquals(0, m.flags());
                assertEquals("CallProcedure", m.tagName());
            }
        });
    }
}
