package io.lightcone.core.moduledef;

import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a module describes about itself ({@code RawModuleDef} V9 or V10, reference/spacetimedb-contracts.md §4.5),
 * validated and with canonical names: the names clients and SQL see.
 *
 * @param version                 9 or 10: which RawModuleDef variant the module wrote.
 * @param typespace               the module's typespace, with canonical field and variant names (V10 case
 *                                conversion applied; as written for V9).
 * @param tables                  the tables as storage schemas (unassigned ids), with canonical table, column and
 *                                index names; schedule tables carry their schedule.
 * @param reducers                the reducers in id order.
 * @param procedures              the procedures in id order.
 * @param views                   the views.
 * @param rowLevelSecurity        the row-level-security SQL filters.
 * @param namedTypes              the named types, for code generation.
 * @param tableNames              per table, in the order of {@code tables}: source-name aliases and schedule name.
 * @param caseConversion          the V10 case-conversion policy in force ({@link CaseConversion#NONE} for V9).
 * @param httpHandlers            the canonical names of the V10 HTTP handler functions.
 * @param httpRoutes              the V10 HTTP routes.
 * @param viewPrimaryKeys         the V10 view primary keys.
 */
public record ModuleDef(
    int version,
    Typespace typespace,
    List<TableSchema> tables,
    List<ReducerDef> reducers,
    List<ProcedureDef> procedures,
    List<ViewDef> views,
    List<String> rowLevelSecurity,
    List<NamedType> namedTypes,
    List<TableNames> tableNames,
    CaseConversion caseConversion,
    List<String> httpHandlers,
    List<HttpRouteDef> httpRoutes,
    List<ViewPrimaryKeyDef> viewPrimaryKeys)
{
    /**
     * Copies the lists so the definition stays immutable.
     *
     * @param version          9 or 10.
     * @param typespace        the typespace.
     * @param tables           the tables.
     * @param reducers         the reducers in id order.
     * @param procedures       the procedures in id order.
     * @param views            the views.
     * @param rowLevelSecurity the RLS filters.
     * @param namedTypes       the named types.
     * @param tableNames       per-table names.
     * @param caseConversion   the policy.
     * @param httpHandlers     the HTTP handlers.
     * @param httpRoutes       the HTTP routes.
     * @param viewPrimaryKeys  the view primary keys.
     */
    public ModuleDef
    {
        tables = List.copyOf(tables);
        reducers = List.copyOf(reducers);
        procedures = List.copyOf(procedures);
        views = List.copyOf(views);
        rowLevelSecurity = List.copyOf(rowLevelSecurity);
        namedTypes = List.copyOf(namedTypes);
        tableNames = List.copyOf(tableNames);
        httpHandlers = List.copyOf(httpHandlers);
        httpRoutes = List.copyOf(httpRoutes);
        viewPrimaryKeys = List.copyOf(viewPrimaryKeys);
    }

    /**
     * A definition without the V10 extras: each table's source names equal its canonical names.
     *
     * @param version          9 or 10.
     * @param typespace        the typespace.
     * @param tables           the tables.
     * @param reducers         the reducers in id order.
     * @param procedures       the procedures in id order.
     * @param views            the views.
     * @param rowLevelSecurity the RLS filters.
     * @param namedTypes       the named types.
     */
    public ModuleDef(
        final int version,
        final Typespace typespace,
        final List<TableSchema> tables,
        final List<ReducerDef> reducers,
        final List<ProcedureDef> procedures,
        final List<ViewDef> views,
        final List<String> rowLevelSecurity,
        final List<NamedType> namedTypes)
    {
        this(version, typespace, tables, reducers, procedures, views, rowLevelSecurity, namedTypes,
            identityNames(tables), CaseConversion.NONE, List.of(), List.of(), List.of());
    }

    private static List<TableNames> identityNames(final List<TableSchema> tables)
    {
        final ArrayList<TableNames> names = new ArrayList<>(tables.size());
        for (final TableSchema table : tables)
        {
            final ArrayList<String> columns = new ArrayList<>(table.columnCount());
            for (int i = 0; i < table.columnCount(); i++)
            {
                columns.add(table.columnName(i));
            }
            names.add(new TableNames(table.name(), table.name(), columns, Map.of(),
                null == table.schedule() ? null : table.name() + "_sched"));
        }
        return names;
    }

    /**
     * A table by canonical name or by source-name alias, as {@code table_id_from_name} resolves it.
     *
     * @param nameOrAlias the canonical or source name.
     * @return the table, or null.
     */
    public TableSchema table(final String nameOrAlias)
    {
        for (int i = 0; i < tables.size(); i++)
        {
            if (tables.get(i).name().equals(nameOrAlias))
            {
                return tables.get(i);
            }
        }
        for (int i = 0; i < tables.size(); i++)
        {
            if (tableNames.get(i).sourceName().equals(nameOrAlias))
            {
                return tables.get(i);
            }
        }
        return null;
    }

    /**
     * The canonical name of an index by canonical name or source-name alias, as {@code index_id_from_name}
     * resolves it.
     *
     * @param nameOrAlias the canonical or source index name.
     * @return the canonical index name, or null when no index has that name.
     */
    public String indexName(final String nameOrAlias)
    {
        for (final TableSchema table : tables)
        {
            for (final IndexSchema index : table.indexes())
            {
                if (index.name().equals(nameOrAlias))
                {
                    return index.name();
                }
            }
        }
        for (final TableNames names : tableNames)
        {
            for (final Map.Entry<String, String> e : names.indexSourceNames().entrySet())
            {
                if (e.getValue().equals(nameOrAlias))
                {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /**
     * A procedure by canonical name.
     *
     * @param name the canonical name.
     * @return the procedure, or null.
     */
    public ProcedureDef procedure(final String name)
    {
        for (final ProcedureDef procedure : procedures)
        {
            if (procedure.name().equals(name))
            {
                return procedure;
            }
        }
        return null;
    }

    /**
     * A named type of the module.
     *
     * @param scope          the scope path.
     * @param name           the type name.
     * @param typeRef        its index in the typespace.
     * @param customOrdering whether it has a custom ordering.
     */
    public record NamedType(List<String> scope, String name, int typeRef, boolean customOrdering)
    {
    }

    /**
     * A reducer by canonical name.
     *
     * @param name the canonical name.
     * @return the reducer, or null.
     */
    public ReducerDef reducer(final String name)
    {
        for (final ReducerDef reducer : reducers)
        {
            if (reducer.name().equals(name))
            {
                return reducer;
            }
        }
        return null;
    }

    /**
     * The reducer serving a lifecycle.
     *
     * @param lifecycle the lifecycle.
     * @return the reducer, or null when the module has none.
     */
    public ReducerDef lifecycleReducer(final Lifecycle lifecycle)
    {
        for (final ReducerDef reducer : reducers)
        {
            if (reducer.lifecycle() == lifecycle)
            {
                return reducer;
            }
        }
        return null;
    }
}
