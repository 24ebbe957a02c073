package io.lightcone.client;

/**
 * A call's connection closed before its result arrived: the outcome is unknown (the reducer may have committed).
 */
public final class ConnectionLostException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message what happened.
     */
    public ConnectionLostException(final String message)
    {
        super(message);
    }
}
