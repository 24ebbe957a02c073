package io.lightcone.cli.generate;

/**
 * Why {@code lightcone generate} could not generate: a message that says what went wrong.
 */
public final class GenerateException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public GenerateException(final String message)
    {
        super(message);
    }

    public GenerateException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
