package io.lightcone.core.moduledef;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.AlgebraicTypeJson;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.RefType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code /schema} JSON of the captured module definitions: well-formed JSON, naming every table and reducer the
 * decoder finds; malformed bytes are refused with a {@link ModuleDefException}.
 */
class RawModuleDefJsonTest
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** Invariant: the JSON is one complete value and names every table and reducer of the decoded definition. */
    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "keynote", "everything", "v9", "loop", "trap"})
    void shouldWriteWellFormedJsonNamingEveryTableAndReducer(final String module) throws Exception
    {
        final byte[] bytes = ModuleDefDecoderModulesTest.captured(module);
        final ModuleDef def = ModuleDefDecoder.decode(bytes);
        final String json = RawModuleDefJson.write(bytes);
        assertWellFormed(json);
        assertEquals(def.version(), RawModuleDefJson.version(bytes));
        final String nameKey = def.version() == 9 ? "\"name\":\"" : "\"source_name\":\"";
        for (final ReducerDef reducer : def.reducers())
        {
            assertTrue(json.contains(nameKey + reducer.name() + "\"") ||
                json.contains("\"function_name\":\"" + reducer.name() + "\""), reducer.name() + " in " + json);
        }
        for (int i = 0; i < def.tables().size(); i++)
        {
            assertTrue(json.contains(nameKey + def.tableNames().get(i).sourceName() + "\""), json);
        }
        assertTrue(json.startsWith(def.version() == 9 ? "{\"typespace\":{\"types\":[" : "{\"sections\":["), json);
    }

    /** Invariant: a truncated or garbage definition is refused, never half-written. */
    @Test
    void shouldRefuseMalformedDefinitions() throws Exception
    {
        final byte[] bytes = ModuleDefDecoderModulesTest.captured("quickstart");
        assertThrows(ModuleDefException.class, () -> RawModuleDefJson.write(Arrays.copyOf(bytes, bytes.length / 2)));
        assertThrows(ModuleDefException.class, () -> RawModuleDefJson.write(new byte[0]));
        assertThrows(ModuleDefException.class, () -> RawModuleDefJson.write(new byte[] {7, 0, 0}));
        assertThrows(ModuleDefException.class, () -> RawModuleDefJson.write(Arrays.copyOf(bytes, bytes.length + 1)));
    }

    /** Invariant: read is write's inverse, byte for byte, for every module in both versions. */
    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "keynote", "everything", "v9", "loop", "trap", "memhog", "noexports",
        "rls", "big", "chat"})
    void shouldReadBackWhatItWrites(final String module) throws Exception
    {
        final byte[] bytes = ModuleDefDecoderModulesTest.captured(module);
        for (final int version : new int[] {9, 10})
        {
            final byte[] converted = RawModuleDefConverter.convert(bytes, version);
            final String json = RawModuleDefJson.write(converted);
            assertArrayEquals(converted, RawModuleDefJson.read(json, version), module + " V" + version);
        }
    }

    /** Invariant: malformed JSON is refused with a message naming the JSON path and what is wrong there. */
    @Test
    void shouldNameWhereTheJsonIsWrong() throws Exception
    {
        final byte[] bytes = RawModuleDefConverter.convert(ModuleDefDecoderModulesTest.captured("quickstart"), 9);
        final String json = RawModuleDefJson.write(bytes);
        assertRefused(json.replaceFirst("\"product_type_ref\":\\d+", "\"product_type_ref\":\"x\""),
            9, "$.tables[0].product_type_ref", "expected an integer");
        assertRefused(json.replaceFirst("\"product_type_ref\":\\d+", "\"product_type_ref\":-1"),
            9, "$.tables[0].product_type_ref", "outside");
        assertRefused(json.replaceFirst("\"product_type_ref\":\\d+", "\"product_type_ref\":1e999999999"),
            9, "$.tables[0].product_type_ref", "outside");
        assertRefused(json.replaceFirst("\"table_access\":\\{\"(Public|Private)\"",
            "\"table_access\":{\"Protected\""), 9, "$.tables[0].table_access", "unknown variant \"Protected\"");
        assertRefused(json.replaceFirst(",\"primary_key\":\\[[0-9,]*\\]", ""), 9, "$.tables[0]",
            "missing field \"primary_key\"");
        assertRefused(json.replaceFirst("\"typespace\":", "\"extra\":1,\"typespace\":"), 9, "$",
            "unknown field \"extra\"");
        assertRefused(json.replaceFirst("\\{\"String\":\\[\\]\\}", "{\"Strin\":[]}"), 9,
            "$.typespace.types[0].Product.elements[0].algebraic_type", "unknown variant \"Strin\"");
        assertRefused(json.replaceFirst("\"reducers\":\\[", "\"reducers\":[7,"), 9, "$.reducers[0]",
            "expected an object");
        assertRefused(json, 10, "$", "unknown field");
        assertRefused(json.substring(0, json.length() - 1), 9, "malformed RawModuleDef JSON", "line");
        assertRefused("[] []", 9, "malformed RawModuleDef JSON", "more than one value");
        assertThrows(IllegalArgumentException.class, () -> RawModuleDefJson.read(json, 8));
        final String v10 = RawModuleDefJson.write(ModuleDefDecoderModulesTest.captured("everything"));
        assertRefused(v10.replaceFirst("\\{\"Tables\"", "{\"Chairs\""), 10, "$.sections[", "\"Chairs\"");
        assertRefused(v10.replaceFirst("\"value\":\"[0-9a-f]*\"", "\"value\":\"zz\""), 10,
            "default_values[0].value", "hex");
    }

    /** Invariant: whatever the damage to the JSON, read answers bytes that decode, or a ModuleDefException. */
    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 0x5EEDL})
    void shouldRefuseDamagedJsonCleanly(final long seed) throws Exception
    {
        final Random random = new Random(seed);
        final String[] junk = {"", "[]", "{}", "null", "1e999999999", "-1", "\"x\"", "true", "{\"none\":[]}", "[[",
            "99999999999999999999999999999999999999999", "1.5", "\"zz\""};
        for (final String module : new String[] {"everything", "v9", "chat"})
        {
            final byte[] bytes = ModuleDefDecoderModulesTest.captured(module);
            final int version = RawModuleDefJson.version(bytes);
            final String json = RawModuleDefJson.write(bytes);
            for (int i = 0; i < 200; i++)
            {
                final int at = random.nextInt(json.length());
                final int end = Math.min(json.length(), at + random.nextInt(12));
                final String damaged = json.substring(0, at) + junk[random.nextInt(junk.length)] + json.substring(end);
                try
                {
                    RawModuleDefJson.write(RawModuleDefJson.read(damaged, version));
                }
                catch (final ModuleDefException expected)
                {
                    assertFalse(expected.getMessage().isEmpty());
                }
            }
        }
    }

    private static void assertRefused(final String json, final int version, final String where, final String what)
    {
        final ModuleDefException ex = assertThrows(ModuleDefException.class, () -> RawModuleDefJson.read(json,
            version), json);
        assertTrue(ex.getMessage().contains(where) && ex.getMessage().contains(what), ex.getMessage());
    }

    /** The type JSON of the reference's SQL result schemas. */
    @Test
    void shouldWriteTypesAsTheReferenceDoes()
    {
        assertEquals("{\"U64\":[]}", AlgebraicTypeJson.toJson(AlgebraicType.U64));
        assertEquals("{\"Ref\":3}", AlgebraicTypeJson.toJson(new RefType(3)));
        assertEquals("{\"Array\":{\"String\":[]}}", AlgebraicTypeJson.toJson(new ArrayType(AlgebraicType.STRING)));
        assertEquals("{\"Product\":{\"elements\":[{\"name\":{\"some\":\"__identity__\"},\"algebraic_type\":" +
            "{\"U256\":[]}}]}}", AlgebraicTypeJson.toJson(SpecialTypes.IDENTITY));
        assertEquals("{\"Sum\":{\"variants\":[{\"name\":{\"some\":\"a\"},\"algebraic_type\":{\"Product\":" +
            "{\"elements\":[]}}},{\"name\":{\"some\":\"b\"},\"algebraic_type\":{\"Bool\":[]}}]}}",
            AlgebraicTypeJson.toJson(SumType.of("a", ProductType.UNIT, "b", AlgebraicType.BOOL)));
    }

    private static void assertWellFormed(final String json) throws IOException
    {
        try (JsonParser parser = FACTORY.createParser(json))
        {
            int depth = 0;
            JsonToken token;
            int values = 0;
            while (null != (token = parser.nextToken()))
            {
                if (token.isStructStart())
                {
                    depth++;
                }
                else if (token.isStructEnd())
                {
                    depth--;
                    if (depth == 0)
                    {
                        values++;
                    }
                }
            }
            assertEquals(1, values, json);
        }
    }
}
