package io.lightcone.core.moduledef;

/**
 * A module's {@code __describe_module__} output was refused: malformed BSATN, an unsupported RawModuleDef
 * version, or a definition SpacetimeDB's validation would reject. The message names the table, reducer, column or
 * byte offset concerned.
 */
public final class ModuleDefException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * A refusal.
     *
     * @param message what was wrong and where.
     */
    public ModuleDefException(final String message)
    {
        super(message);
    }

    /**
     * A refusal caused by a lower-level error.
     *
     * @param message what was wrong and where.
     * @param cause   the underlying error.
     */
    public ModuleDefException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
