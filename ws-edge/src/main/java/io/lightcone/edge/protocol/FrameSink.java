package io.lightcone.edge.protocol;

import org.agrona.DirectBuffer;

/**
 * Receives complete server frames (compression tag byte + body) from a {@link ServerFrameWriter}.
 */
@FunctionalInterface
public interface FrameSink
{
    /**
     * One binary WebSocket frame. The bytes are valid only during the call: copy or write them out before
     * returning.
     *
     * @param buffer holding the frame.
     * @param offset of the tag byte.
     * @param length of tag plus body.
     */
    void onFrame(DirectBuffer buffer, int offset, int length);
}
