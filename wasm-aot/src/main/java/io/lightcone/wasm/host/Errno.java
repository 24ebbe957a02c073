package io.lightcone.wasm.host;

/**
 * The errno codes host calls return to a module (reference/spacetimedb-contracts.md §4.3,
 * SpacetimeDB {@code crates/primitives/src/errno.rs}). 0 is success. The codes shared with storage
 * ({@link io.lightcone.core.txn.TxStatus}) have the same values.
 */
public final class Errno
{
    /** Success. */
    public static final int OK = 0;
    /** Generic failure; also a reducer's "user error" return. */
    public static final int HOST_CALL_FAILURE = 1;
    /** The call needs a transaction and none is open. */
    public static final int NOT_IN_TRANSACTION = 2;
    /** Malformed BSATN. */
    public static final int BSATN_DECODE_ERROR = 3;
    /** No such table. */
    public static final int NO_SUCH_TABLE = 4;
    /** No such index. */
    public static final int NO_SUCH_INDEX = 5;
    /** No such row iterator. */
    public static final int NO_SUCH_ITER = 6;
    /** No such console timer. */
    public static final int NO_SUCH_CONSOLE_TIMER = 7;
    /** No such bytes source or sink. */
    public static final int NO_SUCH_BYTES = 8;
    /** A sink is full. */
    public static final int NO_SPACE = 9;
    /** The index does not support the operation (range scan on a hash index). */
    public static final int WRONG_INDEX_ALGO = 10;
    /** The buffer cannot hold the next row. */
    public static final int BUFFER_TOO_SMALL = 11;
    /** A unique constraint would be violated. */
    public static final int UNIQUE_ALREADY_EXISTS = 12;
    /** A schedule delay is too long. */
    public static final int SCHEDULE_AT_DELAY_TOO_LONG = 13;
    /** An update named a non-unique index. */
    public static final int INDEX_NOT_UNIQUE = 14;
    /** No such row. */
    public static final int NO_SUCH_ROW = 15;
    /** A sequence overflowed. */
    public static final int AUTO_INC_OVERFLOW = 16;
    /** A transaction is already open. */
    public static final int WOULD_BLOCK_TRANSACTION = 17;
    /** The transaction was not opened by the procedure. */
    public static final int TRANSACTION_NOT_ANONYMOUS = 18;
    /** The transaction is read only. */
    public static final int TRANSACTION_IS_READ_ONLY = 19;
    /** The transaction is mutable. */
    public static final int TRANSACTION_IS_MUT = 20;
    /** An HTTP request failed. */
    public static final int HTTP_ERROR = 21;

    private static final String[] NAMES =
    {
        "OK", "HOST_CALL_FAILURE", "NOT_IN_TRANSACTION", "BSATN_DECODE_ERROR", "NO_SUCH_TABLE", "NO_SUCH_INDEX",
        "NO_SUCH_ITER", "NO_SUCH_CONSOLE_TIMER", "NO_SUCH_BYTES", "NO_SPACE", "WRONG_INDEX_ALGO",
        "BUFFER_TOO_SMALL", "UNIQUE_ALREADY_EXISTS", "SCHEDULE_AT_DELAY_TOO_LONG", "INDEX_NOT_UNIQUE",
        "NO_SUCH_ROW", "AUTO_INC_OVERFLOW", "WOULD_BLOCK_TRANSACTION", "TRANSACTION_NOT_ANONYMOUS",
        "TRANSACTION_IS_READ_ONLY", "TRANSACTION_IS_MUT", "HTTP_ERROR",
    };

    private Errno()
    {
    }

    /**
     * The name of a code.
     *
     * @param code the errno.
     * @return its name, or "ERRNO_n" when unknown.
     */
    public static String name(final int code)
    {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "ERRNO_" + code;
    }
}
