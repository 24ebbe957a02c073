package io.lightcone.edge.auth;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

/**
 * Validates bearer tokens the way SpacetimeDB does (crates/core/src/auth/token_validation.rs), with an issuer
 * allowlist on top.
 * <ol>
 *     <li>Parse: a JWS in compact form whose payload is a JSON object with string {@code iss} and {@code sub},
 *     non-empty and at most 128 UTF-8 bytes.</li>
 *     <li>Local keys: ES256 with this instance's public key (RS256 and HS256 only if such local keys are configured).
 *     Success is accepted whatever the {@code iss}.</li>
 *     <li>Otherwise a token claiming the local issuer is refused: "token not signed by this instance".</li>
 *     <li>Otherwise the issuer must be configured (JWKS, HS256 secret or custom verifier): "issuer X is not
 *     trusted"; its verifier checks the signature.</li>
 *     <li>Post-checks: {@code exp} (when present and not null) and {@code nbf} with the clock skew;
 *     {@code hex_identity} (when present) equals the identity derived from {@code iss} and {@code sub}.</li>
 * </ol>
 * {@code aud} is not checked, as in SpacetimeDB. Thread-safe; may block on a JWKS fetch (see {@link HttpJwksSource}).
 * <p>
 * Tokens that validated are cached by their exact string for at most {@link #CACHE_MAX_AGE_MS} (by the context's
 * clock), so a client that connects or calls again with the same token does not pay for a signature check (a P-256
 * verification took 4.4–9.1 ms on the shared benchmark machine under load, see docs/benchmarks.md). A cached token
 * is still refused once its {@code exp} (or before its {@code nbf}) passes, with the same skew; a token signed by a
 * key that an issuer has since withdrawn is accepted until its entry ages out. At most {@link #CACHE_CAPACITY}
 * tokens are kept: when full the cache is emptied. Refused tokens are never cached.
 */
public final class TokenValidator
{
    /** Most validated tokens cached. */
    public static final int CACHE_CAPACITY = 4096;
    /** How long a validated token is trusted without checking its signature again, in milliseconds. */
    public static final long CACHE_MAX_AGE_MS = 60_000;

    private final String localIssuer;
    private final Clock clock;
    private final long clockSkewSeconds;
    private final JWSVerifier localEs256;
    private final JWSVerifier localRs256;
    private final JWSVerifier localHs256;
    private final Map<String, IssuerVerifier> issuerVerifiers;
    private final ConcurrentHashMap<String, Validated> validated = new ConcurrentHashMap<>();

    /**
     * A validator for a concluded context and this instance's keys.
     *
     * @param ctx  the concluded context.
     * @param keys this instance's keys (as used by its {@link TokenIssuer}).
     */
    public TokenValidator(final AuthContext ctx, final LocalKeys keys)
    {
        this.localIssuer = ctx.localIssuer();
        this.clock = ctx.clock();
        this.clockSkewSeconds = ctx.clockSkewSeconds();
        this.issuerVerifiers = ctx.issuerVerifiers();
        try
        {
            this.localEs256 = new ECDSAVerifier(keys.publicKey());
            this.localRs256 = ctx.localRs256PublicKey() != null ? new RSASSAVerifier(ctx.localRs256PublicKey()) : null;
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException("unusable local public key", ex);
        }
        this.localHs256 = ctx.localHs256Secret() != null ? macVerifier(ctx.localHs256Secret()) : null;
    }

    /**
     * Validate a token.
     *
     * @param token the compact JWT (without {@code Bearer }).
     * @return its claims.
     * @throws AuthException (status 401) with the reason and a message for the client.
     */
    public Claims validate(final String token) throws AuthException
    {
        if (token == null || token.isBlank())
        {
            throw malformed("empty");
        }
        final long nowMs = clock.millis();
        final Validated cached = validated.get(token);
        if (null != cached)
        {
            if (nowMs - cached.validatedAtMs >= 0 && nowMs - cached.validatedAtMs < CACHE_MAX_AGE_MS)
            {
                checkTimes(Math.floorDiv(nowMs, 1000L), cached.exp, cached.nbf);
                return cached.claims;
            }
            validated.remove(token, cached);
        }
        final Claims claims = validateUncached(token);
        if (validated.size() >= CACHE_CAPACITY)
        {
            validated.clear();
        }
        final Map<String, Object> payload = claims.payload();
        validated.put(token, new Validated(
            claims, optionalSeconds(payload, "exp"), optionalSeconds(payload, "nbf"), nowMs));
        return claims;
    }

    /**
     * @return how many validated tokens are cached (for tests and metrics).
     */
    public int cachedTokens()
    {
        return validated.size();
    }

    private Claims validateUncached(final String token) throws AuthException
    {
        final SignedJWT jwt;
        final Map<String, Object> payload;
        try
        {
            jwt = SignedJWT.parse(token.trim());
            payload = jwt.getPayload().toJSONObject();
        }
        catch (final ParseException | RuntimeException ex)
        {
            throw malformed(ex.getMessage());
        }
        if (payload == null)
        {
            throw malformed("the payload is not a JSON object");
        }
        final String iss = requiredString(payload, "iss");
        final String sub = requiredString(payload, "sub");

        if (!verifiesLocally(jwt))
        {
            if (localIssuer.equals(iss))
            {
                throw new AuthException(AuthException.Reason.BAD_SIGNATURE, "token not signed by this instance");
            }
            final IssuerVerifier verifier = issuerVerifiers.get(iss);
            if (verifier == null)
            {
                throw new AuthException(AuthException.Reason.UNTRUSTED_ISSUER, "issuer " + iss + " is not trusted");
            }
            verifier.verify(jwt, iss);
        }

        checkTimes(Math.floorDiv(clock.millis(), 1000L), optionalSeconds(payload, "exp"),
            optionalSeconds(payload, "nbf"));

        final Identity identity = IdentityDerivation.fromClaims(iss, sub);
        if (payload.containsKey("hex_identity"))
        {
            final Object hex = payload.get("hex_identity");
            if (!(hex instanceof String) || !identity.toHex().equalsIgnoreCase((String)hex))
            {
                throw new AuthException(AuthException.Reason.INVALID_CLAIMS, "hex_identity " + hex +
                    " does not match the identity " + identity + " derived from iss and sub");
            }
        }
        return new Claims(identity, iss, sub, jwt.getPayload().toString(), payload);
    }

    private void checkTimes(final long nowSeconds, final Long exp, final Long nbf) throws AuthException
    {
        if (exp != null && nowSeconds > exp + clockSkewSeconds)
        {
            throw new AuthException(AuthException.Reason.EXPIRED, "token expired");
        }
        if (nbf != null && nowSeconds + clockSkewSeconds < nbf)
        {
            throw new AuthException(AuthException.Reason.EXPIRED, "token not yet valid");
        }
    }

    private boolean verifiesLocally(final SignedJWT jwt)
    {
        final JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        final JWSVerifier verifier;
        if (JWSAlgorithm.ES256.equals(alg))
        {
            verifier = localEs256;
        }
        else if (JWSAlgorithm.RS256.equals(alg))
        {
            verifier = localRs256;
        }
        else if (JWSAlgorithm.HS256.equals(alg))
        {
            verifier = localHs256;
        }
        else
        {
            verifier = null;
        }
        if (verifier == null)
        {
            return false;
        }
        try
        {
            return jwt.verify(verifier);
        }
        catch (final JOSEException ex)
        {
            return false;
        }
    }

    private static MACVerifier macVerifier(final byte[] secret)
    {
        return Hs256IssuerVerifier.macVerifier(secret);
    }

    private static String requiredString(final Map<String, Object> payload, final String name) throws AuthException
    {
        final Object value = payload.get(name);
        if (value == null)
        {
            throw new AuthException(AuthException.Reason.INVALID_CLAIMS, "missing " + name + " claim");
        }
        if (!(value instanceof String))
        {
            throw malformed(name + " claim must be a string");
        }
        final String s = (String)value;
        if (s.isEmpty())
        {
            throw new AuthException(AuthException.Reason.INVALID_CLAIMS, name + " claim is empty");
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > AuthConfiguration.MAX_ISS_SUB_LENGTH)
        {
            throw new AuthException(AuthException.Reason.INVALID_CLAIMS,
                name + " claim is longer than " + AuthConfiguration.MAX_ISS_SUB_LENGTH + " bytes");
        }
        return s;
    }

    private static Long optionalSeconds(final Map<String, Object> payload, final String name) throws AuthException
    {
        final Object value = payload.get(name);
        if (value == null)
        {
            return null;
        }
        if (!(value instanceof Number))
        {
            throw malformed(name + " claim must be a number");
        }
        return ((Number)value).longValue();
    }

    private static AuthException malformed(final String why)
    {
        return new AuthException(AuthException.Reason.MALFORMED, "malformed token: " + why);
    }

    /** A token that validated: its claims, its time bounds (seconds, null for none) and when it was checked. */
    private record Validated(Claims claims, Long exp, Long nbf, long validatedAtMs)
    {
    }
}
