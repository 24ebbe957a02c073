package io.lightcone.edge.subs;

import io.lightcone.core.query.Catalog;
import io.lightcone.core.query.QueryPlan;
import io.lightcone.core.query.QueryPlanner;
import io.lightcone.core.query.QueryRegistry;
import io.lightcone.core.query.ReadView;
import io.lightcone.core.query.RowDelta;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TxDelta;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live subscriptions of one database. Identical queries (same canonical SQL and owner/sender scope) share one
 * plan through a {@link QueryRegistry}, so after a transaction each distinct plan's delta is computed once
 * ({@link #evaluate}) and then fanned out to every query set holding it ({@link #updatesFor}).
 * <p>
 * Initial rows and deltas come from the same replica state: both run on the edge agent thread between applied
 * transactions, so a client never misses or double-receives a change. Single-threaded.
 */
public final class SubscriptionManager
{
    private final QueryRegistry registry = new QueryRegistry(QueryPlanner.Options.REFERENCE);
    private final Map<Object, Map<Integer, QuerySet>> byOwner = new LinkedHashMap<>();
    private final Map<Object, List<QuerySet>> inOrder = new HashMap<>();

    /**
     * Plan and register every query of a set; all or nothing.
     *
     * @param owner      the client.
     * @param querySetId its query set id.
     * @param queries    the SQL texts.
     * @param catalog    the tables as the client sees them.
     * @param datastore  the replica (for table names).
     * @return the registered set.
     * @throws SqlException with the planner's message if any query is invalid, or if the set id is in use.
     */
    public QuerySet subscribe(
        final Object owner,
        final int querySetId,
        final List<String> queries,
        final Catalog catalog,
        final Datastore datastore) throws SqlException
    {
        final Map<Integer, QuerySet> sets = byOwner.computeIfAbsent(owner, (o) -> new LinkedHashMap<>());
        if (sets.containsKey(querySetId))
        {
            throw new SqlException("query set " + Integer.toUnsignedString(querySetId) + " is already subscribed");
        }
        final List<QueryRegistry.Handle> handles = new ArrayList<>(queries.size());
        final List<String> tables = new ArrayList<>(queries.size());
        try
        {
            for (final String sql : queries)
            {
                final QueryRegistry.Handle handle = registry.acquire(sql, catalog);
                handles.add(handle);
                final StoredTable table = datastore.table(handle.plan().returnedTableId());
                if (null == table)
                {
                    throw new SqlException("query does not return the rows of one table: " + sql);
                }
                tables.add(table.schema().name());
            }
        }
        catch (final SqlException | RuntimeException ex)
        {
            for (final QueryRegistry.Handle handle : handles)
            {
                registry.release(handle);
            }
            if (sets.isEmpty())
            {
                byOwner.remove(owner);
            }
            throw ex;
        }
        final List<DirectBuffer> names = new ArrayList<>(tables.size());
        for (final String table : tables)
        {
            names.add(new UnsafeBuffer(table.getBytes(StandardCharsets.UTF_8)));
        }
        final QuerySet set =
            new QuerySet(owner, querySetId, List.copyOf(handles), List.copyOf(tables), List.copyOf(names));
        sets.put(querySetId, set);
        inOrder.computeIfAbsent(owner, (o) -> new ArrayList<>()).add(set);
        return set;
    }

    /**
     * Rows a query set currently holds, one entry per query.
     *
     * @param set  the query set.
     * @param view the replica state.
     * @return the rows (as inserts).
     */
    public static List<TableRows> rows(final QuerySet set, final ReadView view)
    {
        final List<TableRows> result = new ArrayList<>(set.handles().size());
        for (int i = 0; i < set.handles().size(); i++)
        {
            final List<byte[]> rows = new ArrayList<>();
            set.handles().get(i).plan().evaluate(view, rows::add);
            result.add(new TableRows(set.tables().get(i), rows, List.of()));
        }
        return result;
    }

    /**
     * Remove a query set.
     *
     * @param owner      the client.
     * @param querySetId its id.
     * @return the removed set, or null if it was not subscribed.
     */
    public QuerySet unsubscribe(final Object owner, final int querySetId)
    {
        final Map<Integer, QuerySet> sets = byOwner.get(owner);
        final QuerySet set = null == sets ? null : sets.remove(querySetId);
        if (null != set)
        {
            release(set);
            if (sets.isEmpty())
            {
                byOwner.remove(owner);
                inOrder.remove(owner);
            }
            else
            {
                inOrder.get(owner).remove(set);
            }
        }
        return set;
    }

    /**
     * Remove every query set of a client (it disconnected).
     *
     * @param owner the client.
     */
    public void removeAll(final Object owner)
    {
        final Map<Integer, QuerySet> sets = byOwner.remove(owner);
        inOrder.remove(owner);
        if (null != sets)
        {
            for (final QuerySet set : sets.values())
            {
                release(set);
            }
        }
    }

    private void release(final QuerySet set)
    {
        for (final QueryRegistry.Handle handle : set.handles())
        {
            registry.release(handle);
        }
    }

    /**
     * Compute the delta of every distinct subscribed plan that reads a changed table, once each.
     *
     * @param delta the transaction's changes to the replica.
     * @param post  the replica right after it.
     * @return non-empty deltas by plan (identity).
     */
    public Map<QueryPlan, RowDelta> evaluate(final TxDelta delta, final ReadView post)
    {
        final Map<QueryPlan, RowDelta> result = new IdentityHashMap<>();
        if (null == delta || delta.isEmpty())
        {
            return result;
        }
        for (final QueryPlan plan : registry.plans())
        {
            boolean touched = false;
            for (final int tableId : plan.tableIds())
            {
                touched |= null != delta.find(tableId);
            }
            if (touched)
            {
                final RowDelta rows = plan.evaluateDelta(delta, post);
                if (!rows.isEmpty())
                {
                    result.put(plan, rows);
                }
            }
        }
        return result;
    }

    /**
     * A client's query sets in subscription order (the order of {@link #updatesFor}), for walking by index without
     * allocating.
     *
     * @param owner the client.
     * @return its sets, empty if none; do not modify.
     */
    public List<QuerySet> querySets(final Object owner)
    {
        final List<QuerySet> sets = inOrder.get(owner);
        return null == sets ? List.of() : sets;
    }

    /**
     * One client's changes: its query sets with at least one changed query. Allocates; the edge agent encodes with
     * {@link SharedDeltas} instead, and this stays as the plain form (and the model in tests).
     *
     * @param owner  the client.
     * @param deltas from {@link #evaluate}.
     * @return the non-empty query set updates, in subscription order.
     */
    public List<QuerySetUpdate> updatesFor(final Object owner, final Map<QueryPlan, RowDelta> deltas)
    {
        final Map<Integer, QuerySet> sets = byOwner.get(owner);
        if (null == sets || deltas.isEmpty())
        {
            return List.of();
        }
        final List<QuerySetUpdate> updates = new ArrayList<>();
        for (final QuerySet set : sets.values())
        {
            List<TableRows> tables = null;
            for (int i = 0; i < set.handles().size(); i++)
            {
                final RowDelta rows = deltas.get(set.handles().get(i).plan());
                if (null != rows)
                {
                    if (null == tables)
                    {
                        tables = new ArrayList<>();
                    }
                    tables.add(new TableRows(set.tables().get(i), rows.inserts(), rows.deletes()));
                }
            }
            if (null != tables)
            {
                updates.add(new QuerySetUpdate(set.querySetId(), tables));
            }
        }
        return updates;
    }

    /**
     * @return distinct plans held.
     */
    public int planCount()
    {
        return registry.size();
    }

    /**
     * @param owner a client.
     * @return whether it holds any query set.
     */
    public boolean hasSubscriptions(final Object owner)
    {
        return byOwner.containsKey(owner);
    }
}
