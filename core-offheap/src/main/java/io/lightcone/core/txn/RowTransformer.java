package io.lightcone.core.txn;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Rewrites one row's BSATN while a table is rebuilt under a new schema ({@link Datastore#rebuildTable}).
 */
@FunctionalInterface
public interface RowTransformer
{
    /** Keeps every row as it is. */
    RowTransformer IDENTITY = (row, offset, length, dst) ->
    {
        dst.putBytes(0, row, offset, length);
        return length;
    };

    /**
     * Writes the new row.
     *
     * @param row    holding the old row's BSATN.
     * @param offset where the old row starts.
     * @param length the old row's length.
     * @param dst    where to write the new row, from offset 0 (expandable).
     * @return the new row's length.
     */
    int transform(DirectBuffer row, int offset, int length, MutableDirectBuffer dst);
}
