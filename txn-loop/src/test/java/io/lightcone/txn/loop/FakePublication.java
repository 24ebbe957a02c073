package io.lightcone.txn.loop;

import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.protocol.DataHeaderFlyweight;
import io.lightcone.wire.WirePublication;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A publication into a plain buffer that can refuse claims (back pressure), drained by the test. Single thread.
 */
final class FakePublication implements WirePublication
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(32 * 1024 * 1024));
    private int writePosition;
    private int readPosition;
    private boolean refuse;
    private long refused;

    void refuse(final boolean refuse)
    {
        this.refuse = refuse;
    }

    long refused()
    {
        return refused;
    }

    public long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        final int frameLength = DataHeaderFlyweight.HEADER_LENGTH + length;
        final int aligned = BitUtil.align(frameLength, 32);
        if (refuse || writePosition + aligned > buffer.capacity())
        {
            refused++;
            return Publication.BACK_PRESSURED;
        }
        bufferClaim.wrap(buffer, writePosition, frameLength);
        writePosition += aligned;
        return writePosition;
    }

    public int maxPayloadLength()
    {
        return 65_472;
    }

    int drain(final FragmentHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && readPosition < writePosition)
        {
            final int frameLength = buffer.getIntVolatile(readPosition);
            handler.onFragment(buffer, readPosition + DataHeaderFlyweight.HEADER_LENGTH,
                frameLength - DataHeaderFlyweight.HEADER_LENGTH, null);
            readPosition += BitUtil.align(frameLength, 32);
            count++;
        }
        return count;
    }

    int pendingFrames()
    {
        int count = 0;
        int position = readPosition;
        while (position < writePosition)
        {
            position += BitUtil.align(buffer.getIntVolatile(position), 32);
            count++;
        }
        return count;
    }
}
