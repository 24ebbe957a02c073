package io.lightcone.edge.auth;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of identity and authentication: fluent accessors named after {@link AuthConfiguration}'s properties, with
 * their defaults, and one {@link #conclude()} that validates them and builds the issuer verifiers.
 * <p>
 * External issuers are trusted only when configured: each trusted OIDC issuer gets a {@link JwksIssuerVerifier},
 * each HS256 secret a {@link Hs256IssuerVerifier}, and custom verifiers can be added with
 * {@link #issuerVerifier(String, IssuerVerifier)}. The local issuer can never be an external one.
 */
public final class AuthContext
{
    private boolean concluded;
    private Path keyDir = Paths.get(AuthConfiguration.keyDir());
    private String localIssuer = AuthConfiguration.localIssuer();
    private List<String> trustedIssuers = AuthConfiguration.trustedIssuers();
    private Map<String, byte[]> hs256IssuerSecrets = AuthConfiguration.hs256IssuerSecrets();
    private byte[] localHs256Secret = AuthConfiguration.localHs256Secret();
    private RSAPublicKey localRs256PublicKey;
    private long clockSkewSeconds = AuthConfiguration.clockSkewSeconds();
    private long websocketTokenLifetimeSeconds = AuthConfiguration.websocketTokenLifetimeSeconds();
    private long jwksTimeoutMs = AuthConfiguration.jwksTimeoutMs();
    private long jwksRefreshSeconds = AuthConfiguration.jwksRefreshSeconds();
    private long jwksExpirySeconds = AuthConfiguration.jwksExpirySeconds();
    private Clock clock = Clock.systemUTC();
    private JwksSource jwksSource;
    private final Map<String, IssuerVerifier> customVerifiers = new LinkedHashMap<>();
    private Map<String, IssuerVerifier> issuerVerifiers = Collections.emptyMap();

    /**
     * Validate the settings, fill the defaults that depend on others and build the issuer verifiers.
     *
     * @return this.
     * @throws IllegalStateException    if already concluded or a setting is inconsistent.
     * @throws IllegalArgumentException if a secret is too short.
     */
    public AuthContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("AuthContext already concluded");
        }
        if (localIssuer == null || localIssuer.isEmpty())
        {
            throw new IllegalStateException("localIssuer must not be empty");
        }
        if (clockSkewSeconds < 0 || websocketTokenLifetimeSeconds <= 0 || jwksTimeoutMs <= 0 ||
            jwksRefreshSeconds <= 0 || jwksExpirySeconds < jwksRefreshSeconds)
        {
            throw new IllegalStateException("need clockSkewSeconds >= 0, websocketTokenLifetimeSeconds > 0, " +
                "jwksTimeoutMs > 0, 0 < jwksRefreshSeconds <= jwksExpirySeconds");
        }
        if (localHs256Secret != null)
        {
            Hs256IssuerVerifier.macVerifier(localHs256Secret);
        }
        if (null == localRs256PublicKey && null != AuthConfiguration.localRs256PublicKeyFile())
        {
            localRs256PublicKey = LocalKeys.readRsaPublicKey(Paths.get(AuthConfiguration.localRs256PublicKeyFile()));
        }
        if (null == jwksSource)
        {
            jwksSource = new HttpJwksSource(
                Duration.ofMillis(jwksTimeoutMs),
                Duration.ofSeconds(jwksRefreshSeconds),
                Duration.ofSeconds(jwksExpirySeconds),
                HttpJwksSource.MIN_REFETCH_INTERVAL_DEFAULT,
                clock);
        }

        final Map<String, IssuerVerifier> verifiers = new LinkedHashMap<>();
        final JwksIssuerVerifier jwks = new JwksIssuerVerifier(jwksSource);
        for (final String issuer : trustedIssuers)
        {
            verifiers.put(issuer, jwks);
        }
        for (final Map.Entry<String, byte[]> e : hs256IssuerSecrets.entrySet())
        {
            addOnce(verifiers, e.getKey(), new Hs256IssuerVerifier(e.getValue()));
        }
        for (final Map.Entry<String, IssuerVerifier> e : customVerifiers.entrySet())
        {
            addOnce(verifiers, e.getKey(), e.getValue());
        }
        if (verifiers.containsKey(localIssuer))
        {
            throw new IllegalStateException("the local issuer " + localIssuer + " cannot also be an external issuer");
        }
        for (final String issuer : verifiers.keySet())
        {
            if (issuer.isEmpty())
            {
                throw new IllegalStateException("an external issuer must not be empty");
            }
        }
        issuerVerifiers = Collections.unmodifiableMap(verifiers);
        concluded = true;
        return this;
    }

    private static void addOnce(final Map<String, IssuerVerifier> verifiers, final String issuer,
        final IssuerVerifier verifier)
    {
        if (verifiers.putIfAbsent(issuer, verifier) != null)
        {
            throw new IllegalStateException("issuer " + issuer + " is configured twice (JWKS, HS256 or custom)");
        }
    }

    /**
     * The verifiers of the trusted external issuers, built by {@link #conclude()}.
     *
     * @return issuer to verifier; empty before {@link #conclude()}.
     */
    public Map<String, IssuerVerifier> issuerVerifiers()
    {
        return issuerVerifiers;
    }

    /**
     * Register a custom verifier for an external issuer (which makes it trusted).
     *
     * @param issuer   the issuer.
     * @param verifier its verifier.
     * @return this.
     */
    public AuthContext issuerVerifier(final String issuer, final IssuerVerifier verifier)
    {
        customVerifiers.put(issuer, verifier);
        return this;
    }

    /**
     * See {@link AuthConfiguration#KEY_DIR_PROP_NAME}.
     *
     * @return the key directory.
     */
    public Path keyDir()
    {
        return keyDir;
    }

    /**
     * See {@link AuthConfiguration#KEY_DIR_PROP_NAME}.
     *
     * @param keyDir the key directory.
     * @return this.
     */
    public AuthContext keyDir(final Path keyDir)
    {
        this.keyDir = keyDir;
        return this;
    }

    /**
     * See {@link AuthConfiguration#LOCAL_ISSUER_PROP_NAME}.
     *
     * @return the local issuer.
     */
    public String localIssuer()
    {
        return localIssuer;
    }

    /**
     * See {@link AuthConfiguration#LOCAL_ISSUER_PROP_NAME}.
     *
     * @param localIssuer the local issuer.
     * @return this.
     */
    public AuthContext localIssuer(final String localIssuer)
    {
        this.localIssuer = localIssuer;
        return this;
    }

    /**
     * See {@link AuthConfiguration#TRUSTED_ISSUERS_PROP_NAME}.
     *
     * @return the trusted OIDC issuers.
     */
    public List<String> trustedIssuers()
    {
        return trustedIssuers;
    }

    /**
     * See {@link AuthConfiguration#TRUSTED_ISSUERS_PROP_NAME}.
     *
     * @param trustedIssuers the trusted OIDC issuers.
     * @return this.
     */
    public AuthContext trustedIssuers(final List<String> trustedIssuers)
    {
        this.trustedIssuers = List.copyOf(trustedIssuers);
        return this;
    }

    /**
     * See {@link AuthConfiguration#HS256_ISSUER_SECRETS_PROP_NAME}.
     *
     * @return issuer to HS256 secret.
     */
    public Map<String, byte[]> hs256IssuerSecrets()
    {
        return hs256IssuerSecrets;
    }

    /**
     * See {@link AuthConfiguration#HS256_ISSUER_SECRETS_PROP_NAME}.
     *
     * @param hs256IssuerSecrets issuer to HS256 secret.
     * @return this.
     */
    public AuthContext hs256IssuerSecrets(final Map<String, byte[]> hs256IssuerSecrets)
    {
        this.hs256IssuerSecrets = new LinkedHashMap<>(hs256IssuerSecrets);
        return this;
    }

    /**
     * See {@link AuthConfiguration#LOCAL_HS256_SECRET_PROP_NAME}.
     *
     * @return the local HS256 secret, or null.
     */
    public byte[] localHs256Secret()
    {
        return localHs256Secret;
    }

    /**
     * See {@link AuthConfiguration#LOCAL_HS256_SECRET_PROP_NAME}.
     *
     * @param localHs256Secret the local HS256 secret, or null for none.
     * @return this.
     */
    public AuthContext localHs256Secret(final byte[] localHs256Secret)
    {
        this.localHs256Secret = localHs256Secret;
        return this;
    }

    /**
     * See {@link AuthConfiguration#LOCAL_RS256_PUBLIC_KEY_FILE_PROP_NAME}.
     *
     * @return the local RS256 public key, or null.
     */
    public RSAPublicKey localRs256PublicKey()
    {
        return localRs256PublicKey;
    }

    /**
     * See {@link AuthConfiguration#LOCAL_RS256_PUBLIC_KEY_FILE_PROP_NAME}.
     *
     * @param localRs256PublicKey the local RS256 public key, or null for none.
     * @return this.
     */
    public AuthContext localRs256PublicKey(final RSAPublicKey localRs256PublicKey)
    {
        this.localRs256PublicKey = localRs256PublicKey;
        return this;
    }

    /**
     * See {@link AuthConfiguration#CLOCK_SKEW_SECONDS_PROP_NAME}.
     *
     * @return the clock skew in seconds.
     */
    public long clockSkewSeconds()
    {
        return clockSkewSeconds;
    }

    /**
     * See {@link AuthConfiguration#CLOCK_SKEW_SECONDS_PROP_NAME}.
     *
     * @param clockSkewSeconds the clock skew in seconds.
     * @return this.
     */
    public AuthContext clockSkewSeconds(final long clockSkewSeconds)
    {
        this.clockSkewSeconds = clockSkewSeconds;
        return this;
    }

    /**
     * See {@link AuthConfiguration#WEBSOCKET_TOKEN_LIFETIME_SECONDS_PROP_NAME}.
     *
     * @return the websocket token lifetime in seconds.
     */
    public long websocketTokenLifetimeSeconds()
    {
        return websocketTokenLifetimeSeconds;
    }

    /**
     * See {@link AuthConfiguration#WEBSOCKET_TOKEN_LIFETIME_SECONDS_PROP_NAME}.
     *
     * @param websocketTokenLifetimeSeconds the websocket token lifetime in seconds.
     * @return this.
     */
    public AuthContext websocketTokenLifetimeSeconds(final long websocketTokenLifetimeSeconds)
    {
        this.websocketTokenLifetimeSeconds = websocketTokenLifetimeSeconds;
        return this;
    }

    /**
     * See {@link AuthConfiguration#JWKS_TIMEOUT_MS_PROP_NAME}.
     *
     * @return the JWKS timeout in milliseconds.
     */
    public long jwksTimeoutMs()
    {
        return jwksTimeoutMs;
    }

    /**
     * See {@link AuthConfiguration#JWKS_TIMEOUT_MS_PROP_NAME}.
     *
     * @param jwksTimeoutMs the JWKS timeout in milliseconds.
     * @return this.
     */
    public AuthContext jwksTimeoutMs(final long jwksTimeoutMs)
    {
        this.jwksTimeoutMs = jwksTimeoutMs;
        return this;
    }

    /**
     * See {@link AuthConfiguration#JWKS_REFRESH_SECONDS_PROP_NAME}.
     *
     * @return the JWKS refresh age in seconds.
     */
    public long jwksRefreshSeconds()
    {
        return jwksRefreshSeconds;
    }

    /**
     * See {@link AuthConfiguration#JWKS_REFRESH_SECONDS_PROP_NAME}.
     *
     * @param jwksRefreshSeconds the JWKS refresh age in seconds.
     * @return this.
     */
    public AuthContext jwksRefreshSeconds(final long jwksRefreshSeconds)
    {
        this.jwksRefreshSeconds = jwksRefreshSeconds;
        return this;
    }

    /**
     * See {@link AuthConfiguration#JWKS_EXPIRY_SECONDS_PROP_NAME}.
     *
     * @return the JWKS expiry age in seconds.
     */
    public long jwksExpirySeconds()
    {
        return jwksExpirySeconds;
    }

    /**
     * See {@link AuthConfiguration#JWKS_EXPIRY_SECONDS_PROP_NAME}.
     *
     * @param jwksExpirySeconds the JWKS expiry age in seconds.
     * @return this.
     */
    public AuthContext jwksExpirySeconds(final long jwksExpirySeconds)
    {
        this.jwksExpirySeconds = jwksExpirySeconds;
        return this;
    }

    /**
     * The clock used for {@code iat}, {@code exp} and JWKS cache ages.
     *
     * @return the clock.
     */
    public Clock clock()
    {
        return clock;
    }

    /**
     * The clock used for {@code iat}, {@code exp} and JWKS cache ages.
     *
     * @param clock the clock.
     * @return this.
     */
    public AuthContext clock(final Clock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * Where trusted OIDC issuers' keys come from; by default an {@link HttpJwksSource} built by {@link #conclude()}.
     *
     * @return the source, or null before {@link #conclude()} if not set.
     */
    public JwksSource jwksSource()
    {
        return jwksSource;
    }

    /**
     * Where trusted OIDC issuers' keys come from.
     *
     * @param jwksSource the source.
     * @return this.
     */
    public AuthContext jwksSource(final JwksSource jwksSource)
    {
        this.jwksSource = jwksSource;
        return this;
    }
}
