package io.lightcone.edge.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of identity and authentication: property names and defaults, read from system properties.
 * <p>
 * Secrets may be given as {@code env:NAME} to read them from the environment variable {@code NAME} rather than
 * putting them on a command line.
 */
public final class AuthConfiguration
{
    /**
     * Directory holding this instance's ES256 key pair ({@code id_ecdsa}, {@code id_ecdsa.pub}).
     */
    public static final String KEY_DIR_PROP_NAME = "lightcone.auth.key.dir";

    /**
     * Default of {@link #KEY_DIR_PROP_NAME}.
     */
    public static final String KEY_DIR_DEFAULT = "lightcone-keys";

    /**
     * Issuer ({@code iss}) of the tokens this instance mints.
     */
    public static final String LOCAL_ISSUER_PROP_NAME = "lightcone.auth.local.issuer";

    /**
     * Default of {@link #LOCAL_ISSUER_PROP_NAME}: {@code localhost}, as SpacetimeDB standalone.
     */
    public static final String LOCAL_ISSUER_DEFAULT = "localhost";

    /**
     * Comma-separated OIDC issuers whose tokens are accepted, verified against their JWKS
     * ({@code {iss}/.well-known/openid-configuration} then {@code jwks_uri}). Any other issuer is refused.
     */
    public static final String TRUSTED_ISSUERS_PROP_NAME = "lightcone.auth.trusted.issuers";

    /**
     * Default of {@link #TRUSTED_ISSUERS_PROP_NAME}: none.
     */
    public static final String TRUSTED_ISSUERS_DEFAULT = "";

    /**
     * Comma-separated {@code issuer=secret} pairs: issuers whose HS256 tokens are verified with a shared secret
     * (Supabase style). The secret is UTF-8 text of at least 32 bytes, or {@code env:NAME}. Split on the first
     * {@code '='}, so neither issuer nor secret may contain a comma and the issuer may not contain {@code '='}.
     */
    public static final String HS256_ISSUER_SECRETS_PROP_NAME = "lightcone.auth.hs256.issuer.secrets";

    /**
     * Default of {@link #HS256_ISSUER_SECRETS_PROP_NAME}: none.
     */
    public static final String HS256_ISSUER_SECRETS_DEFAULT = "";

    /**
     * Optional HS256 secret accepted as a local key (step 1 of validation, any issuer), or {@code env:NAME}.
     */
    public static final String LOCAL_HS256_SECRET_PROP_NAME = "lightcone.auth.local.hs256.secret";

    /**
     * Optional PEM file of an RSA public key accepted as a local key for RS256 (step 1 of validation, any issuer).
     */
    public static final String LOCAL_RS256_PUBLIC_KEY_FILE_PROP_NAME = "lightcone.auth.local.rs256.public.key.file";

    /**
     * Allowance for clock differences when checking {@code exp} and {@code nbf}.
     */
    public static final String CLOCK_SKEW_SECONDS_PROP_NAME = "lightcone.auth.clock.skew.seconds";

    /**
     * Default of {@link #CLOCK_SKEW_SECONDS_PROP_NAME}: 60 s (the leeway of SpacetimeDB's {@code jsonwebtoken}).
     */
    public static final long CLOCK_SKEW_SECONDS_DEFAULT = 60;

    /**
     * Lifetime of the tokens of {@code POST /v1/identity/websocket-token}.
     */
    public static final String WEBSOCKET_TOKEN_LIFETIME_SECONDS_PROP_NAME =
        "lightcone.auth.websocket.token.lifetime.seconds";

    /**
     * Default of {@link #WEBSOCKET_TOKEN_LIFETIME_SECONDS_PROP_NAME}: 60 s, as SpacetimeDB.
     */
    public static final long WEBSOCKET_TOKEN_LIFETIME_SECONDS_DEFAULT = 60;

    /**
     * Connect and request timeout of each JWKS / discovery HTTP request.
     */
    public static final String JWKS_TIMEOUT_MS_PROP_NAME = "lightcone.auth.jwks.timeout.ms";

    /**
     * Default of {@link #JWKS_TIMEOUT_MS_PROP_NAME}: 5 s.
     */
    public static final long JWKS_TIMEOUT_MS_DEFAULT = 5_000;

    /**
     * Age after which a cached JWKS is fetched again.
     */
    public static final String JWKS_REFRESH_SECONDS_PROP_NAME = "lightcone.auth.jwks.refresh.seconds";

    /**
     * Default of {@link #JWKS_REFRESH_SECONDS_PROP_NAME}: 5 min, as SpacetimeDB.
     */
    public static final long JWKS_REFRESH_SECONDS_DEFAULT = 300;

    /**
     * Age after which a cached JWKS is no longer used even when a refresh fails.
     */
    public static final String JWKS_EXPIRY_SECONDS_PROP_NAME = "lightcone.auth.jwks.expiry.seconds";

    /**
     * Default of {@link #JWKS_EXPIRY_SECONDS_PROP_NAME}: 2 h, as SpacetimeDB.
     */
    public static final long JWKS_EXPIRY_SECONDS_DEFAULT = 7_200;

    /**
     * Longest accepted {@code iss} and {@code sub}, in UTF-8 bytes.
     */
    public static final int MAX_ISS_SUB_LENGTH = 128;

    /**
     * Shortest accepted HS256 secret, in bytes (RFC 7518 §3.2: at least the hash size).
     */
    public static final int MIN_HS256_SECRET_LENGTH = 32;

    private AuthConfiguration()
    {
    }

    /**
     * The configured key directory.
     *
     * @return {@link #KEY_DIR_PROP_NAME} or its default.
     */
    public static String keyDir()
    {
        return System.getProperty(KEY_DIR_PROP_NAME, KEY_DIR_DEFAULT);
    }

    /**
     * The configured local issuer.
     *
     * @return {@link #LOCAL_ISSUER_PROP_NAME} or its default.
     */
    public static String localIssuer()
    {
        return System.getProperty(LOCAL_ISSUER_PROP_NAME, LOCAL_ISSUER_DEFAULT);
    }

    /**
     * The configured trusted OIDC issuers.
     *
     * @return {@link #TRUSTED_ISSUERS_PROP_NAME} split on commas, trimmed, empty entries dropped.
     */
    public static List<String> trustedIssuers()
    {
        return parseList(System.getProperty(TRUSTED_ISSUERS_PROP_NAME, TRUSTED_ISSUERS_DEFAULT));
    }

    /**
     * The configured HS256 issuer secrets.
     *
     * @return issuer to secret bytes, from {@link #HS256_ISSUER_SECRETS_PROP_NAME}.
     */
    public static Map<String, byte[]> hs256IssuerSecrets()
    {
        return parseSecrets(System.getProperty(HS256_ISSUER_SECRETS_PROP_NAME, HS256_ISSUER_SECRETS_DEFAULT));
    }

    /**
     * The configured local HS256 secret.
     *
     * @return its bytes, or null if not configured.
     */
    public static byte[] localHs256Secret()
    {
        final String value = System.getProperty(LOCAL_HS256_SECRET_PROP_NAME, "");
        return value.isEmpty() ? null : resolveSecret(value);
    }

    /**
     * The configured local RS256 public key file.
     *
     * @return the path text, or null if not configured.
     */
    public static String localRs256PublicKeyFile()
    {
        final String value = System.getProperty(LOCAL_RS256_PUBLIC_KEY_FILE_PROP_NAME, "");
        return value.isEmpty() ? null : value;
    }

    /**
     * The configured clock skew.
     *
     * @return {@link #CLOCK_SKEW_SECONDS_PROP_NAME} or its default.
     */
    public static long clockSkewSeconds()
    {
        return Long.getLong(CLOCK_SKEW_SECONDS_PROP_NAME, CLOCK_SKEW_SECONDS_DEFAULT);
    }

    /**
     * The configured websocket token lifetime.
     *
     * @return {@link #WEBSOCKET_TOKEN_LIFETIME_SECONDS_PROP_NAME} or its default.
     */
    public static long websocketTokenLifetimeSeconds()
    {
        return Long.getLong(WEBSOCKET_TOKEN_LIFETIME_SECONDS_PROP_NAME, WEBSOCKET_TOKEN_LIFETIME_SECONDS_DEFAULT);
    }

    /**
     * The configured JWKS HTTP timeout.
     *
     * @return {@link #JWKS_TIMEOUT_MS_PROP_NAME} or its default.
     */
    public static long jwksTimeoutMs()
    {
        return Long.getLong(JWKS_TIMEOUT_MS_PROP_NAME, JWKS_TIMEOUT_MS_DEFAULT);
    }

    /**
     * The configured JWKS refresh age.
     *
     * @return {@link #JWKS_REFRESH_SECONDS_PROP_NAME} or its default.
     */
    public static long jwksRefreshSeconds()
    {
        return Long.getLong(JWKS_REFRESH_SECONDS_PROP_NAME, JWKS_REFRESH_SECONDS_DEFAULT);
    }

    /**
     * The configured JWKS expiry age.
     *
     * @return {@link #JWKS_EXPIRY_SECONDS_PROP_NAME} or its default.
     */
    public static long jwksExpirySeconds()
    {
        return Long.getLong(JWKS_EXPIRY_SECONDS_PROP_NAME, JWKS_EXPIRY_SECONDS_DEFAULT);
    }

    static List<String> parseList(final String value)
    {
        final List<String> out = new ArrayList<>();
        for (final String part : value.split(","))
        {
            final String trimmed = part.trim();
            if (!trimmed.isEmpty())
            {
                out.add(trimmed);
            }
        }
        return Collections.unmodifiableList(out);
    }

    static Map<String, byte[]> parseSecrets(final String value)
    {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        for (final String pair : parseList(value))
        {
            final int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1)
            {
                throw new IllegalArgumentException(
                    HS256_ISSUER_SECRETS_PROP_NAME + " entries must be issuer=secret, found an entry without one");
            }
            out.put(pair.substring(0, eq).trim(), resolveSecret(pair.substring(eq + 1).trim()));
        }
        return out;
    }

    static byte[] resolveSecret(final String value)
    {
        if (value.startsWith("env:"))
        {
            final String name = value.substring(4);
            final String env = System.getenv(name);
            if (env == null || env.isEmpty())
            {
                throw new IllegalArgumentException("environment variable " + name + " (a secret) is not set");
            }
            return env.getBytes(StandardCharsets.UTF_8);
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
