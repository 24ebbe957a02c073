package io.lightcone.core.sats;

/**
 * SATS-JSON that does not fit its type, or a value that cannot be written as SATS-JSON: names the JSON path (such as
 * {@code $.rows[3].name}) and what was wrong.
 */
public final class SatsJsonException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    /**
     * An error at a JSON path.
     *
     * @param path where, as {@code $} followed by {@code .field} and {@code [index]} segments.
     * @param reason what was wrong.
     */
    public SatsJsonException(final String path, final String reason)
    {
        super("SATS-JSON error at " + path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    /**
     * Where the error was found.
     *
     * @return the JSON path, starting with {@code $}.
     */
    public String path()
    {
        return path;
    }

    /**
     * What was wrong, without the path.
     *
     * @return the reason.
     */
    public String reason()
    {
        return reason;
    }
}
