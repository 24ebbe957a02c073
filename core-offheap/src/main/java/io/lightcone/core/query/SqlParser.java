package io.lightcone.core.query;

import io.lightcone.core.query.SqlAst.AggregateItem;
import io.lightcone.core.query.SqlAst.Assignment;
import io.lightcone.core.query.SqlAst.Column;
import io.lightcone.core.query.SqlAst.ColumnItem;
import io.lightcone.core.query.SqlAst.Compare;
import io.lightcone.core.query.SqlAst.Expr;
import io.lightcone.core.query.SqlAst.Join;
import io.lightcone.core.query.SqlAst.Literal;
import io.lightcone.core.query.SqlAst.LiteralKind;
import io.lightcone.core.query.SqlAst.Op;
import io.lightcone.core.query.SqlAst.OrderKey;
import io.lightcone.core.query.SqlAst.Projection;
import io.lightcone.core.query.SqlAst.Star;
import io.lightcone.core.query.SqlAst.Statement;
import io.lightcone.core.query.SqlAst.TableRef;
import io.lightcone.core.query.SqlLexer.Kind;
import io.lightcone.core.query.SqlLexer.Token;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hand-written recursive-descent parser for the SQL of reference/spacetimedb-contracts.md §5.1 (subscriptions and
 * one-off queries) and §5.2 (ad-hoc SQL: projections, aggregates, DISTINCT, ORDER BY, LIMIT, INSERT, UPDATE,
 * DELETE, SET, SHOW). Keywords are case-insensitive; identifiers are case-sensitive, unquoted or double-quoted.
 * <p>
 * Whatever the input, {@link #parse(String)} returns a statement or throws {@link SqlException}; parenthesis
 * nesting is bounded ({@value #MAX_DEPTH}) so no input can exhaust the stack, and the text is at most
 * {@value #MAX_SQL_BYTES} UTF-8 bytes.
 * <p>
 * Whether a statement is allowed where it is used (e.g. no ORDER BY in a subscription) is decided by
 * {@link QueryPlanner}, so that the error names the restriction rather than a syntax error.
 */
public final class SqlParser
{
    /** Longest accepted SQL text in UTF-8 bytes (crates/query/src/lib.rs:24). */
    public static final int MAX_SQL_BYTES = 50_000;
    /** Deepest parenthesis nesting. */
    public static final int MAX_DEPTH = 64;

    private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "JOIN",
        "INNER", "LEFT", "RIGHT", "OUTER", "FULL", "CROSS", "ON", "AS", "ORDER", "BY", "LIMIT", "OFFSET", "GROUP",
        "HAVING", "ASC", "DESC", "DISTINCT", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE", "SHOW", "TRUE",
        "FALSE", "NULL", "UNION", "IS", "IN", "LIKE", "BETWEEN", "EXCEPT", "INTERSECT");

    private final List<Token> tokens;
    private int next;
    private int depth;

    private SqlParser(final List<Token> tokens)
    {
        this.tokens = tokens;
    }

    /**
     * Parses one statement (an optional trailing {@code ;} is allowed).
     *
     * @param sql the text.
     * @return the statement.
     * @throws SqlException on any syntax error, or when the text is too long.
     */
    public static Statement parse(final String sql) throws SqlException
    {
        if (null == sql)
        {
            throw new SqlException("no SQL text");
        }
        if (sql.length() > MAX_SQL_BYTES || sql.getBytes(StandardCharsets.UTF_8).length > MAX_SQL_BYTES)
        {
            throw new SqlException("SQL text exceeds the maximum length of " + MAX_SQL_BYTES + " bytes");
        }
        final SqlParser parser = new SqlParser(SqlLexer.tokenize(sql));
        final Statement statement = parser.statement();
        if (parser.peek().isSymbol(";"))
        {
            parser.next++;
        }
        if (parser.peek().kind() != Kind.EOF)
        {
            if (parser.tokens.get(parser.next - 1).isSymbol(";"))
            {
                throw new SqlException("expected exactly one statement, found more at " + parser.peek().position(),
                    parser.peek().position());
            }
            throw parser.unexpected("end of statement");
        }
        return statement;
    }

    /**
     * Splits a request of several {@code ;}-separated statements into the source text of each (as SpacetimeDB's
     * {@code /sql} accepts); a {@code ;} inside a string literal or quoted identifier does not split, and empty
     * statements (a trailing {@code ;}) are dropped. Each piece is then parsed with {@link #parse(String)}.
     *
     * @param sql the text.
     * @return the statements' text, in order; empty when the text holds none.
     * @throws SqlException on a lexical error, or when the text is too long.
     */
    public static List<String> split(final String sql) throws SqlException
    {
        if (null == sql)
        {
            throw new SqlException("no SQL text");
        }
        if (sql.length() > MAX_SQL_BYTES || sql.getBytes(StandardCharsets.UTF_8).length > MAX_SQL_BYTES)
        {
            throw new SqlException("SQL text exceeds the maximum length of " + MAX_SQL_BYTES + " bytes");
        }
        final List<String> statements = new ArrayList<>();
        int start = 0;
        for (final Token token : SqlLexer.tokenize(sql))
        {
            if (token.kind() == Kind.EOF || token.isSymbol(";"))
            {
                final int end = token.kind() == Kind.EOF ? sql.length() : token.position();
                final String text = sql.substring(start, end).strip();
                if (!text.isEmpty())
                {
                    statements.add(text);
                }
                start = end + 1;
            }
        }
        return statements;
    }

    private Statement statement() throws SqlException
    {
        final Token first = peek();
        if (first.isKeyword("SELECT"))
        {
            return select();
        }
        if (first.isKeyword("INSERT"))
        {
            return insert();
        }
        if (first.isKeyword("UPDATE"))
        {
            return update();
        }
        if (first.isKeyword("DELETE"))
        {
            return delete();
        }
        if (first.isKeyword("SET"))
        {
            next++;
            final String name = identifier("variable name");
            expectSymbol("=");
            final Expr value = operand();
            if (!(value instanceof Literal literal))
            {
                throw new SqlException("SET expects a literal value at " + value.position(), value.position());
            }
            return new SqlAst.SetVar(name, literal);
        }
        if (first.isKeyword("SHOW"))
        {
            next++;
            return new SqlAst.ShowVar(identifier("variable name"));
        }
        throw unexpected("SELECT, INSERT, UPDATE, DELETE, SET or SHOW");
    }

    private SqlAst.Select select() throws SqlException
    {
        expectKeyword("SELECT");
        final boolean distinct = acceptKeyword("DISTINCT");
        final List<Projection> projections = new ArrayList<>();
        do
        {
            projections.add(projection());
        }
        while (acceptSymbol(","));
        expectKeyword("FROM");
        final TableRef from = relation();
        final List<Join> joins = new ArrayList<>();
        while (true)
        {
            final Token t = peek();
            if (t.isKeyword("JOIN") || t.isKeyword("INNER"))
            {
                joins.add(join());
            }
            else if (t.isKeyword("LEFT") || t.isKeyword("RIGHT") || t.isKeyword("FULL") || t.isKeyword("OUTER") ||
                t.isKeyword("CROSS"))
            {
                throw new SqlException("unsupported join '" + t.text() + "' at " + t.position() +
                    ": only [INNER] JOIN ... ON is supported", t.position());
            }
            else if (t.isSymbol(","))
            {
                throw new SqlException("unsupported ',' in FROM at " + t.position() + ": use JOIN ... ON",
                    t.position());
            }
            else
            {
                break;
            }
        }
        final Expr where = acceptKeyword("WHERE") ? predicate() : null;
        rejectClause("GROUP", "GROUP BY is not supported");
        rejectClause("HAVING", "HAVING is not supported");
        final List<OrderKey> orderBy = new ArrayList<>();
        if (acceptKeyword("ORDER"))
        {
            expectKeyword("BY");
            do
            {
                final Column column = column();
                boolean descending = false;
                if (acceptKeyword("DESC"))
                {
                    descending = true;
                }
                else
                {
                    acceptKeyword("ASC");
                }
                orderBy.add(new OrderKey(column, descending));
            }
            while (acceptSymbol(","));
        }
        long limit = -1;
        if (acceptKeyword("LIMIT"))
        {
            final Token t = peek();
            if (t.kind() != Kind.NUMBER || !t.text().chars().allMatch(Character::isDigit) || t.text().length() > 18)
            {
                throw unexpected("a non-negative integer LIMIT");
            }
            next++;
            limit = Long.parseLong(t.text());
        }
        rejectClause("OFFSET", "OFFSET is not supported");
        rejectClause("UNION", "UNION is not supported");
        return new SqlAst.Select(distinct, List.copyOf(projections), from, List.copyOf(joins), where,
            List.copyOf(orderBy), limit);
    }

    private void rejectClause(final String keyword, final String message) throws SqlException
    {
        final Token t = peek();
        if (t.isKeyword(keyword))
        {
            throw new SqlException(message + " (at " + t.position() + ")", t.position());
        }
    }

    private Projection projection() throws SqlException
    {
        final Token t = peek();
        if (t.isSymbol("*"))
        {
            next++;
            return new Star(null, t.position());
        }
        if (t.kind() == Kind.IDENT && peekAt(1).isSymbol("(") &&
            (t.text().equalsIgnoreCase("COUNT") || t.text().equalsIgnoreCase("SUM")))
        {
            return aggregate();
        }
        if (isIdentifier(t) && peekAt(1).isSymbol(".") && peekAt(2).isSymbol("*"))
        {
            next += 3;
            return new Star(t.text(), t.position());
        }
        final Column column = column();
        String alias = null;
        if (acceptKeyword("AS"))
        {
            alias = identifier("alias");
        }
        else if (isIdentifier(peek()))
        {
            alias = identifier("alias");
        }
        return new ColumnItem(column, alias);
    }

    private AggregateItem aggregate() throws SqlException
    {
        final Token name = peek();
        next++;
        expectSymbol("(");
        final SqlAst.Aggregate function;
        Column column = null;
        if (name.text().equalsIgnoreCase("COUNT"))
        {
            if (acceptSymbol("*"))
            {
                function = SqlAst.Aggregate.COUNT_STAR;
            }
            else if (acceptKeyword("DISTINCT"))
            {
                function = SqlAst.Aggregate.COUNT_DISTINCT;
                column = column();
            }
            else
            {
                throw unexpected("* or DISTINCT column in COUNT");
            }
        }
        else
        {
            function = SqlAst.Aggregate.SUM;
            column = column();
        }
        expectSymbol(")");
        String alias = null;
        if (acceptKeyword("AS"))
        {
            alias = identifier("alias");
        }
        else if (isIdentifier(peek()))
        {
            alias = identifier("alias");
        }
        return new AggregateItem(function, column, alias, name.position());
    }

    private TableRef relation() throws SqlException
    {
        final Token t = peek();
        if (t.isSymbol("("))
        {
            throw new SqlException("subqueries are not supported (at " + t.position() + ")", t.position());
        }
        final String name = identifier("table name");
        String alias = null;
        if (acceptKeyword("AS"))
        {
            alias = identifier("alias");
        }
        else if (isIdentifier(peek()))
        {
            alias = identifier("alias");
        }
        return new TableRef(name, alias, t.position());
    }

    private Join join() throws SqlException
    {
        final int position = peek().position();
        acceptKeyword("INNER");
        expectKeyword("JOIN");
        final TableRef table = relation();
        expectKeyword("ON");
        final boolean parenthesised = acceptSymbol("(");
        final Column left = column();
        final Token op = peek();
        if (!op.isSymbol("="))
        {
            throw unexpected("= (JOIN ON must be a single equality between two qualified columns)");
        }
        next++;
        final Column right = column();
        if (parenthesised)
        {
            expectSymbol(")");
        }
        if (null == left.qualifier() || null == right.qualifier())
        {
            final Column bare = null == left.qualifier() ? left : right;
            throw new SqlException("JOIN ON columns must be qualified (table.column): " + bare.name() + " at " +
                bare.position(), bare.position());
        }
        if (peek().isKeyword("AND") || peek().isKeyword("OR"))
        {
            throw new SqlException("JOIN ON must be a single equality between two qualified columns (at " +
                peek().position() + ")", peek().position());
        }
        return new Join(table, left, right, position);
    }

    private SqlAst.Insert insert() throws SqlException
    {
        final int position = peek().position();
        expectKeyword("INSERT");
        expectKeyword("INTO");
        final String table = identifier("table name");
        List<String> columns = null;
        if (acceptSymbol("("))
        {
            columns = new ArrayList<>();
            do
            {
                columns.add(identifier("column name"));
            }
            while (acceptSymbol(","));
            expectSymbol(")");
            columns = List.copyOf(columns);
        }
        expectKeyword("VALUES");
        final List<List<Expr>> rows = new ArrayList<>();
        do
        {
            expectSymbol("(");
            final List<Expr> row = new ArrayList<>();
            do
            {
                row.add(value());
            }
            while (acceptSymbol(","));
            expectSymbol(")");
            rows.add(List.copyOf(row));
        }
        while (acceptSymbol(","));
        return new SqlAst.Insert(table, columns, List.copyOf(rows), position);
    }

    private SqlAst.Update update() throws SqlException
    {
        final int position = peek().position();
        expectKeyword("UPDATE");
        final String table = identifier("table name");
        expectKeyword("SET");
        final List<Assignment> assignments = new ArrayList<>();
        do
        {
            final int at = peek().position();
            final String column = identifier("column name");
            expectSymbol("=");
            assignments.add(new Assignment(column, value(), at));
        }
        while (acceptSymbol(","));
        final Expr where = acceptKeyword("WHERE") ? predicate() : null;
        return new SqlAst.Update(table, List.copyOf(assignments), where, position);
    }

    private SqlAst.Delete delete() throws SqlException
    {
        final int position = peek().position();
        expectKeyword("DELETE");
        expectKeyword("FROM");
        final String table = identifier("table name");
        final Expr where = acceptKeyword("WHERE") ? predicate() : null;
        return new SqlAst.Delete(table, where, position);
    }

    private Expr value() throws SqlException
    {
        final Expr value = operand();
        if (value instanceof Column column)
        {
            throw new SqlException("expected a literal value, found column " + column.name() + " at " +
                column.position(), column.position());
        }
        return value;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Predicates
    // ------------------------------------------------------------------------------------------------------------

    private Expr predicate() throws SqlException
    {
        final List<Expr> terms = new ArrayList<>();
        terms.add(conjunction());
        while (acceptKeyword("OR"))
        {
            terms.add(conjunction());
        }
        return terms.size() == 1 ? terms.get(0) : new SqlAst.Or(terms);
    }

    private Expr conjunction() throws SqlException
    {
        final List<Expr> terms = new ArrayList<>();
        terms.add(primary());
        while (acceptKeyword("AND"))
        {
            terms.add(primary());
        }
        return terms.size() == 1 ? terms.get(0) : new SqlAst.And(terms);
    }

    private Expr primary() throws SqlException
    {
        final Token t = peek();
        if (t.isSymbol("("))
        {
            if (++depth > MAX_DEPTH)
            {
                throw new SqlException("predicate nested deeper than " + MAX_DEPTH + " parentheses at " +
                    t.position(), t.position());
            }
            next++;
            final Expr inner = predicate();
            expectSymbol(")");
            depth--;
            return inner;
        }
        if (t.isKeyword("NOT"))
        {
            throw new SqlException("NOT is not supported (at " + t.position() + ")", t.position());
        }
        final Expr left = operand();
        final Token op = peek();
        final Op parsed = operator(op);
        if (null == parsed)
        {
            if (op.isKeyword("IS") || op.isKeyword("IN") || op.isKeyword("LIKE") || op.isKeyword("BETWEEN"))
            {
                throw new SqlException(op.text().toUpperCase(Locale.ROOT) + " is not supported (at " +
                    op.position() + ")", op.position());
            }
            return left;
        }
        next++;
        final Expr right = operand();
        return new Compare(parsed, left, right, op.position());
    }

    private static Op operator(final Token t)
    {
        if (t.kind() != Kind.SYMBOL)
        {
            return null;
        }
        return switch (t.text())
        {
            case "=" -> Op.EQ;
            case "<>", "!=" -> Op.NE;
            case "<" -> Op.LT;
            case ">" -> Op.GT;
            case "<=" -> Op.LE;
            case ">=" -> Op.GE;
            default -> null;
        };
    }

    private Expr operand() throws SqlException
    {
        final Token t = peek();
        switch (t.kind())
        {
            case NUMBER:
                next++;
                return new Literal(LiteralKind.NUMBER, t.text(), t.position());
            case STRING:
                next++;
                return new Literal(LiteralKind.STRING, t.text(), t.position());
            case HEX:
                next++;
                return new Literal(LiteralKind.HEX, t.text(), t.position());
            case PARAM:
                next++;
                return new SqlAst.Param(t.text(), t.position());
            case SYMBOL:
                if (t.isSymbol("-") || t.isSymbol("+"))
                {
                    final Token number = peekAt(1);
                    if (number.kind() != Kind.NUMBER)
                    {
                        next++;
                        throw unexpected("a number after '" + t.text() + "'");
                    }
                    next += 2;
                    final String text = t.isSymbol("-") ? "-" + number.text() : number.text();
                    return new Literal(LiteralKind.NUMBER, text, t.position());
                }
                throw unexpected("a literal or a column");
            case IDENT:
                if (t.isKeyword("TRUE") || t.isKeyword("FALSE"))
                {
                    next++;
                    return new Literal(LiteralKind.BOOL, t.text().toLowerCase(Locale.ROOT), t.position());
                }
                if (t.isKeyword("NULL"))
                {
                    throw new SqlException("NULL is not supported (at " + t.position() + ")", t.position());
                }
                return column();
            case QUOTED_IDENT:
                return column();
            default:
                throw unexpected("a literal or a column");
        }
    }

    private Column column() throws SqlException
    {
        final Token first = peek();
        final String name = identifier("column name");
        if (acceptSymbol("."))
        {
            return new Column(name, identifier("column name"), first.position());
        }
        return new Column(null, name, first.position());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Tokens
    // ------------------------------------------------------------------------------------------------------------

    private static boolean isIdentifier(final Token t)
    {
        return t.kind() == Kind.QUOTED_IDENT ||
            (t.kind() == Kind.IDENT && !RESERVED.contains(t.text().toUpperCase(Locale.ROOT)));
    }

    private String identifier(final String what) throws SqlException
    {
        final Token t = peek();
        if (!isIdentifier(t))
        {
            throw unexpected(what);
        }
        next++;
        return t.text();
    }

    private Token peek()
    {
        return tokens.get(next);
    }

    private Token peekAt(final int ahead)
    {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private boolean acceptKeyword(final String keyword)
    {
        if (peek().isKeyword(keyword))
        {
            next++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(final String symbol)
    {
        if (peek().isSymbol(symbol))
        {
            next++;
            return true;
        }
        return false;
    }

    private void expectKeyword(final String keyword) throws SqlException
    {
        if (!acceptKeyword(keyword))
        {
            throw unexpected(keyword);
        }
    }

    private void expectSymbol(final String symbol) throws SqlException
    {
        if (!acceptSymbol(symbol))
        {
            throw unexpected("'" + symbol + "'");
        }
    }

    private SqlException unexpected(final String expected)
    {
        final Token t = peek();
        if (t.kind() == Kind.EOF)
        {
            return new SqlException("unexpected end of input at " + t.position() + ": expected " + expected,
                t.position());
        }
        return new SqlException("unexpected token " + t.describe() + " at " + t.position() + ": expected " + expected,
            t.position());
    }
}
