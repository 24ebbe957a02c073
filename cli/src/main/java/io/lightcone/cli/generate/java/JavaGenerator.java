package io.lightcone.cli.generate.java;

import io.lightcone.cli.generate.ClientTable;
import io.lightcone.cli.generate.CodeWriter;
import io.lightcone.cli.generate.TypeScriptGenerator;
import io.lightcone.cli.generate.TypeUse;
import io.lightcone.cli.generate.TypeUses;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ProcedureDef;
import io.lightcone.core.moduledef.ReducerDef;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.Hex;
import io.lightcone.core.sats.ProductType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes the Java 17 client bindings of a module for the Java client SDK ({@code client-sdk}, docs/codegen.md
 * "Java"), all in one package:
 * <ul>
 *   <li>a record per named product type, an enum per named sum whose variants carry nothing, a sealed interface
 *   with a record per variant for other named sums; each with BSATN {@code read}/{@code write}, {@code decode}
 *   (a row in a buffer), {@code fromBsatn}/{@code toBsatn};</li>
 *   <li>{@code <Table>Table} per public table and view: a {@code TypedTable} of its row type with
 *   {@code NAME}, {@code PRIMARY_KEY} and {@code findBy<Key>(..)} when it has a primary key (a table whose row type
 *   has no name gets a {@code <Table>Row} record);</li>
 *   <li>{@code <Module>Tables}, {@code <Module>Reducers} (one method per client-callable reducer, returning the
 *   SDK's {@code CompletableFuture<ReducerOutcome>}), {@code <Module>Procedures} and the entry class
 *   {@code <Module>Module} ({@code connect(builder)}, {@code db()}, {@code reducers()}, ...).</li>
 * </ul>
 * Everything is sorted (tables, reducers and procedures by canonical name, types by name), so the same module
 * always gives the same bytes.
 */
public final class JavaGenerator
{
    private static final List<String> HEADER = List.of(
        TypeScriptGenerator.GENERATED_MARK + " (lightcone generate --lang java). EDITS TO THIS",
        "// FILE WILL NOT BE SAVED: CHANGE THE MODULE'S TABLES, REDUCERS AND TYPES IN ITS SOURCE CODE INSTEAD.");
    private static final Pattern SQL_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String CLIENT = "io.lightcone.client.LightconeClient";
    private static final String READER = "io.lightcone.core.sats.BsatnReader";
    private static final String WRITER = "io.lightcone.core.sats.BsatnWriter";
    private static final String SUPPORT = "io.lightcone.client.BindingSupport";

    /** A field of a record (or a parameter): its Java name and type, its SATS name for documentation. */
    private record JavaField(String name, TypeUse type, String satsName)
    {
    }

    /** A table with the Java names of its class, its row type and its accessor. */
    private record JavaTable(ClientTable table, String className, String rowName, boolean namedRow,
        String accessor)
    {
    }

    private final String packageName;
    private final String moduleClass;
    private final String tablesClass;
    private final String reducersClass;
    private final String proceduresClass;
    private final TypeUses types;
    private final Map<Integer, String> typeNames = new HashMap<>();
    private final Set<String> topLevel = new HashSet<>();
    private final List<JavaTable> tables = new ArrayList<>();
    private final List<ReducerDef> reducers = new ArrayList<>();
    private final List<ProcedureDef> procedures = new ArrayList<>();

    /**
     * A generator for one module.
     *
     * @param def         the module definition.
     * @param packageName the package of the bindings.
     * @param moduleName  the module's name, from which the entry class is named ({@code chat -> ChatModule}).
     * @throws IllegalArgumentException when the package name is not a valid Java package name.
     */
    public JavaGenerator(final ModuleDef def, final String packageName, final String moduleName)
    {
        if (!JavaNames.isPackageName(packageName))
        {
            throw new IllegalArgumentException("not a valid Java package name: " + packageName);
        }
        this.packageName = packageName;
        final String stem = JavaNames.type(moduleName, "Bindings");
        this.moduleClass = unique(stem + "Module");
        this.tablesClass = unique(stem + "Tables");
        this.reducersClass = unique(stem + "Reducers");
        this.proceduresClass = unique(stem + "Procedures");
        this.types = new TypeUses(def, List.of());
        final List<ClientTable> clientTables = ClientTable.of(def);
        final List<String> tableClasses = new ArrayList<>();
        for (final ClientTable table : clientTables)
        {
            tableClasses.add(unique(JavaNames.type(table.accessor(), "Table") + "Table"));
        }
        for (final TypeUses.NamedType named : types.namedTypes())
        {
            typeNames.put(named.typeRef(), unique(JavaNames.type(named.name(), "Type" + named.typeRef())));
        }
        final Set<String> accessors = new HashSet<>();
        for (int i = 0; i < clientTables.size(); i++)
        {
            final ClientTable table = clientTables.get(i);
            final TypeUse row = types.use(table.row());
            final boolean named = row instanceof TypeUse.Ref;
            final String rowName = named ? typeNames.get(((TypeUse.Ref)row).typeRef()) :
                unique(JavaNames.type(table.accessor(), "Table") + "Row");
            tables.add(new JavaTable(table, tableClasses.get(i), rowName, named,
                distinct(JavaNames.member(table.accessor(), "table" + i), accessors)));
        }
        for (final ReducerDef reducer : def.reducers())
        {
            if (reducer.clientCallable())
            {
                reducers.add(reducer);
            }
        }
        reducers.sort(Comparator.comparing(ReducerDef::name));
        procedures.addAll(def.procedures());
        procedures.sort(Comparator.comparing(ProcedureDef::name));
    }

    /**
     * The default package of a module's bindings: its name lowercased, each segment made a legal identifier.
     *
     * @param moduleName the module's name (its file name without {@code .wasm}).
     * @return the package name, e.g. {@code chat}.
     */
    public static String defaultPackage(final String moduleName)
    {
        return JavaNames.packageName(moduleName);
    }

    /**
     * Whether a name can be the package of the bindings.
     *
     * @param packageName the name.
     * @return true for dot-separated identifiers that are not keywords.
     */
    public static boolean isPackageName(final String packageName)
    {
        return JavaNames.isPackageName(packageName);
    }

    private String unique(final String name)
    {
        String candidate = name;
        while (!topLevel.add(candidate))
        {
            candidate += "_";
        }
        return candidate;
    }

    private static String distinct(final String name, final Set<String> taken)
    {
        String candidate = name;
        while (!taken.add(candidate))
        {
            candidate += "_";
        }
        return candidate;
    }

    /**
     * The entry class's simple name.
     *
     * @return e.g. {@code ChatModule}.
     */
    public String moduleClass()
    {
        return moduleClass;
    }

    /**
     * Generates every file.
     *
     * @return file path (relative to the source root, {@code /}-separated) to contents, in path order.
     * @throws IllegalArgumentException when a type cannot be written as Java (saying which and where).
     */
    public SortedMap<String, String> generate()
    {
        final SortedMap<String, String> files = new TreeMap<>();
        for (final TypeUses.NamedType named : types.namedTypes())
        {
            final String name = typeNames.get(named.typeRef());
            final List<TypeUse.Field> fields = types.fields(named);
            try
            {
                if (named.type() instanceof ProductType)
                {
                    put(files, name, recordFile(name, javaFields(fields), "The product type " +
                        JavaNames.code(named.name()) + " of the module."));
                }
                else if (fields.stream().allMatch((f) -> f.type() instanceof TypeUse.Unit))
                {
                    put(files, name, enumFile(name, fields));
                }
                else
                {
                    put(files, name, sumFile(name, fields));
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("type " + named.name() + ": " + ex.getMessage(), ex);
            }
        }
        for (final JavaTable table : tables)
        {
            try
            {
                if (!table.namedRow())
                {
                    put(files, table.rowName(), recordFile(table.rowName(), javaFields(types.fields(table.table()
                        .row())), "A row of " + JavaNames.code(table.table().name()) + "."));
                }
                put(files, table.className(), tableFile(table));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException((table.table().view() ? "view " : "table ") +
                    table.table().name() + ": " + ex.getMessage(), ex);
            }
        }
        put(files, tablesClass, tablesFile());
        put(files, reducersClass, reducersFile());
        put(files, proceduresClass, proceduresFile());
        put(files, moduleClass, moduleFile());
        return files;
    }

    private void put(final SortedMap<String, String> files, final String className, final String text)
    {
        files.put(packageName.replace('.', '/') + "/" + className + ".java", text);
    }

    private List<JavaField> javaFields(final List<TypeUse.Field> fields)
    {
        final List<JavaField> result = new ArrayList<>(fields.size());
        final Set<String> taken = new HashSet<>();
        for (int i = 0; i < fields.size(); i++)
        {
            final TypeUse.Field field = fields.get(i);
            result.add(new JavaField(distinct(JavaNames.member(field.name(), "field" + i), taken), field.type(),
                null == field.name() ? "#" + i : field.name()));
        }
        return result;
    }

    private JavaFile file(final Set<String> nested)
    {
        return new JavaFile(packageName, topLevel, nested);
    }

    // ------------------------------------------------------------------------------------------------ types

    private String recordFile(final String name, final List<JavaField> fields, final String doc)
    {
        final JavaFile file = file(Set.of());
        final JavaTypes javaTypes = new JavaTypes(file, typeNames);
        final CodeWriter out = file.out();
        out.line("/**");
        out.line(" * " + doc);
        fieldDocs(out, fields);
        out.line(" */");
        record(file, javaTypes, name, fields, null, -1);
        return file.render(HEADER);
    }

    private String enumFile(final String name, final List<TypeUse.Field> variants)
    {
        final JavaFile file = file(Set.of());
        final String reader = file.library(READER);
        final String writer = file.library(WRITER);
        final CodeWriter out = file.out();
        final List<String> constants = new ArrayList<>();
        final Set<String> taken = new HashSet<>();
        for (int i = 0; i < variants.size(); i++)
        {
            constants.add(distinct(JavaNames.constant(variants.get(i).name(), "V" + i), taken));
        }
        out.line("/**");
        out.line(" * The sum type " + JavaNames.code(name) + " of the module: variants without payload, in tag " +
            "order (BSATN: the tag byte).");
        out.line(" */");
        out.line("public enum " + name);
        out.open("{");
        for (int i = 0; i < constants.size(); i++)
        {
            out.line("/** Variant " + JavaNames.code(satsName(variants.get(i), i)) + ", tag " + i + ". */");
            out.line(constants.get(i) + (i + 1 < constants.size() ? "," : ";"));
        }
        if (constants.isEmpty())
        {
            out.line(";");
        }
        out.line();
        javadoc(out, "Reads a value: its tag byte.", "@param reader positioned at the value; left after it.",
            "@return the value.");
        out.line("public static " + name + " read(final " + reader + " reader)");
        out.open("{");
        out.line("final int tag = reader.readU8();");
        out.line("return switch (tag)");
        out.open("{");
        for (int i = 0; i < constants.size(); i++)
        {
            out.line("case " + i + " -> " + constants.get(i) + ";");
        }
        out.line("default -> throw " + file.library(SUPPORT) + ".badTag(reader, tag, " + JavaNames.literal(name) +
            ", " + constants.size() + ");");
        out.close("};");
        out.close("}");
        out.line();
        decodeMethods(file, name);
        javadoc(out, "Writes this value: its tag byte.", "@param writer to append to.");
        out.line("public void write(final " + writer + " writer)");
        out.open("{");
        out.line("writer.writeU8(ordinal());");
        out.close("}");
        out.line();
        toBsatn(file);
        out.close("}");
        return file.render(HEADER);
    }

    private String sumFile(final String name, final List<TypeUse.Field> variants)
    {
        final List<String> variantNames = new ArrayList<>();
        final Set<String> taken = new HashSet<>();
        taken.add(name);
        for (int i = 0; i < variants.size(); i++)
        {
            variantNames.add(distinct(JavaNames.type(variants.get(i).name(), "V" + i), taken));
        }
        final JavaFile file = file(new HashSet<>(variantNames));
        final JavaTypes javaTypes = new JavaTypes(file, typeNames);
        final String reader = file.library(READER);
        final String writer = file.library(WRITER);
        final CodeWriter out = file.out();
        out.line("/**");
        out.line(" * The sum type " + JavaNames.code(name) + " of the module: one record per variant, in tag " +
            "order (BSATN: the tag byte, then the variant's payload).");
        out.line(" */");
        out.line("public sealed interface " + name);
        out.open("{");
        for (int i = 0; i < variants.size(); i++)
        {
            final TypeUse payload = variants.get(i).type();
            final List<JavaField> fields = payload instanceof TypeUse.Unit ? List.of() :
                List.of(new JavaField("value", payload, "value"));
            out.line("/**");
            out.line(" * Variant " + JavaNames.code(satsName(variants.get(i), i)) + ", tag " + i + ".");
            fieldDocs(out, fields);
            out.line(" */");
            record(file, javaTypes, variantNames.get(i), fields, name, i);
            out.line();
        }
        javadoc(out, "Writes this value: its tag, then its payload.", "@param writer to append to.");
        out.line("void write(" + writer + " writer);");
        out.line();
        javadoc(out, "Reads a value.", "@param reader positioned at the value; left after it.", "@return the value.");
        out.line("public static " + name + " read(final " + reader + " reader)");
        out.open("{");
        out.line("final int tag = reader.readU8();");
        out.line("return switch (tag)");
        out.open("{");
        for (int i = 0; i < variants.size(); i++)
        {
            final TypeUse payload = variants.get(i).type();
            out.line("case " + i + " -> " + (payload instanceof TypeUse.Unit ? variantNames.get(i) + ".INSTANCE" :
                "new " + variantNames.get(i) + "(" + javaTypes.read(payload, "reader", 0) + ")") + ";");
        }
        out.line("default -> throw " + file.library(SUPPORT) + ".badTag(reader, tag, " + JavaNames.literal(name) +
            ", " + variants.size() + ");");
        out.close("};");
        out.close("}");
        out.line();
        decodeMethods(file, name);
        javadoc(out, "This value's BSATN.", "@return a new array.");
        out.line("default byte[] toBsatn()");
        out.open("{");
        out.line("final " + writer + " writer = new " + writer + "();");
        out.line("write(writer);");
        out.line("return writer.toByteArray();");
        out.close("}");
        out.close("}");
        return file.render(HEADER);
    }

    /**
     * A record: a top-level product ({@code sum == null}) or a variant of a sealed interface ({@code tag >= 0}).
     */
    private void record(final JavaFile file, final JavaTypes javaTypes, final String name,
        final List<JavaField> fields, final String sum, final int tag)
    {
        final CodeWriter out = file.out();
        final List<String> components = new ArrayList<>();
        for (final JavaField field : fields)
        {
            components.add(javaTypes.type(field.type(), false) + " " + field.name());
        }
        out.line((null == sum ? "public " : "") + "record " + name + "(" + String.join(", ", components) + ")" +
            (null == sum ? "" : " implements " + sum));
        out.open("{");
        if (null != sum && fields.isEmpty())
        {
            out.line("/** The only value of this variant. */");
            out.line("public static final " + name + " INSTANCE = new " + name + "();");
            out.line();
        }
        final List<JavaField> references = fields.stream().filter((f) -> !JavaTypes.isPrimitive(f.type())).toList();
        if (!references.isEmpty())
        {
            javadoc(out, "Checks that no component is null.");
            out.line("public " + name);
            out.open("{");
            final String objects = file.library("java.util.Objects");
            for (final JavaField field : references)
            {
                out.line(objects + ".requireNonNull(" + field.name() + ", " + JavaNames.literal(field.name()) + ");");
            }
            out.close("}");
            out.line();
        }
        final String reader = file.library(READER);
        final String writer = file.library(WRITER);
        if (null == sum)
        {
            javadoc(out, "Reads a value: its fields in order.", "@param reader positioned at the value; left after it.",
                "@return the value.");
            out.line("public static " + name + " read(final " + reader + " reader)");
            out.open("{");
            if (fields.isEmpty())
            {
                out.line("return new " + name + "();");
            }
            else
            {
                out.line("return new " + name + "(");
                for (int i = 0; i < fields.size(); i++)
                {
                    out.line("    " + javaTypes.read(fields.get(i).type(), "reader", 0) +
                        (i + 1 < fields.size() ? "," : ");"));
                }
            }
            out.close("}");
            out.line();
            decodeMethods(file, name);
        }
        javadoc(out, null == sum ? "Writes this value: its fields in order." :
            "Writes this value: tag " + tag + ", then its payload.", "@param writer to append to.");
        if (null != sum)
        {
            out.line("@" + file.library("java.lang.Override"));
        }
        out.line("public void write(final " + writer + " writer)");
        out.open("{");
        if (null != sum)
        {
            out.line("writer.writeU8(" + tag + ");");
        }
        for (final JavaField field : fields)
        {
            out.line(javaTypes.write(field.type(), "writer", "this." + field.name(), 0) + ";");
        }
        out.close("}");
        if (null == sum)
        {
            out.line();
            toBsatn(file);
        }
        if (fields.stream().anyMatch((f) -> JavaTypes.holdsArray(f.type())))
        {
            out.line();
            deepObjectMethods(file, name, fields);
        }
        out.close("}");
    }

    private void deepObjectMethods(final JavaFile file, final String name, final List<JavaField> fields)
    {
        final CodeWriter out = file.out();
        final String support = file.library(SUPPORT);
        javadoc(out, "Equal when every component is, arrays compared by content.", "@param other another object.",
            "@return whether it is an equal " + name + ".");
        out.line("@" + file.library("java.lang.Override"));
        out.line("public boolean equals(final " + file.library("java.lang.Object") + " other)");
        out.open("{");
        final List<String> checks = new ArrayList<>();
        for (final JavaField field : fields)
        {
            checks.add(equality(file, field, "this." + field.name(), "that." + field.name(), support));
        }
        out.line("return this == other || (other instanceof " + name + " that");
        for (final String check : checks)
        {
            out.line("    && " + check);
        }
        out.line(");");
        out.close("}");
        out.line();
        javadoc(out, "A hash code from every component, arrays by content.", "@return the hash code.");
        out.line("@" + file.library("java.lang.Override"));
        out.line("public int hashCode()");
        out.open("{");
        out.line("int hash = 0;");
        for (final JavaField field : fields)
        {
            out.line("hash = 31 * hash + " + hash(file, field, "this." + field.name(), support) + ";");
        }
        out.line("return hash;");
        out.close("}");
        out.line();
        javadoc(out, "The record's text, arrays spelled out.", "@return the text.");
        out.line("@" + file.library("java.lang.Override"));
        out.line("public " + file.library("java.lang.String") + " toString()");
        out.open("{");
        final List<String> parts = new ArrayList<>();
        for (final JavaField field : fields)
        {
            parts.add(JavaNames.literal(field.name() + "=") + " + " + support + ".deepToString(this." + field.name() +
                ")");
        }
        out.line("return " + JavaNames.literal(name + "[") + " + " + String.join(" + \", \" + ", parts) +
            " + \"]\";");
        out.close("}");
    }

    private static String equality(final JavaFile file, final JavaField field, final String a, final String b,
        final String support)
    {
        if (!JavaTypes.isPrimitive(field.type()))
        {
            return support + ".deepEquals(" + a + ", " + b + ")";
        }
        return switch (((TypeUse.Primitive)field.type()).type())
        {
            case F32 -> file.library("java.lang.Float") + ".compare(" + a + ", " + b + ") == 0";
            case F64 -> file.library("java.lang.Double") + ".compare(" + a + ", " + b + ") == 0";
            default -> a + " == " + b;
        };
    }

    private static String hash(final JavaFile file, final JavaField field, final String value,
        final String support)
    {
        if (!JavaTypes.isPrimitive(field.type()))
        {
            return support + ".deepHashCode(" + value + ")";
        }
        return file.library("java.lang." + JavaTypes.boxed(((TypeUse.Primitive)field.type()).type())) +
            ".hashCode(" + value + ")";
    }

    private void decodeMethods(final JavaFile file, final String name)
    {
        final CodeWriter out = file.out();
        final String reader = file.library(READER);
        final String support = file.library(SUPPORT);
        javadoc(out, "Decodes a value that fills a region exactly (a row: a {@code RowDecoder}).",
            "@param buffer holding the value.", "@param offset of its first byte.", "@param length of the value.",
            "@return the value.");
        out.line("public static " + name + " decode(final " + file.library("org.agrona.DirectBuffer") +
            " buffer, final int offset, final int length)");
        out.open("{");
        out.line("final " + reader + " reader = " + support + ".reader(buffer, offset, length);");
        out.line("final " + name + " value = read(reader);");
        out.line(support + ".expectEnd(reader, " + JavaNames.literal(name) + ");");
        out.line("return value;");
        out.close("}");
        out.line();
        javadoc(out, "Decodes a value from its BSATN.", "@param bytes exactly one value.", "@return the value.");
        out.line("public static " + name + " fromBsatn(final byte[] bytes)");
        out.open("{");
        out.line("final " + reader + " reader = " + support + ".reader(bytes);");
        out.line("final " + name + " value = read(reader);");
        out.line(support + ".expectEnd(reader, " + JavaNames.literal(name) + ");");
        out.line("return value;");
        out.close("}");
        out.line();
    }

    private static void toBsatn(final JavaFile file)
    {
        final CodeWriter out = file.out();
        final String writer = file.library(WRITER);
        javadoc(out, "This value's BSATN.", "@return a new array.");
        out.line("public byte[] toBsatn()");
        out.open("{");
        out.line("final " + writer + " writer = new " + writer + "();");
        out.line("write(writer);");
        out.line("return writer.toByteArray();");
        out.close("}");
    }

    // ------------------------------------------------------------------------------------------------ tables

    private String tableFile(final JavaTable table)
    {
        final ClientTable client = table.table();
        final JavaFile file = file(Set.of());
        final JavaTypes javaTypes = new JavaTypes(file, typeNames);
        final CodeWriter out = file.out();
        final String row = file.generated(table.rowName());
        out.line("/**");
        out.line(" * The client cache of " + (client.view() ? "view" : client.event() ? "event table" : "table") +
            " " + JavaNames.code(client.name()) + ", rows decoded as {@link " + row + "}" +
            (client.primaryKey() >= 0 ? ", keyed by its primary key." : "."));
        if (client.event())
        {
            out.line(" * Event-table rows are never cached: listen with {@code onEvent}.");
        }
        out.line(" */");
        out.line("public final class " + table.className() + " extends " +
            file.library("io.lightcone.client.TypedTable") + "<" + row + ">");
        out.open("{");
        out.line("/** The table's name, as SQL and the server use it. */");
        out.line("public static final " + file.library("java.lang.String") + " NAME = " +
            JavaNames.literal(client.name()) + ";");
        if (client.primaryKey() >= 0)
        {
            out.line();
            out.line("/** Where the primary key lies in a row, for {@code LightconeClient.Builder.primaryKey}. */");
            out.line("public static final " + file.library("io.lightcone.client.PrimaryKey") + " PRIMARY_KEY = " +
                primaryKey(file, client) + ";");
        }
        out.line();
        javadoc(out, "The typed view of the client's cache of this table.", "@param client the client.");
        out.line("public " + table.className() + "(final " + file.library(CLIENT) + " client)");
        out.open("{");
        out.line("super(client.table(NAME), " + row + "::decode);");
        out.close("}");
        if (client.primaryKey() >= 0)
        {
            final TypeUse.Field key = types.fields(client.row()).get(client.primaryKey());
            final JavaField field = javaFields(types.fields(client.row())).get(client.primaryKey());
            final String method = "findBy" + Character.toUpperCase(field.name().charAt(0)) + field.name().substring(1);
            final String value = "find".equals(field.name()) || "key".equals(field.name()) ? field.name() + "_" :
                field.name();
            out.line();
            javadoc(out, "The cached row with this primary key.", "@param " + value + " the key, " +
                JavaNames.code(JavaTypes.sats(key.type())) + ".", "@return the row, or empty.");
            out.line("public " + file.library("java.util.Optional") + "<" + row + "> " + method + "(final " +
                javaTypes.type(key.type(), false) + " " + value + ")");
            out.open("{");
            out.line("final " + file.library(WRITER) + " key = keyWriter();");
            out.line(javaTypes.write(key.type(), "key", value, 0) + ";");
            out.line("return find(key);");
            out.close("}");
        }
        out.close("}");
        return file.render(HEADER);
    }

    private static String primaryKey(final JavaFile file, final ClientTable table)
    {
        final String primaryKey = file.library("io.lightcone.client.PrimaryKey");
        int offset = 0;
        for (int i = 0; i < table.primaryKey(); i++)
        {
            final int size = table.row().typeAt(i).fixedSize();
            if (size < 0)
            {
                offset = -1;
                break;
            }
            offset += size;
        }
        final int keySize = table.row().typeAt(table.primaryKey()).fixedSize();
        if (offset >= 0 && keySize >= 0)
        {
            return primaryKey + ".fixed(" + offset + ", " + keySize + ")";
        }
        final BsatnWriter writer = new BsatnWriter();
        Bsatn.encodeType(writer, table.row());
        return primaryKey + ".column(" + file.library(SUPPORT) + ".productType(\"" +
            Hex.encode(writer.toByteArray()) + "\"), " + table.primaryKey() + ")";
    }

    private String tablesFile()
    {
        final JavaFile file = file(Set.of());
        final CodeWriter out = file.out();
        final String client = file.library(CLIENT);
        out.line("/**");
        out.line(" * The typed client caches of the module's public tables and views. Use them on the thread that " +
            "polls " +
            "the client.");
        out.line(" */");
        out.line("public final class " + tablesClass);
        out.open("{");
        for (final JavaTable table : tables)
        {
            out.line("private final " + file.generated(table.className()) + " " + table.accessor() + ";");
        }
        if (!tables.isEmpty())
        {
            out.line();
        }
        javadoc(out, "The tables of a client.", "@param client the client.");
        out.line("public " + tablesClass + "(final " + client + " client)");
        out.open("{");
        for (final JavaTable table : tables)
        {
            out.line("this." + table.accessor() + " = new " + file.generated(table.className()) + "(client);");
        }
        out.close("}");
        for (final JavaTable table : tables)
        {
            out.line();
            javadoc(out, JavaNames.code(table.table().name()) + ".", "@return its typed cache.");
            out.line("public " + file.generated(table.className()) + " " + table.accessor() + "()");
            out.open("{");
            out.line("return " + table.accessor() + ";");
            out.close("}");
        }
        out.close("}");
        return file.render(HEADER);
    }

    // ------------------------------------------------------------------------------------------------ calls

    private String reducersFile()
    {
        final JavaFile file = file(Set.of());
        final CodeWriter out = callsClass(file, reducersClass, "reducers",
            " * The module's client-callable reducers. Any thread; each call returns the SDK's future of the outcome,",
            " * completed on the polling thread after the caller's row changes reached the cache.");
        final Set<String> methods = new HashSet<>();
        for (final ReducerDef reducer : reducers)
        {
            out.line();
            call(file, distinct(JavaNames.member(reducer.sourceName(), "reducer"), methods), reducer.name(),
                types.fields(reducer.params()), "callReducer", "io.lightcone.client.ReducerOutcome", "reducer");
        }
        out.close("}");
        return file.render(HEADER);
    }

    private String proceduresFile()
    {
        final JavaFile file = file(Set.of());
        final CodeWriter out = callsClass(file, proceduresClass, "procedures",
            " * The module's procedures. Any thread; each call returns the SDK's future of the outcome, and a static",
            " * {@code <procedure>Result(outcome)} decodes what the procedure returned.");
        final Set<String> methods = new HashSet<>();
        for (final ProcedureDef procedure : procedures)
        {
            final String method = distinct(JavaNames.member(procedure.sourceName(), "procedure"), methods);
            out.line();
            call(file, method, procedure.name(), types.fields(procedure.params()), "callProcedure",
                "io.lightcone.client.ProcedureOutcome", "procedure");
            final TypeUse returned = types.use(procedure.returnType());
            if (!(returned instanceof TypeUse.Unit))
            {
                out.line();
                procedureResult(file, distinct(method + "Result", methods), procedure, returned);
            }
        }
        out.close("}");
        return file.render(HEADER);
    }

    /** The opening of the reducers or procedures class: its doc, its client field and its constructor. */
    private static CodeWriter callsClass(final JavaFile file, final String className, final String what,
        final String... docLines)
    {
        final CodeWriter out = file.out();
        final String client = file.library(CLIENT);
        out.line("/**");
        for (final String line : docLines)
        {
            out.line(line);
        }
        out.line(" */");
        out.line("public final class " + className);
        out.open("{");
        out.line("private final " + client + " client;");
        out.line();
        javadoc(out, "The " + what + ", called through a client.", "@param client the client.");
        out.line("public " + className + "(final " + client + " client)");
        out.open("{");
        out.line("this.client = client;");
        out.close("}");
        return out;
    }

    private void call(final JavaFile file, final String method, final String name, final List<TypeUse.Field> params,
        final String clientMethod, final String outcome, final String what)
    {
        final CodeWriter out = file.out();
        final JavaTypes javaTypes = new JavaTypes(file, typeNames);
        final Set<String> taken = new HashSet<>(List.of("args", "client"));
        final List<JavaField> fields = new ArrayList<>();
        for (int i = 0; i < params.size(); i++)
        {
            final TypeUse.Field param = params.get(i);
            fields.add(new JavaField(distinct(JavaNames.member(param.name(), "arg" + i), taken), param.type(),
                null == param.name() ? "#" + i : param.name()));
        }
        final List<String> signature = new ArrayList<>();
        final List<String> docs = new ArrayList<>();
        for (final JavaField field : fields)
        {
            signature.add("final " + javaTypes.type(field.type(), false) + " " + field.name());
            docs.add("@param " + field.name() + " " + JavaNames.doc(field.satsName()) + ": " +
                JavaNames.code(JavaTypes.sats(field.type())) + JavaTypes.unsignedNote(field.type()) + ".");
        }
        docs.add("@return completes on the polling thread with the outcome (see {@code LightconeClient." +
            clientMethod + "}).");
        javadoc(out, "Calls " + what + " " + JavaNames.code(name) + ".", docs.toArray(new String[0]));
        final String writer = file.library(WRITER);
        out.line("public " + file.library("java.util.concurrent.CompletableFuture") + "<" + file.library(outcome) +
            "> " + method + "(" + String.join(", ", signature) + ")");
        out.open("{");
        out.line("final " + writer + " args = " + file.library(SUPPORT) + ".argsWriter();");
        for (final JavaField field : fields)
        {
            out.line(javaTypes.write(field.type(), "args", field.name(), 0) + ";");
        }
        out.line("return client." + clientMethod + "(" + JavaNames.literal(name) +
            ", args.buffer(), args.start(), args.length());");
        out.close("}");
    }

    private void procedureResult(final JavaFile file, final String method, final ProcedureDef procedure,
        final TypeUse returned)
    {
        final CodeWriter out = file.out();
        final JavaTypes javaTypes = new JavaTypes(file, typeNames);
        final String outcome = file.library("io.lightcone.client.ProcedureOutcome");
        final String reader = file.library(READER);
        final String support = file.library(SUPPORT);
        javadoc(out, "What procedure " + JavaNames.code(procedure.name()) + " returned, decoded.",
            "@param outcome the call's outcome.", "@return the value, " +
            JavaNames.code(JavaTypes.sats(returned)) + ".",
            "@throws IllegalStateException when the procedure did not return (the outcome's error).");
        out.line("public static " + javaTypes.type(returned, false) + " " + method + "(final " + outcome +
            " outcome)");
        out.open("{");
        out.line("if (!outcome.isReturned())");
        out.open("{");
        out.line("throw new " + file.library("java.lang.IllegalStateException") + "(" +
            JavaNames.literal("procedure " + procedure.name() + " failed: ") +
            " + outcome.error());");
        out.close("}");
        out.line("final " + reader + " reader = " + support + ".reader(outcome.returned());");
        out.line("final " + javaTypes.type(returned, false) + " value = " + javaTypes.read(returned, "reader", 0) +
            ";");
        out.line(support + ".expectEnd(reader, " + JavaNames.literal(JavaTypes.sats(returned)) + ");");
        out.line("return value;");
        out.close("}");
    }

    // ------------------------------------------------------------------------------------------------ module

    private String moduleFile()
    {
        final JavaFile file = file(Set.of());
        final CodeWriter out = file.out();
        final String client = file.library(CLIENT);
        final String future = file.library("java.util.concurrent.CompletableFuture");
        final String protocol = file.library("io.lightcone.edge.protocol.ProtocolVersion");
        final String list = file.library("java.util.List");
        final String tablesType = file.generated(tablesClass);
        final String reducersType = file.generated(reducersClass);
        final String proceduresType = file.generated(proceduresClass);
        out.line("/**");
        out.line(" * The typed bindings of the module: a {@link " + client + "} with every table's primary key " +
            "registered,");
        out.line(" * its typed caches ({@link #db()}), reducers ({@link #reducers()}) and procedures " +
            "({@link #procedures()}).");
        out.line(" * <pre>");
        out.line(" * " + moduleClass + " module = " + moduleClass + ".connect(LightconeClient.builder()" +
            ".uri(\"http://127.0.0.1:3000\").database(\"name\"));");
        out.line(" * module.subscribeToAllTables(listener);");
        out.line(" * while (running) { module.poll(256); ... }");
        out.line(" * </pre>");
        out.line(" */");
        out.line("public final class " + moduleClass + " implements " + file.library("java.lang.AutoCloseable"));
        out.open("{");
        final List<String> queries = new ArrayList<>();
        for (final JavaTable table : tables)
        {
            if (!table.table().view())
            {
                queries.add(JavaNames.literal("SELECT * FROM " + sqlName(table.table().name())));
            }
        }
        out.line("/** {@code SELECT * FROM} every public table, for {@link #subscribeToAllTables}. */");
        out.line("public static final " + list + "<" + file.library("java.lang.String") + "> ALL_TABLES = " + list +
            ".of(" + String.join(", ", queries) +
            ");");
        out.line();
        out.line("private final " + client + " client;");
        out.line("private final " + tablesType + " db;");
        out.line("private final " + reducersType + " reducers;");
        out.line("private final " + proceduresType + " procedures;");
        out.line("private " + future + "<" + protocol + "> connected;");
        out.line();
        javadoc(out, "The bindings over a client (built with {@link #configure}, so that rows are keyed by primary " +
            "key).", "@param client the client.");
        out.line("public " + moduleClass + "(final " + client + " client)");
        out.open("{");
        out.line("this.client = client;");
        out.line("this.db = new " + tablesType + "(client);");
        out.line("this.reducers = new " + reducersType + "(client);");
        out.line("this.procedures = new " + proceduresType + "(client);");
        out.close("}");
        out.line();
        javadoc(out, "Registers the primary key of every table that has one.", "@param builder the client's builder.",
            "@return the builder.");
        out.line("public static " + client + ".Builder configure(final " + client + ".Builder builder)");
        out.open("{");
        for (final JavaTable table : tables)
        {
            if (table.table().primaryKey() >= 0)
            {
                final String tableType = file.generated(table.className());
                out.line("builder.primaryKey(" + tableType + ".NAME, " + tableType + ".PRIMARY_KEY);");
            }
        }
        out.line("return builder;");
        out.close("}");
        out.line();
        javadoc(out, "Configures and builds a client; not connected yet.", "@param builder the client's builder " +
            "(uri, database, token, ...).", "@return the bindings.");
        out.line("public static " + moduleClass + " build(final " + client + ".Builder builder)");
        out.open("{");
        out.line("return new " + moduleClass + "(configure(builder).build());");
        out.close("}");
        out.line();
        javadoc(out, "Configures and builds a client and starts connecting; {@link #connected()} completes when the " +
            "WebSocket is open, and InitialConnection arrives through {@link #poll}.",
            "@param builder the client's builder (uri, database, token, ...).", "@return the bindings.");
        out.line("public static " + moduleClass + " connect(final " + client + ".Builder builder)");
        out.open("{");
        out.line("final " + moduleClass + " module = build(builder);");
        out.line("module.connect();");
        out.line("return module;");
        out.close("}");
        out.line();
        javadoc(out, "Starts connecting (see {@code LightconeClient.connect}).",
            "@return completes with the negotiated protocol once the WebSocket is open.");
        out.line("public " + future + "<" + protocol + "> connect()");
        out.open("{");
        out.line("connected = client.connect();");
        out.line("return connected;");
        out.close("}");
        out.line();
        javadoc(out, "The future of the last {@link #connect()}.", "@return the future, or null before connecting.");
        out.line("public " + future + "<" + protocol + "> connected()");
        out.open("{");
        out.line("return connected;");
        out.close("}");
        out.line();
        moduleMethods(file, client, tablesType, reducersType, proceduresType);
        out.close("}");
        return file.render(HEADER);
    }

    private static void moduleMethods(final JavaFile file, final String client, final String tablesType,
        final String reducersType, final String proceduresType)
    {
        final CodeWriter out = file.out();
        javadoc(out, "Handles received messages on this thread: caches, listeners, futures (see " +
            "{@code LightconeClient.poll}).", "@param frameLimit most frames to handle.",
            "@return the work done (0: idle).");
        out.line("public int poll(final int frameLimit)");
        out.open("{");
        out.line("return client.poll(frameLimit);");
        out.close("}");
        out.line();
        javadoc(out, "Subscribes to every row of every public table ({@link #ALL_TABLES}).",
            "@param listener applied / error / ended callbacks.", "@return the subscription.");
        final String subscription = file.library("io.lightcone.client.Subscription");
        out.line("public " + subscription + " subscribeToAllTables(final " +
            file.library("io.lightcone.client.SubscriptionListener") + " listener)");
        out.open("{");
        out.line("return client.subscribe(ALL_TABLES, listener);");
        out.close("}");
        out.line();
        accessor(out, client, "client", "The underlying client.");
        accessor(out, tablesType, "db", "The typed caches of the tables; use them on the polling thread.");
        accessor(out, reducersType, "reducers", "The reducers; any thread.");
        accessor(out, proceduresType, "procedures", "The procedures; any thread.");
        javadoc(out, "Closes the client.");
        out.line("@" + file.library("java.lang.Override"));
        out.line("public void close()");
        out.open("{");
        out.line("client.close();");
        out.close("}");
    }

    private static void accessor(final CodeWriter out, final String type, final String name, final String doc)
    {
        javadoc(out, doc, "@return it.");
        out.line("public " + type + " " + name + "()");
        out.open("{");
        out.line("return " + name + ";");
        out.close("}");
        out.line();
    }

    private static String sqlName(final String name)
    {
        return SQL_IDENTIFIER.matcher(name).matches() ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    // ------------------------------------------------------------------------------------------------ docs

    private static void javadoc(final CodeWriter out, final String summary, final String... tags)
    {
        out.line("/**");
        out.line(" * " + summary);
        if (tags.length > 0)
        {
            out.line(" *");
            for (final String tag : tags)
            {
                out.line(" * " + tag);
            }
        }
        out.line(" */");
    }

    private static void fieldDocs(final CodeWriter out, final List<JavaField> fields)
    {
        if (!fields.isEmpty())
        {
            out.line(" *");
        }
        for (final JavaField field : fields)
        {
            out.line(" * @param " + field.name() + " " + JavaNames.doc(field.satsName()) + ": " +
                JavaNames.code(JavaTypes.sats(field.type())) + JavaTypes.unsignedNote(field.type()) + ".");
        }
    }

    private static String satsName(final TypeUse.Field field, final int index)
    {
        return null == field.name() ? "#" + index : field.name();
    }
}
