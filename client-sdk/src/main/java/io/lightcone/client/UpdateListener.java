package io.lightcone.client;

/**
 * Called when a row of a table with a primary key is replaced: a delete and an insert of the same key in one
 * message. Runs on the thread that polls the client; both views are valid during the call only.
 */
@FunctionalInterface
public interface UpdateListener
{
    /**
     * A row changed.
     *
     * @param table  the table.
     * @param oldRow the row before.
     * @param newRow the row after.
     */
    void onUpdate(TableCache table, RowView oldRow, RowView newRow);
}
