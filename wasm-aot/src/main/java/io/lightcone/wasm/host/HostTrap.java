package io.lightcone.wasm.host;

/**
 * A host call failed in a way no errno describes: it traps the module (SpacetimeDB's {@code err_to_errno}
 * fallback). The call ends with INTERNAL_ERROR and the instance is rebuilt.
 */
final class HostTrap extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    HostTrap(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
