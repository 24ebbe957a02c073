package io.lightcone.wire;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Delivers captured or hand-made message bytes to an adapter as one Aeron fragment of a given session.
 */
final class Frames
{
    private Frames()
    {
    }

    static void deliver(final FragmentHandler handler, final byte[] message, final int length, final int sessionId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(
            ByteBuffer.allocateDirect(DataHeaderFlyweight.HEADER_LENGTH + Math.max(length, 0)));
        buffer.putInt(DataHeaderFlyweight.SESSION_ID_FIELD_OFFSET, sessionId, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(DataHeaderFlyweight.HEADER_LENGTH, message, 0, length);
        final Header header = new Header(0, 0);
        header.buffer(buffer);
        header.offset(0);
        handler.onFragment(buffer, DataHeaderFlyweight.HEADER_LENGTH, length, header);
    }

    static void deliver(final FragmentHandler handler, final byte[] message, final int sessionId)
    {
        deliver(handler, message, message.length, sessionId);
    }
}
