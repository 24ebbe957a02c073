package io.lightcone.core.query;

import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;

/**
 * The rows a plan reads: the committed state of a datastore (no transaction open) or what an open {@link MutTx}
 * sees. Index scans go straight to the table's indexes, which hold exactly the visible rows in both cases.
 */
public interface ReadView
{
    /**
     * A table by id.
     *
     * @param tableId the id.
     * @return the table, or null.
     */
    StoredTable table(int tableId);

    /**
     * The next visible row of a table scan.
     *
     * @param table     the table.
     * @param fromRowId where to start.
     * @return the smallest visible row id at or after {@code fromRowId}, or -1.
     */
    int nextVisible(StoredTable table, int fromRowId);

    /**
     * The committed state of a datastore; only valid while no transaction is open.
     *
     * @param datastore the datastore.
     * @return the view.
     */
    static ReadView committed(final Datastore datastore)
    {
        return new ReadView()
        {
            @Override
            public StoredTable table(final int tableId)
            {
                return datastore.table(tableId);
            }

            @Override
            public int nextVisible(final StoredTable table, final int fromRowId)
            {
                return table.rows().nextLive(fromRowId);
            }
        };
    }

    /**
     * What an open transaction sees.
     *
     * @param tx the transaction.
     * @return the view.
     */
    static ReadView of(final MutTx tx)
    {
        return new ReadView()
        {
            @Override
            public StoredTable table(final int tableId)
            {
                return tx.datastore().table(tableId);
            }

            @Override
            public int nextVisible(final StoredTable table, final int fromRowId)
            {
                return tx.nextVisible(table, fromRowId);
            }
        };
    }
}
