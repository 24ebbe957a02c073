package io.lightcone.edge.auth;

import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies RS256 and ES256 tokens of an OIDC issuer against its JWKS.
 * <p>
 * Key selection: a token with a {@code kid} is verified with that key only (if the set has no such key it is fetched
 * again once, for key rotation); a token without one is tried against every signing key of the right type.
 */
public final class JwksIssuerVerifier implements IssuerVerifier
{
    private final JwksSource source;

    /**
     * A verifier over a source of key sets.
     *
     * @param source the key sets.
     */
    public JwksIssuerVerifier(final JwksSource source)
    {
        this.source = source;
    }

    /**
     * {@inheritDoc}
     */
    public void verify(final SignedJWT jwt, final String issuer) throws AuthException
    {
        final JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg))
        {
            throw new AuthException(AuthException.Reason.MALFORMED,
                "algorithm " + alg + " is not accepted for issuer " + issuer + " (RS256 or ES256)");
        }
        final String kid = jwt.getHeader().getKeyID();
        List<JWK> candidates = candidates(source.keys(issuer), kid, alg);
        if (candidates.isEmpty() && kid != null)
        {
            candidates = candidates(source.refresh(issuer), kid, alg);
        }
        if (candidates.isEmpty())
        {
            throw new AuthException(AuthException.Reason.KEYS_UNAVAILABLE, kid != null ?
                "no " + alg + " key with kid '" + kid + "' in the JWKS of issuer " + issuer :
                "no " + alg + " key in the JWKS of issuer " + issuer);
        }
        for (final JWK key : candidates)
        {
            if (verifies(jwt, key))
            {
                return;
            }
        }
        throw new AuthException(AuthException.Reason.BAD_SIGNATURE,
            "token signature does not verify with the JWKS of issuer " + issuer);
    }

    private static List<JWK> candidates(final JWKSet set, final String kid, final JWSAlgorithm alg)
    {
        final List<JWK> out = new ArrayList<>();
        for (final JWK key : set.getKeys())
        {
            if (kid != null && !kid.equals(key.getKeyID()))
            {
                continue;
            }
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse()))
            {
                continue;
            }
            if (key.getAlgorithm() != null && !alg.equals(key.getAlgorithm()))
            {
                continue;
            }
            final boolean typeFits = JWSAlgorithm.RS256.equals(alg) ? key instanceof RSAKey :
                key instanceof ECKey && Curve.P_256.equals(((ECKey)key).getCurve());
            if (typeFits)
            {
                out.add(key);
            }
        }
        return out;
    }

    private static boolean verifies(final SignedJWT jwt, final JWK key)
    {
        try
        {
            final JWSVerifier verifier = key instanceof RSAKey ?
                new RSASSAVerifier((RSAKey)key) : new ECDSAVerifier((ECKey)key);
            return jwt.verify(verifier);
        }
        catch (final JOSEException ex)
        {
            return false;
        }
    }
}
