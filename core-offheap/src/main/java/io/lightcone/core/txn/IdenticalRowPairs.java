package io.lightcone.core.txn;

import io.lightcone.core.table.Table;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;

/**
 * Cancels the deleted/inserted row pairs of one table whose bytes are identical, so a row deleted and re-inserted
 * unchanged in one transaction is in neither set of the delta (SpacetimeDB's set semantics).
 * <p>
 * Multiplicities: each row cancels at most one identical row of the other side, and among identical rows the
 * earliest of each side pair up first — exactly what comparing every deleted row with every inserted row in order
 * gives, but in expected linear time: the smaller side is hashed once into chains (ordered by position) keyed by
 * row hash, each row of the other side is hashed once and compared byte for byte only with its hash's chain, and a
 * matched row is unlinked from its chain.
 * <p>
 * The map and arrays are reused across commits; grown past {@link MutTx#RETAINED_ENTRIES_LIMIT} by one large
 * transaction they are shrunk when it ends. Single-threaded, as {@link MutTx}.
 */
final class IdenticalRowPairs
{
    private static final int NONE = -1;
    /** Largest product of the two sides' sizes compared pair by pair rather than through hash chains. */
    static final int PAIRWISE_LIMIT = 64;

    private final Long2LongHashMap chainHeadByHash = new Long2LongHashMap(NONE);
    private final ExpandableArrayBuffer probeRow = new ExpandableArrayBuffer(256);
    private int[] nextInChain = new int[16];
    private long[] chainedHashes = new long[16];

    /**
     * Cancels identical pairs: both entries of each pair are replaced by -1; entries already negative are ignored.
     *
     * @param rows    the table holding both sides' rows.
     * @param inserts the inserted row ids.
     * @param deletes the deleted row ids.
     */
    void cancel(final Table rows, final IntArrayList inserts, final IntArrayList deletes)
    {
        if (inserts.isEmpty() || deletes.isEmpty())
        {
            return;
        }
        if (inserts.size() * (long)deletes.size() <= PAIRWISE_LIMIT)
        {
            cancelPairwise(rows, inserts, deletes);
            return;
        }
        final boolean chainInserts = inserts.size() <= deletes.size();
        final IntArrayList chained = chainInserts ? inserts : deletes;
        final IntArrayList probes = chainInserts ? deletes : inserts;
        chain(rows, chained);
        try
        {
            for (int p = 0; p < probes.size(); p++)
            {
                final int probeRowId = probes.getInt(p);
                if (probeRowId >= 0 && cancelFirstIdentical(rows, probeRowId, chained))
                {
                    probes.setInt(p, NONE);
                }
            }
        }
        finally
        {
            unchain(chained.size());
        }
    }

    /**
     * The reference order itself, for a few rows (an update of one or two rows, the common transaction): every
     * deleted row with every inserted row, compared in storage, with no hashing or serialising.
     */
    private static void cancelPairwise(final Table rows, final IntArrayList inserts, final IntArrayList deletes)
    {
        for (int d = 0; d < deletes.size(); d++)
        {
            final int deleted = deletes.getInt(d);
            if (deleted < 0)
            {
                continue;
            }
            for (int i = 0; i < inserts.size(); i++)
            {
                final int inserted = inserts.getInt(i);
                if (inserted >= 0 && rows.rowsEqual(deleted, inserted))
                {
                    deletes.setInt(d, NONE);
                    inserts.setInt(i, NONE);
                    break;
                }
            }
        }
    }

    /**
     * Entries this keeps allocated between transactions (for tests).
     *
     * @return the map's capacity plus the arrays' lengths.
     */
    long retainedEntries()
    {
        return chainHeadByHash.capacity() + nextInChain.length + chainedHashes.length;
    }

    private void chain(final Table rows, final IntArrayList chained)
    {
        final int count = chained.size();
        if (nextInChain.length < count)
        {
            final int length = Math.max(count, nextInChain.length * 2);
            nextInChain = new int[length];
            chainedHashes = new long[length];
        }
        // Walking backwards and pushing on the chain's head leaves every chain in ascending position order.
        for (int i = count - 1; i >= 0; i--)
        {
            final int rowId = chained.getInt(i);
            if (rowId >= 0)
            {
                final long hash = rows.rowHash(rowId);
                chainedHashes[i] = hash;
                nextInChain[i] = (int)chainHeadByHash.get(hash);
                chainHeadByHash.put(hash, i);
            }
        }
    }

    private boolean cancelFirstIdentical(final Table rows, final int probeRowId, final IntArrayList chained)
    {
        final long hash = rows.rowHash(probeRowId);
        int current = (int)chainHeadByHash.get(hash);
        if (current == NONE)
        {
            return false;
        }
        final int probeLength = rows.writeRow(probeRowId, probeRow, 0);
        int previous = NONE;
        while (current != NONE)
        {
            if (rows.rowEquals(chained.getInt(current), probeRow, 0, probeLength))
            {
                final int next = nextInChain[current];
                if (previous != NONE)
                {
                    nextInChain[previous] = next;
                }
                else if (next != NONE)
                {
                    chainHeadByHash.put(hash, next);
                }
                else
                {
                    chainHeadByHash.remove(hash);
                }
                chained.setInt(current, NONE);
                return true;
            }
            previous = current;
            current = nextInChain[current];
        }
        return false;
    }

    /**
     * Empties the map by removing the keys this commit chained (time proportional to this commit, not to the map's
     * capacity, which one large transaction may have grown; a stale hash of a skipped entry removes nothing that
     * must stay) and shrinks what a large transaction grew.
     */
    private void unchain(final int count)
    {
        if (!chainHeadByHash.isEmpty())
        {
            for (int i = 0; i < count; i++)
            {
                chainHeadByHash.remove(chainedHashes[i]);
            }
        }
        if (chainHeadByHash.capacity() > MutTx.RETAINED_ENTRIES_LIMIT)
        {
            chainHeadByHash.clear();
            chainHeadByHash.compact();
        }
        if (nextInChain.length > MutTx.RETAINED_ENTRIES_LIMIT)
        {
            nextInChain = new int[16];
            chainedHashes = new long[16];
        }
    }
}
