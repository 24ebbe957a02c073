package io.lightcone.cli;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.lightcone.edge.CoreLink;
import io.lightcone.txn.loop.TxnLoopContext;
import io.lightcone.wire.AeronWirePublication;
import io.lightcone.wire.CoreIngressProxy;
import org.agrona.CloseHelper;

/**
 * The edge's {@link CoreLink} to an in-process core: an exclusive publication on the core's ingress channel and a
 * subscription on its egress channel (both {@code aeron:ipc} by default), made on the core's own Aeron client, so the
 * channels and stream ids are the core's by construction. Closing it closes the two streams, not the shared client.
 * The separate edge process ({@code lightcone edge}) makes one with the core's UDP channels on its own client.
 */
public final class EmbeddedCoreLink implements CoreLink
{
    private final Publication publication;
    private final Subscription subscription;
    private final CoreIngressProxy ingress;

    EmbeddedCoreLink(final Aeron aeron, final TxnLoopContext ctx)
    {
        this(aeron, ctx.ingressChannel(), ctx.ingressStreamId(), ctx.egressChannel(), ctx.egressStreamId());
    }

    /**
     * A link on given channels.
     *
     * @param aeron           the client to add the streams on (not closed with the link).
     * @param ingressChannel  the core's ingress channel, published to.
     * @param ingressStreamId its stream id.
     * @param egressChannel   the channel to subscribe to the core's egress on.
     * @param egressStreamId  its stream id.
     */
    public EmbeddedCoreLink(
        final Aeron aeron,
        final String ingressChannel,
        final int ingressStreamId,
        final String egressChannel,
        final int egressStreamId)
    {
        final Publication ingressPublication = aeron.addExclusivePublication(ingressChannel, ingressStreamId);
        try
        {
            this.subscription = aeron.addSubscription(egressChannel, egressStreamId);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(ingressPublication);
            throw ex;
        }
        this.publication = ingressPublication;
        this.ingress = new CoreIngressProxy(new AeronWirePublication(publication));
    }

    /**
     * @return true once the core's ingress subscription and egress publication are linked to this edge's streams.
     */
    @Override
    public boolean isConnected()
    {
        return publication.isConnected() && subscription.isConnected();
    }

    @Override
    public CoreIngressProxy ingress()
    {
        return ingress;
    }

    @Override
    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        return subscription.poll(handler, fragmentLimit);
    }

    /**
     * {@inheritDoc}
     */
    public boolean hasSession(final int sessionId)
    {
        return null != subscription.imageBySessionId(sessionId);
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(subscription, publication);
    }
}
