package io.lightcone.edge.protocol;

/**
 * Which framing a connection uses; both carry the v2 message schema.
 */
public enum ProtocolVersion
{
    /** {@code v2.bsatn.spacetimedb}: exactly one message per frame. */
    V2(Protocol.SUBPROTOCOL_V2),
    /** {@code v3.bsatn.spacetimedb}: one or more messages per frame, both directions. */
    V3(Protocol.SUBPROTOCOL_V3);

    private final String subprotocol;

    ProtocolVersion(final String subprotocol)
    {
        this.subprotocol = subprotocol;
    }

    /**
     * The {@code Sec-WebSocket-Protocol} value.
     *
     * @return the subprotocol string.
     */
    public String subprotocol()
    {
        return subprotocol;
    }

    /**
     * The version for a subprotocol string.
     *
     * @param subprotocol offered by the client.
     * @return the version, or null if it is not v2 or v3.
     */
    public static ProtocolVersion fromSubprotocol(final String subprotocol)
    {
        if (Protocol.SUBPROTOCOL_V3.equals(subprotocol))
        {
            return V3;
        }
        if (Protocol.SUBPROTOCOL_V2.equals(subprotocol))
        {
            return V2;
        }
        return null;
    }
}
