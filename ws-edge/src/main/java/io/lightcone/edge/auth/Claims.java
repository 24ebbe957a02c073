package io.lightcone.edge.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The validated claims of a token: the derived identity, issuer and subject, and the whole payload (the raw JSON is
 * what SpacetimeDB stores in {@code st_connection_credentials} and hands to modules through {@code get_jwt}).
 */
public final class Claims
{
    private final Identity identity;
    private final String issuer;
    private final String subject;
    private final String payloadJson;
    private final Map<String, Object> payload;

    Claims(
        final Identity identity,
        final String issuer,
        final String subject,
        final String payloadJson,
        final Map<String, Object> payload)
    {
        this.identity = identity;
        this.issuer = issuer;
        this.subject = subject;
        this.payloadJson = payloadJson;
        this.payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    /**
     * The identity derived from {@code iss} and {@code sub}.
     *
     * @return the identity.
     */
    public Identity identity()
    {
        return identity;
    }

    /**
     * The {@code iss} claim.
     *
     * @return the issuer.
     */
    public String issuer()
    {
        return issuer;
    }

    /**
     * The {@code sub} claim.
     *
     * @return the subject.
     */
    public String subject()
    {
        return subject;
    }

    /**
     * The payload exactly as it was in the token.
     *
     * @return the raw payload JSON.
     */
    public String payloadJson()
    {
        return payloadJson;
    }

    /**
     * The parsed payload, in token order; numbers are {@link Long} or {@link Double}, JSON null is null.
     *
     * @return an unmodifiable view of the payload.
     */
    public Map<String, Object> payload()
    {
        return payload;
    }

    /**
     * The {@code exp} claim.
     *
     * @return unix seconds, or empty if absent or null.
     */
    public OptionalLong expiresAtEpochSeconds()
    {
        final Object exp = payload.get("exp");
        return exp instanceof Number ? OptionalLong.of(((Number)exp).longValue()) : OptionalLong.empty();
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "Claims{identity=" + identity + ", iss=" + issuer + ", sub=" + subject + "}";
    }
}
