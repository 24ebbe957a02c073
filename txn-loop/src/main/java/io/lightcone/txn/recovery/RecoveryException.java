package io.lightcone.txn.recovery;

/**
 * Recovery cannot produce a consistent state; the message says why and names the files involved. Startup must stop.
 */
public final class RecoveryException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A failure.
     *
     * @param message what is wrong.
     * @param cause   the underlying exception, or null.
     */
    public RecoveryException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
