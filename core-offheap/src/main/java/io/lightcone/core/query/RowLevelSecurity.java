package io.lightcone.core.query;

import io.lightcone.core.query.SqlAst.Select;
import io.lightcone.core.query.SqlAst.Star;
import io.lightcone.core.schema.TableSchema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A module's row-level-security rules (reference/spacetimedb-contracts.md §4.5 {@code row_level_security}, §5.1),
 * compiled once per module: each SQL text parsed, checked against the module's tables and grouped by the table
 * whose rows it selects.
 * <p>
 * Semantics (SpacetimeDB's {@code crates/expr/src/rls.rs}): the database owner is exempt; for anyone else every
 * reference to a table with rules, in subscriptions, one-off queries and {@code /sql} SELECTs alike and on both
 * sides of a join, sees only the rows that at least one of the table's rules selects (the rules are OR-ed). A
 * table without rules is not restricted. A rule may use {@code :sender}, the caller's identity, which makes every
 * plan reading the table depend on the caller.
 * <p>
 * Accepted rules are single-table subscription queries, {@code SELECT * FROM t [WHERE ...]} (or {@code t.*}); a
 * rule joining another table is refused (SpacetimeDB accepts such rules; Lightcone does not evaluate them yet).
 * Immutable and thread-safe.
 */
public final class RowLevelSecurity
{
    /** No rules: every row of every visible table can be read. */
    public static final RowLevelSecurity NONE = new RowLevelSecurity(Map.of(), List.of());

    private final Map<String, List<Select>> byTable;
    private final List<String> sql;

    private RowLevelSecurity(final Map<String, List<Select>> byTable, final List<String> sql)
    {
        this.byTable = byTable;
        this.sql = sql;
    }

    /**
     * Parses and checks a module's rules.
     *
     * @param rules  the SQL texts, as the module declares them.
     * @param tables the module's tables by exact name (null for an unknown name).
     * @return the compiled rules, {@link #NONE} when there are none.
     * @throws SqlException naming the rule and what is wrong with it: a syntax error, not a SELECT, a join, a
     *                      projection, an unknown table or column, or a type error.
     */
    public static RowLevelSecurity compile(final List<String> rules, final Function<String, TableSchema> tables)
        throws SqlException
    {
        if (rules.isEmpty())
        {
            return NONE;
        }
        final Catalog catalog = ownerCatalog(tables);
        final Map<String, List<Select>> byTable = new LinkedHashMap<>();
        for (final String rule : rules)
        {
            final Select select = check(rule, catalog);
            final TableSchema table = tables.apply(select.from().name());
            byTable.computeIfAbsent(table.name(), (name) -> new ArrayList<>()).add(select);
        }
        byTable.replaceAll((name, list) -> List.copyOf(list));
        return new RowLevelSecurity(Map.copyOf(byTable), List.copyOf(rules));
    }

    private static Select check(final String rule, final Catalog catalog) throws SqlException
    {
        try
        {
            final SqlAst.Statement statement = SqlParser.parse(rule);
            if (!(statement instanceof Select select))
            {
                throw new SqlException("a rule must be a SELECT");
            }
            if (!select.joins().isEmpty())
            {
                throw new SqlException("rules that join tables are not supported; write SELECT * FROM " +
                    select.from().name() + " WHERE ... over the table's own columns");
            }
            if (select.projections().size() != 1 || !(select.projections().get(0) instanceof Star))
            {
                throw new SqlException("a rule must select whole rows: SELECT * FROM " + select.from().name());
            }
            QueryPlanner.plan(select, catalog, true, QueryPlanner.Options.REFERENCE);
            return select;
        }
        catch (final SqlException ex)
        {
            throw new SqlException("invalid row-level security rule \"" + rule + "\": " + ex.getMessage());
        }
    }

    /** Rules are checked as the owner would see the tables: private ones included, no rules applied. */
    private static Catalog ownerCatalog(final Function<String, TableSchema> tables)
    {
        return new Catalog()
        {
            @Override
            public TableSchema table(final String name)
            {
                return tables.apply(name);
            }

            @Override
            public BigInteger caller()
            {
                return BigInteger.ZERO;
            }

            @Override
            public boolean callerIsOwner()
            {
                return true;
            }
        };
    }

    /**
     * The rules of one table.
     *
     * @param table the table's exact name.
     * @return its parsed rules; empty when it has none (every row visible).
     */
    public List<Select> rules(final String table)
    {
        final List<Select> rules = byTable.get(table);
        return null == rules ? List.of() : rules;
    }

    /**
     * @return whether there are no rules at all.
     */
    public boolean isEmpty()
    {
        return byTable.isEmpty();
    }

    /**
     * @return the rules' SQL texts as declared.
     */
    public List<String> sql()
    {
        return sql;
    }

    @Override
    public String toString()
    {
        return "RowLevelSecurity" + sql;
    }
}
