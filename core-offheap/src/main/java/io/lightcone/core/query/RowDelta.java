package io.lightcone.core.query;

import java.util.List;

/**
 * The change of a subscription's result caused by one transaction, as bags of BSATN rows. A client applies the
 * deletes first, then the inserts, to a multiset of rows.
 *
 * @param inserts rows that entered the result (a row may appear several times).
 * @param deletes rows that left the result.
 */
public record RowDelta(List<byte[]> inserts, List<byte[]> deletes)
{
    /**
     * Whether nothing changed.
     *
     * @return true when both bags are empty.
     */
    public boolean isEmpty()
    {
        return inserts.isEmpty() && deletes.isEmpty();
    }
}
