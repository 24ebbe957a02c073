package io.lightcone.cli.client;

import io.lightcone.core.moduledef.ModuleDefException;
import io.lightcone.core.moduledef.RawModuleDefJson;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.RefType;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumTypeVariant;
import io.lightcone.core.sats.TypeKind;
import io.lightcone.core.sats.Typespace;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A database's module definition as a client sees it, read from the typed SATS-JSON of
 * {@code GET /v1/database/:name/schema?version=10} (or 9 when the module described itself as V9): its typespace and
 * type names, its tables (row types, primary keys, access) and its reducers and procedures (parameters,
 * lifecycle). Enough to describe the database and to decode its rows.
 */
public final class ModuleSchema
{
    /**
     * A table.
     *
     * @param name       its name.
     * @param rowType    its row type (may hold references into the typespace).
     * @param primaryKey column positions of the primary key.
     * @param isPublic   whether anyone may read it.
     * @param isEvent    whether it is an event table (rows are never stored).
     */
    public record Table(String name, AlgebraicType rowType, List<Integer> primaryKey, boolean isPublic,
        boolean isEvent)
    {
    }

    /**
     * A reducer or procedure.
     *
     * @param name        its name.
     * @param params      its parameters.
     * @param kind        {@code reducer} or {@code procedure}.
     * @param lifecycle   Init, OnConnect, OnDisconnect, or null.
     * @param callable    whether clients may call it.
     * @param returnType  a procedure's return type, or null.
     */
    public record Function(String name, ProductType params, String kind, String lifecycle, boolean callable,
        AlgebraicType returnType)
    {
    }

    private final int version;
    private final String json;
    private final Typespace typespace;
    private final Map<Integer, String> typeNames;
    private final List<Table> tables;
    private final List<Function> functions;

    private ModuleSchema(
        final int version,
        final String json,
        final Typespace typespace,
        final Map<Integer, String> typeNames,
        final List<Table> tables,
        final List<Function> functions)
    {
        this.version = version;
        this.json = json;
        this.typespace = typespace;
        this.typeNames = typeNames;
        this.tables = tables;
        this.functions = functions;
    }

    /**
     * Fetches a database's schema: V10 first, V9 when the module is V9.
     *
     * @param server   the server.
     * @param database the database name or identity.
     * @return the schema.
     */
    static ModuleSchema fetch(final ServerConnection server, final String database)
    {
        HttpResponse<String> response = null;
        for (final int version : new int[]{10, 9})
        {
            response = server.send(server.request(ClientCommand.databasePath(database) + "/schema?version=" +
                version, false).GET().build());
            if (response.statusCode() == 200)
            {
                return parse(version, response.body());
            }
            if (response.statusCode() != 400)
            {
                break;
            }
        }
        throw server.failure(response, "schema of " + database);
    }

    /**
     * Fetches a database's module definition as a BSATN {@code RawModuleDef} V10
     * ({@code GET /v1/database/:name/schema?version=10} with the caller's token, read back with
     * {@link RawModuleDefJson#read}): what the module's {@code __describe_module__} wrote, converted to V10 by the
     * server when the module wrote V9.
     *
     * @param server   the server.
     * @param database the database name or identity.
     * @return the BSATN RawModuleDef.
     * @throws CommandFailure when the server cannot be reached, refuses or answers something else than a
     *                        RawModuleDefV10.
     */
    public static byte[] fetchRawModuleDef(final ServerConnection server, final String database)
    {
        final HttpResponse<String> response = server.send(server.request(ClientCommand.databasePath(database) +
            "/schema?version=10", true).GET().build());
        if (response.statusCode() != 200)
        {
            throw server.failure(response, "schema of " + database);
        }
        try
        {
            return RawModuleDefJson.read(response.body(), 10);
        }
        catch (final ModuleDefException ex)
        {
            throw new CommandFailure(ExitCodes.OTHER, "the schema of " + database + " from " + server.baseUrl() +
                " is not a RawModuleDefV10: " + ex.getMessage(), ex);
        }
    }

    /**
     * Reads the JSON of a V9 or V10 definition.
     *
     * @param version 9 or 10.
     * @param json    the JSON text.
     * @return the schema.
     * @throws CommandFailure when the JSON is not such a definition.
     */
    static ModuleSchema parse(final int version, final String json)
    {
        final Object root = ServerConnection.parseAnswer(json, "schema");
        try
        {
            return version == 9 ? parseV9(json, root) : parseV10(json, root);
        }
        catch (final RuntimeException ex)
        {
            throw new CommandFailure(ExitCodes.OTHER, "unexpected schema JSON (V" + version + "): " + ex, ex);
        }
    }

    private static ModuleSchema parseV9(final String json, final Object root)
    {
        final Typespace typespace = typespace(Json.field(root, "typespace"));
        final Map<Integer, String> names = new HashMap<>();
        for (final Object type : Json.list(root, "types"))
        {
            names.put(intValue(Json.field(type, "ty")), Json.string(Json.field(type, "name"), "name"));
        }
        final List<Table> tables = new ArrayList<>();
        for (final Object table : Json.list(root, "tables"))
        {
            tables.add(new Table(Json.string(table, "name"), new RefType(intValue(Json.field(table,
                "product_type_ref"))), ints(Json.list(table, "primary_key")),
                "Public".equals(Json.variant(Json.field(table, "table_access"))), false));
        }
        final List<Function> functions = new ArrayList<>();
        for (final Object reducer : Json.list(root, "reducers"))
        {
            final String lifecycle = Json.variant(Json.option(Json.field(reducer, "lifecycle")));
            functions.add(new Function(Json.string(reducer, "name"), product(Json.field(reducer, "params")),
                "reducer", lifecycle, null == lifecycle, null));
        }
        for (final Object export : Json.list(root, "misc_exports"))
        {
            final Object procedure = Json.field(export, "Procedure");
            if (null != procedure)
            {
                functions.add(new Function(Json.string(procedure, "name"), product(Json.field(procedure, "params")),
                    "procedure", null, true, type(Json.field(procedure, "return_type"))));
            }
        }
        return new ModuleSchema(9, json, typespace, names, tables, functions);
    }

    private static ModuleSchema parseV10(final String json, final Object root)
    {
        Typespace typespace = Typespace.EMPTY;
        final Map<Integer, String> names = new HashMap<>();
        final List<Table> tables = new ArrayList<>();
        final List<Function> functions = new ArrayList<>();
        final Map<String, String> lifecycles = new HashMap<>();
        for (final Object section : Json.list(root, "sections"))
        {
            final String kind = Json.variant(section);
            final Object body = Json.field(section, kind);
            switch (String.valueOf(kind))
            {
                case "Typespace" -> typespace = typespace(body);
                case "Types" ->
                {
                    for (final Object type : (List<?>)body)
                    {
                        names.put(intValue(Json.field(type, "ty")),
                            Json.string(Json.field(type, "source_name"), "source_name"));
                    }
                }
                case "Tables" ->
                {
                    for (final Object table : (List<?>)body)
                    {
                        tables.add(new Table(Json.string(table, "source_name"), new RefType(intValue(
                            Json.field(table, "product_type_ref"))), ints(Json.list(table, "primary_key")),
                            "Public".equals(Json.variant(Json.field(table, "table_access"))),
                            Boolean.TRUE.equals(Json.field(table, "is_event"))));
                    }
                }
                case "Reducers" ->
                {
                    for (final Object reducer : (List<?>)body)
                    {
                        functions.add(new Function(Json.string(reducer, "source_name"),
                            product(Json.field(reducer, "params")), "reducer", null,
                            "ClientCallable".equals(Json.variant(Json.field(reducer, "visibility"))), null));
                    }
                }
                case "Procedures" ->
                {
                    for (final Object procedure : (List<?>)body)
                    {
                        functions.add(new Function(Json.string(procedure, "source_name"),
                            product(Json.field(procedure, "params")), "procedure", null,
                            "ClientCallable".equals(Json.variant(Json.field(procedure, "visibility"))),
                            type(Json.field(procedure, "return_type"))));
                    }
                }
                case "LifeCycleReducers" ->
                {
                    for (final Object lifecycle : (List<?>)body)
                    {
                        lifecycles.put(Json.string(lifecycle, "function_name"),
                            Json.variant(Json.field(lifecycle, "lifecycle_spec")));
                    }
                }
                default ->
                {
                    // schedules, views, RLS, names, HTTP handlers: not shown
                }
            }
        }
        final List<Function> withLifecycles = new ArrayList<>(functions.size());
        for (final Function function : functions)
        {
            final String lifecycle = "reducer".equals(function.kind()) ? lifecycles.get(function.name()) : null;
            withLifecycles.add(null == lifecycle ? function : new Function(function.name(), function.params(),
                function.kind(), lifecycle, false, null));
        }
        return new ModuleSchema(10, json, typespace, names, tables, withLifecycles);
    }

    /**
     * @return 9 or 10.
     */
    public int version()
    {
        return version;
    }

    /**
     * @return the schema as the server sent it.
     */
    public String json()
    {
        return json;
    }

    /**
     * @return the tables, in definition order.
     */
    public List<Table> tables()
    {
        return tables;
    }

    /**
     * @return the reducers, then the procedures, in definition order.
     */
    public List<Function> functions()
    {
        return functions;
    }

    /**
     * @param name a table name.
     * @return the table, or null.
     */
    public Table table(final String name)
    {
        for (final Table table : tables)
        {
            if (table.name().equals(name))
            {
                return table;
            }
        }
        return null;
    }

    /**
     * @param table a table.
     * @return its row type with every reference replaced, ready to decode rows with.
     */
    public ProductType rowType(final Table table)
    {
        return (ProductType)typespace.inline(table.rowType());
    }

    /**
     * @param table a table.
     * @return its columns: the fields of its row type (references resolved one level).
     */
    public List<ProductTypeElement> columns(final Table table)
    {
        return ((ProductType)typespace.resolve(table.rowType())).elements();
    }

    /**
     * A type as a reader would write it: {@code U32}, {@code String}, {@code Identity}, {@code Option<String>},
     * {@code Array<Message>}, a named type by its name, {@code (a: U8, b: Bool)}, {@code enum(A | B(U8))}.
     *
     * @param type a type.
     * @return its name.
     */
    public String typeName(final AlgebraicType type)
    {
        if (type instanceof RefType ref)
        {
            final String name = typeNames.get(ref.index());
            return null != name ? name : typeName(typespace.get(ref.index()));
        }
        if (type instanceof PrimitiveType primitive)
        {
            final String kind = primitive.kind().name();
            return kind.equals("STRING") ? "String" : kind.equals("BOOL") ? "Bool" : kind;
        }
        if (type instanceof ArrayType array)
        {
            return "Array<" + typeName(array.elementType()) + ">";
        }
        if (type instanceof ProductType product)
        {
            final SpecialType special = product.special();
            if (special != SpecialType.NONE)
            {
                return camel(special.name());
            }
            final StringBuilder text = new StringBuilder("(");
            for (final ProductTypeElement element : product.elements())
            {
                text.append(text.length() == 1 ? "" : ", ").append(null == element.name() ? "" : element.name() +
                    ": ").append(typeName(element.type()));
            }
            return text.append(')').toString();
        }
        final SumType sum = (SumType)type;
        final SpecialType special = sum.special();
        if (special == SpecialType.OPTION)
        {
            return "Option<" + typeName(sum.variants().get(0).type()) + ">";
        }
        if (special != SpecialType.NONE)
        {
            return camel(special.name());
        }
        final StringBuilder text = new StringBuilder("enum(");
        for (final SumTypeVariant variant : sum.variants())
        {
            text.append(text.length() == 5 ? "" : " | ").append(variant.name());
            if (!(variant.type() instanceof ProductType unit && unit.isUnit()))
            {
                text.append('(').append(typeName(variant.type())).append(')');
            }
        }
        return text.append(')').toString();
    }

    private static String camel(final String upperSnake)
    {
        final StringBuilder text = new StringBuilder();
        for (final String part : upperSnake.split("_"))
        {
            text.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return text.toString();
    }

    private static Typespace typespace(final Object json)
    {
        final List<AlgebraicType> types = new ArrayList<>();
        for (final Object type : Json.list(json, "types"))
        {
            types.add(type(type));
        }
        return new Typespace(types);
    }

    private static ProductType product(final Object json)
    {
        final List<ProductTypeElement> elements = new ArrayList<>();
        for (final Object element : Json.list(json, "elements"))
        {
            elements.add(new ProductTypeElement(name(element), type(Json.field(element, "algebraic_type"))));
        }
        return new ProductType(elements);
    }

    /**
     * The inverse of {@code AlgebraicTypeJson.write}: {@code {"U32": []}}, {@code {"Ref": 3}},
     * {@code {"Array": T}}, {@code {"Product": {"elements": [...]}}}, {@code {"Sum": {"variants": [...]}}}.
     *
     * @param json a type's JSON tree.
     * @return the type.
     */
    static AlgebraicType type(final Object json)
    {
        final String variant = Json.variant(json);
        if (null == variant)
        {
            throw new IllegalArgumentException("not a type: " + Json.write(json));
        }
        final Object body = Json.field(json, variant);
        return switch (variant)
        {
            case "Ref" -> new RefType(intValue(body));
            case "Array" -> new ArrayType(type(body));
            case "Product" -> product(body);
            case "Sum" ->
            {
                final List<SumTypeVariant> variants = new ArrayList<>();
                for (final Object element : Json.list(body, "variants"))
                {
                    variants.add(new SumTypeVariant(name(element), type(Json.field(element, "algebraic_type"))));
                }
                yield new SumType(variants);
            }
            default -> PrimitiveType.of(TypeKind.valueOf(variant.toUpperCase(Locale.ROOT)));
        };
    }

    private static String name(final Object element)
    {
        return Json.option(Json.field(element, "name")) instanceof String text ? text : null;
    }

    private static int intValue(final Object json)
    {
        return (int)((Json.RawNumber)json).longValue();
    }

    private static List<Integer> ints(final List<?> json)
    {
        final List<Integer> values = new ArrayList<>(json.size());
        for (final Object value : json)
        {
            values.add(intValue(value));
        }
        return values;
    }
}
