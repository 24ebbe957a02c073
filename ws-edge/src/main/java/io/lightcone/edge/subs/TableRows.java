package io.lightcone.edge.subs;

import java.util.List;

/**
 * Rows of one table for one query: inserted and deleted BSATN rows.
 *
 * @param table   the table name.
 * @param inserts rows added to the client's view.
 * @param deletes rows removed from it.
 */
public record TableRows(String table, List<byte[]> inserts, List<byte[]> deletes)
{
}
