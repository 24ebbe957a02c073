package io.lightcone.cli;

/**
 * Why {@code lightcone start} could not start: a message that says what went wrong and what to do, and the process
 * exit code that goes with it.
 */
final class StartException extends RuntimeException
{
    /** Exit code: the listen address is in use or cannot be bound. */
    static final int EXIT_LISTEN = 3;
    /** Exit code: the data directory cannot be used or recovery failed. */
    static final int EXIT_DATA = 4;
    /** Exit code: a {@code --module} could not be read or its publish was refused. */
    static final int EXIT_MODULE = 5;
    /** Exit code: anything else (the core or the edge did not come up in time). */
    static final int EXIT_INTERNAL = 1;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    StartException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    StartException(final int exitCode, final String message, final Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * @return the exit code for the process.
     */
    int exitCode()
    {
        return exitCode;
    }
}
