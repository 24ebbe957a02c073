package io.lightcone.core.query;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The syntax tree produced by {@link SqlParser}. Every node renders a canonical SQL text ({@code toSql()}):
 * keywords upper case, every identifier double-quoted, single spaces, fully parenthesised predicates. Two query
 * texts with the same canonical text have the same meaning, which is what {@link QueryRegistry} deduplicates on.
 */
public final class SqlAst
{
    private SqlAst()
    {
    }

    /** Comparison operators. */
    public enum Op
    {
        /** {@code =}. */
        EQ("="),
        /** {@code <>} or {@code !=}. */
        NE("<>"),
        /** {@code <}. */
        LT("<"),
        /** {@code >}. */
        GT(">"),
        /** {@code <=}. */
        LE("<="),
        /** {@code >=}. */
        GE(">=");

        private final String text;

        Op(final String text)
        {
            this.text = text;
        }

        /**
         * The operator's canonical text.
         *
         * @return the text.
         */
        public String text()
        {
            return text;
        }

        /**
         * The operator with its operands swapped ({@code a < b} is {@code b > a}).
         *
         * @return the mirrored operator.
         */
        public Op mirror()
        {
            return switch (this)
            {
                case LT -> GT;
                case GT -> LT;
                case LE -> GE;
                case GE -> LE;
                default -> this;
            };
        }
    }

    /** Literal kinds. */
    public enum LiteralKind
    {
        /** A decimal number (sign included): integer, fraction or scientific notation. */
        NUMBER,
        /** A single-quoted string. */
        STRING,
        /** {@code 0x...} hex digits. */
        HEX,
        /** TRUE or FALSE (text is "true" or "false"). */
        BOOL
    }

    static String quote(final String identifier)
    {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** A scalar or boolean expression. */
    public sealed interface Expr permits Literal, Column, Param, Compare, And, Or
    {
        /**
         * Canonical SQL text.
         *
         * @return the text.
         */
        String toSql();

        /**
         * Where the expression starts.
         *
         * @return 0-based character offset.
         */
        int position();
    }

    /**
     * A literal.
     *
     * @param kind     the kind.
     * @param text     its text: the number with sign, the unescaped string, the hex digits, "true"/"false".
     * @param position where it starts.
     */
    public record Literal(LiteralKind kind, String text, int position) implements Expr
    {
        @Override
        public String toSql()
        {
            return switch (kind)
            {
                case NUMBER -> text;
                case STRING -> "'" + text.replace("'", "''") + "'";
                case HEX -> "0x" + text;
                case BOOL -> text.toUpperCase(java.util.Locale.ROOT);
            };
        }
    }

    /**
     * A column reference, optionally qualified by a relation name or alias.
     *
     * @param qualifier the relation, or null.
     * @param name      the column.
     * @param position  where it starts.
     */
    public record Column(String qualifier, String name, int position) implements Expr
    {
        @Override
        public String toSql()
        {
            return null == qualifier ? quote(name) : quote(qualifier) + "." + quote(name);
        }
    }

    /**
     * A parameter such as {@code :sender}.
     *
     * @param name     the parameter name.
     * @param position where it starts.
     */
    public record Param(String name, int position) implements Expr
    {
        @Override
        public String toSql()
        {
            return ":" + name;
        }
    }

    /**
     * A comparison.
     *
     * @param op       the operator.
     * @param left     the left operand.
     * @param right    the right operand.
     * @param position of the operator.
     */
    public record Compare(Op op, Expr left, Expr right, int position) implements Expr
    {
        @Override
        public String toSql()
        {
            return "(" + left.toSql() + " " + op.text() + " " + right.toSql() + ")";
        }
    }

    /**
     * A conjunction of two or more predicates.
     *
     * @param terms the predicates.
     */
    public record And(List<Expr> terms) implements Expr
    {
        /**
         * Copies the terms.
         *
         * @param terms the predicates.
         */
        public And
        {
            terms = List.copyOf(terms);
        }

        @Override
        public String toSql()
        {
            return "(" + terms.stream().map(Expr::toSql).collect(Collectors.joining(" AND ")) + ")";
        }

        @Override
        public int position()
        {
            return terms.get(0).position();
        }
    }

    /**
     * A disjunction of two or more predicates.
     *
     * @param terms the predicates.
     */
    public record Or(List<Expr> terms) implements Expr
    {
        /**
         * Copies the terms.
         *
         * @param terms the predicates.
         */
        public Or
        {
            terms = List.copyOf(terms);
        }

        @Override
        public String toSql()
        {
            return "(" + terms.stream().map(Expr::toSql).collect(Collectors.joining(" OR ")) + ")";
        }

        @Override
        public int position()
        {
            return terms.get(0).position();
        }
    }

    /** Aggregate functions of ad-hoc SQL. */
    public enum Aggregate
    {
        /** {@code COUNT(*)}. */
        COUNT_STAR,
        /** {@code COUNT(DISTINCT c)}. */
        COUNT_DISTINCT,
        /** {@code SUM(c)}. */
        SUM
    }

    /** One item of a SELECT list. */
    public sealed interface Projection permits Star, ColumnItem, AggregateItem
    {
        /**
         * Canonical SQL text.
         *
         * @return the text.
         */
        String toSql();
    }

    /**
     * {@code *} or {@code t.*}.
     *
     * @param qualifier the relation, or null for a bare star.
     * @param position  where it starts.
     */
    public record Star(String qualifier, int position) implements Projection
    {
        @Override
        public String toSql()
        {
            return null == qualifier ? "*" : quote(qualifier) + ".*";
        }
    }

    /**
     * {@code col [AS alias]}.
     *
     * @param column the column.
     * @param alias  the output name, or null.
     */
    public record ColumnItem(Column column, String alias) implements Projection
    {
        @Override
        public String toSql()
        {
            return column.toSql() + (null == alias ? "" : " AS " + quote(alias));
        }
    }

    /**
     * An aggregate.
     *
     * @param function the function.
     * @param column   its argument column, null for COUNT(*).
     * @param alias    the output name, or null.
     * @param position where it starts.
     */
    public record AggregateItem(Aggregate function, Column column, String alias, int position) implements Projection
    {
        @Override
        public String toSql()
        {
            final String call = switch (function)
            {
                case COUNT_STAR -> "COUNT(*)";
                case COUNT_DISTINCT -> "COUNT(DISTINCT " + column.toSql() + ")";
                case SUM -> "SUM(" + column.toSql() + ")";
            };
            return call + (null == alias ? "" : " AS " + quote(alias));
        }
    }

    /**
     * A table in FROM or JOIN.
     *
     * @param name     the table name (case-sensitive).
     * @param alias    the alias, or null.
     * @param position where it starts.
     */
    public record TableRef(String name, String alias, int position)
    {
        /**
         * The name the rest of the query refers to it by.
         *
         * @return the alias, or the table name.
         */
        public String refName()
        {
            return null == alias ? name : alias;
        }

        String toSql()
        {
            return quote(name) + (null == alias ? "" : " AS " + quote(alias));
        }
    }

    /**
     * {@code [INNER] JOIN table ON left = right}.
     *
     * @param table    the joined table.
     * @param left     one join column.
     * @param right    the other join column.
     * @param position where JOIN starts.
     */
    public record Join(TableRef table, Column left, Column right, int position)
    {
        String toSql()
        {
            return " JOIN " + table.toSql() + " ON " + left.toSql() + " = " + right.toSql();
        }
    }

    /**
     * An ORDER BY key.
     *
     * @param column     the column.
     * @param descending whether DESC.
     */
    public record OrderKey(Column column, boolean descending)
    {
        String toSql()
        {
            return column.toSql() + (descending ? " DESC" : " ASC");
        }
    }

    /** A statement. */
    public sealed interface Statement permits Select, Insert, Update, Delete, SetVar, ShowVar
    {
        /**
         * Canonical SQL text.
         *
         * @return the text.
         */
        String toSql();
    }

    /**
     * A SELECT.
     *
     * @param distinct    whether DISTINCT.
     * @param projections the SELECT list.
     * @param from        the first relation.
     * @param joins       the joins, in order.
     * @param where       the predicate, or null.
     * @param orderBy     the ORDER BY keys (empty when none).
     * @param limit       the LIMIT, or -1.
     */
    public record Select(
        boolean distinct,
        List<Projection> projections,
        TableRef from,
        List<Join> joins,
        Expr where,
        List<OrderKey> orderBy,
        long limit) implements Statement
    {
        @Override
        public String toSql()
        {
            final StringBuilder sb = new StringBuilder("SELECT ");
            if (distinct)
            {
                sb.append("DISTINCT ");
            }
            sb.append(projections.stream().map(Projection::toSql).collect(Collectors.joining(", ")));
            sb.append(" FROM ").append(from.toSql());
            joins.forEach((j) -> sb.append(j.toSql()));
            if (null != where)
            {
                sb.append(" WHERE ").append(where.toSql());
            }
            if (!orderBy.isEmpty())
            {
                sb.append(" ORDER BY ").append(orderBy.stream().map(OrderKey::toSql).collect(Collectors.joining(", ")));
            }
            if (limit >= 0)
            {
                sb.append(" LIMIT ").append(limit);
            }
            return sb.toString();
        }
    }

    /**
     * {@code INSERT INTO t [(cols)] VALUES (...), ...}.
     *
     * @param table    the table.
     * @param columns  the column list, or null for all columns in order.
     * @param rows     the value rows (literals or parameters).
     * @param position where the statement starts.
     */
    public record Insert(String table, List<String> columns, List<List<Expr>> rows, int position) implements Statement
    {
        @Override
        public String toSql()
        {
            return "INSERT INTO " + quote(table) +
                (null == columns ? "" : " (" + columns.stream().map(SqlAst::quote).collect(Collectors.joining(", ")) +
                ")") + " VALUES " + rows.stream().map((r) -> "(" + r.stream().map(Expr::toSql)
                .collect(Collectors.joining(", ")) + ")").collect(Collectors.joining(", "));
        }
    }

    /**
     * {@code column = value} in UPDATE.
     *
     * @param column   the column.
     * @param value    the new value (a literal or parameter).
     * @param position where the column name starts.
     */
    public record Assignment(String column, Expr value, int position)
    {
    }

    /**
     * {@code UPDATE t SET c = v, ... [WHERE p]}.
     *
     * @param table       the table.
     * @param assignments the assignments.
     * @param where       the predicate, or null.
     * @param position    where the statement starts.
     */
    public record Update(String table, List<Assignment> assignments, Expr where, int position) implements Statement
    {
        @Override
        public String toSql()
        {
            return "UPDATE " + quote(table) + " SET " + assignments.stream()
                .map((a) -> quote(a.column()) + " = " + a.value().toSql()).collect(Collectors.joining(", ")) +
                (null == where ? "" : " WHERE " + where.toSql());
        }
    }

    /**
     * {@code DELETE FROM t [WHERE p]}.
     *
     * @param table    the table.
     * @param where    the predicate, or null.
     * @param position where the statement starts.
     */
    public record Delete(String table, Expr where, int position) implements Statement
    {
        @Override
        public String toSql()
        {
            return "DELETE FROM " + quote(table) + (null == where ? "" : " WHERE " + where.toSql());
        }
    }

    /**
     * {@code SET name = value}.
     *
     * @param name  the variable.
     * @param value its new value.
     */
    public record SetVar(String name, Literal value) implements Statement
    {
        @Override
        public String toSql()
        {
            return "SET " + quote(name) + " = " + value.toSql();
        }
    }

    /**
     * {@code SHOW name}.
     *
     * @param name the variable.
     */
    public record ShowVar(String name) implements Statement
    {
        @Override
        public String toSql()
        {
            return "SHOW " + quote(name);
        }
    }
}
