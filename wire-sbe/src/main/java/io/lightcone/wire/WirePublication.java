package io.lightcone.wire;

import io.aeron.logbuffer.BufferClaim;

/**
 * What a proxy needs from a publication: {@code tryClaim} and its payload limit. {@link AeronWirePublication} adapts an
 * {@link io.aeron.Publication}; tests supply a fake that writes into a plain buffer.
 */
public interface WirePublication
{
    /**
     * Claim a range of the log for a message, as {@link io.aeron.Publication#tryClaim(int, BufferClaim)}.
     *
     * @param length      of the message.
     * @param bufferClaim to wrap the claimed range.
     * @return the new position if positive, else one of the negative {@link io.aeron.Publication} codes.
     */
    long tryClaim(int length, BufferClaim bufferClaim);

    /**
     * The longest message {@link #tryClaim(int, BufferClaim)} accepts.
     *
     * @return the maximum payload length.
     */
    int maxPayloadLength();
}
