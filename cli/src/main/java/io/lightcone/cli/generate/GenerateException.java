package io.lightcone.cli.generate;

/**
 * Why {@code lightcone generate} could not generate: a message that says what went wrong.
 */
final class GenerateException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    GenerateException(final String message)
    {
        super(message);
    }

    GenerateException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
