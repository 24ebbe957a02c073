package io.lightcone.core.query;

import io.lightcone.core.index.BoundKind;
import io.lightcone.core.index.KeyRange;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TableDelta;
import io.lightcone.core.txn.TxDelta;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled, type-checked query, made by {@link QueryPlanner}. Immutable and shareable between subscribers
 * (see {@link QueryRegistry}); every evaluation allocates its own scratch state.
 * <p>
 * Access: the first relation is read through the best index range the WHERE clause allows (equalities on an index
 * prefix, then one range on the next column), else by a full scan; each joined relation is looked up through an
 * index whose first column is the join column, else through a hash table built from a scan. The whole WHERE
 * clause is always re-checked on every tuple, so an access path only narrows what is read.
 */
public final class QueryPlan
{
    /**
     * A relation of the query.
     *
     * @param refName the name it is referred to by (alias or table name).
     * @param schema  the table's schema.
     */
    record Rel(String refName, TableSchema schema)
    {
    }

    /**
     * The join bringing relation {@code rel} in: {@code rels[leftRel].leftCol = rels[rel].rightCol}.
     *
     * @param rel         the joined relation.
     * @param leftRel     an earlier relation.
     * @param leftCol     its column.
     * @param rightCol    the joined relation's column.
     * @param type        the columns' type.
     * @param rightIndex  an index of the joined relation whose first column is {@code rightCol}, or -1.
     * @param leftIndex   an index of the earlier relation whose first column is {@code leftCol}, or -1.
     */
    record JoinStep(int rel, int leftRel, int leftCol, int rightCol, AlgebraicType type, int rightIndex,
        int leftIndex)
    {
    }

    /**
     * An index range over the first relation.
     *
     * @param index     the index position in the table schema.
     * @param lower     the lower key prefix.
     * @param lowerKind how it bounds.
     * @param upper     the upper key prefix.
     * @param upperKind how it bounds.
     */
    record AccessPath(int index, byte[] lower, BoundKind lowerKind, byte[] upper, BoundKind upperKind)
    {
    }

    /**
     * An output column of an ad-hoc SELECT: a column, or an aggregate.
     *
     * @param rel       the relation, or -1 for COUNT(*).
     * @param column    the column.
     * @param aggregate the aggregate function, or null for a plain column.
     * @param type      the column's type (input type for aggregates).
     */
    record Output(int rel, int column, SqlAst.Aggregate aggregate, AlgebraicType type)
    {
    }

    /**
     * An ORDER BY key.
     *
     * @param rel        the relation.
     * @param column     the column.
     * @param type       its type.
     * @param descending whether DESC.
     */
    record Order(int rel, int column, AlgebraicType type, boolean descending)
    {
    }

    /** A stored or delta row: its BSATN, decoded value and row id (-1 for delta rows). */
    record Row(byte[] bytes, ProductValue value, int rowId)
    {
    }

    private final String sql;
    private final boolean subscription;
    private final boolean usesSender;
    private final List<Rel> rels;
    private final List<JoinStep> joins;
    private final Predicate where;
    private final AccessPath access;
    private final int returned;
    private final boolean distinct;
    private final List<Output> outputs;
    private final List<Order> orderBy;
    private final long limit;
    private final ProductType resultType;

    QueryPlan(
        final String sql,
        final boolean subscription,
        final boolean usesSender,
        final List<Rel> rels,
        final List<JoinStep> joins,
        final Predicate where,
        final AccessPath access,
        final int returned,
        final boolean distinct,
        final List<Output> outputs,
        final List<Order> orderBy,
        final long limit,
        final ProductType resultType)
    {
        this.sql = sql;
        this.subscription = subscription;
        this.usesSender = usesSender;
        this.rels = List.copyOf(rels);
        this.joins = List.copyOf(joins);
        this.where = where;
        this.access = access;
        this.returned = returned;
        this.distinct = distinct;
        this.outputs = List.copyOf(outputs);
        this.orderBy = List.copyOf(orderBy);
        this.limit = limit;
        this.resultType = resultType;
    }

    /**
     * The canonical SQL text of the query (see {@link SqlAst}).
     *
     * @return the text.
     */
    public String sql()
    {
        return sql;
    }

    /**
     * Whether the plan was checked against the subscription restrictions of §5.1.
     *
     * @return true for subscription plans.
     */
    public boolean isSubscription()
    {
        return subscription;
    }

    /**
     * Whether the plan depends on the caller identity ({@code :sender}, directly or through row-level security).
     *
     * @return true when per-caller.
     */
    public boolean usesSender()
    {
        return usesSender;
    }

    /**
     * The table whose rows the query returns (for {@code *} / {@code t.*} queries).
     *
     * @return the table id, or -1 when the query projects columns or aggregates.
     */
    public int returnedTableId()
    {
        return returned < 0 ? -1 : rels.get(returned).schema().tableId();
    }

    /**
     * The ids of the tables the query reads.
     *
     * @return the table ids, by relation position (a self-join lists its table twice).
     */
    public int[] tableIds()
    {
        return rels.stream().mapToInt((r) -> r.schema().tableId()).toArray();
    }

    /**
     * The row type of the result: the returned table's row type, or the projected/aggregated columns.
     *
     * @return the type.
     */
    public ProductType resultType()
    {
        return resultType;
    }

    /**
     * Whether the first relation is read through an index (for tests and EXPLAIN-like diagnostics).
     *
     * @return the index position in the first table's schema, or -1 for a full scan.
     */
    public int accessIndex()
    {
        return null == access ? -1 : access.index();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Full evaluation
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Evaluates a row-returning ({@code *} / {@code t.*}) query: passes the BSATN of the returned table's row once
     * per matching tuple (a joined row matching two partners is passed twice).
     *
     * @param view the rows to read.
     * @param sink receives the rows.
     * @throws IllegalStateException when the plan projects columns (use {@link #execute}).
     */
    public void evaluate(final ReadView view, final RowSink sink)
    {
        if (returned < 0)
        {
            throw new IllegalStateException("the query projects columns; use execute()");
        }
        for (final Row[] tuple : tuples(view))
        {
            sink.row(tuple[returned].bytes().clone());
        }
    }

    /**
     * Runs an ad-hoc SELECT: joins, filters, orders, projects or aggregates, removes duplicates, limits.
     *
     * @param view the rows to read.
     * @return the result with its schema.
     * @throws SqlException when an aggregate overflows.
     */
    public SqlResult execute(final ReadView view) throws SqlException
    {
        final List<Row[]> tuples = tuples(view);
        if (!outputs.isEmpty() && outputs.get(0).aggregate() != null)
        {
            final Object[] values = new Object[outputs.size()];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = aggregate(outputs.get(i), tuples);
            }
            final List<ProductValue> rows = limit == 0 ? List.of() : List.of(new ProductValue(Arrays.asList(values)));
            return SqlResult.rows(resultType, rows);
        }
        if (!orderBy.isEmpty())
        {
            tuples.sort(tupleOrder());
        }
        final List<ProductValue> rows = new ArrayList<>();
        final Set<ProductValue> seen = new HashSet<>();
        for (final Row[] tuple : tuples)
        {
            if (limit >= 0 && rows.size() >= limit)
            {
                break;
            }
            final ProductValue row = project(tuple);
            if (!distinct || seen.add(row))
            {
                rows.add(row);
            }
        }
        return SqlResult.rows(resultType, rows);
    }

    private ProductValue project(final Row[] tuple)
    {
        if (returned >= 0)
        {
            return tuple[returned].value();
        }
        final Object[] values = new Object[outputs.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = tuple[outputs.get(i).rel()].value().get(outputs.get(i).column());
        }
        return new ProductValue(Arrays.asList(values));
    }

    private Comparator<Row[]> tupleOrder()
    {
        return (a, b) ->
        {
            for (final Order key : orderBy)
            {
                final int c = SqlValues.compare(key.type(), a[key.rel()].value().get(key.column()),
                    b[key.rel()].value().get(key.column()));
                if (c != 0)
                {
                    return key.descending() ? -c : c;
                }
            }
            return 0;
        };
    }

    private static Object aggregate(final Output output, final List<Row[]> tuples) throws SqlException
    {
        switch (output.aggregate())
        {
            case COUNT_STAR:
                return (long)tuples.size();
            case COUNT_DISTINCT:
            {
                final Set<Object> values = new HashSet<>();
                for (final Row[] tuple : tuples)
                {
                    values.add(tuple[output.rel()].value().get(output.column()));
                }
                return (long)values.size();
            }
            default:
                return sum(output, tuples);
        }
    }

    private static Object sum(final Output output, final List<Row[]> tuples) throws SqlException
    {
        final AlgebraicType type = output.type();
        if (type == AlgebraicType.F32 || type == AlgebraicType.F64)
        {
            double total = 0;
            for (final Row[] tuple : tuples)
            {
                total += ((Number)tuple[output.rel()].value().get(output.column())).doubleValue();
            }
            return total;
        }
        BigInteger total = BigInteger.ZERO;
        for (final Row[] tuple : tuples)
        {
            total = total.add(toBigInteger(type, tuple[output.rel()].value().get(output.column())));
        }
        final AlgebraicType resultType = QueryPlanner.sumType(type);
        final int bits = resultType.fixedSize() * 8;
        final boolean signed = resultType.kind().isSignedInteger();
        final BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        final BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE) :
            BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (total.compareTo(min) < 0 || total.compareTo(max) > 0)
        {
            throw new SqlException("SUM overflows " + SqlValues.typeName(resultType));
        }
        return bits == 64 ? (Object)total.longValue() : (Object)total;
    }

    private static BigInteger toBigInteger(final AlgebraicType type, final Object value)
    {
        return switch (type.kind())
        {
            case U8 -> BigInteger.valueOf(((Byte)value) & 0xFF);
            case U16 -> BigInteger.valueOf(((Short)value) & 0xFFFF);
            case U32 -> BigInteger.valueOf(((Integer)value) & 0xFFFF_FFFFL);
            case U64 -> new BigInteger(Long.toUnsignedString((Long)value));
            case I8, I16, I32, I64 -> BigInteger.valueOf(((Number)value).longValue());
            default -> (BigInteger)value;
        };
    }

    /**
     * Every tuple of rows satisfying the joins and the WHERE clause.
     */
    List<Row[]> tuples(final ReadView view)
    {
        final Map<Long, Map<Object, List<Row>>> hashTables = new HashMap<>();
        final int n = rels.size();
        List<Row[]> current = new ArrayList<>();
        for (final Row row : firstRows(view))
        {
            final Row[] tuple = new Row[n];
            tuple[0] = row;
            current.add(tuple);
        }
        for (final JoinStep step : joins)
        {
            final List<Row[]> extended = new ArrayList<>();
            for (final Row[] tuple : current)
            {
                final Object key = tuple[step.leftRel()].value().get(step.leftCol());
                for (final Row match : lookup(view, step.rel(), step.rightCol(), step.rightIndex(), step.type(), key,
                    hashTables))
                {
                    final Row[] next = tuple.clone();
                    next[step.rel()] = match;
                    extended.add(next);
                }
            }
            current = extended;
        }
        final List<Row[]> out = new ArrayList<>();
        for (final Row[] tuple : current)
        {
            if (where.test(values(tuple)))
            {
                out.add(tuple);
            }
        }
        return out;
    }

    private static ProductValue[] values(final Row[] tuple)
    {
        final ProductValue[] values = new ProductValue[tuple.length];
        for (int i = 0; i < tuple.length; i++)
        {
            values[i] = tuple[i].value();
        }
        return values;
    }

    private List<Row> firstRows(final ReadView view)
    {
        final StoredTable table = table(view, 0);
        if (null == access)
        {
            return scan(view, table);
        }
        final KeyRange range = new KeyRange()
            .lower(new UnsafeBuffer(access.lower()), 0, access.lower().length, access.lowerKind())
            .upper(new UnsafeBuffer(access.upper()), 0, access.upper().length, access.upperKind());
        return indexRows(table, access.index(), range);
    }

    private StoredTable table(final ReadView view, final int rel)
    {
        final StoredTable table = view.table(rels.get(rel).schema().tableId());
        if (null == table)
        {
            throw new IllegalStateException("table " + rels.get(rel).schema().name() + " no longer exists");
        }
        return table;
    }

    private static List<Row> scan(final ReadView view, final StoredTable table)
    {
        final List<Row> rows = new ArrayList<>();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
        for (int rowId = view.nextVisible(table, 0); rowId >= 0; rowId = view.nextVisible(table, rowId + 1))
        {
            rows.add(read(table, rowId, scratch));
        }
        return rows;
    }

    private static List<Row> indexRows(final StoredTable table, final int index, final KeyRange range)
    {
        final IntArrayList ids = new IntArrayList();
        table.index(index).scan(range, (rowId) ->
        {
            ids.addInt(rowId);
            return true;
        });
        final List<Row> rows = new ArrayList<>(ids.size());
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
        for (int i = 0; i < ids.size(); i++)
        {
            rows.add(read(table, ids.getInt(i), scratch));
        }
        return rows;
    }

    private static Row read(final StoredTable table, final int rowId, final ExpandableArrayBuffer scratch)
    {
        final int length = table.rows().writeRow(rowId, scratch, 0);
        final byte[] bytes = new byte[length];
        scratch.getBytes(0, bytes);
        return new Row(bytes, decode(table.schema(), bytes), rowId);
    }

    private static ProductValue decode(final TableSchema schema, final byte[] bytes)
    {
        return (ProductValue)Bsatn.decodeValueFully(bytes, schema.rowType());
    }

    private List<Row> lookup(
        final ReadView view,
        final int rel,
        final int column,
        final int index,
        final AlgebraicType type,
        final Object key,
        final Map<Long, Map<Object, List<Row>>> hashTables)
    {
        final StoredTable table = table(view, rel);
        if (index >= 0)
        {
            final byte[] encoded = SqlValues.keyOf(List.of(type), List.of(key));
            return indexRows(table, index, new KeyRange().prefix(new UnsafeBuffer(encoded), 0, encoded.length));
        }
        final Map<Object, List<Row>> hash = hashTables.computeIfAbsent(((long)rel << 32) | column, (k) ->
        {
            final Map<Object, List<Row>> built = new HashMap<>();
            for (final Row row : scan(view, table))
            {
                built.computeIfAbsent(row.value().get(column), (v) -> new ArrayList<>()).add(row);
            }
            return built;
        });
        return hash.getOrDefault(key, List.of());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Incremental evaluation
    // ------------------------------------------------------------------------------------------------------------

    /**
     * The change of this row-returning query's result caused by one committed transaction (§5.3).
     * <p>
     * One table: the filtered inserts and deletes of the table. Two tables, {@code V = R ⋈ S}:
     * <pre>
     *   dv(+) = R'ds(+) ∪ dr(+)S' ∪ dr(+)ds(−) ∪ dr(−)ds(+)
     *   dv(−) = R'ds(−) ∪ dr(−)S' ∪ dr(+)ds(+) ∪ dr(−)ds(−)
     * </pre>
     * with R', S' the post-commit tables, each term a bag of (r, s) pairs satisfying the join and the WHERE clause,
     * projected on the returned side. The two bags are then netted row by row: a row whose multiplicity in the
     * result did not change (e.g. its join partner was replaced by an equally matching one) is in neither list,
     * and a row that left the result because the other side changed is deleted.
     *
     * @param delta the committed transaction's changes.
     * @param post  the state right after the commit.
     * @return the rows to delete and insert.
     */
    public RowDelta evaluateDelta(final TxDelta delta, final ReadView post)
    {
        if (returned < 0)
        {
            throw new IllegalStateException("the query projects columns; only row-returning queries are incremental");
        }
        final List<Row> r1 = deltaRows(delta, 0, true);
        final List<Row> r0 = deltaRows(delta, 0, false);
        if (rels.size() == 1)
        {
            return new RowDelta(filterSingle(r1), filterSingle(r0));
        }
        if (rels.size() != 2)
        {
            throw new IllegalStateException("incremental evaluation supports at most 2 tables");
        }
        final List<Row> s1 = deltaRows(delta, 1, true);
        final List<Row> s0 = deltaRows(delta, 1, false);
        if (r1.isEmpty() && r0.isEmpty() && s1.isEmpty() && s0.isEmpty())
        {
            return new RowDelta(List.of(), List.of());
        }
        final JoinStep step = joins.get(0);
        final Map<Long, Map<Object, List<Row>>> hashTables = new HashMap<>();
        final Map<BytesKey, int[]> net = new LinkedHashMap<>();
        // dv(+)
        tableTimesList(post, s1, step, hashTables, net, 1);
        listTimesTable(post, r1, step, hashTables, net, 1);
        listTimesList(r1, s0, step, net, 1);
        listTimesList(r0, s1, step, net, 1);
        // dv(-)
        tableTimesList(post, s0, step, hashTables, net, -1);
        listTimesTable(post, r0, step, hashTables, net, -1);
        listTimesList(r1, s1, step, net, -1);
        listTimesList(r0, s0, step, net, -1);
        final List<byte[]> inserts = new ArrayList<>();
        final List<byte[]> deletes = new ArrayList<>();
        for (final Map.Entry<BytesKey, int[]> entry : net.entrySet())
        {
            final int count = entry.getValue()[0];
            for (int i = 0; i < Math.abs(count); i++)
            {
                (count > 0 ? inserts : deletes).add(entry.getKey().bytes().clone());
            }
        }
        return new RowDelta(inserts, deletes);
    }

    private List<byte[]> filterSingle(final List<Row> rows)
    {
        final List<byte[]> out = new ArrayList<>();
        final ProductValue[] tuple = new ProductValue[1];
        for (final Row row : rows)
        {
            tuple[0] = row.value();
            if (where.test(tuple))
            {
                out.add(row.bytes());
            }
        }
        return out;
    }

    private List<Row> deltaRows(final TxDelta delta, final int rel, final boolean inserted)
    {
        final TableSchema schema = rels.get(rel).schema();
        final TableDelta tableDelta = delta.find(schema.tableId());
        if (null == tableDelta)
        {
            return List.of();
        }
        final List<Row> rows = new ArrayList<>();
        for (final byte[] bytes : inserted ? tableDelta.insertedRows() : tableDelta.deletedRows())
        {
            rows.add(new Row(bytes, decode(schema, bytes), -1));
        }
        return rows;
    }

    private void emit(final Row r, final Row s, final Map<BytesKey, int[]> net, final int sign)
    {
        final ProductValue[] tuple = {r.value(), s.value()};
        if (where.test(tuple))
        {
            final Row out = returned == 0 ? r : s;
            net.computeIfAbsent(new BytesKey(out.bytes()), (k) -> new int[1])[0] += sign;
        }
    }

    /** R' x ds: each s looked up in the post-commit R through R's join column. */
    private void tableTimesList(
        final ReadView post,
        final List<Row> ss,
        final JoinStep step,
        final Map<Long, Map<Object, List<Row>>> hashTables,
        final Map<BytesKey, int[]> net,
        final int sign)
    {
        for (final Row s : ss)
        {
            final Object key = s.value().get(step.rightCol());
            for (final Row r : lookup(post, 0, step.leftCol(), step.leftIndex(), step.type(), key, hashTables))
            {
                emit(r, s, net, sign);
            }
        }
    }

    /** dr x S': each r looked up in the post-commit S through S's join column. */
    private void listTimesTable(
        final ReadView post,
        final List<Row> rs,
        final JoinStep step,
        final Map<Long, Map<Object, List<Row>>> hashTables,
        final Map<BytesKey, int[]> net,
        final int sign)
    {
        for (final Row r : rs)
        {
            final Object key = r.value().get(step.leftCol());
            for (final Row s : lookup(post, 1, step.rightCol(), step.rightIndex(), step.type(), key, hashTables))
            {
                emit(r, s, net, sign);
            }
        }
    }

    private void listTimesList(
        final List<Row> rs, final List<Row> ss, final JoinStep step, final Map<BytesKey, int[]> net, final int sign)
    {
        if (rs.isEmpty() || ss.isEmpty())
        {
            return;
        }
        final Map<Object, List<Row>> byKey = new HashMap<>();
        for (final Row s : ss)
        {
            byKey.computeIfAbsent(s.value().get(step.rightCol()), (k) -> new ArrayList<>()).add(s);
        }
        for (final Row r : rs)
        {
            for (final Row s : byKey.getOrDefault(r.value().get(step.leftCol()), List.of()))
            {
                emit(r, s, net, sign);
            }
        }
    }

    /**
     * A byte array with value equality, for multisets of BSATN rows.
     *
     * @param bytes the bytes.
     */
    public record BytesKey(byte[] bytes)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof BytesKey other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString()
        {
            return io.lightcone.core.sats.Hex.encode(bytes);
        }
    }
}
