package io.lightcone.core.index;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.TypeKind;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants: for values a, b of one type, sign(compareUnsigned(enc(a), enc(b))) == sign(SATS order of a, b), and
 * no encoding is a proper prefix of another.
 */
class OrderedKeyEncoderTest
{
    private static final long NEGATIVE_NAN_64 = 0xFFF8_0000_0000_0000L;
    private static final int NEGATIVE_NAN_32 = 0xFFC0_0000;
    private static final String[] PIECES = {"", "a", "b", "\0", "\u00e9", "\u4e2d", "\uD83D\uDE00", "\u007f", "z"};

    /** A float or double value kept as raw bits so NaN signs survive. */
    record FloatBits(boolean wide, long bits)
    {
    }

    /** A sum value. */
    record SumValue(int tag, Object payload)
    {
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1L, 42L, 0x5EEDL, 99L})
    void shouldPreserveOrderAndBePrefixFreeForRandomTypes(final long seed)
    {
        final Random random = new Random(seed);
        for (int t = 0; t < 300; t++)
        {
            final AlgebraicType type = randomType(random, 3);
            final List<Object> values = new ArrayList<>();
            final List<byte[]> encodings = new ArrayList<>();
            for (int v = 0; v < 24; v++)
            {
                final ExpandableArrayBuffer bsatn = new ExpandableArrayBuffer(64);
                final BsatnWriter writer = new BsatnWriter(bsatn, 0);
                values.add(randomValue(random, type, writer));
                encodings.add(encode(bsatn, writer.length(), type));
            }
            for (int i = 0; i < values.size(); i++)
            {
                for (int j = 0; j < values.size(); j++)
                {
                    final String where = "seed=" + seed + " type=" + type + " a=" + show(values.get(i)) +
                        " b=" + show(values.get(j));
                    final int expected = Integer.signum(compare(type, values.get(i), values.get(j)));
                    final byte[] a = encodings.get(i);
                    final byte[] b = encodings.get(j);
                    assertEquals(expected, Integer.signum(Arrays.compareUnsigned(a, b)), where);
                    if (!Arrays.equals(a, b))
                    {
                        assertFalse(IndexModel.startsWith(a, b) || IndexModel.startsWith(b, a), "prefix: " + where);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {3L, 77L})
    void encodedLengthShouldMeasureAFullKeyAndRefuseEveryStrictPrefix(final long seed)
    {
        final Random random = new Random(seed);
        for (int t = 0; t < 300; t++)
        {
            final AlgebraicType[] types = new AlgebraicType[1 + random.nextInt(3)];
            final ExpandableArrayBuffer key = new ExpandableArrayBuffer(64);
            int length = 0;
            for (int c = 0; c < types.length; c++)
            {
                types[c] = randomType(random, 3);
                final ExpandableArrayBuffer bsatn = new ExpandableArrayBuffer(64);
                final BsatnWriter writer = new BsatnWriter(bsatn, 0);
                randomValue(random, types[c], writer);
                final byte[] column = encode(bsatn, writer.length(), types[c]);
                key.putBytes(length, column);
                length += column.length;
            }
            final String where = "seed=" + seed + " types=" + Arrays.toString(types);
            key.putByte(length, (byte)0x5A);
            assertEquals(length, OrderedKeyEncoder.encodedLength(key, 0, length, types), where);
            assertEquals(length, OrderedKeyEncoder.encodedLength(key, 0, length + 1, types), where + " trailing");
            for (int prefix = 0; prefix < length; prefix++)
            {
                assertEquals(-1, OrderedKeyEncoder.encodedLength(key, 0, prefix, types), where + " prefix " + prefix);
            }
        }
    }

    @Test
    void shouldEncodeKnownVectors()
    {
        assertArrayEquals(bytes(0x7F, 0xFF, 0xFF, 0xFF), encodeOne(PrimitiveType.I32, (w) -> w.writeU32(-1)));
        assertArrayEquals(bytes(0x00, 0x00, 0x01, 0x02), encodeOne(PrimitiveType.U32, (w) -> w.writeU32(0x0102)));
        assertArrayEquals(bytes(0x61, 0x00, 0xFF, 0x00, 0x00),
            encodeOne(PrimitiveType.STRING, (w) -> w.writeString("a\0")));
        assertArrayEquals(bytes(0x01), encodeOne(SpecialTypes.option(PrimitiveType.U32), (w) -> w.writeU8(1)));
        assertArrayEquals(bytes(0x00, 0x00, 0x00, 0x00, 0x07),
            encodeOne(SpecialTypes.option(PrimitiveType.U32), (w) -> w.writeU8(0).writeU32(7)));
        assertArrayEquals(bytes(0x01, 0x00, 0xFF, 0x02, 0x00, 0x00),
            encodeOne(AlgebraicType.array(PrimitiveType.U8), (w) -> w.writeByteArray(new byte[] {1, 0, 2})));
        assertArrayEquals(bytes(0x01, 0x00, 0x01, 0x01, 0x00, 0x02, 0x00),
            encodeOne(AlgebraicType.array(PrimitiveType.U16), (w) -> w.writeU32(2).writeU16(1).writeU16(2)));
        final byte[] identity = encodeOne(SpecialTypes.IDENTITY, (w) ->
        {
            w.writeU8(0x01);
            w.writeRaw(new byte[30]);
            w.writeU8(0xC2);
        });
        assertEquals((byte)0xC2, identity[0]);
        assertEquals((byte)0x01, identity[31]);
    }

    @Test
    void shouldRejectMalformedBsatn()
    {
        assertThrows(BsatnDecodeException.class, () -> encodeOne(PrimitiveType.BOOL, (w) -> w.writeU8(2)));
        assertThrows(BsatnDecodeException.class, () -> encodeOne(PrimitiveType.I64, (w) -> w.writeU32(1)));
        assertThrows(BsatnDecodeException.class, () -> encodeOne(PrimitiveType.U256, (w) -> w.writeU64(1)));
        assertThrows(BsatnDecodeException.class,
            () -> encodeOne(SpecialTypes.option(PrimitiveType.U8), (w) -> w.writeU8(2)));
        assertThrows(BsatnDecodeException.class,
            () -> encodeOne(PrimitiveType.STRING, (w) -> w.writeU32(2).writeU8(0xC3).writeU8(0x28)));
        assertThrows(BsatnDecodeException.class, () -> encodeOne(PrimitiveType.STRING, (w) -> w.writeU32(9)));
        assertThrows(BsatnDecodeException.class,
            () -> encodeOne(AlgebraicType.array(PrimitiveType.U32), (w) -> w.writeU32(1_000_000)));
        assertThrows(IllegalArgumentException.class, () -> encodeOne(AlgebraicType.ref(0), (w) -> w.writeU8(0)));
    }

    @Test
    void shouldComputeFixedLengthsAndLongs()
    {
        assertEquals(4, OrderedKeyEncoder.fixedEncodedLength(PrimitiveType.U32));
        assertEquals(8, OrderedKeyEncoder.fixedEncodedLength(SpecialTypes.TIMESTAMP));
        assertEquals(32, OrderedKeyEncoder.fixedEncodedLength(SpecialTypes.IDENTITY));
        assertEquals(1, OrderedKeyEncoder.fixedEncodedLength(SumType.enumOf("a", "b")));
        assertEquals(-1, OrderedKeyEncoder.fixedEncodedLength(SpecialTypes.option(PrimitiveType.U32)));
        assertEquals(-1, OrderedKeyEncoder.fixedEncodedLength(PrimitiveType.STRING));
        assertTrue(OrderedKeyEncoder.fitsInLong(new AlgebraicType[] {PrimitiveType.U32, PrimitiveType.I16}));
        assertFalse(OrderedKeyEncoder.fitsInLong(new AlgebraicType[] {PrimitiveType.U64, PrimitiveType.BOOL}));
        final UnsafeBuffer key = new UnsafeBuffer(bytes(0x80, 0x01, 0x02));
        final long value = OrderedKeyEncoder.toLong(key, 0, 3);
        assertEquals(0x8001_0200_0000_0000L, value);
        final UnsafeBuffer back = new UnsafeBuffer(new byte[3]);
        OrderedKeyEncoder.fromLong(value, 3, back, 0);
        assertArrayEquals(bytes(0x80, 0x01, 0x02), back.byteArray());
    }

    @FunctionalInterface
    interface Writes
    {
        void write(BsatnWriter writer);
    }

    private static byte[] encodeOne(final AlgebraicType type, final Writes writes)
    {
        final ExpandableArrayBuffer bsatn = new ExpandableArrayBuffer(64);
        final BsatnWriter writer = new BsatnWriter(bsatn, 0);
        writes.write(writer);
        final BsatnReader reader = new BsatnReader().wrap(bsatn, 0, writer.length());
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(8);
        final int length = OrderedKeyEncoder.encode(reader, type, out, 0);
        assertTrue(reader.isExhausted(), "all input consumed");
        return Arrays.copyOf(out.byteArray(), length);
    }

    static byte[] encode(final ExpandableArrayBuffer bsatn, final int length, final AlgebraicType type)
    {
        final BsatnReader reader = new BsatnReader().wrap(bsatn, 0, length);
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4);
        final int written = OrderedKeyEncoder.encode(reader, type, out, 0);
        assertTrue(reader.isExhausted(), "all input consumed for " + type);
        return Arrays.copyOf(out.byteArray(), written);
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = (byte)values[i];
        }
        return result;
    }

    private static final PrimitiveType[] PRIMITIVES = PrimitiveType.values();

    static AlgebraicType randomType(final Random random, final int depth)
    {
        final int choice = depth <= 0 ? 0 : random.nextInt(12);
        switch (choice)
        {
            case 1:
                return AlgebraicType.bytes();
            case 2:
                return AlgebraicType.array(randomType(random, depth - 1));
            case 3:
                return SpecialTypes.option(randomType(random, depth - 1));
            case 4:
                return SumType.enumOf("a", "b", "c");
            case 5:
                return SumType.of("x", randomType(random, depth - 1), "y", ProductType.UNIT,
                    "z", randomType(random, depth - 1));
            case 6:
                return SpecialTypes.IDENTITY;
            case 7:
                return SpecialTypes.TIMESTAMP;
            case 8:
            {
                final int fields = 1 + random.nextInt(3);
                final Object[] namesAndTypes = new Object[2 * fields];
                for (int i = 0; i < fields; i++)
                {
                    namesAndTypes[2 * i] = "f" + i;
                    namesAndTypes[2 * i + 1] = randomType(random, depth - 1);
                }
                return ProductType.of(namesAndTypes);
            }
            default:
                return PRIMITIVES[random.nextInt(PRIMITIVES.length)];
        }
    }

    static Object randomValue(final Random random, final AlgebraicType type, final BsatnWriter writer)
    {
        final TypeKind kind = type.kind();
        switch (kind)
        {
            case BOOL:
            {
                final boolean value = random.nextBoolean();
                writer.writeBool(value);
                return value;
            }
            case F32:
            {
                final int bits = randomFloatBits(random);
                writer.writeU32(bits);
                return new FloatBits(false, bits);
            }
            case F64:
            {
                final long bits = randomDoubleBits(random);
                writer.writeU64(bits);
                return new FloatBits(true, bits);
            }
            case STRING:
            {
                final StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(4); i > 0; i--)
                {
                    text.append(PIECES[random.nextInt(PIECES.length)]);
                }
                writer.writeString(text.toString());
                return text.toString();
            }
            case ARRAY:
            {
                final ArrayType array = (ArrayType)type;
                final int count = random.nextInt(4);
                if (array.isBytes())
                {
                    final byte[] value = new byte[count];
                    for (int i = 0; i < count; i++)
                    {
                        value[i] = (byte)(random.nextInt(4) == 0 ? 0 : random.nextInt(256));
                    }
                    writer.writeByteArray(value);
                    return value;
                }
                writer.writeU32(count);
                final List<Object> elements = new ArrayList<>();
                for (int i = 0; i < count; i++)
                {
                    elements.add(randomValue(random, array.elementType(), writer));
                }
                return elements;
            }
            case PRODUCT:
            {
                final ProductType product = (ProductType)type;
                final Object[] fields = new Object[product.size()];
                for (int i = 0; i < fields.length; i++)
                {
                    fields[i] = randomValue(random, product.typeAt(i), writer);
                }
                return List.of(fields);
            }
            case SUM:
            {
                final SumType sum = (SumType)type;
                final int tag = random.nextInt(sum.size());
                writer.writeU8(tag);
                return new SumValue(tag, randomValue(random, sum.variants().get(tag).type(), writer));
            }
            default:
                return randomInteger(random, kind, writer);
        }
    }

    private static BigInteger randomInteger(final Random random, final TypeKind kind, final BsatnWriter writer)
    {
        final int size = kind.fixedSize();
        final int bits = size * 8;
        final boolean signed = kind.isSignedInteger();
        final BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        final BigInteger max = (signed ? BigInteger.ONE.shiftLeft(bits - 1) : BigInteger.ONE.shiftLeft(bits))
            .subtract(BigInteger.ONE);
        final BigInteger value;
        switch (random.nextInt(5))
        {
            case 0:
                value = min;
                break;
            case 1:
                value = max;
                break;
            case 2:
                value = BigInteger.valueOf(random.nextInt(5) - (signed ? 2 : 0));
                break;
            default:
            {
                final BigInteger raw = new BigInteger(bits, random);
                value = signed ? raw.subtract(BigInteger.ONE.shiftLeft(bits - 1)) : raw;
            }
        }
        final byte[] le = new byte[size];
        final byte[] be = value.toByteArray();
        final byte fill = value.signum() < 0 ? (byte)0xFF : 0;
        for (int i = 0; i < size; i++)
        {
            final int from = be.length - 1 - i;
            le[i] = from >= 0 ? be[from] : fill;
        }
        writer.writeRaw(le);
        return value;
    }

    private static int randomFloatBits(final Random random)
    {
        final float[] specials = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0.0f, -0.0f, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1.0f, -1.0f};
        final int choice = random.nextInt(14);
        if (choice < specials.length)
        {
            return Float.floatToRawIntBits(specials[choice]);
        }
        if (choice == 10)
        {
            return Float.floatToRawIntBits(Float.NaN);
        }
        if (choice == 11)
        {
            return NEGATIVE_NAN_32;
        }
        return Float.floatToRawIntBits((random.nextFloat() - 0.5f) * 1e6f);
    }

    private static long randomDoubleBits(final Random random)
    {
        final double[] specials = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0.0, -0.0, Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0};
        final int choice = random.nextInt(14);
        if (choice < specials.length)
        {
            return Double.doubleToRawLongBits(specials[choice]);
        }
        if (choice == 10)
        {
            return Double.doubleToRawLongBits(Double.NaN);
        }
        if (choice == 11)
        {
            return NEGATIVE_NAN_64;
        }
        return Double.doubleToRawLongBits((random.nextDouble() - 0.5) * 1e12);
    }

    /**
     * The reference SATS order on decoded values.
     */
    @SuppressWarnings("unchecked")
    static int compare(final AlgebraicType type, final Object a, final Object b)
    {
        switch (type.kind())
        {
            case BOOL:
                return Boolean.compare((Boolean)a, (Boolean)b);
            case F32:
            case F64:
                return compareFloats((FloatBits)a, (FloatBits)b);
            case STRING:
                return Arrays.compareUnsigned(
                    ((String)a).getBytes(StandardCharsets.UTF_8), ((String)b).getBytes(StandardCharsets.UTF_8));
            case ARRAY:
            {
                final ArrayType array = (ArrayType)type;
                if (array.isBytes())
                {
                    return Arrays.compareUnsigned((byte[])a, (byte[])b);
                }
                final List<Object> x = (List<Object>)a;
                final List<Object> y = (List<Object>)b;
                for (int i = 0; i < Math.min(x.size(), y.size()); i++)
                {
                    final int c = compare(array.elementType(), x.get(i), y.get(i));
                    if (c != 0)
                    {
                        return c;
                    }
                }
                return Integer.compare(x.size(), y.size());
            }
            case PRODUCT:
            {
                final ProductType product = (ProductType)type;
                final List<Object> x = (List<Object>)a;
                final List<Object> y = (List<Object>)b;
                for (int i = 0; i < product.size(); i++)
                {
                    final int c = compare(product.typeAt(i), x.get(i), y.get(i));
                    if (c != 0)
                    {
                        return c;
                    }
                }
                return 0;
            }
            case SUM:
            {
                final SumValue x = (SumValue)a;
                final SumValue y = (SumValue)b;
                if (x.tag() != y.tag())
                {
                    return Integer.compare(x.tag(), y.tag());
                }
                return compare(((SumType)type).variants().get(x.tag()).type(), x.payload(), y.payload());
            }
            default:
                return ((BigInteger)a).compareTo((BigInteger)b);
        }
    }

    private static int compareFloats(final FloatBits a, final FloatBits b)
    {
        final int classA = floatClass(a);
        final int classB = floatClass(b);
        if (classA != classB || classA != 1)
        {
            return Integer.compare(classA, classB);
        }
        if (a.wide())
        {
            return Double.compare(Double.longBitsToDouble(a.bits()), Double.longBitsToDouble(b.bits()));
        }
        return Float.compare(Float.intBitsToFloat((int)a.bits()), Float.intBitsToFloat((int)b.bits()));
    }

    /**
     * 0 for a negative NaN, 1 for a number, 2 for a positive NaN.
     */
    private static int floatClass(final FloatBits value)
    {
        final boolean nan = value.wide() ? Double.isNaN(Double.longBitsToDouble(value.bits())) :
            Float.isNaN(Float.intBitsToFloat((int)value.bits()));
        if (!nan)
        {
            return 1;
        }
        return value.bits() < 0 ? 0 : 2;
    }

    private static String show(final Object value)
    {
        return value instanceof byte[] ? Arrays.toString((byte[])value) : String.valueOf(value);
    }
}
