package io.lightcone.wire;

import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A publication without Aeron: claims are frames in one buffer, laid out like a term (32 byte header, 32 byte
 * alignment, frame length written on commit), delivered to a handler by {@link #drain(FragmentHandler)}.
 */
final class FakePublication implements WirePublication
{
    private final UnsafeBuffer buffer;
    private final int maxPayloadLength;
    private final int sessionId;
    private final Header header = new Header(0, 0);
    private int writePosition;
    private int readPosition;
    private int refuseEvery;
    private long claims;
    private long refused;

    FakePublication(final int capacity, final int maxPayloadLength, final int sessionId)
    {
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        this.maxPayloadLength = maxPayloadLength;
        this.sessionId = sessionId;
        header.buffer(buffer);
    }

    /**
     * Refuse every n-th claim with BACK_PRESSURED (0: never).
     */
    FakePublication refuseEvery(final int n)
    {
        this.refuseEvery = n;
        return this;
    }

    long refused()
    {
        return refused;
    }

    public long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        if (length > maxPayloadLength)
        {
            throw new IllegalArgumentException("claim " + length + " > maxPayloadLength " + maxPayloadLength);
        }
        claims++;
        if (refuseEvery > 0 && claims % refuseEvery == 0)
        {
            refused++;
            return Publication.BACK_PRESSURED;
        }
        final int frameLength = DataHeaderFlyweight.HEADER_LENGTH + length;
        final int aligned = BitUtil.align(frameLength, 32);
        if (writePosition + aligned > buffer.capacity())
        {
            return Publication.BACK_PRESSURED;
        }
        buffer.putInt(writePosition + DataHeaderFlyweight.SESSION_ID_FIELD_OFFSET, sessionId, ByteOrder.LITTLE_ENDIAN);
        bufferClaim.wrap(buffer, writePosition, frameLength);
        writePosition += aligned;
        return writePosition;
    }

    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * Deliver every committed frame in order, then reuse the buffer.
     *
     * @return frames delivered.
     */
    int drain(final FragmentHandler handler)
    {
        int count = 0;
        while (readPosition < writePosition)
        {
            final int frameLength = buffer.getIntVolatile(readPosition);
            if (frameLength <= 0)
            {
                throw new IllegalStateException("uncommitted frame at " + readPosition);
            }
            header.offset(readPosition);
            handler.onFragment(
                buffer, readPosition + DataHeaderFlyweight.HEADER_LENGTH,
                frameLength - DataHeaderFlyweight.HEADER_LENGTH, header);
            readPosition += BitUtil.align(frameLength, 32);
            count++;
        }
        buffer.setMemory(0, writePosition, (byte)0);
        readPosition = 0;
        writePosition = 0;
        return count;
    }

    /**
     * Copy out the committed frames' payloads without delivering them.
     */
    List<byte[]> frames()
    {
        final List<byte[]> frames = new ArrayList<>();
        int position = 0;
        while (position < writePosition)
        {
            final int frameLength = buffer.getIntVolatile(position);
            final byte[] bytes = new byte[frameLength - DataHeaderFlyweight.HEADER_LENGTH];
            buffer.getBytes(position + DataHeaderFlyweight.HEADER_LENGTH, bytes);
            frames.add(bytes);
            position += BitUtil.align(frameLength, 32);
        }
        buffer.setMemory(0, writePosition, (byte)0);
        readPosition = 0;
        writePosition = 0;
        return frames;
    }
}
