package io.lightcone.edge.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies HS256 tokens of one issuer with a shared secret (Supabase style).
 */
public final class Hs256IssuerVerifier implements IssuerVerifier
{
    private final MACVerifier verifier;

    /**
     * A verifier for a secret.
     *
     * @param secret the shared secret, at least {@link AuthConfiguration#MIN_HS256_SECRET_LENGTH} bytes; copied.
     * @throws IllegalArgumentException if the secret is too short.
     */
    public Hs256IssuerVerifier(final byte[] secret)
    {
        verifier = macVerifier(secret);
    }

    /**
     * {@inheritDoc}
     */
    public void verify(final SignedJWT jwt, final String issuer) throws AuthException
    {
        final JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.HS256.equals(alg))
        {
            throw new AuthException(AuthException.Reason.MALFORMED,
                "issuer " + issuer + " signs with HS256, token uses " + alg);
        }
        if (!verify(verifier, jwt))
        {
            throw new AuthException(AuthException.Reason.BAD_SIGNATURE,
                "token signature does not verify with the HS256 secret of issuer " + issuer);
        }
    }

    static MACVerifier macVerifier(final byte[] secret)
    {
        if (secret.length < AuthConfiguration.MIN_HS256_SECRET_LENGTH)
        {
            throw new IllegalArgumentException("an HS256 secret must be at least " +
                AuthConfiguration.MIN_HS256_SECRET_LENGTH + " bytes: " + secret.length);
        }
        try
        {
            return new MACVerifier(secret.clone());
        }
        catch (final JOSEException ex)
        {
            throw new IllegalArgumentException("unusable HS256 secret", ex);
        }
    }

    static boolean verify(final MACVerifier verifier, final SignedJWT jwt)
    {
        try
        {
            return jwt.verify(verifier);
        }
        catch (final JOSEException ex)
        {
            return false;
        }
    }
}
