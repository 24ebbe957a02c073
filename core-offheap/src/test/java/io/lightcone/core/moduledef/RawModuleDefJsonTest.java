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

import static org.junit.jupiter.api.Assertions.assertEquals;
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
