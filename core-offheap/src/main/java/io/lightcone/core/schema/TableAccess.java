package io.lightcone.core.schema;

/**
 * Who may read a table (TableAccess in reference/spacetimedb-contracts.md §4.5).
 */
public enum TableAccess
{
    /** Every client may read the table. */
    PUBLIC,
    /** Only the database owner and the module may read the table. */
    PRIVATE
}
