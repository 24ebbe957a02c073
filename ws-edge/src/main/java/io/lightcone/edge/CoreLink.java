package io.lightcone.edge;

import io.aeron.logbuffer.FragmentHandler;
import io.lightcone.wire.CoreIngressProxy;

/**
 * The edge's only connection to the core: wire-sbe messages both ways. Used from the edge agent thread only.
 * <pre>
 *   edge agent --CoreIngressProxy--> ingress publication --> core (txn-loop)
 *   edge agent <--CoreEgressAdapter-- egress subscription <-- core
 * </pre>
 */
public interface CoreLink extends AutoCloseable
{
    /**
     * What the edge sends to the core.
     *
     * @return the proxy over the ingress publication.
     */
    CoreIngressProxy ingress();

    /**
     * Poll the egress stream.
     *
     * @param handler       the egress adapter.
     * @param fragmentLimit most fragments to deliver.
     * @return fragments delivered (work count).
     */
    int poll(FragmentHandler handler, int fragmentLimit);

    /**
     * Whether both streams are linked to the core, so a bootstrap request and its answer get through.
     *
     * @return true when connected (links without a notion of connection are always connected).
     */
    default boolean isConnected()
    {
        return true;
    }

    /**
     * Whether a session of the egress stream (the core's publication) still has an image, so that reassembly state
     * kept for a session that went away (the core restarted) can be forgotten.
     *
     * @param sessionId an Aeron session id.
     * @return true unless the session is known to be gone.
     */
    default boolean hasSession(final int sessionId)
    {
        return true;
    }

    /**
     * Release the link's resources.
     */
    @Override
    void close();
}
