package io.lightcone.core.sats;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Invariant: the codec produces and accepts exactly the verified bytes of reference/spacetimedb-contracts.md §1.4
 * and §2.7, in both directions.
 */
class BsatnVectorsTest
{
    private static final ProductType QUERY_SET_ID = ProductType.of("id", AlgebraicType.U32);
    private static final SumType ROW_SIZE_HINT = SumType.of("FixedSize", AlgebraicType.U16,
        "RowOffsets", AlgebraicType.array(AlgebraicType.U64));
    private static final ProductType BSATN_ROW_LIST = ProductType.of("size_hint", ROW_SIZE_HINT,
        "rows_data", AlgebraicType.bytes());
    private static final ProductType SINGLE_TABLE_ROWS = ProductType.of("table", AlgebraicType.STRING,
        "rows", BSATN_ROW_LIST);
    private static final ProductType QUERY_ROWS = ProductType.of("tables", AlgebraicType.array(SINGLE_TABLE_ROWS));
    private static final ProductType TABLE_UPDATE = ProductType.of("table_name", AlgebraicType.STRING,
        "rows", AlgebraicType.array(SumType.of(
        "PersistentTable", ProductType.of("inserts", BSATN_ROW_LIST, "deletes", BSATN_ROW_LIST),
        "EventTable", ProductType.of("events", BSATN_ROW_LIST))));
    private static final ProductType QUERY_SET_UPDATE = ProductType.of("query_set_id", QUERY_SET_ID,
        "tables", AlgebraicType.array(TABLE_UPDATE));
    private static final ProductType TRANSACTION_UPDATE = ProductType.of("query_sets",
        AlgebraicType.array(QUERY_SET_UPDATE));
    private static final SumType REDUCER_OUTCOME = SumType.of(
        "Ok", ProductType.of("ret_value", AlgebraicType.bytes(), "transaction_update", TRANSACTION_UPDATE),
        "OkEmpty", ProductType.UNIT,
        "Err", AlgebraicType.bytes(),
        "InternalError", AlgebraicType.STRING);
    private static final SumType SERVER_MESSAGE = SumType.of(
        "InitialConnection", ProductType.of("identity", SpecialTypes.IDENTITY,
        "connection_id", SpecialTypes.CONNECTION_ID, "token", AlgebraicType.STRING),
        "SubscribeApplied", ProductType.of("request_id", AlgebraicType.U32, "query_set_id", QUERY_SET_ID,
        "rows", QUERY_ROWS),
        "UnsubscribeApplied", ProductType.UNIT,
        "SubscriptionError", ProductType.UNIT,
        "TransactionUpdate", TRANSACTION_UPDATE,
        "OneOffQueryResult", ProductType.UNIT,
        "ReducerResult", ProductType.of("request_id", AlgebraicType.U32, "timestamp", SpecialTypes.TIMESTAMP,
        "result", REDUCER_OUTCOME),
        "ProcedureResult", ProductType.UNIT);
    private static final SumType CLIENT_MESSAGE = SumType.of(
        "Subscribe", ProductType.of("request_id", AlgebraicType.U32, "query_set_id", QUERY_SET_ID,
        "query_strings", AlgebraicType.array(AlgebraicType.STRING)),
        "Unsubscribe", ProductType.of("request_id", AlgebraicType.U32, "query_set_id", QUERY_SET_ID,
        "flags", SumType.enumOf("Default", "SendDroppedRows")),
        "OneOffQuery", ProductType.of("request_id", AlgebraicType.U32, "query_string", AlgebraicType.STRING),
        "CallReducer", ProductType.of("request_id", AlgebraicType.U32, "flags", AlgebraicType.U8,
        "reducer", AlgebraicType.STRING, "args", AlgebraicType.bytes()),
        "CallProcedure", ProductType.of("request_id", AlgebraicType.U32, "flags", AlgebraicType.U8,
        "procedure", AlgebraicType.STRING, "args", AlgebraicType.bytes()));

    @Test
    void shouldEncodeOptionSomeAndNone()
    {
        final SumType type = SpecialTypes.option(AlgebraicType.U32);
        assertVector(type, SumValue.some(7), "00 07 00 00 00");
        assertVector(type, SumValue.NONE, "01");
    }

    @Test
    void shouldEncodeIdentityLittleEndian()
    {
        final BigInteger identity = Hex.parseFixed("c2" + "00".repeat(30) + "01", 32);
        assertVector(SpecialTypes.IDENTITY, ProductValue.of(identity), "01" + " 00".repeat(30) + " c2");
        assertArrayEquals(bytes("01" + " 00".repeat(30) + " c2"),
            Hex.hexToLittleEndian("c2" + "00".repeat(30) + "01", 32));
        assertEquals("c2" + "00".repeat(30) + "01", Hex.littleEndianToHex(bytes("01" + " 00".repeat(30) + " c2")));
        assertEquals("c2" + "00".repeat(30) + "01", Hex.identityHex(identity));
    }

    @Test
    void shouldEncodeConnectionIdLittleEndian()
    {
        final BigInteger connectionId = Hex.parseFixed("000102030405060708090a0b0c0d0e0f", 16);
        assertVector(SpecialTypes.CONNECTION_ID, ProductValue.of(connectionId),
            "0f 0e 0d 0c 0b 0a 09 08 07 06 05 04 03 02 01 00");
        assertEquals("000102030405060708090a0b0c0d0e0f", Hex.connectionIdHex(connectionId));
    }

    @Test
    void shouldEncodePrimitiveVectors()
    {
        assertVector(SpecialTypes.TIMESTAMP, ProductValue.of(1L), "01 00 00 00 00 00 00 00");
        assertVector(AlgebraicType.STRING, "hi", "02 00 00 00 68 69");
        assertVector(AlgebraicType.I16, (short)-2, "fe ff");
        assertVector(AlgebraicType.F32, 1.0f, "00 00 80 3f");
        assertVector(AlgebraicType.U128, BigInteger.ONE, "01" + " 00".repeat(15));
        assertVector(AlgebraicType.array(AlgebraicType.U16), List.of((short)1, (short)2), "02 00 00 00 01 00 02 00");
        assertVector(AlgebraicType.BOOL, true, "01");
        assertVector(AlgebraicType.I256, BigInteger.ONE.negate(), "ff".repeat(32).replaceAll("(..)(?!$)", "$1 "));
        assertVector(ProductType.UNIT, ProductValue.UNIT, "");
    }

    @Test
    void shouldEncodeInitialConnection()
    {
        final Object value = new SumValue(0, ProductValue.of(
            ProductValue.of(BigInteger.valueOf(0xc2).shiftLeft(248)),
            ProductValue.of(BigInteger.ONE),
            "jwt"));
        assertVector(SERVER_MESSAGE, value,
            "00" + " 00".repeat(31) + " c2 01" + " 00".repeat(15) + " 03 00 00 00 6a 77 74");
    }

    @Test
    void shouldEncodeSubscribeApplied()
    {
        final Object rowList = ProductValue.of(new SumValue(0, (short)4), byteList(bytes("07 00 00 00")));
        final Object value = new SumValue(1, ProductValue.of(1, ProductValue.of(0),
            ProductValue.of(List.of(ProductValue.of("t", rowList)))));
        assertVector(SERVER_MESSAGE, value,
            "01 01 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 74 00 04 00 04 00 00 00 07 00 00 00");
    }

    @Test
    void shouldEncodeReducerResult()
    {
        final Object outcome = new SumValue(0, ProductValue.of(List.of(), ProductValue.of(List.of())));
        final Object value = new SumValue(6, ProductValue.of(3, ProductValue.of(1L), outcome));
        assertVector(SERVER_MESSAGE, value, "06 03 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
    }

    @Test
    void shouldEncodeClientMessages()
    {
        assertVector(CLIENT_MESSAGE, new SumValue(0, ProductValue.of(1, ProductValue.of(0),
            List.of("SELECT * FROM t"))),
            "00 01 00 00 00 00 00 00 00 01 00 00 00 0f 00 00 00 " + hexOf("SELECT * FROM t"));
        assertVector(CLIENT_MESSAGE, new SumValue(1, ProductValue.of(2, ProductValue.of(0), SumValue.unit(1))),
            "01 02 00 00 00 00 00 00 00 01");
        assertVector(CLIENT_MESSAGE, new SumValue(3, ProductValue.of(3, (byte)0, "add",
            byteList(bytes("05 00 00 00")))),
            "03 03 00 00 00 00 03 00 00 00 61 64 64 04 00 00 00 05 00 00 00");
    }

    @Test
    void shouldEncodeTypesPerTagTable()
    {
        assertTypeVector(AlgebraicType.ref(5), "00 05 00 00 00");
        assertTypeVector(AlgebraicType.STRING, "04");
        assertTypeVector(AlgebraicType.F64, "13");
        assertTypeVector(AlgebraicType.array(AlgebraicType.U8), "03 07");
        assertTypeVector(SpecialTypes.option(AlgebraicType.U32),
            "01 02 00 00 00 00 04 00 00 00 " + hexOf("some") + " 0b 00 04 00 00 00 " + hexOf("none") +
            " 02 00 00 00 00");
        assertTypeVector(new ProductType(List.of(new ProductTypeElement(null, AlgebraicType.BOOL))),
            "02 01 00 00 00 01 05");
    }

    private static void assertVector(final AlgebraicType type, final Object value, final String hex)
    {
        final byte[] expected = bytes(hex);
        assertArrayEquals(expected, Bsatn.encodeToBytes(type, value), "encode " + value);
        assertEquals(value, Bsatn.decodeValueFully(expected, type), "decode " + hex);
        assertEquals(expected.length, Bsatn.valueLength(
            new org.agrona.concurrent.UnsafeBuffer(expected), 0, expected.length, type), "skip " + hex);
    }

    private static void assertTypeVector(final AlgebraicType type, final String hex)
    {
        final byte[] expected = bytes(hex);
        final BsatnWriter writer = new BsatnWriter();
        Bsatn.encodeType(writer, type);
        assertArrayEquals(expected, writer.toByteArray(), "encode " + type);
        final BsatnReader reader = new BsatnReader(expected);
        assertEquals(type, Bsatn.decodeType(reader), "decode " + hex);
        assertEquals(expected.length, reader.relativePosition());
    }

    static byte[] bytes(final String hex)
    {
        return Hex.decode(hex.replace(" ", ""));
    }

    private static String hexOf(final String text)
    {
        return Hex.encode(text.getBytes(StandardCharsets.UTF_8)).replaceAll("(..)(?!$)", "$1 ");
    }

    private static List<Object> byteList(final byte[] bytes)
    {
        final Object[] boxed = new Object[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            boxed[i] = bytes[i];
        }
        return List.of(boxed);
    }
}
