package io.lightcone.cli.generate.java;

import io.lightcone.cli.generate.ModuleDefs;
import io.lightcone.client.ScheduleAt;
import io.lightcone.client.TimeDuration;
import io.lightcone.client.Timestamp;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumValue;
import io.lightcone.edge.auth.ConnectionId;
import io.lightcone.edge.auth.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Invariant: for every named type of the {@code everything} test module (every column type: all primitives, bytes,
 * string arrays, Option, a plain enum, a sum with payloads, a nested product, Identity, ConnectionId, Timestamp,
 * TimeDuration, Uuid, ScheduleAt), the generated {@code fromBsatn} / {@code toBsatn} agree byte for byte with
 * core-offheap's generic {@link Bsatn} encoder on seeded random values (edge cases favoured), decoding twice gives
 * equal objects with equal hash codes, and truncated or over-long input is refused with a
 * {@link BsatnDecodeException}.
 * <p>
 * The random values are made here: core's {@code RandomSats} is a test class of core-offheap, which publishes no
 * test jar.
 */
@Timeout(600)
final class GeneratedBindingsRoundTripTest
{
    private static final int VALUES_PER_TYPE = 400;
    private static final String PACKAGE = "roundtrip.everything";

    @TempDir
    Path out;

    @Test
    void shouldAgreeWithTheGenericEncoderOnRandomValuesOfEveryType() throws Exception
    {
        final Path wasm = JavaBindings.MODULES.resolve("everything.wasm");
        final ModuleDef def = ModuleDefs.fromWasm(wasm);
        JavaBindings.generate(wasm, PACKAGE, out.resolve("src"));
        assertEquals(List.of(), JavaBindings.compile(out.resolve("src"), out.resolve("classes")));
        final Random random = new Random(0x5A75_B17EL);
        final Set<String> checked = new TreeSet<>();
        try (URLClassLoader loader = JavaBindings.loader(out.resolve("classes")))
        {
            for (final ModuleDef.NamedType named : def.namedTypes())
            {
                final AlgebraicType type = def.typespace().inline(def.typespace().get(named.typeRef()));
                final Class<?> generated = loader.loadClass(PACKAGE + "." + named.name());
                final Method fromBsatn = generated.getMethod("fromBsatn", byte[].class);
                final Method toBsatn = generated.getMethod("toBsatn");
                for (int i = 0; i < VALUES_PER_TYPE; i++)
                {
                    final Object value = randomValue(random, type, 3);
                    final byte[] generic = Bsatn.encodeToBytes(type, value);
                    final Object typed = fromBsatn.invoke(null, (Object)generic);
                    final byte[] encoded = (byte[])toBsatn.invoke(typed);
                    assertArrayEquals(generic, encoded, () -> named.name() + " " + value + " as " + typed);
                    assertEquals(value, Bsatn.decodeValueFully(encoded, type), named.name());
                    final Object again = fromBsatn.invoke(null, (Object)encoded);
                    assertEquals(typed, again, named.name());
                    assertEquals(typed.hashCode(), again.hashCode(), named.name());
                    assertEquals(typed.toString(), again.toString(), named.name());
                    if (generic.length > 0)
                    {
                        refused(fromBsatn, Arrays.copyOf(generic, random.nextInt(generic.length)));
                    }
                    refused(fromBsatn, Arrays.copyOf(generic, generic.length + 1));
                }
                checked.add(named.name());
            }
            specialTypesMeanWhatTheySay(def, loader, random);
        }
        assertEquals(Set.of("Color", "EvLog", "Everything", "HttpResult", "Kv", "Point", "Shape", "TickTimer"),
            checked);
    }

    /**
     * Byte agreement alone would not see a mistake made the same way in both directions (say, the halves of a UUID
     * swapped): the Java values of the special types and wide integers must mean what the BSATN says.
     */
    private static void specialTypesMeanWhatTheySay(final ModuleDef def, final ClassLoader loader,
        final Random random) throws Exception
    {
        final ProductType type = (ProductType)def.typespace().inline(def.typespace().get(0));
        final List<Object> fields = new ArrayList<>(((ProductValue)randomValue(random, type, 3)).fields());
        final BigInteger identity = new BigInteger("c200" + "11".repeat(29) + "01", 16);
        final BigInteger uuid = new BigInteger("0123456789abcdeffedcba9876543210", 16);
        fields.set(6, BigInteger.ONE.shiftLeft(127).negate());
        fields.set(13, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE));
        fields.set(23, ProductValue.of(identity));
        fields.set(24, ProductValue.of(BigInteger.valueOf(0x0102_0304_0506L)));
        fields.set(25, ProductValue.of(-1_234_567L));
        fields.set(26, ProductValue.of(90_000_000L));
        fields.set(27, ProductValue.of(uuid));
        fields.set(28, new SumValue(1, ProductValue.of(42L)));
        final Class<?> everything = loader.loadClass(PACKAGE + ".Everything");
        final Object row = everything.getMethod("fromBsatn", byte[].class)
            .invoke(null, (Object)Bsatn.encodeToBytes(type, ProductValue.of(fields.toArray())));
        assertEquals(BigInteger.ONE.shiftLeft(127).negate(), everything.getMethod("i128V").invoke(row));
        assertEquals(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), everything.getMethod("u256V").invoke(row));
        assertEquals(Identity.fromHex(identity.toString(16)), everything.getMethod("ident").invoke(row));
        assertEquals("00000000000000000000010203040506",
            ((ConnectionId)everything.getMethod("conn").invoke(row)).toHex());
        assertEquals(new Timestamp(-1_234_567L), everything.getMethod("ts").invoke(row));
        assertEquals(Instant.parse("1969-12-31T23:59:58.765433Z"), new Timestamp(-1_234_567L).toInstant());
        assertEquals(new TimeDuration(90_000_000L), everything.getMethod("dur").invoke(row));
        assertEquals(UUID.fromString("01234567-89ab-cdef-fedc-ba9876543210"), everything.getMethod("uuid").invoke(row));
        assertEquals(new ScheduleAt.Time(new Timestamp(42)), everything.getMethod("sched").invoke(row));
    }

    private static void refused(final Method fromBsatn, final byte[] bytes)
    {
        final InvocationTargetException thrown =
            assertThrows(InvocationTargetException.class, () -> fromBsatn.invoke(null, (Object)bytes));
        assertInstanceOf(BsatnDecodeException.class, thrown.getCause(), Arrays.toString(bytes));
    }

    /** A random value of an inlined type, in core's value model ({@link ProductValue}). */
    private static Object randomValue(final Random random, final AlgebraicType type, final int depth)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return randomPrimitive(random, primitive);
        }
        if (type instanceof ArrayType array)
        {
            final int length = random.nextInt(4) == 0 || depth <= 0 ? 0 : random.nextInt(array.isBytes() ? 40 : 5);
            final List<Object> elements = new ArrayList<>(length);
            for (int i = 0; i < length; i++)
            {
                elements.add(randomValue(random, array.elementType(), depth - 1));
            }
            return elements;
        }
        if (type instanceof ProductType product)
        {
            final Object[] fields = new Object[product.size()];
            for (int i = 0; i < fields.length; i++)
            {
                fields[i] = randomValue(random, product.typeAt(i), depth - 1);
            }
            return ProductValue.of(fields);
        }
        final SumType sum = (SumType)type;
        final int tag = random.nextInt(sum.size());
        return new SumValue(tag, randomValue(random, sum.variants().get(tag).type(), depth - 1));
    }

    private static Object randomPrimitive(final Random random, final PrimitiveType type)
    {
        final boolean edge = random.nextInt(4) == 0;
        final long bits = edge ? new long[]{ 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1 }[random.nextInt(5)] :
            random.nextLong();
        return switch (type)
        {
            case BOOL -> random.nextBoolean();
            case I8, U8 -> (byte)(edge && bits == Long.MIN_VALUE ? Byte.MIN_VALUE : bits);
            case I16, U16 -> (short)(edge && bits == Long.MIN_VALUE ? Short.MIN_VALUE : bits);
            case I32, U32 -> (int)(edge && bits == Long.MIN_VALUE ? Integer.MIN_VALUE : bits);
            case I64, U64 -> bits;
            case F32 -> edge ? new float[]{ 0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, Float.MAX_VALUE }[random.nextInt(7)] : random.nextFloat() * bits;
            case F64 -> edge ? new double[]{ 0d, -0d, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE }[random.nextInt(7)] :
                random.nextDouble() * bits;
            case STRING -> randomString(random);
            default -> randomWide(random, type, edge);
        };
    }

    private static String randomString(final Random random)
    {
        final String[] samples = { "", "hi", "héllo", "中文字符", "😀🚀", "tab\tnew\nline", "quote\"back\\slash", "\u0000" };
        if (random.nextBoolean())
        {
            return samples[random.nextInt(samples.length)];
        }
        final StringBuilder sb = new StringBuilder();
        final int length = random.nextInt(10);
        for (int i = 0; i < length; i++)
        {
            final int codePoint = random.nextInt(0x110000);
            sb.appendCodePoint(codePoint >= 0xD800 && codePoint <= 0xDFFF ? 'x' : codePoint);
        }
        return sb.toString();
    }

    private static BigInteger randomWide(final Random random, final PrimitiveType type, final boolean edge)
    {
        final int bits = type.fixedSize() * 8;
        final boolean signed = type.kind().isSignedInteger();
        final BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE) :
            BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        final BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        if (edge)
        {
            return new BigInteger[]{ BigInteger.ZERO, BigInteger.ONE, min, max }[random.nextInt(4)];
        }
        final BigInteger magnitude = new BigInteger(1 + random.nextInt(bits - 1), random);
        return signed && random.nextBoolean() ? magnitude.negate() : magnitude;
    }
}
