package io.lightcone.core.index;

/**
 * Receives row ids from an index scan, without boxing.
 */
@FunctionalInterface
public interface RowIdConsumer
{
    /**
     * One row id.
     *
     * @param rowId the row's slot in its table.
     * @return true to go on, false to stop the scan.
     */
    boolean accept(int rowId);
}
