package io.lightcone.wasm.host;

/**
 * A module was refused: malformed wasm, an ABI version or import this host does not provide, a missing export,
 * a failing {@code __setup__}, or a module def that does not decode. The message says which.
 */
public final class ModuleLoadException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A refusal.
     *
     * @param message what is wrong.
     */
    public ModuleLoadException(final String message)
    {
        super(message);
    }

    /**
     * A refusal caused by another failure.
     *
     * @param message what is wrong.
     * @param cause   the failure.
     */
    public ModuleLoadException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
