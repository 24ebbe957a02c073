package io.lightcone.core.sats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants: read(write(x)) == x for typed and untyped SATS-JSON; the written forms follow contracts §1.5; reading
 * is permissive in form but strict in range, and every error names its JSON path.
 */
class SatsJsonTest
{
    private static final BigInteger IDENTITY = Hex.parseFixed("c2" + "00".repeat(30) + "01", 32);

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 7L, 0x5EEDL, 20260822L })
    void shouldRoundTripTypedAndUntypedJson(final long seed)
    {
        final Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++)
        {
            final AlgebraicType type = RandomSats.randomType(random, 4);
            final Object value = RandomSats.randomValue(random, type);
            final String typed = SatsJson.write(type, value);
            final String untyped = SatsJson.writeUntyped(type, value);
            final String context = "seed=" + seed + " i=" + i + " type=" + type;
            assertEquals(value, SatsJson.read(type, typed), context + " json=" + typed);
            assertEquals(value, SatsJson.read(type, untyped), context + " json=" + untyped);
        }
    }

    @Test
    void shouldWriteSpecialTypesPerContract()
    {
        assertEquals("{\"__identity__\":\"0xc2" + "00".repeat(30) + "01\"}",
            SatsJson.write(SpecialTypes.IDENTITY, ProductValue.of(IDENTITY)));
        assertEquals("{\"__connection_id__\":1}",
            SatsJson.write(SpecialTypes.CONNECTION_ID, ProductValue.of(BigInteger.ONE)));
        assertEquals("{\"__timestamp_micros_since_unix_epoch__\":-5}",
            SatsJson.write(SpecialTypes.TIMESTAMP, ProductValue.of(-5L)));
        assertEquals("{\"some\":7}", SatsJson.write(SpecialTypes.option(AlgebraicType.U32), SumValue.some(7)));
        assertEquals("{\"none\":{}}", SatsJson.write(SpecialTypes.option(AlgebraicType.U32), SumValue.NONE));
        assertEquals("[1,[]]", SatsJson.writeUntyped(SpecialTypes.option(AlgebraicType.U32), SumValue.NONE));
        assertEquals("{}", SatsJson.write(ProductType.UNIT, ProductValue.UNIT));
        assertEquals("[]", SatsJson.writeUntyped(ProductType.UNIT, ProductValue.UNIT));
        assertEquals("[\"0xc2" + "00".repeat(30) + "01\"]",
            SatsJson.writeUntyped(SpecialTypes.IDENTITY, ProductValue.of(IDENTITY)));
    }

    @Test
    void shouldWritePrimitivesPerContract()
    {
        assertEquals("255", SatsJson.write(AlgebraicType.U8, (byte)-1));
        assertEquals("-1", SatsJson.write(AlgebraicType.I8, (byte)-1));
        assertEquals("65535", SatsJson.write(AlgebraicType.U16, (short)-1));
        assertEquals("4294967295", SatsJson.write(AlgebraicType.U32, -1));
        assertEquals("18446744073709551615", SatsJson.write(AlgebraicType.U64, -1L));
        assertEquals("340282366920938463463374607431768211455",
            SatsJson.write(AlgebraicType.U128, BigInteger.TWO.pow(128).subtract(BigInteger.ONE)));
        assertEquals("-170141183460469231731687303715884105728",
            SatsJson.write(AlgebraicType.I128, BigInteger.TWO.pow(127).negate()));
        assertEquals("\"0x0\"", SatsJson.write(AlgebraicType.U256, BigInteger.ZERO));
        assertEquals("\"-0x1f\"", SatsJson.write(AlgebraicType.I256, BigInteger.valueOf(-31)));
        assertEquals("\"0a0bff\"", SatsJson.write(AlgebraicType.bytes(), List.of((byte)10, (byte)11, (byte)-1)));
        assertEquals("\"\"", SatsJson.write(AlgebraicType.bytes(), List.of()));
        assertEquals("\"NaN\"", SatsJson.write(AlgebraicType.F32, Float.NaN));
        assertEquals("\"Infinity\"", SatsJson.write(AlgebraicType.F64, Double.POSITIVE_INFINITY));
        assertEquals("\"-Infinity\"", SatsJson.write(AlgebraicType.F64, Double.NEGATIVE_INFINITY));
        assertEquals("1.5", SatsJson.write(AlgebraicType.F64, 1.5));
        assertEquals("\"hé\\n\"", SatsJson.write(AlgebraicType.STRING, "hé\n"));
    }

    @Test
    void shouldWriteProductsAndSums()
    {
        final ProductType unnamed = new ProductType(List.of(new ProductTypeElement(null, AlgebraicType.U8),
            new ProductTypeElement("b", AlgebraicType.BOOL)));
        assertEquals("{\"0\":1,\"b\":true}", SatsJson.write(unnamed, ProductValue.of((byte)1, true)));
        assertEquals("[1,true]", SatsJson.writeUntyped(unnamed, ProductValue.of((byte)1, true)));
        final SumType sum = new SumType(List.of(new SumTypeVariant("a", AlgebraicType.STRING),
            new SumTypeVariant(null, AlgebraicType.I32)));
        assertEquals("{\"a\":\"x\"}", SatsJson.write(sum, new SumValue(0, "x")));
        assertEquals("[1,-3]", SatsJson.write(sum, new SumValue(1, -3)));
        assertEquals("[0,\"x\"]", SatsJson.writeUntyped(sum, new SumValue(0, "x")));
    }

    @Test
    void shouldReadPermissively()
    {
        final ProductType person = ProductType.of("name", AlgebraicType.STRING, "age", AlgebraicType.U8);
        final Object alice = ProductValue.of("alice", (byte)30);
        assertEquals(alice, SatsJson.read(person, "[\"alice\", 30]"));
        assertEquals(alice, SatsJson.read(person, "{\"age\": 30, \"name\": \"alice\"}"));
        assertEquals(alice, SatsJson.read(person, "{\"1\": \"30\", \"0\": \"alice\"}"));

        final SumType option = SpecialTypes.option(AlgebraicType.U32);
        assertEquals(SumValue.some(7), SatsJson.read(option, "{\"some\": 7}"));
        assertEquals(SumValue.some(7), SatsJson.read(option, "{\"0\": 7}"));
        assertEquals(SumValue.some(7), SatsJson.read(option, "[0, 7]"));
        assertEquals(SumValue.NONE, SatsJson.read(option, "{\"none\": []}"));
        assertEquals(SumValue.NONE, SatsJson.read(option, "[1, {}]"));
        assertEquals(SumValue.NONE, SatsJson.read(option, "\"none\""));

        assertEquals(List.of((byte)1, (byte)-1), SatsJson.read(AlgebraicType.bytes(), "\"01FF\""));
        assertEquals(List.of((byte)1, (byte)-1), SatsJson.read(AlgebraicType.bytes(), "[1, 255]"));
        assertEquals(42, SatsJson.read(AlgebraicType.I32, "\"42\""));
        assertEquals(-1L, SatsJson.read(AlgebraicType.U64, "\"0xffffffffffffffff\""));
        assertEquals(BigInteger.valueOf(-255), SatsJson.read(AlgebraicType.I256, "\"-0xff\""));
        assertEquals(BigInteger.TWO.pow(100), SatsJson.read(AlgebraicType.U128, BigInteger.TWO.pow(100).toString()));
        assertEquals(Float.NaN, SatsJson.read(AlgebraicType.F32, "\"NaN\""));
        assertEquals(Double.NEGATIVE_INFINITY, SatsJson.read(AlgebraicType.F64, "\"-Infinity\""));
        assertEquals(3.0, SatsJson.read(AlgebraicType.F64, "3"));
        assertEquals(ProductValue.of(IDENTITY),
            SatsJson.read(SpecialTypes.IDENTITY, "\"c2" + "00".repeat(30) + "01\""));
    }

    @Test
    void shouldRangeCheckIntegers()
    {
        assertJsonError(AlgebraicType.U8, "300", "$", "300 is out of range for U8");
        assertJsonError(AlgebraicType.U8, "-1", "$", "out of range for U8");
        assertJsonError(AlgebraicType.I8, "128", "$", "out of range for I8");
        assertJsonError(AlgebraicType.U64, "18446744073709551616", "$", "out of range for U64");
        assertJsonError(AlgebraicType.I128, BigInteger.TWO.pow(127).toString(), "$", "out of range for I128");
        assertJsonError(AlgebraicType.U256, "\"0x1" + "0".repeat(64) + "\"", "$", "out of range for U256");
        assertJsonError(AlgebraicType.U32, "1.5", "$", "expected an integer, got the number 1.5");
        assertJsonError(AlgebraicType.U32, "\"12a\"", "$", "invalid integer string");
        assertJsonError(AlgebraicType.U32, "\"\"", "$", "invalid integer string");
    }

    @Test
    void shouldNameThePathOfErrors()
    {
        final ProductType type = ProductType.of("id", AlgebraicType.U32,
            "tags", AlgebraicType.array(ProductType.of("k", AlgebraicType.STRING, "v", AlgebraicType.U8)),
            "opt", SpecialTypes.option(AlgebraicType.BOOL));
        assertJsonError(type,
            "{\"id\":1,\"tags\":[{\"k\":\"a\",\"v\":1},{\"k\":\"b\",\"v\":300}],\"opt\":{\"none\":{}}}",
            "$.tags[1].v", "out of range for U8");
        assertJsonError(type, "{\"id\":1,\"tags\":[],\"opt\":{\"some\":1}}", "$.opt.some", "expected a bool");
        assertJsonError(type, "{\"id\":1,\"tags\":[]}", "$", "missing field \"opt\"");
        assertJsonError(type, "{\"id\":1,\"tags\":[],\"opt\":{\"maybe\":1}}", "$.opt", "unknown variant \"maybe\"");
        assertJsonError(type, "{\"id\":1,\"id\":2}", "$", "duplicate field \"id\"");
        assertJsonError(type, "{\"id\":1,\"nope\":2}", "$", "unknown field \"nope\"");
        assertJsonError(type, "[1, []]", "$", "product of 3 fields given an array of 2");
        assertJsonError(type, "{\"id\":1,\"tags\":[],\"opt\":[2, true]}", "$.opt", "invalid sum tag 2");
        assertJsonError(type, "{\"id\":1,", "$", "malformed JSON");
        assertJsonError(AlgebraicType.U8, "1 2", "$", "trailing content");
        assertJsonError(AlgebraicType.bytes(), "\"abc\"", "$", "invalid hex");
        assertJsonError(AlgebraicType.F32, "\"nan\"", "$", "invalid float string");
        assertJsonError(AlgebraicType.STRING, "", "$", "unexpected end of JSON");

        final SatsJsonException write = assertThrows(SatsJsonException.class,
            () -> SatsJson.write(type, ProductValue.of(1, List.of(ProductValue.of("a", 5)), SumValue.NONE)));
        assertEquals("$.tags[0].v", write.path(), write.getMessage());
        assertTrue(write.reason().contains("expected Byte for U8"), write.getMessage());
    }

    private static void assertJsonError(
        final AlgebraicType type, final String json, final String path, final String reason)
    {
        final SatsJsonException ex = assertThrows(SatsJsonException.class, () -> SatsJson.read(type, json), json);
        assertEquals(path, ex.path(), ex.getMessage());
        assertTrue(ex.reason().contains(reason), ex.getMessage());
    }
}
