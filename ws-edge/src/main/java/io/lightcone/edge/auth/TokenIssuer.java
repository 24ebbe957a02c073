package io.lightcone.edge.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Mints identities and signs tokens with this instance's ES256 key, as SpacetimeDB does.
 * <p>
 * Token header {@code {"typ":"JWT","alg":"ES256"}}; payload keys exactly, in this order:
 * <pre>
 *   {"hex_identity":"c200…","sub":"&lt;uuid v4&gt;","iss":"&lt;local issuer&gt;",
 *    "aud":["spacetimedb"],"iat":&lt;unix seconds&gt;,"exp":null}
 * </pre>
 * Minted tokens never expire ({@code exp} null); websocket tokens carry the same claims with {@code iat} now and
 * {@code exp} now + 60 s.
 */
public final class TokenIssuer
{
    /**
     * The audience of every token this instance issues.
     */
    public static final String AUDIENCE = "spacetimedb";

    private final LocalKeys keys;
    private final String localIssuer;
    private final Clock clock;
    private final long websocketTokenLifetimeSeconds;
    private final ECDSASigner signer;
    private final JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build();

    /**
     * An issuer with the keys of {@link AuthContext#keyDir()}, loaded or generated.
     *
     * @param ctx the concluded context.
     */
    public TokenIssuer(final AuthContext ctx)
    {
        this(LocalKeys.loadOrGenerate(ctx.keyDir()), ctx.localIssuer(), ctx.clock(),
            ctx.websocketTokenLifetimeSeconds());
    }

    /**
     * An issuer with given keys.
     *
     * @param keys                          the signing keys.
     * @param localIssuer                   {@code iss} of minted identities.
     * @param clock                         the clock for {@code iat} and {@code exp}.
     * @param websocketTokenLifetimeSeconds lifetime of websocket tokens.
     */
    public TokenIssuer(
        final LocalKeys keys,
        final String localIssuer,
        final Clock clock,
        final long websocketTokenLifetimeSeconds)
    {
        this.keys = keys;
        this.localIssuer = localIssuer;
        this.clock = clock;
        this.websocketTokenLifetimeSeconds = websocketTokenLifetimeSeconds;
        try
        {
            this.signer = new ECDSASigner(keys.privateKey());
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException("cannot sign with the local key", ex);
        }
    }

    /**
     * Mint a new identity: {@code sub} a random UUIDv4, {@code iss} the local issuer, a token that never expires.
     *
     * @return the identity and its token.
     */
    public MintedIdentity mintIdentity()
    {
        final String sub = UUID.randomUUID().toString();
        final Identity identity = IdentityDerivation.fromClaims(localIssuer, sub);
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("hex_identity", identity.toHex());
        payload.put("sub", sub);
        payload.put("iss", localIssuer);
        payload.put("aud", List.of(AUDIENCE));
        payload.put("iat", nowSeconds());
        payload.put("exp", null);
        return new MintedIdentity(identity, sub, sign(payload));
    }

    /**
     * A short-lived token for a websocket connection: the same claims (extra claims kept) re-signed by this instance
     * with {@code iat} now and {@code exp} now + the websocket token lifetime.
     *
     * @param claims validated claims.
     * @return the compact JWT.
     */
    public String websocketToken(final Claims claims)
    {
        final long now = nowSeconds();
        final Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("hex_identity", claims.identity().toHex());
        payload.put("sub", claims.subject());
        payload.put("iss", claims.issuer());
        final Object aud = claims.payload().get("aud");
        payload.put("aud", aud != null ? aud : List.of(AUDIENCE));
        payload.put("iat", now);
        payload.put("exp", now + websocketTokenLifetimeSeconds);
        for (final Map.Entry<String, Object> e : claims.payload().entrySet())
        {
            payload.putIfAbsent(e.getKey(), e.getValue());
        }
        return sign(payload);
    }

    /**
     * Sign a payload as an ES256 JWT with this instance's key.
     *
     * @param payload the claims, serialized in iteration order (null values as JSON null).
     * @return the compact JWT.
     */
    public String sign(final Map<String, Object> payload)
    {
        final JWSObject jws = new JWSObject(header, new Payload(JSONObjectUtils.toJSONString(payload)));
        try
        {
            jws.sign(signer);
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException("ES256 signing failed", ex);
        }
        return jws.serialize();
    }

    /**
     * The public key as served by {@code GET /v1/identity/public-key}.
     *
     * @return PEM text.
     */
    public String publicKeyPem()
    {
        return keys.publicKeyPem();
    }

    /**
     * The signing keys.
     *
     * @return the keys.
     */
    public LocalKeys keys()
    {
        return keys;
    }

    /**
     * The issuer of minted identities.
     *
     * @return the local issuer.
     */
    public String localIssuer()
    {
        return localIssuer;
    }

    private long nowSeconds()
    {
        return Math.floorDiv(clock.millis(), 1000L);
    }
}
