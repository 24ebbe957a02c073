package io.lightcone.core.moduledef;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.lightcone.core.sats.AlgebraicTypeJson;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.Hex;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed SATS-JSON of a module's BSATN {@code RawModuleDef}, the answer of {@code GET /v1/database/:name/schema}
 * (reference/spacetimedb-contracts.md §3.2, §4.5): the payload of the module's own variant, a
 * {@code RawModuleDefV9} or a {@code RawModuleDefV10} object, converted field by field as the bytes are read.
 * <p>
 * Products are objects keyed by the Rust field names of §4.5, sums {@code {"Variant": payload}}, options
 * {@code {"some": v}} / {@code {"none": []}}, unit {@code []}, byte arrays lowercase hex, i128 numbers, types as
 * {@link AlgebraicTypeJson}. {@link #write} writes the variant the bytes hold ({@link #version} tells which;
 * {@link RawModuleDefConverter} turns one into the other).
 * <p>
 * {@link #read} is the inverse: the JSON of a {@code RawModuleDefV9} or {@code RawModuleDefV10} back to the BSATN
 * {@code RawModuleDef}, so that {@code read(write(bytes), version(bytes))} is {@code bytes}. It accepts exactly
 * the shape {@code write} produces (objects with every field and no other, in any order; unit as {@code []} or
 * {@code {}}; i128 as a number or a decimal string) and refuses anything else with a {@link ModuleDefException}
 * naming the JSON path ({@code $.tables[0].indexes[1].algorithm}) and what was found there.
 */
public final class RawModuleDefJson
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** Reads one BSATN value and writes it as JSON. */
    @FunctionalInterface
    private interface Writing
    {
        void write(BsatnReader in, JsonGenerator out) throws IOException;
    }

    /** Reads one parsed JSON value (Map, List, String, Boolean, BigInteger, BigDecimal or null) and writes BSATN. */
    @FunctionalInterface
    private interface Reading
    {
        void read(Object json, String path, BsatnWriter out);
    }

    /**
     * One part of a RawModuleDef, both ways.
     *
     * @param writing BSATN to JSON.
     * @param reading JSON to BSATN.
     */
    private record Shape(Writing writing, Reading reading)
    {
        void write(final BsatnReader in, final JsonGenerator out) throws IOException
        {
            writing.write(in, out);
        }

        void read(final Object json, final String path, final BsatnWriter out)
        {
            reading.read(json, path, out);
        }
    }

    /** Bad JSON at a path; becomes a {@link ModuleDefException}. */
    private static final class JsonShapeException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        JsonShapeException(final String path, final String message)
        {
            super("at " + path + ": " + message);
        }
    }

    private static final Shape STRING = new Shape((in, out) -> out.writeString(in.readString()),
        (json, path, out) -> out.writeString(expect(json, String.class, "a string", path)));
    private static final Shape BOOL = new Shape((in, out) -> out.writeBoolean(in.readBool()),
        (json, path, out) -> out.writeBool(expect(json, Boolean.class, "true or false", path)));
    private static final Shape U16 = new Shape((in, out) -> out.writeNumber(in.readU16()),
        (json, path, out) -> out.writeU16(integer(json, path, BigInteger.ZERO, BigInteger.valueOf(0xFFFF))
            .intValue()));
    private static final Shape U32 = new Shape((in, out) -> out.writeNumber(Integer.toUnsignedLong(in.readI32())),
        (json, path, out) -> out.writeU32(integer(json, path, BigInteger.ZERO, BigInteger.valueOf(0xFFFF_FFFFL))
            .intValue()));
    private static final Shape I128 = new Shape((in, out) -> out.writeNumber(RawModuleDefReader.readI128(in)),
        (json, path, out) -> RawModuleDefWriter.writeI128(out, integer(json, path,
            BigInteger.ONE.shiftLeft(127).negate(), BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE))));
    private static final Shape BYTES = new Shape((in, out) -> out.writeString(Hex.encode(in.readByteArray())),
        RawModuleDefJson::readBytes);
    private static final Shape UNIT = new Shape((in, out) -> AlgebraicTypeJson.writeUnit(out),
        RawModuleDefJson::readUnit);
    private static final Shape TYPE = new Shape((in, out) -> AlgebraicTypeJson.write(out, Bsatn.decodeType(in)),
        RawModuleDefJson::readType);
    private static final Shape TYPESPACE = product("types", array(TYPE));
    private static final Shape PRODUCT_TYPE = product("elements", array(product(
        "name", option(STRING), "algebraic_type", TYPE)));
    private static final Shape TYPE_SHAPE = sum("Ref", U32, "Sum", product("variants", array(product(
        "name", option(STRING), "algebraic_type", TYPE))), "Product", product("elements", array(product(
        "name", option(STRING), "algebraic_type", TYPE))), "Array", TYPE, "String", UNIT, "Bool", UNIT, "I8", UNIT,
        "U8", UNIT, "I16", UNIT, "U16", UNIT, "I32", UNIT, "U32", UNIT, "I64", UNIT, "U64", UNIT, "I128", UNIT,
        "U128", UNIT, "I256", UNIT, "U256", UNIT, "F32", UNIT, "F64", UNIT);
    private static final Shape COL_LIST = array(U16);
    private static final Shape TABLE_TYPE = enumOf("System", "User");
    private static final Shape TABLE_ACCESS = enumOf("Public", "Private");
    private static final Shape LIFECYCLE = enumOf("Init", "OnConnect", "OnDisconnect");
    private static final Shape VISIBILITY = enumOf("Private", "ClientCallable");
    private static final Shape INDEX_ALGORITHM = sum(
        "BTree", product("columns", COL_LIST),
        "Hash", product("columns", COL_LIST),
        "Direct", product("column", U16));
    private static final Shape CONSTRAINT_DATA = sum("Unique", product("columns", COL_LIST));
    private static final Shape RLS = array(product("sql", STRING));

    private static final Shape V9 = product(
        "typespace", TYPESPACE,
        "tables", array(product(
            "name", STRING,
            "product_type_ref", U32,
            "primary_key", COL_LIST,
            "indexes", array(product(
                "name", option(STRING), "accessor_name", option(STRING), "algorithm", INDEX_ALGORITHM)),
            "constraints", array(product("name", option(STRING), "data", CONSTRAINT_DATA)),
            "sequences", array(sequence("name")),
            "schedule", option(product("name", option(STRING), "reducer_name", STRING, "scheduled_at_column", U16)),
            "table_type", TABLE_TYPE,
            "table_access", TABLE_ACCESS)),
        "reducers", array(product("name", STRING, "params", PRODUCT_TYPE, "lifecycle", option(LIFECYCLE))),
        "types", array(product(
            "name", product("scope", array(STRING), "name", STRING), "ty", U32, "custom_ordering", BOOL)),
        "misc_exports", array(sum(
            "ColumnDefaultValue", product("table", STRING, "col_id", U16, "value", BYTES),
            "Procedure", product("name", STRING, "params", PRODUCT_TYPE, "return_type", TYPE),
            "View", view("name"))),
        "row_level_security", RLS);

    private static final Shape NAME_MAPPING = product("source_name", STRING, "canonical_name", STRING);
    private static final Shape HTTP_METHOD = sum("Get", UNIT, "Head", UNIT, "Post", UNIT, "Put", UNIT,
        "Delete", UNIT, "Connect", UNIT, "Options", UNIT, "Trace", UNIT, "Patch", UNIT, "Extension", STRING);
    private static final int MAX_SUBMODULE_DEPTH = 8;

    private RawModuleDefJson()
    {
    }

    /**
     * Which RawModuleDef variant the bytes hold.
     *
     * @param rawModuleDef the BSATN RawModuleDef.
     * @return 9 or 10.
     * @throws ModuleDefException when the bytes are not a V9 or V10 definition.
     */
    public static int version(final byte[] rawModuleDef) throws ModuleDefException
    {
        if (rawModuleDef.length == 0 || (rawModuleDef[0] != 1 && rawModuleDef[0] != 2))
        {
            throw new ModuleDefException("not a RawModuleDef V9 or V10" +
                (rawModuleDef.length == 0 ? " (empty)" : ": first byte " + rawModuleDef[0]));
        }
        return rawModuleDef[0] == 1 ? 9 : 10;
    }

    /**
     * The typed SATS-JSON of the definition's payload ({@code RawModuleDefV9} or {@code RawModuleDefV10}).
     *
     * @param rawModuleDef the BSATN RawModuleDef.
     * @return the JSON text.
     * @throws ModuleDefException when the bytes are malformed.
     */
    public static String write(final byte[] rawModuleDef) throws ModuleDefException
    {
        final int version = version(rawModuleDef);
        final BsatnReader in = new BsatnReader(rawModuleDef);
        final StringWriter text = new StringWriter(rawModuleDef.length * 4);
        try (JsonGenerator out = FACTORY.createGenerator(text))
        {
            in.readU8();
            if (version == 9)
            {
                V9.write(in, out);
            }
            else
            {
                writeV10(in, out, 0);
            }
            if (!in.isExhausted())
            {
                throw new ModuleDefException("malformed RawModuleDef: " + in.remaining() + " trailing bytes");
            }
        }
        catch (final BsatnDecodeException ex)
        {
            throw new ModuleDefException("malformed RawModuleDef at offset " + ex.offset() + ": " + ex.reason(), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return text.toString();
    }

    private static void writeV10(final BsatnReader in, final JsonGenerator out, final int depth) throws IOException
    {
        v10(depth).write(in, out);
    }

    /** The RawModuleDefV10 shape, its submodules nested at most {@link #MAX_SUBMODULE_DEPTH} deep. */
    private static Shape v10(final int depth)
    {
        final Shape nested = new Shape(
            (i, o) ->
            {
                if (depth >= MAX_SUBMODULE_DEPTH)
                {
                    throw i.error("submodules nested deeper than " + MAX_SUBMODULE_DEPTH + " levels");
                }
                v10(depth + 1).write(i, o);
            },
            (json, path, o) ->
            {
                if (depth >= MAX_SUBMODULE_DEPTH)
                {
                    throw new JsonShapeException(path, "submodules nested deeper than " + MAX_SUBMODULE_DEPTH +
                        " levels");
                }
                v10(depth + 1).read(json, path, o);
            });
        final Shape submodule = product("namespace", STRING, "module", nested);
        final Shape section = sum(
            "Typespace", TYPESPACE,
            "Types", array(product("source_name", product("scope", array(STRING), "source_name", STRING),
                "ty", U32, "custom_ordering", BOOL)),
            "Tables", array(product(
                "source_name", STRING,
                "product_type_ref", U32,
                "primary_key", COL_LIST,
                "indexes", array(product("source_name", option(STRING), "accessor_name", option(STRING),
                    "algorithm", INDEX_ALGORITHM)),
                "constraints", array(product("source_name", option(STRING), "data", CONSTRAINT_DATA)),
                "sequences", array(sequence("source_name")),
                "table_type", TABLE_TYPE,
                "table_access", TABLE_ACCESS,
                "default_values", array(product("col_id", U16, "value", BYTES)),
                "is_event", BOOL)),
            "Reducers", array(product("source_name", STRING, "params", PRODUCT_TYPE, "visibility", VISIBILITY,
                "ok_return_type", TYPE, "err_return_type", TYPE)),
            "Procedures", array(product("source_name", STRING, "params", PRODUCT_TYPE, "return_type", TYPE,
                "visibility", VISIBILITY)),
            "Views", array(view("source_name")),
            "Schedules", array(product("source_name", option(STRING), "table_name", STRING,
                "schedule_at_col", U16, "function_name", STRING)),
            "LifeCycleReducers", array(product("lifecycle_spec", LIFECYCLE, "function_name", STRING)),
            "RowLevelSecurity", RLS,
            "CaseConversionPolicy", enumOf("None", "SnakeCase"),
            "ExplicitNames", product("entries", array(sum(
                "Table", NAME_MAPPING, "Function", NAME_MAPPING, "Index", NAME_MAPPING))),
            "HttpHandlers", array(product("source_name", STRING)),
            "HttpRoutes", array(product("handler_function", STRING,
                "method", sum("Any", UNIT, "Method", HTTP_METHOD), "path", STRING)),
            "ViewPrimaryKeys", array(product("view_source_name", STRING, "columns", array(STRING))),
            "Submodules", array(submodule));
        return product("sections", array(section));
    }

    private static Shape sequence(final String nameField)
    {
        return product(nameField, option(STRING), "column", U16, "start", option(I128), "min_value", option(I128),
            "max_value", option(I128), "increment", I128);
    }

    private static Shape view(final String nameField)
    {
        return product(nameField, STRING, "index", U32, "is_public", BOOL, "is_anonymous", BOOL,
            "params", PRODUCT_TYPE, "return_type", TYPE);
    }

    private static Shape product(final Object... namesAndShapes)
    {
        return new Shape(
            (in, out) ->
            {
                out.writeStartObject();
                for (int i = 0; i < namesAndShapes.length; i += 2)
                {
                    out.writeFieldName((String)namesAndShapes[i]);
                    ((Shape)namesAndShapes[i + 1]).write(in, out);
                }
                out.writeEndObject();
            },
            (json, path, out) ->
            {
                final Map<?, ?> object = expect(json, Map.class, "an object", path);
                for (final Object field : object.keySet())
                {
                    if (indexOf(namesAndShapes, field) < 0)
                    {
                        throw new JsonShapeException(path, "unknown field \"" + field + "\" (expected " +
                            names(namesAndShapes) + ")");
                    }
                }
                for (int i = 0; i < namesAndShapes.length; i += 2)
                {
                    final String name = (String)namesAndShapes[i];
                    if (!object.containsKey(name))
                    {
                        throw new JsonShapeException(path, "missing field \"" + name + "\"");
                    }
                    ((Shape)namesAndShapes[i + 1]).read(object.get(name), path + "." + name, out);
                }
            });
    }

    private static Shape sum(final Object... namesAndShapes)
    {
        return new Shape(
            (in, out) ->
            {
                final int at = in.relativePosition();
                final int tag = in.readU8();
                if (tag * 2 >= namesAndShapes.length)
                {
                    throw new BsatnDecodeException(at, "invalid sum tag " + tag + " (expected 0.." +
                        (namesAndShapes.length / 2 - 1) + ")");
                }
                out.writeStartObject();
                out.writeFieldName((String)namesAndShapes[tag * 2]);
                ((Shape)namesAndShapes[tag * 2 + 1]).write(in, out);
                out.writeEndObject();
            },
            (json, path, out) ->
            {
                final Map<?, ?> object = expect(json, Map.class, "an object with one of " +
                    names(namesAndShapes), path);
                if (object.size() != 1)
                {
                    throw new JsonShapeException(path, "expected exactly one of " + names(namesAndShapes) +
                        ", found " + object.size() + " fields");
                }
                final Map.Entry<?, ?> variant = object.entrySet().iterator().next();
                final int at = indexOf(namesAndShapes, variant.getKey());
                if (at < 0)
                {
                    throw new JsonShapeException(path, "unknown variant \"" + variant.getKey() + "\" (expected " +
                        names(namesAndShapes) + ")");
                }
                out.writeU8(at / 2);
                ((Shape)namesAndShapes[at + 1]).read(variant.getValue(), path + "." + variant.getKey(), out);
            });
    }

    private static Shape enumOf(final String... names)
    {
        final Object[] namesAndShapes = new Object[names.length * 2];
        for (int i = 0; i < names.length; i++)
        {
            namesAndShapes[i * 2] = names[i];
            namesAndShapes[i * 2 + 1] = UNIT;
        }
        return sum(namesAndShapes);
    }

    private static Shape option(final Shape some)
    {
        return sum("some", some, "none", UNIT);
    }

    private static Shape array(final Shape element)
    {
        return new Shape(
            (in, out) ->
            {
                final int count = in.readLength(1, "array");
                out.writeStartArray();
                for (int i = 0; i < count; i++)
                {
                    element.write(in, out);
                }
                out.writeEndArray();
            },
            (json, path, out) ->
            {
                final List<?> list = expect(json, List.class, "an array", path);
                out.writeU32(list.size());
                for (int i = 0; i < list.size(); i++)
                {
                    element.read(list.get(i), path + "[" + i + "]", out);
                }
            });
    }

    private static int indexOf(final Object[] namesAndShapes, final Object name)
    {
        for (int i = 0; i < namesAndShapes.length; i += 2)
        {
            if (namesAndShapes[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    private static String names(final Object[] namesAndShapes)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < namesAndShapes.length; i += 2)
        {
            sb.append(i == 0 ? "" : ", ").append('"').append(namesAndShapes[i]).append('"');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // JSON to BSATN
    // ------------------------------------------------------------------------------------------------------------

    /**
     * The BSATN {@code RawModuleDef} of the typed SATS-JSON of a {@code RawModuleDefV9} or {@code RawModuleDefV10}
     * payload: the inverse of {@link #write}.
     *
     * @param json    the JSON text, as {@link #write} produces it.
     * @param version 9 or 10: which payload the JSON holds.
     * @return the BSATN RawModuleDef, version tag first.
     * @throws ModuleDefException when the JSON is not well-formed or not of that shape; the message names the JSON
     *                            path and what was found there.
     * @throws IllegalArgumentException when the version is neither 9 nor 10.
     */
    public static byte[] read(final String json, final int version) throws ModuleDefException
    {
        if (version != 9 && version != 10)
        {
            throw new IllegalArgumentException("RawModuleDef version must be 9 or 10: " + version);
        }
        final Object tree = parse(json);
        final BsatnWriter out = new BsatnWriter();
        out.writeU8(version == 9 ? 1 : 2);
        try
        {
            (version == 9 ? V9 : v10(0)).read(tree, "$", out);
        }
        catch (final JsonShapeException ex)
        {
            throw new ModuleDefException("malformed RawModuleDefV" + version + " JSON " + ex.getMessage(), ex);
        }
        final byte[] bytes = out.toByteArray();
        write(bytes);
        return bytes;
    }

    private static Object parse(final String json) throws ModuleDefException
    {
        try (JsonParser parser = FACTORY.createParser(json))
        {
            parser.nextToken();
            final Object tree = parseValue(parser);
            if (null != parser.nextToken())
            {
                throw new ModuleDefException("malformed RawModuleDef JSON: more than one value (at line " +
                    parser.currentLocation().getLineNr() + " column " + parser.currentLocation().getColumnNr() + ")");
            }
            return tree;
        }
        catch (final JsonProcessingException ex)
        {
            throw new ModuleDefException("malformed RawModuleDef JSON: " + ex.getOriginalMessage() + " (at line " +
                ex.getLocation().getLineNr() + " column " + ex.getLocation().getColumnNr() + ")", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Object parseValue(final JsonParser parser) throws IOException, ModuleDefException
    {
        final JsonToken token = parser.currentToken();
        if (null == token)
        {
            throw new ModuleDefException("malformed RawModuleDef JSON: no value");
        }
        switch (token)
        {
            case START_OBJECT:
            {
                final Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    parser.nextToken();
                    if (null != object.put(name, parseValue(parser)))
                    {
                        throw new ModuleDefException("malformed RawModuleDef JSON: field \"" + name +
                            "\" appears twice (at line " + parser.currentLocation().getLineNr() + ")");
                    }
                }
                return object;
            }
            case START_ARRAY:
            {
                final List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(parseValue(parser));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    private static <T> T expect(final Object json, final Class<T> type, final String what, final String path)
    {
        if (!type.isInstance(json))
        {
            throw new JsonShapeException(path, "expected " + what + ", found " + describe(json));
        }
        return type.cast(json);
    }

    private static String describe(final Object json)
    {
        if (null == json)
        {
            return "null";
        }
        if (json instanceof Map<?, ?> map)
        {
            return "an object with fields " + map.keySet();
        }
        if (json instanceof List<?> list)
        {
            return "an array of " + list.size();
        }
        if (json instanceof String text)
        {
            return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        return (json instanceof Boolean ? "" : "the number ") + json;
    }

    private static BigInteger integer(final Object json, final String path, final BigInteger min,
        final BigInteger max)
    {
        BigInteger value = null;
        if (json instanceof BigInteger integer)
        {
            value = integer;
        }
        else if (json instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0)
        {
            if (decimal.compareTo(new BigDecimal(min)) < 0 || decimal.compareTo(new BigDecimal(max)) > 0)
            {
                throw new JsonShapeException(path, decimal + " is outside [" + min + ", " + max + "]");
            }
            value = decimal.toBigIntegerExact();
        }
        else if (json instanceof String text && text.matches("-?[0-9]{1,40}"))
        {
            value = new BigInteger(text);
        }
        if (null == value)
        {
            throw new JsonShapeException(path, "expected an integer, found " + describe(json));
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0)
        {
            throw new JsonShapeException(path, value + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    private static void readUnit(final Object json, final String path, final BsatnWriter out)
    {
        if (!(json instanceof List<?> list && list.isEmpty()) && !(json instanceof Map<?, ?> map && map.isEmpty()))
        {
            throw new JsonShapeException(path, "expected the unit value [] or {}, found " + describe(json));
        }
    }

    private static void readBytes(final Object json, final String path, final BsatnWriter out)
    {
        final String hex = expect(json, String.class, "a hex string", path);
        try
        {
            out.writeByteArray(Hex.decode(hex.startsWith("0x") ? hex.substring(2) : hex));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new JsonShapeException(path, "expected a hex string: " + ex.getMessage());
        }
    }

    /** An {@link AlgebraicTypeJson} type: a sum whose variants are in BSATN tag order. */
    private static void readType(final Object json, final String path, final BsatnWriter out)
    {
        TYPE_SHAPE.read(json, path, out);
    }
}
