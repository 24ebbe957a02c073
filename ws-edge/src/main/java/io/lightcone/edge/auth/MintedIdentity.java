package io.lightcone.edge.auth;

/**
 * A freshly minted identity and its never-expiring token: the answer of {@code POST /v1/identity}
 * ({@code {"identity": "<hex>", "token": "<jwt>"}}).
 */
public final class MintedIdentity
{
    private final Identity identity;
    private final String subject;
    private final String token;

    MintedIdentity(final Identity identity, final String subject, final String token)
    {
        this.identity = identity;
        this.subject = subject;
        this.token = token;
    }

    /**
     * The new identity.
     *
     * @return the identity.
     */
    public Identity identity()
    {
        return identity;
    }

    /**
     * The token's {@code sub}: a random UUIDv4.
     *
     * @return the subject.
     */
    public String subject()
    {
        return subject;
    }

    /**
     * The signed token.
     *
     * @return the compact JWT.
     */
    public String token()
    {
        return token;
    }
}
