package io.lightcone.cli.ops;

/**
 * Why an operation ({@code backup}, {@code restore}, the admin endpoint) could not be done: a message that says what
 * went wrong and what to do, and the process exit code that goes with it.
 */
public final class OpsException extends RuntimeException
{
    /** Exit code: anything else. */
    public static final int EXIT_INTERNAL = 1;
    /** Exit code: bad arguments (for example a restore into a non-empty directory without {@code --force}). */
    public static final int EXIT_USAGE = 2;
    /** Exit code: a data directory in use, unusable, or a server that does not answer. */
    public static final int EXIT_DATA = 4;
    /** Exit code: the backup is damaged or incomplete. */
    public static final int EXIT_DAMAGED = 6;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * An error.
     *
     * @param exitCode the process exit code.
     * @param message  what went wrong and what to do.
     */
    public OpsException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * An error with a cause.
     *
     * @param exitCode the process exit code.
     * @param message  what went wrong and what to do.
     * @param cause    the cause.
     */
    public OpsException(final int exitCode, final String message, final Throwable cause)
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
