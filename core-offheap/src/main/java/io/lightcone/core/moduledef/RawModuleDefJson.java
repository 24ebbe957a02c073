package io.lightcone.core.moduledef;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lightcone.core.sats.AlgebraicTypeJson;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.Hex;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;

/**
 * Typed SATS-JSON of a module's BSATN {@code RawModuleDef}, the answer of {@code GET /v1/database/:name/schema}
 * (reference/spacetimedb-contracts.md §3.2, §4.5): the payload of the module's own variant, a
 * {@code RawModuleDefV9} or a {@code RawModuleDefV10} object, converted field by field as the bytes are read.
 * <p>
 * Products are objects keyed by the Rust field names of §4.5, sums {@code {"Variant": payload}}, options
 * {@code {"some": v}} / {@code {"none": []}}, unit {@code []}, byte arrays lowercase hex, i128 numbers, types as
 * {@link AlgebraicTypeJson}. There is no conversion between V9 and V10: {@link #version} tells which one a module
 * wrote.
 */
public final class RawModuleDefJson
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** Reads one BSATN value and writes it as JSON. */
    @FunctionalInterface
    private interface Shape
    {
        void write(BsatnReader in, JsonGenerator out) throws IOException;
    }

    private static final Shape STRING = (in, out) -> out.writeString(in.readString());
    private static final Shape BOOL = (in, out) -> out.writeBoolean(in.readBool());
    private static final Shape U16 = (in, out) -> out.writeNumber(in.readU16());
    private static final Shape U32 = (in, out) -> out.writeNumber(Integer.toUnsignedLong(in.readI32()));
    private static final Shape I128 = (in, out) -> out.writeNumber(readI128(in));
    private static final Shape BYTES = (in, out) -> out.writeString(Hex.encode(in.readByteArray()));
    private static final Shape UNIT = (in, out) -> AlgebraicTypeJson.writeUnit(out);
    private static final Shape TYPE = (in, out) -> AlgebraicTypeJson.write(out, Bsatn.decodeType(in));
    private static final Shape TYPESPACE = product("types", array(TYPE));
    private static final Shape PRODUCT_TYPE = product("elements", array(product(
        "name", option(STRING), "algebraic_type", TYPE)));
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
        if (depth > MAX_SUBMODULE_DEPTH)
        {
            throw in.error("submodules nested deeper than " + MAX_SUBMODULE_DEPTH + " levels");
        }
        final Shape nested = (i, o) -> writeV10(i, o, depth + 1);
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
        product("sections", array(section)).write(in, out);
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
        return (in, out) ->
        {
            out.writeStartObject();
            for (int i = 0; i < namesAndShapes.length; i += 2)
            {
                out.writeFieldName((String)namesAndShapes[i]);
                ((Shape)namesAndShapes[i + 1]).write(in, out);
            }
            out.writeEndObject();
        };
    }

    private static Shape sum(final Object... namesAndShapes)
    {
        return (in, out) ->
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
        };
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
        return (in, out) ->
        {
            final int count = in.readLength(1, "array");
            out.writeStartArray();
            for (int i = 0; i < count; i++)
            {
                element.write(in, out);
            }
            out.writeEndArray();
        };
    }

    private static BigInteger readI128(final BsatnReader in)
    {
        final byte[] le = in.readBytes(16, "i128");
        final byte[] be = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            be[i] = le[15 - i];
        }
        return new BigInteger(be);
    }
}
