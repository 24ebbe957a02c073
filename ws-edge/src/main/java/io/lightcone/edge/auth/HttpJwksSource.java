package io.lightcone.edge.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * JWKS of OIDC issuers fetched over HTTP: {@code GET {iss}/.well-known/openid-configuration}, then
 * {@code GET jwks_uri}, cached per issuer.
 * <p>
 * Cache rules (as SpacetimeDB's): a set younger than the refresh age is used as is; an older one is fetched again,
 * and if that fails the old set is still used until the expiry age, after which the failure is reported.
 * {@link #refresh(String)} (an unknown {@code kid}) fetches again unless the set is younger than the minimum refetch
 * interval, so tokens with made-up {@code kid}s cannot make this instance hammer an issuer.
 * <p>
 * Only issuers that the validator already trusts reach this class; it follows no redirects, caps every response at
 * {@link #MAX_RESPONSE_BYTES} and times out every request. Fetching blocks the calling thread: call the validator
 * off any event loop.
 */
public final class HttpJwksSource implements JwksSource
{
    /**
     * Largest discovery document or JWKS accepted.
     */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    /**
     * Default minimum interval between two refetches caused by unknown {@code kid}s.
     */
    public static final Duration MIN_REFETCH_INTERVAL_DEFAULT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final Duration timeout;
    private final long refreshMs;
    private final long expiryMs;
    private final long minRefetchMs;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    /**
     * A source.
     *
     * @param timeout            connect and request timeout of each request.
     * @param refresh            age after which a set is fetched again.
     * @param expiry             age after which a set is dropped when refetching fails.
     * @param minRefetchInterval minimum age of a set before {@link #refresh(String)} refetches it.
     * @param clock              the clock.
     */
    public HttpJwksSource(
        final Duration timeout,
        final Duration refresh,
        final Duration expiry,
        final Duration minRefetchInterval,
        final Clock clock)
    {
        this.client = HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
        this.timeout = timeout;
        this.refreshMs = refresh.toMillis();
        this.expiryMs = expiry.toMillis();
        this.minRefetchMs = minRefetchInterval.toMillis();
        this.clock = clock;
    }

    /**
     * {@inheritDoc}
     */
    public JWKSet keys(final String issuer) throws AuthException
    {
        final Entry entry = cache.get(issuer);
        if (entry != null && clock.millis() - entry.fetchedAtMs < refreshMs)
        {
            return entry.keys;
        }
        return fetchOrFallBack(issuer, entry);
    }

    /**
     * {@inheritDoc}
     */
    public JWKSet refresh(final String issuer) throws AuthException
    {
        final Entry entry = cache.get(issuer);
        if (entry != null && clock.millis() - entry.fetchedAtMs < minRefetchMs)
        {
            return entry.keys;
        }
        return fetchOrFallBack(issuer, entry);
    }

    private JWKSet fetchOrFallBack(final String issuer, final Entry entry) throws AuthException
    {
        try
        {
            final JWKSet keys = fetch(issuer);
            cache.put(issuer, new Entry(keys, clock.millis()));
            return keys;
        }
        catch (final AuthException ex)
        {
            if (entry != null && clock.millis() - entry.fetchedAtMs < expiryMs)
            {
                return entry.keys;
            }
            throw ex;
        }
    }

    JWKSet fetch(final String issuer) throws AuthException
    {
        final String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        if (!base.startsWith("https://") && !base.startsWith("http://"))
        {
            throw unavailable(issuer, "the issuer is not an http(s) URL", null);
        }
        final String discoveryUrl = base + "/.well-known/openid-configuration";
        final Map<String, Object> discovery;
        try
        {
            discovery = JSONObjectUtils.parse(get(issuer, discoveryUrl));
        }
        catch (final ParseException ex)
        {
            throw unavailable(issuer, discoveryUrl + " is not a JSON object", ex);
        }
        final Object discoveredIssuer = discovery.get("issuer");
        if (discoveredIssuer != null && !stripSlash(discoveredIssuer.toString()).equals(base))
        {
            throw unavailable(issuer, "the discovery document names issuer " + discoveredIssuer, null);
        }
        final Object jwksUri = discovery.get("jwks_uri");
        if (!(jwksUri instanceof String) || ((String)jwksUri).isEmpty())
        {
            throw unavailable(issuer, discoveryUrl + " has no jwks_uri", null);
        }
        try
        {
            return JWKSet.parse(get(issuer, (String)jwksUri)).toPublicJWKSet();
        }
        catch (final ParseException ex)
        {
            throw unavailable(issuer, jwksUri + " is not a JWK set: " + ex.getMessage(), ex);
        }
    }

    private String get(final String issuer, final String url) throws AuthException
    {
        final HttpRequest request;
        try
        {
            request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw unavailable(issuer, "bad URL " + url, ex);
        }
        try
        {
            final HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body())
            {
                if (response.statusCode() != 200)
                {
                    throw unavailable(issuer, "GET " + url + " answered " + response.statusCode(), null);
                }
                final byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
                if (bytes.length > MAX_RESPONSE_BYTES)
                {
                    throw unavailable(issuer, "GET " + url + " answered more than " + MAX_RESPONSE_BYTES + " bytes",
                        null);
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        catch (final IOException ex)
        {
            throw unavailable(issuer, "GET " + url + " failed: " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw unavailable(issuer, "interrupted", ex);
        }
    }

    private static String stripSlash(final String s)
    {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static AuthException unavailable(final String issuer, final String why, final Throwable cause)
    {
        return new AuthException(AuthException.Reason.KEYS_UNAVAILABLE,
            "could not fetch the JWKS of issuer " + issuer + ": " + why, cause);
    }

    private static final class Entry
    {
        private final JWKSet keys;
        private final long fetchedAtMs;

        private Entry(final JWKSet keys, final long fetchedAtMs)
        {
            this.keys = keys;
            this.fetchedAtMs = fetchedAtMs;
        }
    }
}
