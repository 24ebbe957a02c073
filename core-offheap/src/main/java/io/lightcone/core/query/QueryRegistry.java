package io.lightcone.core.query;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * Shares one {@link QueryPlan} between all subscribers of the same query: keyed by the canonical SQL text (see
 * {@link SqlAst}), plus the caller identity when the plan depends on it ({@code :sender} or row-level security
 * with {@code :sender}) and whether the caller is the owner (owners bypass row-level security and see private
 * tables). Reference counted: {@link #release} drops the plan when its last subscriber leaves. Single-threaded
 * (the transaction loop).
 */
public final class QueryRegistry
{
    /**
     * A registered plan and its key.
     *
     * @param key  the registry key, to pass to {@link #release}.
     * @param plan the shared plan.
     */
    public record Handle(String key, QueryPlan plan)
    {
    }

    private static final class Entry
    {
        private final QueryPlan plan;
        private int references;

        Entry(final QueryPlan plan)
        {
            this.plan = plan;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final QueryPlanner.Options options;

    /**
     * A registry planning subscriptions with the given options.
     *
     * @param options the planner switches.
     */
    public QueryRegistry(final QueryPlanner.Options options)
    {
        this.options = options;
    }

    /**
     * Plans (or reuses the plan of) a subscription query and adds a reference to it.
     *
     * @param sql     the query text.
     * @param catalog the tables and the caller.
     * @return the handle.
     * @throws SqlException when the query is invalid.
     */
    public Handle acquire(final String sql, final Catalog catalog) throws SqlException
    {
        final SqlAst.Statement statement = SqlParser.parse(sql);
        final String canonical = statement.toSql();
        final String ownerKey = catalog.callerIsOwner() ? "owner" : "client";
        final BigInteger caller = catalog.caller();
        final String senderKey =
            canonical + "\u0000" + ownerKey + "\u0000" + (null == caller ? "-" : caller.toString(16));
        Entry entry = entries.get(senderKey);
        if (null == entry)
        {
            entry = entries.get(canonical + "\u0000" + ownerKey);
        }
        if (null == entry)
        {
            if (!(statement instanceof SqlAst.Select select))
            {
                throw new SqlException("subscriptions accept only SELECT queries; DML and SET/SHOW are not supported");
            }
            final QueryPlan plan = QueryPlanner.plan(select, catalog, true, options);
            entry = new Entry(plan);
            entries.put(plan.usesSender() ? senderKey : canonical + "\u0000" + ownerKey, entry);
        }
        entry.references++;
        final String key = entry.plan.usesSender() ? senderKey : canonical + "\u0000" + ownerKey;
        return new Handle(key, entry.plan);
    }

    /**
     * Drops a reference; the plan is forgotten when none remain.
     *
     * @param handle from {@link #acquire}.
     * @return true when this was the last reference.
     */
    public boolean release(final Handle handle)
    {
        final Entry entry = entries.get(handle.key());
        if (null == entry || entry.plan != handle.plan())
        {
            return false;
        }
        if (--entry.references == 0)
        {
            entries.remove(handle.key());
            return true;
        }
        return false;
    }

    /**
     * Number of distinct plans held.
     *
     * @return the count.
     */
    public int size()
    {
        return entries.size();
    }

    /**
     * The distinct plans held, e.g. to evaluate each once per transaction.
     *
     * @return the plans.
     */
    public java.util.Collection<QueryPlan> plans()
    {
        return entries.values().stream().map((e) -> e.plan).toList();
    }
}
