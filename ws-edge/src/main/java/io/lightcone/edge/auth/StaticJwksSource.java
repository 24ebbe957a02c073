package io.lightcone.edge.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * Fixed key sets per issuer, replaceable at run time (tests, air-gapped deployments with keys on disk).
 */
public final class StaticJwksSource implements JwksSource
{
    private final Map<String, JWKSet> sets = new ConcurrentHashMap<>();

    /**
     * Set (or replace) the keys of an issuer; only their public parts are kept.
     *
     * @param issuer the issuer.
     * @param keys   its keys.
     * @return this.
     */
    public StaticJwksSource put(final String issuer, final JWKSet keys)
    {
        sets.put(issuer, keys.toPublicJWKSet());
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public JWKSet keys(final String issuer) throws AuthException
    {
        final JWKSet keys = sets.get(issuer);
        if (keys == null)
        {
            throw new AuthException(AuthException.Reason.KEYS_UNAVAILABLE, "no JWKS known for issuer " + issuer);
        }
        return keys;
    }
}
