package io.lightcone.cli.client;

/**
 * Why a client command failed: a message for the user and the process exit code that goes with it
 * ({@link ExitCodes}).
 */
public final class CommandFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * A failure.
     *
     * @param exitCode the exit code, one of {@link ExitCodes}.
     * @param message  what went wrong and, where it helps, what to do.
     */
    public CommandFailure(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * A failure with a cause.
     *
     * @param exitCode the exit code, one of {@link ExitCodes}.
     * @param message  what went wrong.
     * @param cause    the underlying error.
     */
    public CommandFailure(final int exitCode, final String message, final Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * @return the exit code for the process.
     */
    public int exitCode()
    {
        return exitCode;
    }
}
