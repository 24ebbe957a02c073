package io.lightcone.cli.client;

/**
 * Exit codes of the {@code lightcone} subcommands (docs/cli.md), extending {@code lightcone start}'s scheme.
 */
public final class ExitCodes
{
    /** Success. */
    public static final int OK = 0;
    /** Anything else: an unexpected answer, a timeout waiting for the core, an I/O error. */
    public static final int OTHER = 1;
    /**
     * Bad arguments: a usage error, malformed JSON, or arguments or SQL the server rejected as invalid (HTTP 400),
     * a subscription query the server refused.
     */
    public static final int BAD_ARGS = 2;
    /** The server cannot be reached, or (core, edge) an address cannot be bound. */
    public static final int UNREACHABLE = 3;
    /** (core) The data directory is in use, unusable or damaged. */
    public static final int DATA_DIR = 4;
    /** The module could not be read or the server refused it (invalid module, migration refused). */
    public static final int MODULE_REFUSED = 5;
    /** Not found: no such database, reducer or identity (HTTP 404). */
    public static final int NOT_FOUND = 6;
    /** Permission denied: not the owner, or the token was refused (HTTP 401 / 403). */
    public static final int PERMISSION_DENIED = 7;
    /** The reducer (or SQL DML) ran and failed: an error returned by the module, a trap, out of energy. */
    public static final int REDUCER_FAILED = 8;

    private ExitCodes()
    {
    }
}
