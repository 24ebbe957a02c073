package io.lightcone.core.moduledef;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * A module's {@code RawModuleDef} in either version, as SpacetimeDB's
 * {@code GET /v1/database/:name/schema?version=9|10} answers for a module of either version
 * (reference/spacetimedb-contracts.md §3.2, §4.5). SpacetimeDB converts its validated {@code ModuleDef} with
 * {@code From<ModuleDef> for RawModuleDefV9 / RawModuleDefV10}; this does the same from the raw definition and the
 * validated one, so parameter and return types keep their typespace references.
 * <p>
 * The module's own version is answered with its own bytes. A conversion reads the raw definition, validates it
 * with {@link ModuleDefDecoder} and writes the other version so that decoding the result gives the same
 * {@link ModuleDef} (same typespace, tables, columns, indexes, constraints, sequences, schedules, default values,
 * reducers, lifecycles, procedures, views, named types, row-level security), apart from what the target version
 * cannot say:
 * <ul>
 *   <li>V10 to V9: V9 has no case conversion and no explicit names, so every name is written canonical: the
 *   converted typespace, canonical table, reducer, procedure, view, index, constraint, sequence and schedule names.
 *   The source names (aliases of {@link TableNames}, {@link ReducerDef#sourceName()}...) become the canonical
 *   ones. V9 cannot express reducer or procedure visibility (a private reducer becomes callable), event tables
 *   (written as ordinary tables), HTTP handlers and routes, and view primary keys: these are dropped, as
 *   SpacetimeDB drops them.</li>
 *   <li>V9 to V10: names are kept as written, with {@code CaseConversionPolicy::None} and an {@code ExplicitNames}
 *   entry for every named index. V10 always names unique constraints {@code <table>_<cols>_key} and schedules
 *   {@code <table>_sched}: a V9 constraint or schedule name that differs is not kept.</li>
 * </ul>
 * Cold path: allocates freely.
 */
public final class RawModuleDefConverter
{
    private RawModuleDefConverter()
    {
    }

    /**
     * The module's definition as a BSATN {@code RawModuleDef} of the version asked for.
     *
     * @param rawModuleDef the module's own BSATN RawModuleDef (V9 or V10).
     * @param version      9 or 10.
     * @return the definition in that version; a copy of the input when it already is.
     * @throws ModuleDefException when the definition is malformed or invalid.
     * @throws IllegalArgumentException when the version is neither 9 nor 10.
     */
    public static byte[] convert(final byte[] rawModuleDef, final int version) throws ModuleDefException
    {
        if (version != 9 && version != 10)
        {
            throw new IllegalArgumentException("RawModuleDef version must be 9 or 10: " + version);
        }
        final RawModuleDef raw = new RawModuleDefReader(new BsatnReader(rawModuleDef)).read();
        if (raw.version() == version)
        {
            return rawModuleDef.clone();
        }
        final ModuleDef def = ModuleDefDecoder.validate(raw);
        return RawModuleDefWriter.write(version == 9 ? toV9(raw, def) : toV10(raw));
    }

    private static RawModuleDef toV10(final RawModuleDef raw)
    {
        final List<RawModuleDef.ExplicitName> indexNames = new ArrayList<>();
        for (final RawModuleDef.Table table : raw.tables())
        {
            for (final RawModuleDef.Index index : table.indexes())
            {
                if (null != index.sourceName())
                {
                    indexNames.add(new RawModuleDef.ExplicitName(RawModuleDef.NAME_INDEX, index.sourceName(),
                        index.sourceName()));
                }
            }
        }
        return new RawModuleDef(10, raw.typespace(), raw.types(), raw.tables(), raw.reducers(), raw.procedures(),
            raw.views(), raw.schedules(), raw.lifecycles(), raw.rowLevelSecurity(), CaseConversion.NONE, indexNames,
            List.of(), List.of(), List.of(), List.of());
    }

    private static RawModuleDef toV9(final RawModuleDef raw, final ModuleDef def)
    {
        final List<RawModuleDef.Table> tables = new ArrayList<>();
        final List<RawModuleDef.Schedule> schedules = new ArrayList<>();
        for (int i = 0; i < raw.tables().size(); i++)
        {
            final RawModuleDef.Table t = raw.tables().get(i);
            final TableSchema schema = def.tables().get(i);
            tables.add(v9Table(t, schema));
            if (null != schema.schedule())
            {
                schedules.add(new RawModuleDef.Schedule(def.tableNames().get(i).scheduleName(), schema.name(),
                    schema.schedule().scheduleAtColumn(), schema.schedule().functionName()));
            }
        }
        final List<RawModuleDef.Reducer> reducers = new ArrayList<>();
        final List<RawModuleDef.LifecycleAssignment> lifecycles = new ArrayList<>();
        for (final ReducerDef reducer : def.reducers())
        {
            reducers.add(new RawModuleDef.Reducer(reducer.name(), raw.reducers().get(reducer.id()).params(), true,
                ProductType.UNIT, AlgebraicType.STRING));
            if (null != reducer.lifecycle())
            {
                lifecycles.add(new RawModuleDef.LifecycleAssignment(reducer.lifecycle(), reducer.name()));
            }
        }
        final List<RawModuleDef.Procedure> procedures = new ArrayList<>();
        for (final ProcedureDef procedure : def.procedures())
        {
            final RawModuleDef.Procedure p = raw.procedures().get(procedure.id());
            procedures.add(new RawModuleDef.Procedure(procedure.name(), p.params(), p.returnType(), true));
        }
        final List<RawModuleDef.View> views = new ArrayList<>();
        for (int i = 0; i < raw.views().size(); i++)
        {
            final RawModuleDef.View v = raw.views().get(i);
            views.add(new RawModuleDef.View(def.views().get(i).name(), v.index(), v.isPublic(), v.anonymous(),
                v.params(), v.returnType()));
        }
        return new RawModuleDef(9, def.typespace(), raw.types(), tables, reducers, procedures, views, schedules,
            lifecycles, raw.rowLevelSecurity(), null, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static RawModuleDef.Table v9Table(final RawModuleDef.Table t, final TableSchema schema)
    {
        final List<RawModuleDef.Index> indexes = new ArrayList<>();
        for (int j = 0; j < t.indexes().size(); j++)
        {
            final RawModuleDef.Index index = t.indexes().get(j);
            final IndexSchema built = schema.indexes().get(j);
            indexes.add(new RawModuleDef.Index(built.name(), index.accessorName(), index.algorithm(),
                index.columns()));
        }
        final List<RawModuleDef.Unique> uniques = new ArrayList<>();
        for (final RawModuleDef.Unique unique : t.uniques())
        {
            final StringBuilder name = new StringBuilder(schema.name());
            for (final int column : unique.columns())
            {
                name.append('_').append(schema.columnName(column));
            }
            uniques.add(new RawModuleDef.Unique(name.append("_key").toString(), unique.columns()));
        }
        final List<RawModuleDef.Sequence> sequences = new ArrayList<>();
        for (int k = 0; k < t.sequences().size(); k++)
        {
            final RawModuleDef.Sequence s = t.sequences().get(k);
            sequences.add(new RawModuleDef.Sequence(schema.sequences().get(k).name(), s.column(), s.start(),
                s.min(), s.max(), s.increment()));
        }
        return new RawModuleDef.Table(schema.name(), t.typeRef(), t.primaryKey(), indexes, uniques, sequences,
            t.system(), t.privateAccess(), t.defaults(), false);
    }
}
