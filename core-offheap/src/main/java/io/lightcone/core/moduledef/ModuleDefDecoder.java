package io.lightcone.core.moduledef;

import io.lightcone.core.query.RowLevelSecurity;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.RefType;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumTypeVariant;
import io.lightcone.core.sats.TypeKind;
import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decodes and validates the BSATN {@code RawModuleDef} written by a module's {@code __describe_module__}
 * (reference/spacetimedb-contracts.md §4.5) into a {@link ModuleDef} with SpacetimeDB's canonical names.
 * <p>
 * V10 (tag 2): every section 0..14 is decoded. Canonical names of tables, columns, reducers, procedures, views and
 * HTTP handlers are the source names converted by the {@link CaseConversion} policy (default snake case) unless an
 * {@code ExplicitNames} entry maps them; sum variant names become camelCase under snake case; special types
 * (Identity, Option, ScheduleAt...) are left alone. Index names are the explicit name when one maps the index's
 * source name, else SpacetimeDB's generated {@code <table>_<col>..._idx_<btree|hash|direct>} from canonical names;
 * unique constraint names are always generated ({@code <table>_<cols>_key}), sequence names are the source name or
 * {@code <table>_<col>_seq}, schedule names {@code <table>_sched}. Source names stay available as aliases
 * ({@link TableNames}). A module with submodules is refused ("submodules are not supported"); HTTP handlers and
 * routes are kept in the model.
 * <p>
 * V9 (tag 1): names are used as written. V8 (tag 0) is refused.
 * <p>
 * Validation follows SpacetimeDB's {@code crates/schema/src/def/validate}: identifiers, the global namespace of
 * table/index/constraint/sequence/schedule names, type references, row types that are products and not recursive,
 * primary keys of one column backed by a unique constraint, unique constraints backed by an index on the same
 * column set, column numbers, Direct index column types, sequence columns and ranges, default values, reducer
 * return types, function name uniqueness, lifecycles and schedules, and row-level-security rules
 * ({@link RowLevelSecurity#compile}: each must parse, name a table of the module and type-check). Every refusal
 * is a {@link ModuleDefException}.
 * Adaptations to the storage model: a Direct index not backed by a unique constraint, or on a plain enum column,
 * becomes a BTree (SpacetimeDB does the same when building the index); sequence bounds (i128) are clamped into the
 * column type's range and at most {@link Long#MAX_VALUE}.
 */
public final class ModuleDefDecoder
{
    private ModuleDefDecoder()
    {
    }

    /**
     * Decodes a whole byte array.
     *
     * @param bsatn the {@code __describe_module__} output.
     * @return the validated definition.
     * @throws ModuleDefException when the bytes are malformed, the version unsupported or the definition invalid.
     */
    public static ModuleDef decode(final byte[] bsatn) throws ModuleDefException
    {
        return validate(new RawModuleDefReader(new BsatnReader(bsatn)).read());
    }

    /**
     * Validates a raw definition already read.
     *
     * @param raw the raw definition.
     * @return the validated definition.
     * @throws ModuleDefException when the definition is invalid.
     */
    static ModuleDef validate(final RawModuleDef raw) throws ModuleDefException
    {
        try
        {
            return new Validation(raw).run();
        }
        catch (final IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e)
        {
            throw new ModuleDefException("invalid module definition: " + e.getMessage(), e);
        }
    }

    /** The state of one validation. */
    private static final class Validation
    {
        private final RawModuleDef raw;
        private final CaseConversion policy;
        private final Map<String, String> explicitTables = new HashMap<>();
        private final Map<String, String> explicitFunctions = new HashMap<>();
        private final Map<String, String> explicitIndexes = new HashMap<>();
        private final Map<String, String> namespace = new HashMap<>();
        private final Map<String, TablePlan> plans = new LinkedHashMap<>();
        private final List<String> reducerNames = new ArrayList<>();
        private final List<String> procedureNames = new ArrayList<>();
        private Typespace typespace;

        Validation(final RawModuleDef raw)
        {
            this.raw = raw;
            this.policy = null == raw.caseConversion() ? CaseConversion.SNAKE_CASE : raw.caseConversion();
            for (final RawModuleDef.ExplicitName name : raw.explicitNames())
            {
                final Map<String, String> map = switch (name.kind())
                {
                    case RawModuleDef.NAME_TABLE -> explicitTables;
                    case RawModuleDef.NAME_FUNCTION -> explicitFunctions;
                    default -> explicitIndexes;
                };
                map.put(name.sourceName(), name.canonicalName());
            }
        }

        ModuleDef run() throws ModuleDefException
        {
            if (!raw.submodules().isEmpty())
            {
                final List<String> namespaces = new ArrayList<>();
                raw.submodules().forEach(s -> namespaces.add(s.namespace()));
                throw new ModuleDefException("submodules are not supported (the module declares " +
                    namespaces.size() + ": " + String.join(", ", namespaces) + ")");
            }
            checkTypeRefs();
            typespace = new Typespace(convertAll(raw.typespace().types()));
            for (final RawModuleDef.Table table : raw.tables())
            {
                final TablePlan plan = planTable(table);
                if (null != plans.put(plan.name, plan))
                {
                    throw new ModuleDefException("duplicate table name " + plan.name);
                }
            }
            final Set<String> functions = new HashSet<>();
            for (final RawModuleDef.Reducer reducer : raw.reducers())
            {
                reducerNames.add(functionName(reducer.sourceName(), "reducer", functions));
            }
            for (final RawModuleDef.Procedure procedure : raw.procedures())
            {
                procedureNames.add(functionName(procedure.sourceName(), "procedure", functions));
            }
            final List<ViewDef> views = new ArrayList<>();
            for (final RawModuleDef.View view : raw.views())
            {
                final String name = functionName(view.sourceName(), "view", functions);
                views.add(new ViewDef(view.index(), name, view.sourceName(), view.isPublic(), view.anonymous(),
                    params(view.params(), "view " + name), inline(view.returnType(), "view " + name +
                    " return type")));
            }
            final Lifecycle[] lifecycles = lifecycles();
            final boolean[] scheduled = new boolean[reducerNames.size()];
            for (final RawModuleDef.Schedule schedule : raw.schedules())
            {
                schedule(schedule, scheduled);
            }
            final List<TableSchema> tables = new ArrayList<>();
            final List<TableNames> tableNames = new ArrayList<>();
            for (final TablePlan plan : plans.values())
            {
                tables.add(plan.build());
                tableNames.add(plan.names());
            }
            checkRowLevelSecurity(tables);
            return new ModuleDef(raw.version(), typespace, tables, reducers(lifecycles, scheduled), procedures(),
                views, raw.rowLevelSecurity(), raw.types(), tableNames, policy, httpHandlers(), httpRoutes(),
                viewPrimaryKeys());
        }

        /** SpacetimeDB refuses to publish a module with an invalid or malformed rule; so do we. */
        private void checkRowLevelSecurity(final List<TableSchema> tables) throws ModuleDefException
        {
            final Map<String, TableSchema> byName = new HashMap<>();
            for (final TableSchema table : tables)
            {
                byName.put(table.name(), table);
            }
            try
            {
                RowLevelSecurity.compile(raw.rowLevelSecurity(), byName::get);
            }
            catch (final SqlException ex)
            {
                throw new ModuleDefException(ex.getMessage(), ex);
            }
        }

        // --------------------------------------------------------------------------------------------------------
        // Types
        // --------------------------------------------------------------------------------------------------------

        private void checkTypeRefs() throws ModuleDefException
        {
            final List<AlgebraicType> types = raw.typespace().types();
            for (int i = 0; i < types.size(); i++)
            {
                checkRefs(types.get(i), "typespace type &" + i);
            }
            for (final ModuleDef.NamedType type : raw.types())
            {
                checkRef(type.typeRef(), "named type " + type.name());
            }
            for (final RawModuleDef.Table table : raw.tables())
            {
                checkRef(table.typeRef(), "table " + table.sourceName());
            }
            for (final RawModuleDef.Reducer reducer : raw.reducers())
            {
                checkRefs(reducer.params(), "reducer " + reducer.sourceName() + " parameters");
                checkRefs(reducer.okType(), "reducer " + reducer.sourceName() + " return type");
                checkRefs(reducer.errType(), "reducer " + reducer.sourceName() + " error type");
            }
            for (final RawModuleDef.Procedure procedure : raw.procedures())
            {
                checkRefs(procedure.params(), "procedure " + procedure.sourceName() + " parameters");
                checkRefs(procedure.returnType(), "procedure " + procedure.sourceName() + " return type");
            }
            for (final RawModuleDef.View view : raw.views())
            {
                checkRefs(view.params(), "view " + view.sourceName() + " parameters");
                checkRefs(view.returnType(), "view " + view.sourceName() + " return type");
            }
        }

        private void checkRefs(final AlgebraicType type, final String where) throws ModuleDefException
        {
            if (type instanceof RefType ref)
            {
                checkRef(ref.index(), where);
            }
            else if (type instanceof ArrayType array)
            {
                checkRefs(array.elementType(), where);
            }
            else if (type instanceof ProductType product)
            {
                for (final ProductTypeElement element : product.elements())
                {
                    checkRefs(element.type(), where);
                }
            }
            else if (type instanceof SumType sum)
            {
                for (final SumTypeVariant variant : sum.variants())
                {
                    checkRefs(variant.type(), where);
                }
            }
        }

        private void checkRef(final int ref, final String where) throws ModuleDefException
        {
            final int size = raw.typespace().types().size();
            if (ref < 0 || ref >= size)
            {
                throw new ModuleDefException(where + ": type reference &" + Integer.toUnsignedString(ref) +
                    " is outside the typespace of " + size + " types");
            }
        }

        private List<AlgebraicType> convertAll(final List<AlgebraicType> types)
        {
            final List<AlgebraicType> converted = new ArrayList<>(types.size());
            for (final AlgebraicType type : types)
            {
                converted.add(convert(type));
            }
            return converted;
        }

        private AlgebraicType convert(final AlgebraicType type)
        {
            if (policy == CaseConversion.NONE)
            {
                return type;
            }
            if (type instanceof ProductType product && product.special() == SpecialType.NONE)
            {
                final List<ProductTypeElement> elements = new ArrayList<>(product.size());
                for (final ProductTypeElement e : product.elements())
                {
                    elements.add(new ProductTypeElement(null == e.name() ? null : policy.convert(e.name()),
                        convert(e.type())));
                }
                return new ProductType(elements);
            }
            if (type instanceof SumType sum && sum.special() == SpecialType.NONE)
            {
                final List<SumTypeVariant> variants = new ArrayList<>(sum.size());
                for (final SumTypeVariant v : sum.variants())
                {
                    variants.add(new SumTypeVariant(null == v.name() ? null : policy.convertVariant(v.name()),
                        convert(v.type())));
                }
                return new SumType(variants);
            }
            if (type instanceof ArrayType array)
            {
                return new ArrayType(convert(array.elementType()));
            }
            return type;
        }

        private AlgebraicType inline(final AlgebraicType type, final String where) throws ModuleDefException
        {
            try
            {
                return typespace.inline(type);
            }
            catch (final IllegalArgumentException e)
            {
                throw new ModuleDefException(where + ": " + e.getMessage(), e);
            }
        }

        private ProductType params(final ProductType params, final String where) throws ModuleDefException
        {
            return (ProductType)inline(params, where + " parameters");
        }

        // --------------------------------------------------------------------------------------------------------
        // Names
        // --------------------------------------------------------------------------------------------------------

        private String tableName(final String source)
        {
            final String explicit = explicitTables.get(source);
            return null != explicit ? explicit : policy.convert(source);
        }

        private String functionName(final String source)
        {
            final String explicit = explicitFunctions.get(source);
            return null != explicit ? explicit : policy.convert(source);
        }

        private String functionName(final String source, final String kind, final Set<String> seen)
            throws ModuleDefException
        {
            final String name = functionName(source);
            checkIdentifier(name, kind + " " + source);
            if (!seen.add(name))
            {
                throw new ModuleDefException("duplicate function name " + name + " (" + kind + " " + source +
                    "): reducers, procedures and views share one namespace");
            }
            return name;
        }

        private void register(final String name, final String what) throws ModuleDefException
        {
            final String previous = namespace.putIfAbsent(name, what);
            if (null != previous)
            {
                throw new ModuleDefException("duplicate name " + name + ": used by " + previous + " and by " + what);
            }
        }

        private static void checkIdentifier(final String name, final String what) throws ModuleDefException
        {
            if (name.isEmpty())
            {
                throw new ModuleDefException(what + ": the name is empty");
            }
            final int first = name.codePointAt(0);
            boolean ok = first == '_' || Character.isLetter(first);
            for (int i = Character.charCount(first); ok && i < name.length(); )
            {
                final int c = name.codePointAt(i);
                ok = c == '_' || Character.isLetterOrDigit(c);
                i += Character.charCount(c);
            }
            if (!ok)
            {
                throw new ModuleDefException(what + ": \"" + name + "\" is not a valid identifier (a letter or _ " +
                    "then letters, digits or _)");
            }
        }

        // --------------------------------------------------------------------------------------------------------
        // Tables
        // --------------------------------------------------------------------------------------------------------

        private TablePlan planTable(final RawModuleDef.Table t) throws ModuleDefException
        {
            final String source = t.sourceName();
            final String name = tableName(source);
            checkIdentifier(name, "table " + source);
            if (!t.system() && name.startsWith("st_"))
            {
                throw new ModuleDefException("table " + name + ": the prefix st_ is reserved for system tables");
            }
            final AlgebraicType declared = typespace.types().get(t.typeRef());
            if (!(declared instanceof ProductType))
            {
                throw new ModuleDefException("table " + name + ": product_type_ref &" + t.typeRef() +
                    " is not a product type but " + declared.kind());
            }
            final ProductType row = (ProductType)inline(declared, "table " + name + " row type");
            final ProductType sourceRow = (ProductType)raw.typespace().types().get(t.typeRef());
            final List<String> columnSources = new ArrayList<>();
            for (int i = 0; i < row.size(); i++)
            {
                final String column = row.elements().get(i).name();
                if (null == column)
                {
                    throw new ModuleDefException("table " + name + ": column " + i + " has no name");
                }
                checkIdentifier(column, "table " + name + " column " + i);
                columnSources.add(sourceRow.elements().get(i).name());
            }
            register(source, "table " + name);
            if (!name.equals(source))
            {
                register(name, "table " + name);
            }
            final TablePlan plan = new TablePlan(name, source, t, row, columnSources);
            plan.builder.system(t.system()).access(t.privateAccess() ? TableAccess.PRIVATE : TableAccess.PUBLIC)
                .event(t.event());
            final List<int[]> uniques = uniques(plan);
            primaryKey(plan, uniques);
            indexes(plan, uniques);
            sequences(plan);
            defaults(plan);
            return plan;
        }

        private List<int[]> uniques(final TablePlan plan) throws ModuleDefException
        {
            final List<int[]> uniques = new ArrayList<>();
            for (final RawModuleDef.Unique unique : plan.raw.uniques())
            {
                final String generated = plan.name + "_" + plan.columnNames(unique.columns()) + "_key";
                final String name = raw.version() == 9 && null != unique.sourceName() ? unique.sourceName() :
                    generated;
                plan.checkColumns(unique.columns(), "unique constraint " + name);
                register(name, "unique constraint of table " + plan.name);
                uniques.add(sorted(unique.columns()));
            }
            return uniques;
        }

        private void primaryKey(final TablePlan plan, final List<int[]> uniques) throws ModuleDefException
        {
            final int[] pk = plan.raw.primaryKey();
            if (pk.length > 1)
            {
                throw new ModuleDefException("table " + plan.name + ": primary key has " + pk.length +
                    " columns; only single-column primary keys are supported");
            }
            if (pk.length == 1)
            {
                plan.checkColumns(pk, "primary key");
                if (!containsSet(uniques, pk))
                {
                    throw new ModuleDefException("table " + plan.name + ": primary key column " +
                        plan.row.elements().get(pk[0]).name() + " has no unique constraint");
                }
                plan.builder.primaryKey(pk);
                plan.pk = pk[0];
            }
        }

        private void indexes(final TablePlan plan, final List<int[]> uniques) throws ModuleDefException
        {
            final List<int[]> indexed = new ArrayList<>();
            for (final RawModuleDef.Index index : plan.raw.indexes())
            {
                final int[] columns = index.columns();
                final String generated = plan.name + "_" + plan.columnNames(columns) + "_idx_" +
                    index.algorithm().name().toLowerCase(Locale.ROOT);
                final String source = index.sourceName();
                final String name;
                if (raw.version() == 9)
                {
                    name = null != source ? source : generated;
                }
                else
                {
                    name = null != source && explicitIndexes.containsKey(source) ? explicitIndexes.get(source) :
                        generated;
                }
                plan.checkColumns(columns, "index " + name);
                if (null != source)
                {
                    register(source, "index of table " + plan.name);
                }
                if (!name.equals(source))
                {
                    register(name, "index of table " + plan.name);
                    if (null != source)
                    {
                        plan.indexSources.put(name, source);
                    }
                }
                IndexAlgorithm algorithm = index.algorithm();
                if (algorithm == IndexAlgorithm.DIRECT)
                {
                    final AlgebraicType type = plan.row.typeAt(columns[0]);
                    final boolean unsigned = type == PrimitiveType.U8 || type == PrimitiveType.U16 ||
                        type == PrimitiveType.U32 || type == PrimitiveType.U64;
                    if (!unsigned && !(type instanceof SumType sum && sum.isSimpleEnum()))
                    {
                        throw new ModuleDefException("table " + plan.name + ": direct index " + name +
                            " is on column " + plan.row.elements().get(columns[0]).name() + " of type " +
                            type.kind() + "; direct indexes need u8, u16, u32, u64 or a plain enum");
                    }
                    if (!unsigned || !containsSet(uniques, columns))
                    {
                        algorithm = IndexAlgorithm.BTREE;
                    }
                }
                plan.builder.index(new IndexSchema(name, index.accessorName(), algorithm, columns, false));
                indexed.add(columns);
            }
            for (final int[] unique : uniques)
            {
                int[] match = null;
                for (final int[] columns : indexed)
                {
                    if (null == match && Arrays.equals(sorted(columns), unique))
                    {
                        match = columns;
                    }
                }
                if (null == match)
                {
                    throw new ModuleDefException("table " + plan.name + ": unique constraint on columns (" +
                        plan.columnNames(unique, ", ") + ") has no index on the same columns");
                }
                plan.builder.unique(match);
            }
        }

        private void sequences(final TablePlan plan) throws ModuleDefException
        {
            final Set<Integer> columns = new HashSet<>();
            for (final RawModuleDef.Sequence s : plan.raw.sequences())
            {
                plan.checkColumns(new int[] {s.column()}, "sequence");
                final String column = plan.row.elements().get(s.column()).name();
                final String name = null != s.sourceName() ? s.sourceName() : plan.name + "_" + column + "_seq";
                final String where = "table " + plan.name + ": sequence " + name;
                final TypeKind kind = plan.row.typeAt(s.column()).kind();
                if (!kind.isSignedInteger() && !kind.isUnsignedInteger())
                {
                    throw new ModuleDefException(where + " is on column " + column + " of type " + kind +
                        ", not an integer");
                }
                if (!columns.add(s.column()))
                {
                    throw new ModuleDefException("table " + plan.name + ": column " + column +
                        " has more than one sequence");
                }
                register(name, "sequence of table " + plan.name);
                plan.builder.sequence(SequenceRange.of(where, kind, s, name));
            }
        }

        private void defaults(final TablePlan plan) throws ModuleDefException
        {
            for (final RawModuleDef.DefaultValue d : plan.raw.defaults())
            {
                plan.checkColumns(new int[] {d.column()}, "default value");
                final AlgebraicType type = plan.row.typeAt(d.column());
                try
                {
                    Bsatn.decodeValueFully(d.value(), type);
                }
                catch (final RuntimeException e)
                {
                    throw new ModuleDefException("table " + plan.name + ": default value of column " +
                        plan.row.elements().get(d.column()).name() + " is not a valid " + type.kind() + ": " +
                        e.getMessage(), e);
                }
                plan.builder.defaultValue(d.column(), d.value());
            }
        }

        // --------------------------------------------------------------------------------------------------------
        // Functions, lifecycles, schedules
        // --------------------------------------------------------------------------------------------------------

        private Lifecycle[] lifecycles() throws ModuleDefException
        {
            final Lifecycle[] lifecycles = new Lifecycle[reducerNames.size()];
            final Set<Lifecycle> assigned = new HashSet<>();
            for (final RawModuleDef.LifecycleAssignment a : raw.lifecycles())
            {
                final String name = functionName(a.functionName());
                final int id = reducerNames.indexOf(name);
                if (id < 0)
                {
                    throw new ModuleDefException("lifecycle " + a.lifecycle() + " names reducer " + name +
                        ", which does not exist");
                }
                if (!assigned.add(a.lifecycle()))
                {
                    throw new ModuleDefException("lifecycle " + a.lifecycle() + " is assigned to more than one " +
                        "reducer (" + name + " is the second)");
                }
                if (null != lifecycles[id])
                {
                    throw new ModuleDefException("reducer " + name + " serves two lifecycles: " + lifecycles[id] +
                        " and " + a.lifecycle());
                }
                lifecycles[id] = a.lifecycle();
            }
            return lifecycles;
        }

        private void schedule(final RawModuleDef.Schedule s, final boolean[] scheduled) throws ModuleDefException
        {
            final String tableName = tableName(s.tableName());
            final TablePlan plan = plans.get(tableName);
            if (null == plan)
            {
                throw new ModuleDefException("schedule of function " + s.functionName() + " names table " +
                    s.tableName() + ", which does not exist");
            }
            if (null != plan.scheduleName)
            {
                throw new ModuleDefException("table " + tableName + " has more than one schedule");
            }
            plan.checkColumns(new int[] {s.column()}, "schedule");
            final AlgebraicType at = plan.row.typeAt(s.column());
            if (!(at instanceof SumType sum && sum.special() == SpecialType.SCHEDULE_AT))
            {
                throw new ModuleDefException("table " + tableName + ": schedule column " +
                    plan.row.elements().get(s.column()).name() + " is not a ScheduleAt but " + at.kind());
            }
            if (plan.pk < 0 || plan.row.typeAt(plan.pk) != PrimitiveType.U64)
            {
                throw new ModuleDefException("schedule table " + tableName + " needs a u64 primary key column " +
                    "(the scheduled_id)");
            }
            final String function = functionName(s.functionName());
            final int reducer = reducerNames.indexOf(function);
            final int procedure = procedureNames.indexOf(function);
            if (reducer < 0 && procedure < 0)
            {
                throw new ModuleDefException("table " + tableName + " schedules function " + function +
                    ", which is neither a reducer nor a procedure");
            }
            final ProductType params = reducer >= 0 ? raw.reducers().get(reducer).params() :
                raw.procedures().get(procedure).params();
            if (params.size() != 1 || !params.typeAt(0).equals(new RefType(plan.raw.typeRef())))
            {
                throw new ModuleDefException("function " + function + " scheduled by table " + tableName +
                    " must take exactly one argument of the table's row type &" + plan.raw.typeRef());
            }
            final String name = raw.version() == 9 && null != s.sourceName() ? s.sourceName() :
                tableName + "_sched";
            register(name, "schedule of table " + tableName);
            plan.scheduleName = name;
            plan.builder.schedule(function, s.column());
            if (reducer >= 0)
            {
                scheduled[reducer] = true;
            }
        }

        private List<ReducerDef> reducers(final Lifecycle[] lifecycles, final boolean[] scheduled)
            throws ModuleDefException
        {
            final List<ReducerDef> reducers = new ArrayList<>();
            for (int id = 0; id < reducerNames.size(); id++)
            {
                final RawModuleDef.Reducer r = raw.reducers().get(id);
                final String name = reducerNames.get(id);
                if (!(r.okType() instanceof ProductType ok && ok.isUnit()) || r.errType() != PrimitiveType.STRING)
                {
                    throw new ModuleDefException("reducer " + name + ": return type must be Result<(), String>, " +
                        "found ok " + r.okType().kind() + ", err " + r.errType().kind());
                }
                final boolean callable = r.clientCallable() && null == lifecycles[id] && !scheduled[id];
                reducers.add(new ReducerDef(id, name, r.sourceName(), params(r.params(), "reducer " + name),
                    lifecycles[id], callable));
            }
            return reducers;
        }

        private List<ProcedureDef> procedures() throws ModuleDefException
        {
            final List<ProcedureDef> procedures = new ArrayList<>();
            for (int id = 0; id < procedureNames.size(); id++)
            {
                final RawModuleDef.Procedure p = raw.procedures().get(id);
                final String name = procedureNames.get(id);
                procedures.add(new ProcedureDef(id, name, p.sourceName(), params(p.params(), "procedure " + name),
                    inline(p.returnType(), "procedure " + name + " return type")));
            }
            return procedures;
        }

        private List<String> httpHandlers() throws ModuleDefException
        {
            final List<String> handlers = new ArrayList<>();
            final Set<String> seen = new HashSet<>();
            for (final String source : raw.httpHandlers())
            {
                handlers.add(functionName(source, "http handler", seen));
            }
            return handlers;
        }

        private List<HttpRouteDef> httpRoutes() throws ModuleDefException
        {
            final List<HttpRouteDef> routes = new ArrayList<>();
            final Set<String> seen = new HashSet<>();
            for (final HttpRouteDef route : raw.httpRoutes())
            {
                final String handler = functionName(route.handler());
                if (!raw.httpHandlers().contains(route.handler()) && !httpHandlerNames().contains(handler))
                {
                    throw new ModuleDefException("http route " + route.path() + " names handler " + handler +
                        ", which does not exist");
                }
                if (!seen.add(route.method() + " " + route.path()))
                {
                    throw new ModuleDefException("http route " + (null == route.method() ? "ANY" : route.method()) +
                        " " + route.path() + " is declared twice");
                }
                routes.add(new HttpRouteDef(handler, route.method(), route.path()));
            }
            return routes;
        }

        private Set<String> httpHandlerNames()
        {
            final Set<String> names = new HashSet<>();
            raw.httpHandlers().forEach(h -> names.add(functionName(h)));
            return names;
        }

        private List<ViewPrimaryKeyDef> viewPrimaryKeys() throws ModuleDefException
        {
            final List<ViewPrimaryKeyDef> keys = new ArrayList<>();
            for (final ViewPrimaryKeyDef key : raw.viewPrimaryKeys())
            {
                final String view = functionName(key.view());
                boolean found = false;
                for (final RawModuleDef.View v : raw.views())
                {
                    found |= functionName(v.sourceName()).equals(view);
                }
                if (!found)
                {
                    throw new ModuleDefException("view primary key names view " + view + ", which does not exist");
                }
                keys.add(new ViewPrimaryKeyDef(view, key.columns()));
            }
            return keys;
        }

        private static boolean containsSet(final List<int[]> sets, final int[] columns)
        {
            final int[] key = sorted(columns);
            for (final int[] set : sets)
            {
                if (Arrays.equals(set, key))
                {
                    return true;
                }
            }
            return false;
        }

        private static int[] sorted(final int[] columns)
        {
            final int[] copy = columns.clone();
            Arrays.sort(copy);
            return copy;
        }
    }

    /** A table being validated: its builder and names, built once schedules are attached. */
    private static final class TablePlan
    {
        final String name;
        final String sourceName;
        final RawModuleDef.Table raw;
        final ProductType row;
        final List<String> columnSources;
        final TableSchema.Builder builder;
        final Map<String, String> indexSources = new LinkedHashMap<>();
        int pk = -1;
        String scheduleName;

        TablePlan(final String name, final String sourceName, final RawModuleDef.Table raw, final ProductType row,
            final List<String> columnSources)
        {
            this.name = name;
            this.sourceName = sourceName;
            this.raw = raw;
            this.row = row;
            this.columnSources = columnSources;
            this.builder = TableSchema.builder(name, row);
        }

        String columnNames(final int[] columns)
        {
            return columnNames(columns, "_");
        }

        String columnNames(final int[] columns, final String separator)
        {
            final StringBuilder sb = new StringBuilder();
            for (final int column : columns)
            {
                if (sb.length() > 0)
                {
                    sb.append(separator);
                }
                sb.append(column < row.size() ? row.elements().get(column).name() : "col_" + column);
            }
            return sb.toString();
        }

        void checkColumns(final int[] columns, final String what) throws ModuleDefException
        {
            final Set<Integer> seen = new HashSet<>();
            for (final int column : columns)
            {
                if (column < 0 || column >= row.size())
                {
                    throw new ModuleDefException("table " + name + ": " + what + " refers to column " + column +
                        " but the row has " + row.size() + " columns");
                }
                if (!seen.add(column))
                {
                    throw new ModuleDefException("table " + name + ": " + what + " repeats column " +
                        row.elements().get(column).name());
                }
            }
            if (columns.length == 0)
            {
                throw new ModuleDefException("table " + name + ": " + what + " has no columns");
            }
        }

        TableSchema build() throws ModuleDefException
        {
            try
            {
                return builder.build();
            }
            catch (final IllegalArgumentException e)
            {
                final String message = e.getMessage();
                throw new ModuleDefException(message.startsWith("table ") ? message :
                    "table " + name + ": " + message, e);
            }
        }

        TableNames names()
        {
            return new TableNames(name, sourceName, columnSources, indexSources, scheduleName);
        }
    }

    /** Turns a sequence's optional i128 bounds into a {@link SequenceSchema} within the column type's range. */
    private static final class SequenceRange
    {
        private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
        private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

        private SequenceRange()
        {
        }

        static SequenceSchema of(final String where, final TypeKind kind, final RawModuleDef.Sequence s,
            final String name) throws ModuleDefException
        {
            if (kind.fixedSize() > 8)
            {
                throw new ModuleDefException(where + " is on a " + kind + " column; sequences on 128- and " +
                    "256-bit columns are not supported");
            }
            if (!le(s.min(), s.start()) || !le(s.start(), s.max()) || !le(s.min(), s.max()))
            {
                throw new ModuleDefException(where + " has an invalid range: min " + s.min() + ", start " +
                    s.start() + ", max " + s.max());
            }
            if (s.increment().signum() == 0 || s.increment().compareTo(LONG_MIN) < 0 ||
                s.increment().compareTo(LONG_MAX) > 0)
            {
                throw new ModuleDefException(where + " has increment " + s.increment() +
                    "; it must be non-zero and fit in 64 bits");
            }
            final BigInteger typeMin = kind.isUnsignedInteger() ? BigInteger.ZERO :
                BigInteger.ONE.shiftLeft(kind.fixedSize() * 8 - 1).negate();
            final int bits = kind.fixedSize() * 8;
            final BigInteger typeMax;
            if (kind == TypeKind.U64)
            {
                typeMax = LONG_MAX;
            }
            else
            {
                typeMax = BigInteger.ONE.shiftLeft(kind.isUnsignedInteger() ? bits : bits - 1).subtract(BigInteger.ONE);
            }
            final BigInteger min = (null == s.min() ? BigInteger.ONE : s.min()).max(typeMin);
            final BigInteger max = (null == s.max() ? typeMax : s.max()).min(typeMax);
            final BigInteger start = null == s.start() ? BigInteger.ONE : s.start();
            if (min.compareTo(max) > 0 || start.compareTo(min) < 0 || start.compareTo(max) > 0)
            {
                throw new ModuleDefException(where + ": start " + start + " is outside [" + min + ", " + max +
                    "], the range left after clamping to the column type " + kind);
            }
            return new SequenceSchema(name, s.column(), start.longValueExact(), min.longValueExact(),
                max.longValueExact(), s.increment().longValueExact());
        }

        private static boolean le(final BigInteger lo, final BigInteger hi)
        {
            return null == lo || null == hi || lo.compareTo(hi) <= 0;
        }
    }
}
