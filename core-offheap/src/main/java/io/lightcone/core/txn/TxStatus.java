package io.lightcone.core.txn;

/**
 * Failure codes of transaction operations, returned negated ({@code -code}) where an operation returns a row id or
 * a count. They are the module ABI's errno values (reference/spacetimedb-contracts.md §4.3), so the host maps them
 * one to one. {@link MutTx#lastError()} says in words what went wrong.
 */
public final class TxStatus
{
    /** Success. */
    public static final int OK = 0;
    /** The bytes were not valid BSATN for the type. */
    public static final int BSATN_DECODE_ERROR = 3;
    /** No table has this id. */
    public static final int NO_SUCH_TABLE = 4;
    /** No index has this id. */
    public static final int NO_SUCH_INDEX = 5;
    /** A range scan was asked of an index that has no order. */
    public static final int WRONG_INDEX_ALGO = 10;
    /** A unique index already holds the key. */
    public static final int UNIQUE_ALREADY_EXISTS = 12;
    /** An update named an index that is not unique. */
    public static final int INDEX_NOT_UNIQUE = 14;
    /** No row matched. */
    public static final int NO_SUCH_ROW = 15;
    /** A sequence went past its maximum. */
    public static final int AUTO_INC_OVERFLOW = 16;

    private TxStatus()
    {
    }

    /**
     * The name of a code, for messages.
     *
     * @param code a status code (positive).
     * @return its name.
     */
    public static String name(final int code)
    {
        return switch (code)
        {
            case OK -> "OK";
            case BSATN_DECODE_ERROR -> "BSATN_DECODE_ERROR";
            case NO_SUCH_TABLE -> "NO_SUCH_TABLE";
            case NO_SUCH_INDEX -> "NO_SUCH_INDEX";
            case WRONG_INDEX_ALGO -> "WRONG_INDEX_ALGO";
            case UNIQUE_ALREADY_EXISTS -> "UNIQUE_ALREADY_EXISTS";
            case INDEX_NOT_UNIQUE -> "INDEX_NOT_UNIQUE";
            case NO_SUCH_ROW -> "NO_SUCH_ROW";
            case AUTO_INC_OVERFLOW -> "AUTO_INC_OVERFLOW";
            default -> "UNKNOWN(" + code + ")";
        };
    }
}
