package io.lightcone.txn.loop;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.lightcone.wire.AeronWirePublication;
import io.lightcone.wire.CoreEgressAdapter;
import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.CoreIngressProxy;
import org.agrona.CloseHelper;

/**
 * The edge side of the link to a transaction loop: a {@link CoreIngressProxy} on the ingress channel and a
 * {@link CoreEgressAdapter} on the egress channel. For tests and, later, the edge. Not thread safe: one thread sends
 * and polls.
 */
public final class CoreClient implements AutoCloseable
{
    private final Publication ingressPublication;
    private final Subscription egressSubscription;
    private final CoreIngressProxy proxy;
    private final CoreEgressAdapter adapter;

    /**
     * Connects to a loop's channels.
     *
     * @param aeron    the client.
     * @param ctx      the loop's context (channels and stream ids).
     * @param listener receives what the loop sends.
     */
    public CoreClient(final Aeron aeron, final TxnLoopContext ctx, final CoreEgressListener listener)
    {
        this.ingressPublication = aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
        this.egressSubscription = aeron.addSubscription(ctx.egressChannel(), ctx.egressStreamId());
        this.proxy = new CoreIngressProxy(new AeronWirePublication(ingressPublication));
        this.adapter = new CoreEgressAdapter(listener);
    }

    /**
     * @return true once the loop's subscription and publication are connected.
     */
    public boolean isConnected()
    {
        return ingressPublication.isConnected() && egressSubscription.isConnected();
    }

    /**
     * @return the proxy to send requests with.
     */
    public CoreIngressProxy proxy()
    {
        return proxy;
    }

    /**
     * @return the ingress publication, to send raw bytes (tests).
     */
    public Publication ingressPublication()
    {
        return ingressPublication;
    }

    /**
     * @return the egress adapter, for its counters.
     */
    public CoreEgressAdapter adapter()
    {
        return adapter;
    }

    /**
     * Sends pending fragments and polls egress.
     *
     * @param fragmentLimit most fragments.
     * @return work done.
     */
    public int poll(final int fragmentLimit)
    {
        return proxy.flushPending() + egressSubscription.poll(adapter, fragmentLimit);
    }

    /**
     * Closes the publication and subscription.
     */
    public void close()
    {
        CloseHelper.closeAll(ingressPublication, egressSubscription);
    }
}
