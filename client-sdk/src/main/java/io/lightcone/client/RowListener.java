package io.lightcone.client;

/**
 * Called for a row inserted into or deleted from a {@link TableCache}, for event-table rows, and by
 * {@link TableCache#forEach}. Runs on the thread that polls the client; the view is valid during the call only.
 */
@FunctionalInterface
public interface RowListener
{
    /**
     * A row.
     *
     * @param table the table.
     * @param row   the row's bytes.
     */
    void onRow(TableCache table, RowView row);
}
