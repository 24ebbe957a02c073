package io.lightcone.edge.auth;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * Where the public keys (JWKS) of an external issuer come from.
 * Implementations: {@link HttpJwksSource} (OIDC discovery, cached) and {@link StaticJwksSource} (fixed sets).
 */
public interface JwksSource
{
    /**
     * The issuer's current keys, possibly cached.
     *
     * @param issuer the issuer ({@code iss}).
     * @return its keys.
     * @throws AuthException ({@link AuthException.Reason#KEYS_UNAVAILABLE}) if they cannot be obtained.
     */
    JWKSet keys(String issuer) throws AuthException;

    /**
     * The issuer's keys, fetched again if the source can (called when a token names an unknown {@code kid}, as after
     * a key rotation). Sources may rate-limit refreshes and return cached keys.
     *
     * @param issuer the issuer ({@code iss}).
     * @return its keys.
     * @throws AuthException ({@link AuthException.Reason#KEYS_UNAVAILABLE}) if they cannot be obtained.
     */
    default JWKSet refresh(final String issuer) throws AuthException
    {
        return keys(issuer);
    }
}
