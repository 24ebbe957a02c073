package io.lightcone.core.schema;

/**
 * How an index is built (RawIndexAlgorithm in reference/spacetimedb-contracts.md §4.5).
 */
public enum IndexAlgorithm
{
    /** An ordered B+tree over one or many columns: point, prefix and range scans. */
    BTREE,
    /** A hash index: point lookups only. */
    HASH,
    /** A dense array over one small unsigned integer column. */
    DIRECT
}
