package io.lightcone.core.moduledef;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.IndexAlgorithm;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the BSATN of a {@code RawModuleDef} (reference/spacetimedb-contracts.md §4.5) into a {@link RawModuleDef},
 * field by field in declaration order. Knows nothing of validation; every malformation becomes a
 * {@link ModuleDefException} naming the byte offset and the part being read.
 */
final class RawModuleDefReader
{
    /** The {@code http::Method} variants before {@code Extension(String)}, in tag order. */
    static final String[] HTTP_METHODS =
        {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
    private static final int MAX_SUBMODULE_DEPTH = 8;

    private final BsatnReader in;
    private String where = "RawModuleDef tag";

    RawModuleDefReader(final BsatnReader in)
    {
        this.in = in;
    }

    /**
     * Reads a whole RawModuleDef and checks nothing follows it.
     *
     * @return the raw definition.
     * @throws ModuleDefException on malformed or unsupported input.
     */
    RawModuleDef read() throws ModuleDefException
    {
        try
        {
            if (in.isExhausted())
            {
                throw new ModuleDefException("empty module definition: __describe_module__ wrote no bytes");
            }
            final int tag = in.readU8();
            final RawModuleDef def;
            switch (tag)
            {
                case 0:
                    throw new ModuleDefException("RawModuleDef V8 is not supported (tag 0); rebuild the module " +
                        "with a SpacetimeDB 1.0+ module library (V9 or V10)");
                case 1:
                    def = readV9();
                    break;
                case 2:
                    def = readV10(0);
                    break;
                default:
                    throw new ModuleDefException("not a RawModuleDef: first byte 0x" + Integer.toHexString(tag) +
                        " is not a known version tag (0 V8, 1 V9, 2 V10)");
            }
            if (!in.isExhausted())
            {
                throw new ModuleDefException("malformed RawModuleDef: " + in.remaining() +
                    " trailing bytes after the definition, at offset " + in.relativePosition());
            }
            return def;
        }
        catch (final BsatnDecodeException e)
        {
            throw new ModuleDefException("malformed RawModuleDef at offset " + e.offset() + " while reading " +
                where + ": " + e.reason(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // V9
    // ------------------------------------------------------------------------------------------------------------

    private RawModuleDef readV9() throws ModuleDefException
    {
        where = "V9 typespace";
        final Typespace typespace = Bsatn.decodeTypespace(in);
        final int tableCount = in.readLength(1, "V9 tables");
        final List<RawModuleDef.Table> tables = new ArrayList<>(tableCount);
        final List<RawModuleDef.Schedule> schedules = new ArrayList<>();
        for (int i = 0; i < tableCount; i++)
        {
            tables.add(readV9Table(i, schedules));
        }
        final int reducerCount = in.readLength(1, "V9 reducers");
        final List<RawModuleDef.Reducer> reducers = new ArrayList<>(reducerCount);
        final List<RawModuleDef.LifecycleAssignment> lifecycles = new ArrayList<>();
        for (int i = 0; i < reducerCount; i++)
        {
            where = "V9 reducer #" + i;
            final String name = in.readString();
            where = "V9 reducer " + name;
            final ProductType params = readProductType();
            final int lifecycleTag = readOptionTag();
            if (lifecycleTag == 0)
            {
                lifecycles.add(new RawModuleDef.LifecycleAssignment(readLifecycle(), name));
            }
            reducers.add(new RawModuleDef.Reducer(name, params, true, ProductType.UNIT, AlgebraicType.STRING));
        }
        where = "V9 types";
        final List<ModuleDef.NamedType> types = readTypeDefs();
        final List<RawModuleDef.Procedure> procedures = new ArrayList<>();
        final List<RawModuleDef.View> views = new ArrayList<>();
        final int miscCount = in.readLength(1, "V9 misc_exports");
        for (int i = 0; i < miscCount; i++)
        {
            readV9MiscExport(i, tables, procedures, views);
        }
        where = "V9 row_level_security";
        final List<String> rls = readRowLevelSecurity();
        return new RawModuleDef(9, typespace, types, tables, reducers, procedures, views, schedules, lifecycles,
            rls, CaseConversion.NONE, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private RawModuleDef.Table readV9Table(final int i, final List<RawModuleDef.Schedule> schedules)
        throws ModuleDefException
    {
        where = "V9 table #" + i;
        final String name = in.readString();
        where = "V9 table " + name;
        final int typeRef = in.readI32();
        final int[] pk = readColList();
        final List<RawModuleDef.Index> indexes = readIndexes();
        final List<RawModuleDef.Unique> uniques = readConstraints();
        final List<RawModuleDef.Sequence> sequences = readSequences();
        where = "V9 table " + name + " schedule";
        if (readOptionTag() == 0)
        {
            final String scheduleName = readOptionString();
            final String reducer = in.readString();
            final int column = in.readU16();
            schedules.add(new RawModuleDef.Schedule(scheduleName, name, column, reducer));
        }
        where = "V9 table " + name + " table_type/table_access";
        final boolean system = readEnum(2, "TableType") == 0;
        final boolean privateAccess = readEnum(2, "TableAccess") == 1;
        return new RawModuleDef.Table(name, typeRef, pk, indexes, uniques, sequences, system, privateAccess,
            new ArrayList<>(), false);
    }

    private void readV9MiscExport(
        final int i,
        final List<RawModuleDef.Table> tables,
        final List<RawModuleDef.Procedure> procedures,
        final List<RawModuleDef.View> views) throws ModuleDefException
    {
        where = "V9 misc_export #" + i;
        final int tag = in.readU8();
        switch (tag)
        {
            case 0:
            {
                final String table = in.readString();
                final int column = in.readU16();
                final byte[] value = in.readByteArray();
                RawModuleDef.Table target = null;
                for (final RawModuleDef.Table t : tables)
                {
                    if (t.sourceName().equals(table))
                    {
                        target = t;
                    }
                }
                if (null == target)
                {
                    throw new ModuleDefException("column default value for column " + column +
                        " names table " + table + ", which does not exist");
                }
                target.defaults().add(new RawModuleDef.DefaultValue(column, value));
                break;
            }
            case 1:
            {
                final String name = in.readString();
                where = "V9 procedure " + name;
                final ProductType params = readProductType();
                final AlgebraicType returnType = Bsatn.decodeType(in);
                procedures.add(new RawModuleDef.Procedure(name, params, returnType, true));
                break;
            }
            case 2:
                views.add(readView());
                break;
            default:
                throw in.error("invalid RawMiscModuleExportV9 tag " + tag + " (0 ColumnDefaultValue, 1 Procedure, " +
                    "2 View)");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // V10
    // ------------------------------------------------------------------------------------------------------------

    private RawModuleDef readV10(final int depth) throws ModuleDefException
    {
        final V10Sections s = new V10Sections();
        where = "V10 sections";
        final int count = in.readLength(1, "V10 sections");
        for (int i = 0; i < count; i++)
        {
            where = "V10 section #" + i;
            final int tag = in.readU8();
            if (tag < s.seen.length)
            {
                if (s.seen[tag])
                {
                    throw new ModuleDefException("malformed RawModuleDefV10: section " + V10Sections.NAMES[tag] +
                        " appears twice");
                }
                s.seen[tag] = true;
                where = "V10 section " + V10Sections.NAMES[tag];
            }
            readV10Section(tag, s, depth);
        }
        return new RawModuleDef(10, s.typespace, s.types, s.tables, s.reducers, s.procedures, s.views, s.schedules,
            s.lifecycles, s.rls, s.caseConversion, s.explicitNames, s.httpHandlers, s.httpRoutes, s.viewPrimaryKeys,
            s.submodules);
    }

    private void readV10Section(final int tag, final V10Sections s, final int depth) throws ModuleDefException
    {
        switch (tag)
        {
            case 0 -> s.typespace = Bsatn.decodeTypespace(in);
            case 1 -> s.types = readTypeDefs();
            case 2 -> s.tables = readV10Tables();
            case 3 -> s.reducers = readV10Reducers();
            case 4 -> s.procedures = readV10Procedures();
            case 5 ->
            {
                final int n = in.readLength(1, "views");
                for (int i = 0; i < n; i++)
                {
                    s.views.add(readView());
                }
            }
            case 6 -> s.schedules = readV10Schedules();
            case 7 -> s.lifecycles = readV10Lifecycles();
            case 8 -> s.rls = readRowLevelSecurity();
            case 9 -> s.caseConversion = readEnum(2, "CaseConversionPolicy") == 0 ? CaseConversion.NONE :
                CaseConversion.SNAKE_CASE;
            case 10 -> s.explicitNames = readExplicitNames();
            case 11 ->
            {
                final int n = in.readLength(1, "http handlers");
                for (int i = 0; i < n; i++)
                {
                    s.httpHandlers.add(in.readString());
                }
            }
            case 12 -> s.httpRoutes = readHttpRoutes();
            case 13 -> s.viewPrimaryKeys = readViewPrimaryKeys();
            case 14 -> s.submodules = readSubmodules(depth);
            default -> throw in.error("unknown RawModuleDefV10 section tag " + tag + " (known: 0.." +
                (V10Sections.NAMES.length - 1) + ")");
        }
    }

    private List<RawModuleDef.Table> readV10Tables()
    {
        final int n = in.readLength(1, "tables");
        final List<RawModuleDef.Table> tables = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = "table #" + i;
            final String name = in.readString();
            where = "table " + name;
            final int typeRef = in.readI32();
            final int[] pk = readColList();
            final List<RawModuleDef.Index> indexes = readIndexes();
            final List<RawModuleDef.Unique> uniques = readConstraints();
            final List<RawModuleDef.Sequence> sequences = readSequences();
            where = "table " + name + " table_type/table_access";
            final boolean system = readEnum(2, "TableType") == 0;
            final boolean privateAccess = readEnum(2, "TableAccess") == 1;
            where = "table " + name + " default_values";
            final int defaultCount = in.readLength(6, "default values");
            final List<RawModuleDef.DefaultValue> defaults = new ArrayList<>(defaultCount);
            for (int d = 0; d < defaultCount; d++)
            {
                final int column = in.readU16();
                defaults.add(new RawModuleDef.DefaultValue(column, in.readByteArray()));
            }
            where = "table " + name + " is_event";
            final boolean event = in.readBool();
            tables.add(new RawModuleDef.Table(name, typeRef, pk, indexes, uniques, sequences, system, privateAccess,
                defaults, event));
        }
        return tables;
    }

    private List<RawModuleDef.Reducer> readV10Reducers()
    {
        final int n = in.readLength(1, "reducers");
        final List<RawModuleDef.Reducer> reducers = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = "reducer #" + i;
            final String name = in.readString();
            where = "reducer " + name;
            final ProductType params = readProductType();
            final boolean callable = readEnum(2, "FunctionVisibility") == 1;
            final AlgebraicType ok = Bsatn.decodeType(in);
            final AlgebraicType err = Bsatn.decodeType(in);
            reducers.add(new RawModuleDef.Reducer(name, params, callable, ok, err));
        }
        return reducers;
    }

    private List<RawModuleDef.Procedure> readV10Procedures()
    {
        final int n = in.readLength(1, "procedures");
        final List<RawModuleDef.Procedure> procedures = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = "procedure #" + i;
            final String name = in.readString();
            where = "procedure " + name;
            final ProductType params = readProductType();
            final AlgebraicType returnType = Bsatn.decodeType(in);
            final boolean callable = readEnum(2, "FunctionVisibility") == 1;
            procedures.add(new RawModuleDef.Procedure(name, params, returnType, callable));
        }
        return procedures;
    }

    private RawModuleDef.View readView()
    {
        final String name = in.readString();
        where = "view " + name;
        final int index = in.readI32();
        final boolean isPublic = in.readBool();
        final boolean anonymous = in.readBool();
        final ProductType params = readProductType();
        final AlgebraicType returnType = Bsatn.decodeType(in);
        return new RawModuleDef.View(name, index, isPublic, anonymous, params, returnType);
    }

    private List<RawModuleDef.Schedule> readV10Schedules()
    {
        final int n = in.readLength(1, "schedules");
        final List<RawModuleDef.Schedule> schedules = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = "schedule #" + i;
            final String name = readOptionString();
            final String table = in.readString();
            final int column = in.readU16();
            final String function = in.readString();
            schedules.add(new RawModuleDef.Schedule(name, table, column, function));
        }
        return schedules;
    }

    private List<RawModuleDef.LifecycleAssignment> readV10Lifecycles()
    {
        final int n = in.readLength(1, "lifecycle reducers");
        final List<RawModuleDef.LifecycleAssignment> lifecycles = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = "lifecycle reducer #" + i;
            final Lifecycle lifecycle = readLifecycle();
            lifecycles.add(new RawModuleDef.LifecycleAssignment(lifecycle, in.readString()));
        }
        return lifecycles;
    }

    private List<RawModuleDef.ExplicitName> readExplicitNames()
    {
        final int n = in.readLength(1, "explicit names");
        final List<RawModuleDef.ExplicitName> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = "explicit name #" + i;
            final int kind = readEnum(3, "ExplicitNameEntry");
            final String source = in.readString();
            names.add(new RawModuleDef.ExplicitName(kind, source, in.readString()));
        }
        return names;
    }

    private List<HttpRouteDef> readHttpRoutes()
    {
        final int n = in.readLength(1, "http routes");
        final List<HttpRouteDef> routes = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = "http route #" + i;
            final String handler = in.readString();
            String method = null;
            if (readEnum(2, "MethodOrAny") == 1)
            {
                final int m = readEnum(HTTP_METHODS.length + 1, "http Method");
                method = m < HTTP_METHODS.length ? HTTP_METHODS[m] : in.readString();
            }
            routes.add(new HttpRouteDef(handler, method, in.readString()));
        }
        return routes;
    }

    private List<ViewPrimaryKeyDef> readViewPrimaryKeys()
    {
        final int n = in.readLength(1, "view primary keys");
        final List<ViewPrimaryKeyDef> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = "view primary key #" + i;
            final String view = in.readString();
            final int columnCount = in.readLength(4, "view primary key columns");
            final List<String> columns = new ArrayList<>(columnCount);
            for (int c = 0; c < columnCount; c++)
            {
                columns.add(in.readString());
            }
            keys.add(new ViewPrimaryKeyDef(view, columns));
        }
        return keys;
    }

    private List<RawModuleDef.Submodule> readSubmodules(final int depth) throws ModuleDefException
    {
        final int n = in.readLength(1, "submodules");
        final List<RawModuleDef.Submodule> submodules = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            if (depth >= MAX_SUBMODULE_DEPTH)
            {
                throw in.error("submodules nested deeper than " + MAX_SUBMODULE_DEPTH + " levels");
            }
            where = "submodule #" + i;
            final String namespace = in.readString();
            submodules.add(new RawModuleDef.Submodule(namespace, readV10(depth + 1)));
        }
        return submodules;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Shared parts
    // ------------------------------------------------------------------------------------------------------------

    private List<RawModuleDef.Index> readIndexes()
    {
        final String table = where;
        final int n = in.readLength(1, "indexes");
        final List<RawModuleDef.Index> indexes = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = table + " index #" + i;
            final String name = readOptionString();
            final String accessor = readOptionString();
            final int tag = readEnum(3, "RawIndexAlgorithm");
            final IndexAlgorithm algorithm = IndexAlgorithm.values()[tag];
            final int[] columns = algorithm == IndexAlgorithm.DIRECT ? new int[] {in.readU16()} : readColList();
            indexes.add(new RawModuleDef.Index(name, accessor, algorithm, columns));
        }
        where = table;
        return indexes;
    }

    private List<RawModuleDef.Unique> readConstraints()
    {
        final String table = where;
        final int n = in.readLength(1, "constraints");
        final List<RawModuleDef.Unique> uniques = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = table + " constraint #" + i;
            final String name = readOptionString();
            readEnum(1, "RawConstraintData");
            uniques.add(new RawModuleDef.Unique(name, readColList()));
        }
        where = table;
        return uniques;
    }

    private List<RawModuleDef.Sequence> readSequences()
    {
        final String table = where;
        final int n = in.readLength(1, "sequences");
        final List<RawModuleDef.Sequence> sequences = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            where = table + " sequence #" + i;
            final String name = readOptionString();
            final int column = in.readU16();
            final BigInteger start = readOptionI128();
            final BigInteger min = readOptionI128();
            final BigInteger max = readOptionI128();
            sequences.add(new RawModuleDef.Sequence(name, column, start, min, max, readI128()));
        }
        where = table;
        return sequences;
    }

    private List<ModuleDef.NamedType> readTypeDefs()
    {
        final int n = in.readLength(1, "type defs");
        final List<ModuleDef.NamedType> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final int scopeCount = in.readLength(4, "type scope");
            final List<String> scope = new ArrayList<>(scopeCount);
            for (int s = 0; s < scopeCount; s++)
            {
                scope.add(in.readString());
            }
            final String name = in.readString();
            final int ref = in.readI32();
            types.add(new ModuleDef.NamedType(List.copyOf(scope), name, ref, in.readBool()));
        }
        return types;
    }

    private List<String> readRowLevelSecurity()
    {
        final int n = in.readLength(4, "row level security");
        final List<String> rls = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            rls.add(in.readString());
        }
        return rls;
    }

    private Lifecycle readLifecycle()
    {
        return Lifecycle.values()[readEnum(3, "Lifecycle")];
    }

    private ProductType readProductType()
    {
        final int n = in.readLength(2, "product elements");
        final List<ProductTypeElement> elements = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final String name = readOptionString();
            elements.add(new ProductTypeElement(name, Bsatn.decodeType(in)));
        }
        return new ProductType(elements);
    }

    private int[] readColList()
    {
        final int n = in.readLength(2, "column list");
        final int[] columns = new int[n];
        for (int i = 0; i < n; i++)
        {
            columns[i] = in.readU16();
        }
        return columns;
    }

    private int readOptionTag()
    {
        return readEnum(2, "Option");
    }

    private String readOptionString()
    {
        return readOptionTag() == 0 ? in.readString() : null;
    }

    private BigInteger readOptionI128()
    {
        return readOptionTag() == 0 ? readI128() : null;
    }

    private BigInteger readI128()
    {
        return readI128(in);
    }

    /**
     * Reads a little-endian two's-complement i128.
     *
     * @param in the reader.
     * @return the value.
     */
    static BigInteger readI128(final BsatnReader in)
    {
        final byte[] le = in.readBytes(16, "i128");
        final byte[] be = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            be[i] = le[15 - i];
        }
        return new BigInteger(be);
    }

    private int readEnum(final int variants, final String what)
    {
        final int at = in.relativePosition();
        final int tag = in.readU8();
        if (tag >= variants)
        {
            throw new BsatnDecodeException(at, "invalid " + what + " tag " + tag + " (expected 0.." +
                (variants - 1) + ")");
        }
        return tag;
    }

    /** The sections of a V10 definition as they are read; absent sections stay empty. */
    private static final class V10Sections
    {
        static final String[] NAMES = {"Typespace", "Types", "Tables", "Reducers", "Procedures", "Views",
            "Schedules", "LifeCycleReducers", "RowLevelSecurity", "CaseConversionPolicy", "ExplicitNames",
            "HttpHandlers", "HttpRoutes", "ViewPrimaryKeys", "Submodules"};

        final boolean[] seen = new boolean[NAMES.length];
        Typespace typespace = Typespace.EMPTY;
        List<ModuleDef.NamedType> types = List.of();
        List<RawModuleDef.Table> tables = List.of();
        List<RawModuleDef.Reducer> reducers = List.of();
        List<RawModuleDef.Procedure> procedures = List.of();
        final List<RawModuleDef.View> views = new ArrayList<>();
        List<RawModuleDef.Schedule> schedules = List.of();
        List<RawModuleDef.LifecycleAssignment> lifecycles = List.of();
        List<String> rls = List.of();
        CaseConversion caseConversion;
        List<RawModuleDef.ExplicitName> explicitNames = List.of();
        final List<String> httpHandlers = new ArrayList<>();
        List<HttpRouteDef> httpRoutes = List.of();
        List<ViewPrimaryKeyDef> viewPrimaryKeys = List.of();
        List<RawModuleDef.Submodule> submodules = List.of();
    }
}
