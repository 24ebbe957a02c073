package io.lightcone.edge;

import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.protocol.DataHeaderFlyweight;
import io.lightcone.wire.WirePublication;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * An in-memory publication for one thread: claims are frames laid out like an Aeron term; {@link #drain} hands each
 * committed message to a fragment handler (header null = session 0).
 */
final class LoopbackPublication implements WirePublication
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024 * 1024));
    private int writePosition;
    private int readPosition;

    public long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        final int frameLength = DataHeaderFlyweight.HEADER_LENGTH + length;
        final int aligned = BitUtil.align(frameLength, 32);
        if (writePosition + aligned > buffer.capacity())
        {
            return io.aeron.Publication.BACK_PRESSURED;
        }
        buffer.setMemory(writePosition, aligned, (byte)0);
        bufferClaim.wrap(buffer, writePosition, frameLength);
        writePosition += aligned;
        return writePosition;
    }

    public int maxPayloadLength()
    {
        return 64 * 1024;
    }

    int drain(final FragmentHandler handler)
    {
        int count = 0;
        while (readPosition < writePosition)
        {
            final int frameLength = buffer.getIntVolatile(readPosition);
            if (frameLength <= 0)
            {
                break;
            }
            final int at = readPosition;
            readPosition += BitUtil.align(frameLength, 32);
            handler.onFragment(buffer, at + DataHeaderFlyweight.HEADER_LENGTH,
                frameLength - DataHeaderFlyweight.HEADER_LENGTH, null);
            count++;
        }
        if (readPosition == writePosition)
        {
            readPosition = 0;
            writePosition = 0;
        }
        return count;
    }
}
