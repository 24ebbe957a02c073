package io.lightcone.core.query;

/**
 * A SQL text that cannot be parsed, type-checked, planned or executed. The message names what was wrong and, for
 * syntax errors, the 0-based character position, e.g. {@code unexpected token 'FORM' at 9: expected FROM}.
 * <p>
 * Checked on purpose: the parser, planner and executor throw nothing else on any input.
 */
public final class SqlException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int position;

    /**
     * An error not tied to a position.
     *
     * @param message what was wrong.
     */
    public SqlException(final String message)
    {
        super(message);
        this.position = -1;
    }

    /**
     * An error at a character position; the message is suffixed with {@code " at <position>"} unless it already
     * mentions it.
     *
     * @param message  what was wrong.
     * @param position 0-based character offset in the SQL text.
     */
    public SqlException(final String message, final int position)
    {
        super(message);
        this.position = position;
    }

    /**
     * Where the error is.
     *
     * @return the 0-based character offset, or -1 when the error has no position.
     */
    public int position()
    {
        return position;
    }
}
