package io.lightcone.edge.auth;

import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies the signature of a token from one external issuer: the pluggable step 3 of {@link TokenValidator}.
 * Implementations: {@link JwksIssuerVerifier} (OIDC JWKS), {@link Hs256IssuerVerifier} (shared secret), or any custom
 * one registered with {@link AuthContext#issuerVerifier(String, IssuerVerifier)}.
 * <p>
 * Claims checks common to every issuer ({@code exp}, {@code iss}/{@code sub}, {@code hex_identity}) are done by the
 * validator, not here.
 */
@FunctionalInterface
public interface IssuerVerifier
{
    /**
     * Verify a token's signature.
     *
     * @param jwt    the parsed token; its {@code iss} equals {@code issuer}.
     * @param issuer the issuer this verifier is registered for.
     * @throws AuthException if the signature does not verify or the keys are unavailable.
     */
    void verify(SignedJWT jwt, String issuer) throws AuthException;
}
