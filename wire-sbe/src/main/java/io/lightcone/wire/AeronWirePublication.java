package io.lightcone.wire;

import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;

/**
 * {@link WirePublication} over an Aeron {@link Publication}.
 */
public final class AeronWirePublication implements WirePublication
{
    private final Publication publication;

    /**
     * Adapt a publication.
     *
     * @param publication to send on; owned by the caller.
     */
    public AeronWirePublication(final Publication publication)
    {
        this.publication = publication;
    }

    /**
     * {@inheritDoc}
     */
    public long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        return publication.tryClaim(length, bufferClaim);
    }

    /**
     * {@inheritDoc}
     */
    public int maxPayloadLength()
    {
        return publication.maxPayloadLength();
    }

    /**
     * The adapted publication.
     *
     * @return the publication.
     */
    public Publication publication()
    {
        return publication;
    }
}
