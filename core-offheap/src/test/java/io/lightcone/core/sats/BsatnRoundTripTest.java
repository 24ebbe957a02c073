package io.lightcone.core.sats;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants: decode(encode(x)) == x for types, typespaces and values; skipValue and valueLength consume exactly the
 * encoded length, wherever the value sits in a buffer.
 */
class BsatnRoundTripTest
{
    private static final int PAIRS = 2_000;

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 7L, 0x5EEDL, 20260822L })
    void shouldRoundTripRandomTypes(final long seed)
    {
        final Random random = new Random(seed);
        for (int i = 0; i < PAIRS; i++)
        {
            final AlgebraicType type = RandomSats.randomType(random, 5);
            final BsatnWriter writer = new BsatnWriter();
            Bsatn.encodeType(writer, type);
            final BsatnReader reader = new BsatnReader(writer.toByteArray());
            assertEquals(type, Bsatn.decodeType(reader), "seed=" + seed + " i=" + i);
            assertTrue(reader.isExhausted(), "seed=" + seed + " i=" + i + " left bytes after the type");
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 3L, 11L })
    void shouldRoundTripTypespacesWithReferences(final long seed)
    {
        final Random random = new Random(seed);
        for (int i = 0; i < 200; i++)
        {
            final List<AlgebraicType> types = new ArrayList<>();
            final int size = random.nextInt(6);
            for (int k = 0; k < size; k++)
            {
                types.add(random.nextInt(3) == 0 ? AlgebraicType.ref(random.nextInt(10)) :
                    ProductType.of("r", AlgebraicType.ref(random.nextInt(10)), "t", RandomSats.randomType(random, 3)));
            }
            final Typespace typespace = new Typespace(types);
            final BsatnWriter writer = new BsatnWriter();
            Bsatn.encodeTypespace(writer, typespace);
            final BsatnReader reader = new BsatnReader(writer.toByteArray());
            assertEquals(typespace, Bsatn.decodeTypespace(reader), "seed=" + seed + " i=" + i);
            assertTrue(reader.isExhausted(), "seed=" + seed + " i=" + i);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 7L, 0x5EEDL, 20260822L, -42L })
    void shouldRoundTripRandomValues(final long seed)
    {
        final Random random = new Random(seed);
        for (int i = 0; i < PAIRS; i++)
        {
            final AlgebraicType type = RandomSats.randomType(random, 4);
            final Object value = RandomSats.randomValue(random, type);
            final String context = "seed=" + seed + " i=" + i + " type=" + type + " value=" + value;
            final byte[] bytes = Bsatn.encodeToBytes(type, value);
            assertEquals(value, Bsatn.decodeValueFully(bytes, type), context);

            final BsatnReader reader = new BsatnReader(bytes);
            Bsatn.skipValue(reader, type);
            assertEquals(bytes.length, reader.relativePosition(), context);

            final int prefix = random.nextInt(9);
            final byte[] padded = new byte[prefix + bytes.length + 7];
            random.nextBytes(padded);
            System.arraycopy(bytes, 0, padded, prefix, bytes.length);
            assertEquals(bytes.length, Bsatn.valueLength(new UnsafeBuffer(padded), prefix, bytes.length + 7, type),
                context);
            assertEquals(value, Bsatn.decodeValue(new BsatnReader().wrap(new UnsafeBuffer(padded), prefix,
                bytes.length), type), context);
        }
    }

    @Test
    void shouldRoundTripWideIntegerEdges()
    {
        final BigInteger two = BigInteger.TWO;
        final Object[][] cases =
        {
            { AlgebraicType.I128, two.pow(127).negate() },
            { AlgebraicType.I128, two.pow(127).subtract(BigInteger.ONE) },
            { AlgebraicType.U128, two.pow(128).subtract(BigInteger.ONE) },
            { AlgebraicType.I256, two.pow(255).negate() },
            { AlgebraicType.U256, two.pow(256).subtract(BigInteger.ONE) },
            { AlgebraicType.U256, BigInteger.ZERO },
        };
        for (final Object[] c : cases)
        {
            final AlgebraicType type = (AlgebraicType)c[0];
            final byte[] bytes = Bsatn.encodeToBytes(type, c[1]);
            assertEquals(type.fixedSize(), bytes.length, type + " " + c[1]);
            assertEquals(c[1], Bsatn.decodeValueFully(bytes, type), type + " " + c[1]);
        }
        assertArrayEquals(VectorBytes.of("00".repeat(15) + "80"), Bsatn.encodeToBytes(AlgebraicType.I128,
            two.pow(127).negate()));
    }

    @Test
    void shouldRejectValuesThatDoNotFitNamingThePath()
    {
        final ProductType type = ProductType.of("a", AlgebraicType.U32,
            "b", AlgebraicType.array(SpecialTypes.option(AlgebraicType.STRING)));
        final Object bad = ProductValue.of(1, List.of(SumValue.NONE, SumValue.some(5)));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Bsatn.encodeToBytes(type, bad));
        assertTrue(ex.getMessage().contains("$.b[1].some") && ex.getMessage().contains("expected String"),
            ex.getMessage());

        final IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
            () -> Bsatn.encodeToBytes(AlgebraicType.U128, BigInteger.ONE.negate()));
        assertTrue(range.getMessage().contains("out of range for U128"), range.getMessage());

        final IllegalArgumentException tag = assertThrows(IllegalArgumentException.class,
            () -> Bsatn.encodeToBytes(SpecialTypes.option(AlgebraicType.U8), new SumValue(2, ProductValue.UNIT)));
        assertTrue(tag.getMessage().contains("tag 2 for a sum of 2 variants"), tag.getMessage());

        final IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class,
            () -> Bsatn.encodeToBytes(AlgebraicType.STRING, "a\uD800"));
        assertTrue(surrogate.getMessage().contains("unpaired surrogate"), surrogate.getMessage());

        assertThrows(IllegalArgumentException.class,
            () -> Bsatn.encodeToBytes(AlgebraicType.ref(0), 1));
        assertThrows(IllegalArgumentException.class,
            () -> Bsatn.decodeValueFully(new byte[4], AlgebraicType.ref(0)));
        assertThrows(IllegalArgumentException.class,
            () -> Bsatn.skipValue(new BsatnReader(new byte[4]), AlgebraicType.ref(0)));
    }

    /** Invariant: skipping a row that only passes through allocates nothing once warmed up. */
    @Test
    void shouldSkipWithoutAllocating()
    {
        final java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemoryEnabled());

        final ProductType type = ProductType.of("id", SpecialTypes.IDENTITY, "name", AlgebraicType.STRING,
            "flags", AlgebraicType.array(AlgebraicType.BOOL), "scores", AlgebraicType.array(AlgebraicType.U32),
            "tags", AlgebraicType.array(SpecialTypes.option(AlgebraicType.STRING)), "at", SpecialTypes.SCHEDULE_AT,
            "units", AlgebraicType.array(ProductType.UNIT));
        final Object value = ProductValue.of(ProductValue.of(BigInteger.TEN), "héllo 😀",
            List.of(true, false, true), List.of(1, 2, 3, 4), List.of(SumValue.some("x"), SumValue.NONE),
            new SumValue(1, ProductValue.of(99L)), List.of(ProductValue.UNIT, ProductValue.UNIT));
        final UnsafeBuffer buffer = new UnsafeBuffer(Bsatn.encodeToBytes(type, value));
        final BsatnReader reader = new BsatnReader();
        long consumed = 0;
        for (int i = 0; i < 50_000; i++)
        {
            reader.wrap(buffer, 0, buffer.capacity());
            Bsatn.skipValue(reader, type);
            consumed += reader.relativePosition();
        }
        final int iterations = 10_000;
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < iterations; i++)
        {
            reader.wrap(buffer, 0, buffer.capacity());
            Bsatn.skipValue(reader, type);
            consumed += reader.relativePosition();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals((50_000L + iterations) * buffer.capacity(), consumed);
        assertTrue(allocated < iterations, "skipValue allocated " + allocated + " bytes over " + iterations + " rows");
    }

    @Test
    void shouldAcceptByteArraysForBytes()
    {
        assertArrayEquals(VectorBytes.of("0200000001ff"),
            Bsatn.encodeToBytes(AlgebraicType.bytes(), new byte[]{ 1, -1 }));
    }

    /**
     * Hex helper shared with other tests.
     */
    static final class VectorBytes
    {
        private VectorBytes()
        {
        }

        static byte[] of(final String hex)
        {
            return Hex.decode(hex.replace(" ", ""));
        }
    }
}
