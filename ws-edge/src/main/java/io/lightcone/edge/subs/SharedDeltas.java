package io.lightcone.edge.subs;

import io.lightcone.core.query.QueryPlan;
import io.lightcone.core.query.QueryRegistry;
import io.lightcone.core.query.RowDelta;
import io.lightcone.edge.protocol.ServerMessageEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One transaction's subscription deltas, encoded once per distinct plan and copied into each client's message.
 * <p>
 * {@link #encode} writes every changed plan's rows (a PersistentTable{inserts, deletes} entry) into one buffer;
 * {@link #writeQuerySets} then writes a client's QuerySetUpdates from its own query set ids, its table names and
 * copies of those bytes, producing exactly what encoding its {@link SubscriptionManager#updatesFor} row by row
 * produces. Both reuse their storage, so after warm-up fanning a transaction out allocates nothing per client.
 * Single-threaded (the edge agent).
 */
public final class SharedDeltas
{
    /** Where one plan's encoded entry sits in {@link #bytes}, and how many rows it holds. */
    private static final class Entry
    {
        private int offset;
        private int length;
        private int rows;
    }

    private final ServerMessageEncoder entryEncoder = new ServerMessageEncoder();
    private final ExpandableDirectByteBuffer bytes = new ExpandableDirectByteBuffer(4096);
    private final UnsafeBuffer rowView = new UnsafeBuffer(0, 0);
    private final Map<QueryPlan, Entry> byPlan = new IdentityHashMap<>();
    private final List<Entry> pool = new ArrayList<>();
    private long rowsWritten;

    /**
     * Encode every plan's delta once, replacing the previous transaction's.
     *
     * @param deltas non-empty deltas by plan, from {@link SubscriptionManager#evaluate}.
     */
    public void encode(final Map<QueryPlan, RowDelta> deltas)
    {
        byPlan.clear();
        int position = 0;
        int used = 0;
        for (final Map.Entry<QueryPlan, RowDelta> delta : deltas.entrySet())
        {
            final RowDelta rows = delta.getValue();
            entryEncoder.wrap(bytes, position).beginPersistentRowsFragment();
            for (final byte[] row : rows.inserts())
            {
                rowView.wrap(row);
                entryEncoder.insert(rowView, 0, row.length);
            }
            for (final byte[] row : rows.deletes())
            {
                rowView.wrap(row);
                entryEncoder.delete(rowView, 0, row.length);
            }
            entryEncoder.endPersistentRows();
            if (used == pool.size())
            {
                pool.add(new Entry());
            }
            final Entry entry = pool.get(used++);
            entry.offset = position;
            entry.length = entryEncoder.messageLength();
            entry.rows = rows.inserts().size() + rows.deletes().size();
            position += entry.length;
            byPlan.put(delta.getKey(), entry);
        }
    }

    /**
     * Whether the last encoded transaction changed nothing any client subscribed to.
     *
     * @return true when no plan changed.
     */
    public boolean isEmpty()
    {
        return byPlan.isEmpty();
    }

    /**
     * Write a client's QuerySetUpdates into an open TransactionUpdate: one per query set with at least one changed
     * query, in subscription order, holding a TableUpdate per changed query in request order.
     *
     * @param encoder inside a TransactionUpdate (or a ReducerResult's).
     * @param sets    the client's query sets, from {@link SubscriptionManager#querySets}.
     * @return the number of QuerySetUpdates written (0: the client has nothing to hear about).
     */
    public int writeQuerySets(final ServerMessageEncoder encoder, final List<QuerySet> sets)
    {
        rowsWritten = 0;
        if (byPlan.isEmpty())
        {
            return 0;
        }
        int written = 0;
        for (int s = 0, setCount = sets.size(); s < setCount; s++)
        {
            final QuerySet set = sets.get(s);
            final List<QueryRegistry.Handle> handles = set.handles();
            boolean open = false;
            for (int i = 0, count = handles.size(); i < count; i++)
            {
                final Entry entry = byPlan.get(handles.get(i).plan());
                if (null != entry)
                {
                    if (!open)
                    {
                        encoder.beginQuerySet(set.querySetId());
                        open = true;
                    }
                    final DirectBuffer name = set.tableNames().get(i);
                    encoder.tableUpdate(name, 0, name.capacity(), bytes, entry.offset, entry.length);
                    rowsWritten += entry.rows;
                }
            }
            if (open)
            {
                encoder.endQuerySet();
                written++;
            }
        }
        return written;
    }

    /**
     * Rows (inserts plus deletes) the last {@link #writeQuerySets} wrote, for the fan-out counter.
     *
     * @return the rows.
     */
    public long rowsWritten()
    {
        return rowsWritten;
    }
}
