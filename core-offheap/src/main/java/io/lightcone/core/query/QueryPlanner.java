package io.lightcone.core.query;

import io.lightcone.core.index.BoundKind;
import io.lightcone.core.query.QueryPlan.AccessPath;
import io.lightcone.core.query.QueryPlan.JoinStep;
import io.lightcone.core.query.QueryPlan.Order;
import io.lightcone.core.query.QueryPlan.Output;
import io.lightcone.core.query.QueryPlan.Rel;
import io.lightcone.core.query.SqlAst.AggregateItem;
import io.lightcone.core.query.SqlAst.Column;
import io.lightcone.core.query.SqlAst.ColumnItem;
import io.lightcone.core.query.SqlAst.Compare;
import io.lightcone.core.query.SqlAst.Expr;
import io.lightcone.core.query.SqlAst.Join;
import io.lightcone.core.query.SqlAst.Op;
import io.lightcone.core.query.SqlAst.Projection;
import io.lightcone.core.query.SqlAst.Select;
import io.lightcone.core.query.SqlAst.Star;
import io.lightcone.core.query.SqlAst.Statement;
import io.lightcone.core.query.SqlAst.TableRef;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * Type-checks a SELECT against a {@link Catalog} and compiles it into a {@link QueryPlan}.
 * <p>
 * Name resolution: tables by exact (case-sensitive) name, private tables invisible to non-owners; columns
 * qualified by table name or alias, or unqualified when exactly one relation has the column. Literals are coerced
 * to the compared column's type with range checks (see {@link SqlValues}).
 * <p>
 * Subscriptions (§5.1) must return exactly one table's rows ({@code *}, or {@code t.*} with a join), join at most
 * two tables on one equality, and have no DISTINCT, ORDER BY, LIMIT, projections or aggregates. The reference
 * requires indexes on both join columns; {@link Options#allowUnindexedJoins()} lifts that (a hash join over a scan
 * is used instead) and ad-hoc queries always allow it. Ad-hoc SELECTs may join any number of tables.
 * <p>
 * Row-level security (§5.1, §7): for a non-owner, each relation whose table has rules is restricted to the rows
 * some rule selects (rules are OR-ed, then AND-ed into WHERE), see {@link RowLevelSecurity}. A rule using
 * {@code :sender} makes the plan {@link QueryPlan#usesSender() depend on the caller}.
 */
public final class QueryPlanner
{
    /**
     * Planner switches.
     *
     * @param allowUnindexedJoins whether a subscription may join on columns without an index (Lightcone
     *                            extension; the reference refuses "Subscriptions require indexes on join columns").
     */
    public record Options(boolean allowUnindexedJoins)
    {
        /** The reference's behaviour. */
        public static final Options REFERENCE = new Options(false);
        /** Lightcone's extensions enabled. */
        public static final Options EXTENDED = new Options(true);
    }

    private final Catalog catalog;
    private final boolean subscription;
    private final Options options;
    private final List<Rel> rels = new ArrayList<>();
    private boolean usesSender;

    private QueryPlanner(final Catalog catalog, final boolean subscription, final Options options)
    {
        this.catalog = catalog;
        this.subscription = subscription;
        this.options = options;
    }

    /**
     * Parses and plans a subscription or one-off query.
     *
     * @param sql     the query text.
     * @param catalog the tables and the caller.
     * @param options the planner switches.
     * @return the plan.
     * @throws SqlException on any syntax, name, type or restriction error.
     */
    public static QueryPlan planSubscription(final String sql, final Catalog catalog, final Options options)
        throws SqlException
    {
        final Statement statement = SqlParser.parse(sql);
        if (!(statement instanceof Select select))
        {
            throw new SqlException("subscriptions accept only SELECT queries; DML and SET/SHOW are not supported");
        }
        return plan(select, catalog, true, options);
    }

    /**
     * Plans a parsed SELECT.
     *
     * @param select       the query.
     * @param catalog      the tables and the caller.
     * @param subscription whether the subscription restrictions apply.
     * @param options      the planner switches.
     * @return the plan.
     * @throws SqlException on any name, type or restriction error.
     */
    public static QueryPlan plan(
        final Select select, final Catalog catalog, final boolean subscription, final Options options)
        throws SqlException
    {
        return new QueryPlanner(catalog, subscription, options).compile(select);
    }

    private QueryPlan compile(final Select select) throws SqlException
    {
        if (subscription)
        {
            checkSubscriptionShape(select);
        }
        addRel(select.from());
        final List<JoinStep> joins = new ArrayList<>();
        for (final Join join : select.joins())
        {
            addRel(join.table());
            joins.add(joinStep(join, rels.size() - 1));
        }
        final List<Predicate> conjuncts = new ArrayList<>();
        final List<Expr> whereTerms = new ArrayList<>();
        if (null != select.where())
        {
            whereTerms.addAll(select.where() instanceof SqlAst.And and ? and.terms() : List.of(select.where()));
        }
        for (final Expr term : whereTerms)
        {
            conjuncts.add(predicate(term, rels));
        }
        conjuncts.addAll(rowLevelSecurity());
        final Predicate where = conjuncts.isEmpty() ? Predicate.TRUE :
            conjuncts.size() == 1 ? conjuncts.get(0) : new Predicate.All(conjuncts);
        final AccessPath access = AccessPlanner.choose(rels.get(0).schema(), conjuncts);

        int returned = -1;
        final List<Output> outputs = new ArrayList<>();
        ProductType resultType;
        final List<Projection> projections = select.projections();
        if (projections.size() == 1 && projections.get(0) instanceof Star star)
        {
            returned = starRel(star);
            resultType = rels.get(returned).schema().rowType();
        }
        else
        {
            resultType = outputs(projections, outputs);
        }
        final List<Order> orderBy = new ArrayList<>();
        for (final SqlAst.OrderKey key : select.orderBy())
        {
            final int[] resolved = resolve(key.column(), rels);
            final AlgebraicType type = columnType(resolved);
            if (!SqlValues.isComparable(type))
            {
                throw new SqlException("cannot ORDER BY column " + key.column().name() + " of type " +
                    SqlValues.typeName(type));
            }
            orderBy.add(new Order(resolved[0], resolved[1], type, key.descending()));
        }
        if (!outputs.isEmpty() && outputs.get(0).aggregate() != null && select.distinct())
        {
            throw new SqlException("DISTINCT cannot be combined with aggregates");
        }
        return new QueryPlan(select.toSql(), subscription, usesSender, rels, joins, where, access, returned,
            select.distinct(), outputs, orderBy, select.limit(), resultType);
    }

    private void checkSubscriptionShape(final Select select) throws SqlException
    {
        if (select.distinct())
        {
            throw new SqlException("DISTINCT is not supported in subscriptions");
        }
        if (!select.orderBy().isEmpty())
        {
            throw new SqlException("ORDER BY is not supported in subscriptions");
        }
        if (select.limit() >= 0)
        {
            throw new SqlException("LIMIT is not supported in subscriptions");
        }
        for (final Projection projection : select.projections())
        {
            if (projection instanceof AggregateItem)
            {
                throw new SqlException("Aggregates are not supported in subscriptions; " +
                    "Subscriptions must return a table type");
            }
            if (projection instanceof ColumnItem)
            {
                throw new SqlException("Column projections are not supported in subscriptions; " +
                    "Subscriptions must return a table type");
            }
        }
        if (select.projections().size() != 1)
        {
            throw new SqlException("Subscriptions must return a single table type");
        }
        if (!select.joins().isEmpty() && select.projections().get(0) instanceof Star star && null == star.qualifier())
        {
            throw new SqlException("SELECT * is not supported for joins; select one table's rows with t.*");
        }
        if (select.joins().size() > 1)
        {
            throw new SqlException("Invalid number of tables in subscription: " + (select.joins().size() + 1) +
                " (at most 2 tables may be joined)");
        }
    }

    private int starRel(final Star star) throws SqlException
    {
        if (null == star.qualifier())
        {
            if (rels.size() > 1)
            {
                throw new SqlException("SELECT * is not supported for joins; select one table's rows with t.*");
            }
            return 0;
        }
        for (int i = 0; i < rels.size(); i++)
        {
            if (rels.get(i).refName().equals(star.qualifier()))
            {
                if (subscription && rels.size() == 2 && rels.get(1 - i).schema().isEvent())
                {
                    throw new SqlException("event table " + rels.get(1 - i).schema().name() +
                        " cannot be the lookup side of a subscription join");
                }
                return i;
            }
        }
        throw new SqlException("no such relation: " + star.qualifier() + " (at " + star.position() + ")",
            star.position());
    }

    private ProductType outputs(final List<Projection> projections, final List<Output> outputs)
        throws SqlException
    {
        final List<ProductTypeElement> elements = new ArrayList<>();
        boolean aggregates = false;
        boolean columns = false;
        for (final Projection projection : projections)
        {
            if (projection instanceof Star)
            {
                throw new SqlException("* cannot be combined with other projections");
            }
            if (projection instanceof ColumnItem item)
            {
                columns = true;
                final int[] resolved = resolve(item.column(), rels);
                final AlgebraicType type = columnType(resolved);
                outputs.add(new Output(resolved[0], resolved[1], null, type));
                elements.add(new ProductTypeElement(null == item.alias() ? item.column().name() : item.alias(), type));
            }
            else if (projection instanceof AggregateItem item)
            {
                aggregates = true;
                elements.add(aggregate(item, outputs));
            }
        }
        if (aggregates && columns)
        {
            throw new SqlException("aggregates cannot be combined with column projections (GROUP BY is not " +
                "supported)");
        }
        return new ProductType(elements);
    }

    private ProductTypeElement aggregate(final AggregateItem item, final List<Output> outputs) throws SqlException
    {
        if (item.function() == SqlAst.Aggregate.COUNT_STAR)
        {
            outputs.add(new Output(-1, -1, item.function(), AlgebraicType.U64));
            return new ProductTypeElement(null == item.alias() ? "count" : item.alias(), AlgebraicType.U64);
        }
        final int[] resolved = resolve(item.column(), rels);
        final AlgebraicType type = columnType(resolved);
        outputs.add(new Output(resolved[0], resolved[1], item.function(), type));
        if (item.function() == SqlAst.Aggregate.COUNT_DISTINCT)
        {
            return new ProductTypeElement(null == item.alias() ? "count" : item.alias(), AlgebraicType.U64);
        }
        final AlgebraicType sumType = sumType(type);
        if (null == sumType)
        {
            throw new SqlException("SUM needs a numeric column, but " + item.column().name() + " has type " +
                SqlValues.typeName(type) + " (at " + item.position() + ")", item.position());
        }
        return new ProductTypeElement(null == item.alias() ? "sum" : item.alias(), sumType);
    }

    /**
     * The result type of SUM over a column type: I64 for signed integers up to 64 bits, U64 for unsigned ones,
     * the type itself for 128/256-bit integers, F64 for floats.
     *
     * @param type the column type.
     * @return the sum type, or null when the column is not numeric.
     */
    static AlgebraicType sumType(final AlgebraicType type)
    {
        if (!(type instanceof PrimitiveType primitive))
        {
            return null;
        }
        return switch (primitive)
        {
            case I8, I16, I32, I64 -> AlgebraicType.I64;
            case U8, U16, U32, U64 -> AlgebraicType.U64;
            case I128, U128, I256, U256 -> primitive;
            case F32, F64 -> AlgebraicType.F64;
            default -> null;
        };
    }

    // ------------------------------------------------------------------------------------------------------------
    // Relations and joins
    // ------------------------------------------------------------------------------------------------------------

    private void addRel(final TableRef ref) throws SqlException
    {
        final TableSchema schema = visibleTable(catalog, ref.name());
        if (null == schema)
        {
            throw new SqlException(noSuchTable(ref.name()) + " (at " + ref.position() + ")", ref.position());
        }
        for (final Rel rel : rels)
        {
            if (rel.refName().equals(ref.refName()))
            {
                throw new SqlException("duplicate relation name " + ref.refName() + ": a self-join requires " +
                    "aliases (at " + ref.position() + ")", ref.position());
            }
        }
        rels.add(new Rel(ref.refName(), schema));
    }

    static TableSchema visibleTable(final Catalog catalog, final String name)
    {
        final TableSchema schema = catalog.table(name);
        if (null == schema || (schema.access() == TableAccess.PRIVATE && !catalog.callerIsOwner()))
        {
            return null;
        }
        return schema;
    }

    static String noSuchTable(final String name)
    {
        return "no such table: " + name + " \u2014 it may be marked private";
    }

    private JoinStep joinStep(final Join join, final int rel) throws SqlException
    {
        final int[] a = resolve(join.left(), rels);
        final int[] b = resolve(join.right(), rels);
        final int[] newer;
        final int[] older;
        if (a[0] == rel && b[0] < rel)
        {
            newer = a;
            older = b;
        }
        else if (b[0] == rel && a[0] < rel)
        {
            newer = b;
            older = a;
        }
        else
        {
            throw new SqlException("JOIN ON must compare a column of " + rels.get(rel).refName() +
                " with a column of an earlier table (at " + join.position() + ")", join.position());
        }
        final AlgebraicType type = columnType(newer);
        if (!type.equals(columnType(older)))
        {
            throw new SqlException("cannot join " + join.left().toSql() + " of type " +
                SqlValues.typeName(columnType(a)) + " with " + join.right().toSql() + " of type " +
                SqlValues.typeName(columnType(b)));
        }
        if (!SqlValues.isComparable(type))
        {
            throw new SqlException("cannot join on columns of type " + SqlValues.typeName(type));
        }
        final int rightIndex = lookupIndex(rels.get(rel).schema(), newer[1]);
        final int leftIndex = lookupIndex(rels.get(older[0]).schema(), older[1]);
        if (subscription && !options.allowUnindexedJoins() && (rightIndex < 0 || leftIndex < 0))
        {
            throw new SqlException("Subscriptions require indexes on join columns");
        }
        return new JoinStep(rel, older[0], older[1], newer[1], type, rightIndex, leftIndex);
    }

    /** An index that can find rows by one column's value: that column first, and the whole key for hash. */
    private static int lookupIndex(final TableSchema schema, final int column)
    {
        int best = -1;
        for (int i = 0; i < schema.indexes().size(); i++)
        {
            final IndexSchema index = schema.indexes().get(i);
            if (index.column(0) != column)
            {
                continue;
            }
            if (index.algorithm() == IndexAlgorithm.HASH && index.columnCount() != 1)
            {
                continue;
            }
            if (best < 0 || index.columnCount() < schema.indexes().get(best).columnCount())
            {
                best = i;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Names and predicates
    // ------------------------------------------------------------------------------------------------------------

    /** Resolves a column to {relation, column}. */
    private static int[] resolve(final Column column, final List<Rel> scope) throws SqlException
    {
        if (null != column.qualifier())
        {
            for (int i = 0; i < scope.size(); i++)
            {
                if (scope.get(i).refName().equals(column.qualifier()))
                {
                    final int index = scope.get(i).schema().columnIndex(column.name());
                    if (index < 0)
                    {
                        throw new SqlException("no such column: " + column.qualifier() + "." + column.name() +
                            " (at " + column.position() + ")", column.position());
                    }
                    return new int[] {i, index};
                }
            }
            throw new SqlException("no such relation: " + column.qualifier() + " (at " + column.position() + ")",
                column.position());
        }
        int[] found = null;
        for (int i = 0; i < scope.size(); i++)
        {
            final int index = scope.get(i).schema().columnIndex(column.name());
            if (index >= 0)
            {
                if (null != found)
                {
                    throw new SqlException("ambiguous column: " + column.name() + " is in both " +
                        scope.get(found[0]).refName() + " and " + scope.get(i).refName() + " (at " +
                        column.position() + ")", column.position());
                }
                found = new int[] {i, index};
            }
        }
        if (null == found)
        {
            throw new SqlException("no such column: " + column.name() + " (at " + column.position() + ")",
                column.position());
        }
        return found;
    }

    private AlgebraicType columnType(final int[] resolved)
    {
        return rels.get(resolved[0]).schema().columnType(resolved[1]);
    }

    private Predicate predicate(final Expr expr, final List<Rel> scope) throws SqlException
    {
        if (expr instanceof SqlAst.And and)
        {
            final List<Predicate> terms = new ArrayList<>();
            for (final Expr term : and.terms())
            {
                terms.add(predicate(term, scope));
            }
            return new Predicate.All(terms);
        }
        if (expr instanceof SqlAst.Or or)
        {
            final List<Predicate> terms = new ArrayList<>();
            for (final Expr term : or.terms())
            {
                terms.add(predicate(term, scope));
            }
            return new Predicate.Any(terms);
        }
        if (expr instanceof Compare compare)
        {
            return comparison(compare, scope);
        }
        if (expr instanceof SqlAst.Literal literal && literal.kind() == SqlAst.LiteralKind.BOOL)
        {
            return new Predicate.Constant(literal.text().equals("true"));
        }
        if (expr instanceof Column column)
        {
            final int[] resolved = resolve(column, scope);
            final AlgebraicType type = scope.get(resolved[0]).schema().columnType(resolved[1]);
            if (type != AlgebraicType.BOOL)
            {
                throw new SqlException("column " + column.name() + " of type " + SqlValues.typeName(type) +
                    " is not a boolean predicate (at " + column.position() + ")", column.position());
            }
            return new Predicate.BoolColumn(resolved[0], resolved[1]);
        }
        throw new SqlException("expected a boolean predicate at " + expr.position(), expr.position());
    }

    private Predicate comparison(final Compare compare, final List<Rel> scope) throws SqlException
    {
        Op op = compare.op();
        Expr left = compare.left();
        Expr right = compare.right();
        if (!(left instanceof Column) && right instanceof Column)
        {
            final Expr swap = left;
            left = right;
            right = swap;
            op = op.mirror();
        }
        if (!(left instanceof Column leftColumn))
        {
            throw new SqlException("a comparison must involve a column (at " + compare.position() + ")",
                compare.position());
        }
        final int[] l = resolve(leftColumn, scope);
        final AlgebraicType type = scope.get(l[0]).schema().columnType(l[1]);
        if (!SqlValues.isComparable(type))
        {
            throw new SqlException("column " + leftColumn.name() + " of type " + SqlValues.typeName(type) +
                " cannot be compared (at " + leftColumn.position() + ")", leftColumn.position());
        }
        final Predicate.Operand a = new Predicate.Operand(l[0], l[1], null);
        if (right instanceof Column rightColumn)
        {
            final int[] r = resolve(rightColumn, scope);
            final AlgebraicType rightType = scope.get(r[0]).schema().columnType(r[1]);
            if (!type.equals(rightType))
            {
                throw new SqlException("cannot compare " + leftColumn.name() + " of type " +
                    SqlValues.typeName(type) + " with " + rightColumn.name() + " of type " +
                    SqlValues.typeName(rightType) + " (at " + compare.position() + ")", compare.position());
            }
            return new Predicate.Comparison(op, a, new Predicate.Operand(r[0], r[1], null), type);
        }
        if (right instanceof SqlAst.Param)
        {
            usesSender = true;
        }
        final Object value = SqlValues.coerce(right, type, leftColumn.name(), catalog.caller());
        return new Predicate.Comparison(op, a, new Predicate.Operand(-1, -1, value), type);
    }

    private List<Predicate> rowLevelSecurity() throws SqlException
    {
        final List<Predicate> out = new ArrayList<>();
        if (catalog.callerIsOwner())
        {
            return out;
        }
        final RowLevelSecurity rls = catalog.rowLevelSecurity();
        for (int i = 0; i < rels.size(); i++)
        {
            final List<Select> rules = rls.rules(rels.get(i).schema().name());
            if (rules.isEmpty())
            {
                continue;
            }
            final List<Predicate> any = new ArrayList<>();
            for (final Select rule : rules)
            {
                any.add(rlsRule(rule, i));
            }
            out.add(any.size() == 1 ? any.get(0) : new Predicate.Any(any));
        }
        return out;
    }

    /** A rule (checked by {@link RowLevelSecurity#compile}) as a predicate on relation {@code position}. */
    private Predicate rlsRule(final Select rule, final int position) throws SqlException
    {
        if (null == rule.where())
        {
            return Predicate.TRUE;
        }
        final Rel rel = rels.get(position);
        final Predicate predicate = predicate(rule.where(), List.of(new Rel(rule.from().refName(), rel.schema())));
        return position == 0 ? predicate : new Shifted(predicate, position);
    }

    /** A single-relation predicate compiled at position 0 evaluated against relation {@code position}. */
    private record Shifted(Predicate inner, int position) implements Predicate
    {
        @Override
        public boolean test(final io.lightcone.core.sats.ProductValue[] tuple)
        {
            return inner.test(new io.lightcone.core.sats.ProductValue[] {tuple[position]});
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Access path
    // ------------------------------------------------------------------------------------------------------------

    /** Chooses an index range on the first relation from the WHERE conjuncts. */
    static final class AccessPlanner
    {
        private AccessPlanner()
        {
        }

        static AccessPath choose(final TableSchema schema, final List<Predicate> conjuncts)
        {
            AccessPath best = null;
            int bestScore = 0;
            for (int i = 0; i < schema.indexes().size(); i++)
            {
                final IndexSchema index = schema.indexes().get(i);
                final List<AlgebraicType> types = new ArrayList<>();
                final List<Object> values = new ArrayList<>();
                int m = 0;
                while (m < index.columnCount())
                {
                    final Object eq = constant(conjuncts, index.column(m), Op.EQ);
                    if (null == eq)
                    {
                        break;
                    }
                    types.add(schema.columnType(index.column(m)));
                    values.add(eq);
                    m++;
                }
                final boolean hash = index.algorithm() == IndexAlgorithm.HASH;
                if (hash && m != index.columnCount())
                {
                    continue;
                }
                final byte[] prefix = SqlValues.keyOf(types, values);
                byte[] lower = prefix;
                BoundKind lowerKind = BoundKind.INCLUSIVE;
                byte[] upper = prefix;
                BoundKind upperKind = BoundKind.INCLUSIVE;
                int score = 2 * m;
                if (!hash && m < index.columnCount())
                {
                    final int column = index.column(m);
                    final AlgebraicType type = schema.columnType(column);
                    final Object gt = constant(conjuncts, column, Op.GT);
                    final Object ge = null == gt ? constant(conjuncts, column, Op.GE) : null;
                    final Object lt = constant(conjuncts, column, Op.LT);
                    final Object le = null == lt ? constant(conjuncts, column, Op.LE) : null;
                    if (null != gt || null != ge)
                    {
                        lower = concat(prefix, SqlValues.keyOf(List.of(type), List.of(null != gt ? gt : ge)));
                        lowerKind = null != gt ? BoundKind.EXCLUSIVE : BoundKind.INCLUSIVE;
                        score++;
                    }
                    if (null != lt || null != le)
                    {
                        upper = concat(prefix, SqlValues.keyOf(List.of(type), List.of(null != lt ? lt : le)));
                        upperKind = null != lt ? BoundKind.EXCLUSIVE : BoundKind.INCLUSIVE;
                        score++;
                    }
                }
                if (hash)
                {
                    score++;
                }
                if (score > bestScore)
                {
                    bestScore = score;
                    best = new AccessPath(i, lower, lowerKind, upper, upperKind);
                }
            }
            return best;
        }

        private static Object constant(final List<Predicate> conjuncts, final int column, final Op op)
        {
            for (final Predicate p : conjuncts)
            {
                if (p instanceof Predicate.Comparison c && c.op() == op && c.left().relation() == 0 &&
                    c.left().column() == column && c.right().relation() < 0 && !isOption(c.type()))
                {
                    return c.right().constant();
                }
            }
            return null;
        }

        private static boolean isOption(final AlgebraicType type)
        {
            return type instanceof io.lightcone.core.sats.SumType sum &&
                sum.special() == io.lightcone.core.sats.SpecialType.OPTION;
        }

        private static byte[] concat(final byte[] a, final byte[] b)
        {
            final byte[] out = new byte[a.length + b.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
