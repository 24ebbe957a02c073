package io.lightcone.edge;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.lightcone.wire.AeronWirePublication;
import io.lightcone.wire.CoreIngressProxy;
import org.agrona.CloseHelper;

/**
 * {@link CoreLink} over Aeron: an exclusive publication for ingress and a subscription for egress.
 */
public final class AeronCoreLink implements CoreLink
{
    /** Channel of both streams. */
    public static final String CHANNEL_PROP_NAME = "lightcone.edge.core.channel";
    /** Default of {@link #CHANNEL_PROP_NAME}. */
    public static final String CHANNEL_DEFAULT = "aeron:ipc";
    /** Stream id of the ingress (edge to core). */
    public static final String INGRESS_STREAM_ID_PROP_NAME = "lightcone.edge.core.ingress.stream.id";
    /** Default of {@link #INGRESS_STREAM_ID_PROP_NAME}. */
    public static final int INGRESS_STREAM_ID_DEFAULT = 1001;
    /** Stream id of the egress (core to edges). */
    public static final String EGRESS_STREAM_ID_PROP_NAME = "lightcone.edge.core.egress.stream.id";
    /** Default of {@link #EGRESS_STREAM_ID_PROP_NAME}. */
    public static final int EGRESS_STREAM_ID_DEFAULT = 1002;

    private final Aeron aeron;
    private final Publication publication;
    private final Subscription subscription;
    private final CoreIngressProxy ingress;

    /**
     * Connect to a running media driver with the configured channel and stream ids.
     *
     * @param aeronDirectoryName of the media driver, or null for Aeron's default.
     */
    public AeronCoreLink(final String aeronDirectoryName)
    {
        final Aeron.Context ctx = new Aeron.Context();
        if (null != aeronDirectoryName)
        {
            ctx.aeronDirectoryName(aeronDirectoryName);
        }
        this.aeron = Aeron.connect(ctx);
        final String channel = System.getProperty(CHANNEL_PROP_NAME, CHANNEL_DEFAULT);
        this.publication = aeron.addExclusivePublication(
            channel, Integer.getInteger(INGRESS_STREAM_ID_PROP_NAME, INGRESS_STREAM_ID_DEFAULT));
        this.subscription = aeron.addSubscription(
            channel, Integer.getInteger(EGRESS_STREAM_ID_PROP_NAME, EGRESS_STREAM_ID_DEFAULT));
        this.ingress = new CoreIngressProxy(new AeronWirePublication(publication));
    }

    /**
     * {@inheritDoc}
     */
    public CoreIngressProxy ingress()
    {
        return ingress;
    }

    /**
     * {@inheritDoc}
     */
    public boolean isConnected()
    {
        return publication.isConnected() && subscription.isConnected();
    }

    /**
     * {@inheritDoc}
     */
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

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        CloseHelper.closeAll(subscription, publication, aeron);
    }
}
