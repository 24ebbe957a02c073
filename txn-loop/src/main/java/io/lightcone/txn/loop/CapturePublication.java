package io.lightcone.txn.loop;

import io.aeron.logbuffer.BufferClaim;
import io.aeron.protocol.DataHeaderFlyweight;
import io.lightcone.wire.WirePublication;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A {@link WirePublication} that captures the one message a proxy encodes into a private buffer
 * instead of a log, so the loop can encode an egress message once, keep its bytes (for the commit log and for the
 * retry queue) and hand them to the real publication later. Claims never fail and never fragment: the maximum
 * payload is the reassembly limit.
 */
final class CapturePublication implements WirePublication
{
    private final int maxPayloadLength;
    private UnsafeBuffer buffer;
    private int length;
    private long position;

    CapturePublication(final int maxPayloadLength)
    {
        this.maxPayloadLength = maxPayloadLength;
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    }

    public long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        final int frameLength = DataHeaderFlyweight.HEADER_LENGTH + length;
        if (frameLength > buffer.capacity())
        {
            buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BitUtil.findNextPositivePowerOfTwo(frameLength)));
        }
        bufferClaim.wrap(buffer, 0, frameLength);
        this.length = length;
        position += BitUtil.align(frameLength, 32);
        return position;
    }

    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * @return the buffer holding the last captured message at {@link #messageOffset()}.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the last captured message.
     */
    int messageOffset()
    {
        return DataHeaderFlyweight.HEADER_LENGTH;
    }

    /**
     * @return length of the last captured message.
     */
    int messageLength()
    {
        return length;
    }
}
