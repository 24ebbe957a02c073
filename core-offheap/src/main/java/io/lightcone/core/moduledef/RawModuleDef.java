package io.lightcone.core.moduledef;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.IndexAlgorithm;

import java.math.BigInteger;
import java.util.List;

/**
 * A RawModuleDef V9 or V10 as decoded, before validation (reference/spacetimedb-contracts.md §4.5). V9 is mapped
 * onto the V10 shape: its schedules, lifecycles and default values are moved to the V10 sections.
 *
 * @param version          9 or 10.
 * @param typespace        the typespace as written.
 * @param types            the named types.
 * @param tables           the tables.
 * @param reducers         the reducers, in id order.
 * @param procedures       the procedures, in id order.
 * @param views            the views.
 * @param schedules        the schedules.
 * @param lifecycles       the lifecycle assignments.
 * @param rowLevelSecurity the RLS SQL strings.
 * @param caseConversion   the policy, or null when the section is absent.
 * @param explicitNames    the explicit name mappings.
 * @param httpHandlers     the HTTP handler source names.
 * @param httpRoutes       the HTTP routes.
 * @param viewPrimaryKeys  the view primary keys.
 * @param submodules       the submodules.
 */
record RawModuleDef(
    int version,
    Typespace typespace,
    List<ModuleDef.NamedType> types,
    List<Table> tables,
    List<Reducer> reducers,
    List<Procedure> procedures,
    List<View> views,
    List<Schedule> schedules,
    List<LifecycleAssignment> lifecycles,
    List<String> rowLevelSecurity,
    CaseConversion caseConversion,
    List<ExplicitName> explicitNames,
    List<String> httpHandlers,
    List<HttpRouteDef> httpRoutes,
    List<ViewPrimaryKeyDef> viewPrimaryKeys,
    List<Submodule> submodules)
{
    /** Explicit name kind: table. */
    static final int NAME_TABLE = 0;
    /** Explicit name kind: function. */
    static final int NAME_FUNCTION = 1;
    /** Explicit name kind: index. */
    static final int NAME_INDEX = 2;

    /**
     * A table.
     *
     * @param sourceName  the name in the module.
     * @param typeRef     the row type reference.
     * @param primaryKey  the primary key columns.
     * @param indexes     the indexes.
     * @param uniques     the unique constraints.
     * @param sequences   the sequences.
     * @param system      whether table_type is System.
     * @param privateAccess whether table_access is Private.
     * @param defaults    the column default values.
     * @param event       whether it is an event table.
     */
    record Table(
        String sourceName,
        int typeRef,
        int[] primaryKey,
        List<Index> indexes,
        List<Unique> uniques,
        List<Sequence> sequences,
        boolean system,
        boolean privateAccess,
        List<DefaultValue> defaults,
        boolean event)
    {
    }

    /**
     * An index.
     *
     * @param sourceName   the name in the module, or null.
     * @param accessorName the accessor name, or null.
     * @param algorithm    the algorithm.
     * @param columns      the key columns (one for Direct).
     */
    record Index(String sourceName, String accessorName, IndexAlgorithm algorithm, int[] columns)
    {
    }

    /**
     * A unique constraint.
     *
     * @param sourceName the name, or null.
     * @param columns    the constrained columns.
     */
    record Unique(String sourceName, int[] columns)
    {
    }

    /**
     * A sequence; bounds are i128 values, null when absent.
     *
     * @param sourceName the name, or null.
     * @param column     the column.
     * @param start      the start, or null.
     * @param min        the minimum, or null.
     * @param max        the maximum, or null.
     * @param increment  the increment.
     */
    record Sequence(String sourceName, int column, BigInteger start, BigInteger min, BigInteger max,
        BigInteger increment)
    {
    }

    /**
     * A column default value.
     *
     * @param column the column.
     * @param value  its BSATN.
     */
    record DefaultValue(int column, byte[] value)
    {
    }

    /**
     * A reducer.
     *
     * @param sourceName     the name in the module.
     * @param params         the parameters as written.
     * @param clientCallable V10 visibility ClientCallable (always true for V9).
     * @param okType         the ok return type (unit for V9).
     * @param errType        the err return type (String for V9).
     */
    record Reducer(String sourceName, ProductType params, boolean clientCallable, AlgebraicType okType,
        AlgebraicType errType)
    {
    }

    /**
     * A procedure.
     *
     * @param sourceName     the name in the module.
     * @param params         the parameters as written.
     * @param returnType     the return type as written.
     * @param clientCallable whether clients may call it.
     */
    record Procedure(String sourceName, ProductType params, AlgebraicType returnType, boolean clientCallable)
    {
    }

    /**
     * A view.
     *
     * @param sourceName the name in the module.
     * @param index      the index among views of its kind.
     * @param isPublic   whether it is public.
     * @param anonymous  whether it is anonymous.
     * @param params     the parameters as written.
     * @param returnType the return type as written.
     */
    record View(String sourceName, int index, boolean isPublic, boolean anonymous, ProductType params,
        AlgebraicType returnType)
    {
    }

    /**
     * A schedule.
     *
     * @param sourceName   the name, or null.
     * @param tableName    the schedule table's source name.
     * @param column       the ScheduleAt column.
     * @param functionName the scheduled function's source name.
     */
    record Schedule(String sourceName, String tableName, int column, String functionName)
    {
    }

    /**
     * A lifecycle assignment.
     *
     * @param lifecycle    the lifecycle.
     * @param functionName the reducer's source name.
     */
    record LifecycleAssignment(Lifecycle lifecycle, String functionName)
    {
    }

    /**
     * An explicit name mapping.
     *
     * @param kind          {@link #NAME_TABLE}, {@link #NAME_FUNCTION} or {@link #NAME_INDEX}.
     * @param sourceName    the source name.
     * @param canonicalName the canonical name to use.
     */
    record ExplicitName(int kind, String sourceName, String canonicalName)
    {
    }

    /**
     * A submodule.
     *
     * @param namespace the namespace it is mounted under.
     * @param module    its definition.
     */
    record Submodule(String namespace, RawModuleDef module)
    {
    }
}
