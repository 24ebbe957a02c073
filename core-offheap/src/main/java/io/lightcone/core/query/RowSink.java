package io.lightcone.core.query;

/**
 * Receives the BSATN rows of a query result, one call per row (a row returned twice is passed twice).
 */
@FunctionalInterface
public interface RowSink
{
    /**
     * One row.
     *
     * @param bsatn the row's BSATN (the table's row product type); owned by the receiver.
     */
    void row(byte[] bsatn);
}
