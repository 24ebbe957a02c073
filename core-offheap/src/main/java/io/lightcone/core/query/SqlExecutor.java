package io.lightcone.core.query;

import io.lightcone.core.query.SqlAst.Assignment;
import io.lightcone.core.query.SqlAst.Expr;
import io.lightcone.core.query.SqlAst.Statement;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs ad-hoc SQL (§5.2, the HTTP {@code /sql} endpoint) inside a caller-owned {@link MutTx}: SELECT (with
 * projections, aggregates, DISTINCT, ORDER BY, LIMIT and joins of any number of tables), INSERT, UPDATE, DELETE,
 * SET and SHOW.
 * <p>
 * A failing DML statement may have applied some of its rows; the caller must roll the transaction back (the
 * reference runs each statement in its own transaction). Unique-constraint and other storage errors carry the
 * storage engine's message ({@link MutTx#lastError()}).
 * <p>
 * Variables ({@code SET}/{@code SHOW}) live in this executor: {@code row_limit} (a SELECT returning more rows fails),
 * {@code slow_ad_hoc_query_ms}, {@code slow_subscription_query_ms}, {@code slow_reducer_ms}; values are unsigned
 * integers.
 */
public final class SqlExecutor
{
    private static final List<String> VARIABLES =
        List.of("row_limit", "slow_ad_hoc_query_ms", "slow_subscription_query_ms", "slow_reducer_ms");

    private final Map<String, Long> variables = new LinkedHashMap<>();

    /**
     * Runs one statement.
     *
     * @param sql     the statement.
     * @param catalog the tables and the caller.
     * @param tx      the open transaction (owned by the caller).
     * @return the result rows and statistics.
     * @throws SqlException on any syntax, name, type, constraint or storage error.
     */
    public SqlResult execute(final String sql, final Catalog catalog, final MutTx tx) throws SqlException
    {
        final Statement statement = SqlParser.parse(sql);
        if (statement instanceof SqlAst.Select select)
        {
            final QueryPlan plan = QueryPlanner.plan(select, catalog, false, QueryPlanner.Options.EXTENDED);
            final SqlResult result = plan.execute(ReadView.of(tx));
            final Long rowLimit = variables.get("row_limit");
            if (null != rowLimit && result.rows().size() > rowLimit)
            {
                throw new SqlException("query returned " + result.rows().size() + " rows, exceeding row_limit " +
                    rowLimit);
            }
            return result;
        }
        if (statement instanceof SqlAst.Insert insert)
        {
            return insert(insert, catalog, tx);
        }
        if (statement instanceof SqlAst.Update update)
        {
            return update(update, catalog, tx);
        }
        if (statement instanceof SqlAst.Delete delete)
        {
            return delete(delete, catalog, tx);
        }
        if (statement instanceof SqlAst.SetVar set)
        {
            checkVariable(set.name());
            final Object value = SqlValues.coerce(set.value(), AlgebraicType.U64, set.name(), null);
            variables.put(set.name(), (Long)value);
            return new SqlResult(ProductType.UNIT, List.of(), 0, 0, 0);
        }
        final SqlAst.ShowVar show = (SqlAst.ShowVar)statement;
        checkVariable(show.name());
        final Long value = variables.get(show.name());
        final ProductType type = ProductType.of("name", AlgebraicType.STRING, "value", AlgebraicType.U64);
        return SqlResult.rows(type, null == value ? List.of() : List.of(ProductValue.of(show.name(), value)));
    }

    private static void checkVariable(final String name) throws SqlException
    {
        if (!VARIABLES.contains(name))
        {
            throw new SqlException("unknown variable " + name + "; known: " + VARIABLES);
        }
    }

    private static StoredTable writableTable(final String name, final Catalog catalog, final MutTx tx)
        throws SqlException
    {
        final TableSchema schema = QueryPlanner.visibleTable(catalog, name);
        final StoredTable table = null == schema ? null : tx.datastore().table(schema.tableId());
        if (null == table)
        {
            throw new SqlException(QueryPlanner.noSuchTable(name));
        }
        if (table.schema().isSystem() && !catalog.callerIsOwner())
        {
            throw new SqlException("system table " + name + " is read-only");
        }
        return table;
    }

    private static SqlResult insert(final SqlAst.Insert insert, final Catalog catalog, final MutTx tx)
        throws SqlException
    {
        final StoredTable table = writableTable(insert.table(), catalog, tx);
        final TableSchema schema = table.schema();
        final int[] targets = new int[schema.columnCount()];
        if (null == insert.columns())
        {
            for (int i = 0; i < targets.length; i++)
            {
                targets[i] = i;
            }
        }
        else
        {
            Arrays.fill(targets, -1);
            for (int k = 0; k < insert.columns().size(); k++)
            {
                final int column = schema.columnIndex(insert.columns().get(k));
                if (column < 0)
                {
                    throw new SqlException("no such column: " + insert.columns().get(k) + " in table " +
                        schema.name());
                }
                if (targets[column] >= 0)
                {
                    throw new SqlException("column " + insert.columns().get(k) + " listed twice");
                }
                targets[column] = k;
            }
            for (int i = 0; i < targets.length; i++)
            {
                if (targets[i] < 0)
                {
                    throw new SqlException("INSERT must give a value for every column; missing " +
                        schema.columnName(i));
                }
            }
        }
        final int width = null == insert.columns() ? schema.columnCount() : insert.columns().size();
        final List<byte[]> rows = new ArrayList<>();
        for (final List<Expr> values : insert.rows())
        {
            if (values.size() != width)
            {
                throw new SqlException("INSERT row has " + values.size() + " values, expected " + width);
            }
            final Object[] fields = new Object[schema.columnCount()];
            for (int i = 0; i < fields.length; i++)
            {
                fields[i] = SqlValues.coerce(values.get(targets[i]), schema.columnType(i), schema.columnName(i),
                    catalog.caller());
            }
            rows.add(Bsatn.encodeToBytes(schema.rowType(), new ProductValue(Arrays.asList(fields))));
        }
        long inserted = 0;
        for (final byte[] row : rows)
        {
            final long before = tx.visibleRowCount(table);
            final int result = tx.insert(table.tableId(), new UnsafeBuffer(row), 0, row.length);
            if (result < 0)
            {
                throw new SqlException(tx.lastError());
            }
            inserted += tx.visibleRowCount(table) - before;
        }
        return new SqlResult(ProductType.UNIT, List.of(), inserted, 0, 0);
    }

    private static List<QueryPlan.Row> matching(
        final StoredTable table, final Expr where, final Catalog catalog, final MutTx tx)
        throws SqlException
    {
        final SqlAst.Select select = new SqlAst.Select(false, List.of(new SqlAst.Star(null, 0)),
            new SqlAst.TableRef(table.schema().name(), null, 0), List.of(), where, List.of(), -1);
        final QueryPlan plan = QueryPlanner.plan(select, catalog, false, QueryPlanner.Options.EXTENDED);
        final List<QueryPlan.Row> rows = new ArrayList<>();
        for (final QueryPlan.Row[] tuple : plan.tuples(ReadView.of(tx)))
        {
            rows.add(tuple[0]);
        }
        return rows;
    }

    private static SqlResult delete(final SqlAst.Delete delete, final Catalog catalog, final MutTx tx)
        throws SqlException
    {
        final StoredTable table = writableTable(delete.table(), catalog, tx);
        long deleted = 0;
        for (final QueryPlan.Row row : matching(table, delete.where(), catalog, tx))
        {
            if (tx.delete(table.tableId(), row.rowId()) < 0)
            {
                throw new SqlException(tx.lastError());
            }
            deleted++;
        }
        return new SqlResult(ProductType.UNIT, List.of(), 0, deleted, 0);
    }

    private static SqlResult update(final SqlAst.Update update, final Catalog catalog, final MutTx tx)
        throws SqlException
    {
        final StoredTable table = writableTable(update.table(), catalog, tx);
        final TableSchema schema = table.schema();
        final Object[] newValues = new Object[schema.columnCount()];
        final boolean[] assigned = new boolean[schema.columnCount()];
        for (final Assignment assignment : update.assignments())
        {
            final int column = schema.columnIndex(assignment.column());
            if (column < 0)
            {
                throw new SqlException("no such column: " + assignment.column() + " in table " + schema.name() +
                    " (at " + assignment.position() + ")", assignment.position());
            }
            if (assigned[column])
            {
                throw new SqlException("column " + assignment.column() + " assigned twice");
            }
            assigned[column] = true;
            newValues[column] = SqlValues.coerce(assignment.value(), schema.columnType(column), assignment.column(),
                catalog.caller());
        }
        final List<QueryPlan.Row> rows = matching(table, update.where(), catalog, tx);
        final List<byte[]> replacements = new ArrayList<>();
        for (final QueryPlan.Row row : rows)
        {
            final List<Object> fields = new ArrayList<>(row.value().fields());
            for (int i = 0; i < assigned.length; i++)
            {
                if (assigned[i])
                {
                    fields.set(i, newValues[i]);
                }
            }
            replacements.add(Bsatn.encodeToBytes(schema.rowType(), new ProductValue(fields)));
        }
        for (final QueryPlan.Row row : rows)
        {
            if (tx.delete(table.tableId(), row.rowId()) < 0)
            {
                throw new SqlException(tx.lastError());
            }
        }
        for (final byte[] replacement : replacements)
        {
            if (tx.insert(table.tableId(), new UnsafeBuffer(replacement), 0, replacement.length) < 0)
            {
                throw new SqlException(tx.lastError());
            }
        }
        return new SqlResult(ProductType.UNIT, List.of(), 0, 0, rows.size());
    }
}
