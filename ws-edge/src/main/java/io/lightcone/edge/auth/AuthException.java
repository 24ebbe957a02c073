package io.lightcone.edge.auth;

/**
 * A token was refused. Carries an HTTP-ready status and a message fit for the response body.
 */
public final class AuthException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * HTTP status of every token refusal: 401 Unauthorized.
     */
    public static final int UNAUTHORIZED = 401;

    /**
     * Why a token was refused.
     */
    public enum Reason
    {
        /**
         * Not a JWT, not JSON, wrong claim types, unsupported algorithm.
         */
        MALFORMED,
        /**
         * Signature does not verify (or the local issuer's token was not signed by this instance).
         */
        BAD_SIGNATURE,
        /**
         * {@code exp} is in the past (beyond the clock skew) or {@code nbf} in the future.
         */
        EXPIRED,
        /**
         * A required claim is missing, empty, too long, or {@code hex_identity} does not match.
         */
        INVALID_CLAIMS,
        /**
         * The issuer is not configured as trusted.
         */
        UNTRUSTED_ISSUER,
        /**
         * The issuer's keys could not be obtained (JWKS fetch failure, unknown {@code kid}).
         */
        KEYS_UNAVAILABLE
    }

    private final Reason reason;

    /**
     * A refusal.
     *
     * @param reason  why.
     * @param message the message shown to the client.
     */
    public AuthException(final Reason reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    /**
     * A refusal with a cause.
     *
     * @param reason  why.
     * @param message the message shown to the client.
     * @param cause   the underlying failure.
     */
    public AuthException(final Reason reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Why the token was refused.
     *
     * @return the reason.
     */
    public Reason reason()
    {
        return reason;
    }

    /**
     * The HTTP status to answer with.
     *
     * @return {@link #UNAUTHORIZED}.
     */
    public int status()
    {
        return UNAUTHORIZED;
    }

    /**
     * The HTTP response body, as SpacetimeDB words it.
     *
     * @return {@code "Authorization failed: " + message}.
     */
    public String httpMessage()
    {
        return "Authorization failed: " + getMessage();
    }
}
