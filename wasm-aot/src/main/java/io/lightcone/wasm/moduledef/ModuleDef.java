package io.lightcone.wasm.moduledef;

import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.TableSchema;

import java.util.List;

/**
 * What a module describes about itself ({@code RawModuleDef} V9 or V10, reference/spacetimedb-contracts.md §4.5),
 * validated and with canonical names: the names clients and SQL see.
 *
 * @param version                 9 or 10: which RawModuleDef variant the module wrote.
 * @param typespace               the module's typespace, as written.
 * @param tables                  the tables as storage schemas (unassigned ids), with canonical table, column and
 *                                index names; schedule tables carry their schedule.
 * @param reducers                the reducers in id order.
 * @param procedures              the procedures in id order.
 * @param views                   the views.
 * @param rowLevelSecurity        the row-level-security SQL filters.
 * @param namedTypes              the named types, for code generation.
 */
public record ModuleDef(
    int version,
    Typespace typespace,
    List<TableSchema> tables,
    List<ReducerDef> reducers,
    List<ProcedureDef> procedures,
    List<ViewDef> views,
    List<String> rowLevelSecurity,
    List<NamedType> namedTypes)
{
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
