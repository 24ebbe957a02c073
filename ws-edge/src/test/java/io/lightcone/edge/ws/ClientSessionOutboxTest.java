package io.lightcone.edge.ws;

import io.lightcone.edge.auth.ConnectionId;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.protocol.Compression;
import io.lightcone.edge.protocol.ProtocolVersion;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants of a session's outbox (a byte ring plus the tx offsets), against a plain queue of (tx offset, bytes):
 * with confirmed reads a drain writes exactly the queued messages whose tx offset is durable, in order and byte for
 * byte (v2: one frame each, after the compression tag); the count and bytes queued match the model; a message
 * that would take the outbox over its limit closes the client and nothing more is written.
 */
class ClientSessionOutboxTest
{
    private record Queued(long txOffset, byte[] message)
    {
    }

    @Test
    void drainsShouldReleaseExactlyTheDurableMessagesInOrder()
    {
        final Random random = new Random(0x0B0CL);
        final EmbeddedChannel channel = new EmbeddedChannel();
        final int limit = 1 << 20;
        final ClientSession session = session(channel, limit);
        final ArrayDeque<Queued> model = new ArrayDeque<>();
        final UnsafeBuffer source = new UnsafeBuffer(new byte[8192]);
        long txOffset = 1;
        long durable = 0;
        for (int step = 0; step < 3_000; step++)
        {
            if (random.nextInt(3) > 0)
            {
                txOffset += random.nextInt(3);
                final byte[] message = new byte[1 + random.nextInt(random.nextInt(10) == 0 ? 6_000 : 200)];
                random.nextBytes(message);
                final int at = random.nextInt(source.capacity() - message.length + 1);
                source.putBytes(at, message);
                assertTrue(session.enqueue(txOffset, source, at, message.length));
                model.addLast(new Queued(txOffset, message));
            }
            else
            {
                durable = Math.min(txOffset, durable + random.nextInt(8));
                final int drained = session.drain(durable);
                int expected = 0;
                while (!model.isEmpty() && model.peekFirst().txOffset() <= durable)
                {
                    final Queued queued = model.pollFirst();
                    assertArrayEquals(queued.message(), nextFrame(channel), "message of tx " + queued.txOffset());
                    expected++;
                }
                assertNull(channel.readOutbound(), "nothing beyond the durable offset " + durable);
                assertEquals(expected, drained, "drained count");
            }
            assertEquals(model.size(), session.outboxSize());
            assertEquals(model.stream().mapToLong((q) -> q.message().length).sum(), session.outboxBytes());
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void unconfirmedMessagesShouldArriveInOrderWhetherTheyWaitOrNot()
    {
        final Random random = new Random(0x0C0DL);
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ClientSession session = session(channel, 1 << 20, false);
        final ArrayDeque<byte[]> model = new ArrayDeque<>();
        final UnsafeBuffer source = new UnsafeBuffer(new byte[512]);
        for (int step = 0; step < 3_000; step++)
        {
            final int action = random.nextInt(6);
            if (action == 0)
            {
                // Netty's write buffer over its high water mark: messages must wait in the outbox, behind which
                // later ones queue even once it is writable again.
                channel.unsafe().outboundBuffer().setUserDefinedWritability(1, random.nextBoolean());
            }
            else if (action == 1)
            {
                session.drain(0);
                if (channel.isWritable())
                {
                    assertEquals(0, session.outboxSize(), "a writable channel takes the whole outbox");
                }
            }
            else
            {
                final byte[] message = new byte[1 + random.nextInt(300)];
                random.nextBytes(message);
                source.putBytes(0, message);
                assertTrue(session.enqueue(step, source, 0, message.length));
                model.addLast(message);
            }
            for (BinaryWebSocketFrame frame = channel.readOutbound(); null != frame; frame = channel.readOutbound())
            {
                assertArrayEquals(model.pollFirst(), payload(frame), "step " + step);
            }
        }
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        session.drain(0);
        for (BinaryWebSocketFrame frame = channel.readOutbound(); null != frame; frame = channel.readOutbound())
        {
            assertArrayEquals(model.pollFirst(), payload(frame), "after the last drain");
        }
        assertTrue(model.isEmpty(), model.size() + " messages never arrived");
        channel.finishAndReleaseAll();
    }

    @Test
    void aMessageOverTheLimitShouldCloseTheClient()
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ClientSession session = session(channel, 1000);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[600]);
        assertTrue(session.enqueue(1, source, 0, 600));
        assertFalse(session.enqueue(2, source, 0, 401));
        assertEquals(ClientSession.State.CLOSED, session.state());
        assertEquals(0, session.outboxSize());
        assertEquals(0, session.drain(Long.MAX_VALUE));
        assertFalse(session.enqueue(3, source, 0, 1));
        channel.finishAndReleaseAll();
    }

    private static byte[] nextFrame(final EmbeddedChannel channel)
    {
        final BinaryWebSocketFrame frame = channel.readOutbound();
        assertTrue(null != frame, "a frame");
        return payload(frame);
    }

    private static byte[] payload(final BinaryWebSocketFrame frame)
    {
        final ByteBuf content = frame.content();
        assertEquals(0, content.readByte(), "no compression");
        final byte[] message = new byte[content.readableBytes()];
        content.readBytes(message);
        frame.release();
        return message;
    }

    private static ClientSession session(final EmbeddedChannel channel, final int limit)
    {
        return session(channel, limit, true);
    }

    private static ClientSession session(final EmbeddedChannel channel, final int limit, final boolean confirmed)
    {
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(8192)));
        final AtomicCounter slow = counters.newCounter("slow closes");
        final byte[] identity = new byte[32];
        Arrays.fill(identity, (byte)7);
        return new ClientSession(1, channel, "db", Identity.fromLittleEndian(identity), ConnectionId.random(),
            "token", "{}", ProtocolVersion.V2, Compression.NONE, confirmed, limit, slow);
    }
}
