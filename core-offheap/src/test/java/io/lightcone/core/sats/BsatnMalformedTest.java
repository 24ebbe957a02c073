package io.lightcone.core.sats;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Invariant: malformed BSATN only ever raises {@link BsatnDecodeException}, with the offset of the offending byte and
 * a message naming what was wrong; nothing reads outside the wrapped region.
 */
class BsatnMalformedTest
{
    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 7L, 0x5EEDL })
    void shouldRejectEveryTruncation(final long seed)
    {
        final Random random = new Random(seed);
        for (int i = 0; i < 300; i++)
        {
            final AlgebraicType type = RandomSats.randomType(random, 4);
            final byte[] bytes = Bsatn.encodeToBytes(type, RandomSats.randomValue(random, type));
            for (int k = 0; k < bytes.length; k++)
            {
                final int length = k;
                final byte[] truncated = Arrays.copyOf(bytes, length);
                final String context = "seed=" + seed + " i=" + i + " k=" + k + " type=" + type;
                final BsatnDecodeException decode = assertThrows(BsatnDecodeException.class,
                    () -> Bsatn.decodeValueFully(truncated, type), context);
                assertTrue(decode.offset() >= 0 && decode.offset() <= k, context + " offset " + decode.offset());
                assertThrows(BsatnDecodeException.class,
                    () -> Bsatn.skipValue(new BsatnReader(truncated), type), context);
                // The full value lies in the buffer, but outside the region: it must not be read.
                assertThrows(BsatnDecodeException.class,
                    () -> Bsatn.valueLength(new UnsafeBuffer(bytes), 0, length, type), context);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 2L, 13L, 0xF1FL })
    void shouldOnlyThrowDecodeExceptionsOnByteFlips(final long seed)
    {
        final Random random = new Random(seed);
        for (int i = 0; i < 1_000; i++)
        {
            final AlgebraicType type = RandomSats.randomType(random, 4);
            final byte[] bytes = Bsatn.encodeToBytes(type, RandomSats.randomValue(random, type));
            if (bytes.length == 0)
            {
                continue;
            }
            final byte[] flipped = bytes.clone();
            final int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++)
            {
                flipped[random.nextInt(flipped.length)] ^= (byte)(1 + random.nextInt(255));
            }
            final String context = "seed=" + seed + " i=" + i + " type=" + type;
            int decodedLength = -1;
            try
            {
                final BsatnReader reader = new BsatnReader(flipped);
                Bsatn.decodeValue(reader, type);
                decodedLength = reader.relativePosition();
            }
            catch (final BsatnDecodeException ex)
            {
                assertTrue(ex.offset() >= 0 && ex.offset() <= flipped.length, context + " " + ex);
            }
            catch (final RuntimeException | Error ex)
            {
                fail(context + " threw " + ex, ex);
            }
            try
            {
                final BsatnReader reader = new BsatnReader(flipped);
                Bsatn.skipValue(reader, type);
                assertEquals(decodedLength, reader.relativePosition(), context + " skip disagrees with decode");
            }
            catch (final BsatnDecodeException ex)
            {
                assertEquals(-1, decodedLength, context + " skip rejected what decode accepted: " + ex);
            }
            catch (final RuntimeException | Error ex)
            {
                fail(context + " threw " + ex, ex);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 5L, 17L })
    void shouldOnlyThrowDecodeExceptionsOnFlippedTypes(final long seed)
    {
        final Random random = new Random(seed);
        for (int i = 0; i < 1_000; i++)
        {
            final BsatnWriter writer = new BsatnWriter();
            Bsatn.encodeType(writer, RandomSats.randomType(random, 4));
            final byte[] bytes = writer.toByteArray();
            bytes[random.nextInt(bytes.length)] ^= (byte)(1 + random.nextInt(255));
            try
            {
                Bsatn.decodeType(new BsatnReader(bytes));
            }
            catch (final BsatnDecodeException ex)
            {
                assertTrue(ex.offset() >= 0 && ex.offset() <= bytes.length, "seed=" + seed + " " + ex);
            }
            catch (final RuntimeException | Error ex)
            {
                fail("seed=" + seed + " i=" + i + " threw " + ex, ex);
            }
        }
    }

    @Test
    void shouldRejectBadBoolByte()
    {
        final ProductType type = ProductType.of("n", AlgebraicType.U32, "b", AlgebraicType.BOOL);
        assertDecodeError(type, "01 00 00 00 02", 4, "invalid bool byte 0x2");
        assertDecodeError(AlgebraicType.array(AlgebraicType.BOOL), "02 00 00 00 01 ff", 5, "invalid bool byte 0xff");
    }

    @Test
    void shouldRejectBadSumTag()
    {
        assertDecodeError(SpecialTypes.option(AlgebraicType.U32), "07 00 00 00 00", 0,
            "invalid sum tag 7 for a sum of 2 variants");
        assertDecodeError(ProductType.of("a", AlgebraicType.U8, "e", SumType.enumOf("A", "B", "C")), "09 03", 1,
            "invalid sum tag 3 for a sum of 3 variants");
    }

    @Test
    void shouldRejectInvalidUtf8()
    {
        final AlgebraicType string = AlgebraicType.STRING;
        assertDecodeError(string, "03 00 00 00 61 c0 af", 5, "invalid UTF-8 code point U+2f");
        assertDecodeError(string, "04 00 00 00 e0 80 80 80", 4, "invalid UTF-8 code point U+0");
        assertDecodeError(string, "03 00 00 00 ed a0 80", 4, "invalid UTF-8 code point U+d800");
        assertDecodeError(string, "03 00 00 00 ed bf bf", 4, "invalid UTF-8 code point U+dfff");
        assertDecodeError(string, "04 00 00 00 f4 90 80 80", 4, "invalid UTF-8 code point U+110000");
        assertDecodeError(string, "03 00 00 00 61 e2 82", 5, "truncated UTF-8 sequence");
        assertDecodeError(string, "02 00 00 00 c3 28", 5, "invalid UTF-8 continuation byte 0x28");
        assertDecodeError(string, "01 00 00 00 ff", 4, "invalid UTF-8 lead byte 0xff");
        assertDecodeError(string, "01 00 00 00 80", 4, "invalid UTF-8 lead byte 0x80");
        // A valid sequence cut by the string length, although the buffer holds the rest.
        assertDecodeError(ProductType.of("s", string, "t", string), "01 00 00 00 e2 82 ac 00 00 00 00", 4,
            "truncated UTF-8 sequence");
    }

    /**
     * Invariant: {@link BsatnReader#validateUtf8} accepts exactly the byte strings the JDK's strict UTF-8 decoder
     * accepts, for seeded strings of ASCII runs (which it checks eight bytes at a time), valid multi-byte characters
     * and random bytes, each error placed anywhere among the runs.
     */
    @Test
    void shouldAcceptExactlyWhatAStrictUtf8DecoderAccepts()
    {
        final long seed = 0x07F8L;
        final Random random = new Random(seed);
        final BsatnReader reader = new BsatnReader();
        final String[] pieces =
        {
            "a", "abcdefgh", "0123456789abcdefghij", "\u00e9", "\u20ac", "\uD83D\uDE00", "\u0000"
        };
        int invalid = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            final int parts = random.nextInt(8);
            for (int p = 0; p < parts; p++)
            {
                if (random.nextInt(6) == 0)
                {
                    out.write(random.nextInt(256));
                }
                else
                {
                    out.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
                }
            }
            final byte[] bytes = out.toByteArray();
            boolean expected = true;
            try
            {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            }
            catch (final CharacterCodingException ex)
            {
                expected = false;
                invalid++;
            }
            reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
            boolean actual = true;
            try
            {
                reader.validateUtf8(bytes.length);
            }
            catch (final BsatnDecodeException ex)
            {
                actual = false;
            }
            assertEquals(expected, actual, "seed " + seed + " round " + round + ": " + Arrays.toString(bytes));
            if (actual)
            {
                assertTrue(reader.isExhausted(), "seed " + seed + " round " + round + ": skipped the bytes");
            }
        }
        assertTrue(invalid > 1_000 && invalid < 19_000, "both outcomes are exercised: " + invalid + " invalid");
    }

    @Test
    void shouldRejectAbsurdLengths()
    {
        assertDecodeError(AlgebraicType.STRING, "ff ff ff ff 61", 0, "absurd string length 4294967295");
        assertDecodeError(AlgebraicType.bytes(), "05 00 00 00 61", 0, "absurd array length 5");
        assertDecodeError(AlgebraicType.array(AlgebraicType.U64), "02 00 00 00 00 00 00 00 00 00 00 00", 0,
            "absurd array length 2");
        assertDecodeError(AlgebraicType.array(ProductType.UNIT), "ff ff ff ff", 0, "absurd array length 4294967295");
        assertDecodeError(AlgebraicType.array(ProductType.UNIT), "01 00 20 00", 0,
            "absurd array length 2097153 for elements that may be empty");
        assertDecodeError(AlgebraicType.array(AlgebraicType.array(AlgebraicType.STRING)),
            "02 00 00 00 ff ff ff 7f", 0, "absurd array length 2");
        assertDecodeError(AlgebraicType.array(AlgebraicType.array(AlgebraicType.STRING)),
            "01 00 00 00 ff ff ff 7f", 4, "absurd array length 2147483647");
        final byte[] zeroSize = VectorBytesOf.of("00 00 10 00");
        assertEquals(1 << 20, ((java.util.List<?>)Bsatn.decodeValueFully(zeroSize,
            AlgebraicType.array(ProductType.UNIT))).size());
    }

    @Test
    void shouldRejectTrailingBytes()
    {
        assertDecodeError(AlgebraicType.U16, "01 00 02", 2, "1 trailing bytes after the value");
    }

    @Test
    void shouldRejectMalformedTypes()
    {
        assertTypeError("14", 0, "invalid AlgebraicType tag 20");
        assertTypeError("03".repeat(200) + "04", Bsatn.MAX_TYPE_DEPTH, "type nesting too deep");
        assertTypeError("02 01 00 00 00 02 05", 5, "invalid sum tag 2 for a sum of 2 variants (Option<String>)");
        assertTypeError("02 01 00 00 00 00 01 00 00 00 c0 05", 10, "truncated UTF-8 sequence");
        assertTypeError("02 ff ff ff ff", 1, "absurd product elements length");
        final StringBuilder bigSum = new StringBuilder("01 01 01 00 00");
        for (int i = 0; i < 257; i++)
        {
            bigSum.append(" 01 05");
        }
        assertTypeError(bigSum.toString(), 1, "a sum of 257 variants exceeds 256");
        assertTypeError("00 01 00", 1, "truncated input");
    }

    private static void assertDecodeError(
        final AlgebraicType type, final String hex, final int offset, final String reason)
    {
        final byte[] bytes = VectorBytesOf.of(hex);
        final BsatnDecodeException decode = assertThrows(BsatnDecodeException.class,
            () -> Bsatn.decodeValueFully(bytes, type), hex);
        assertEquals(offset, decode.offset(), decode.getMessage());
        assertTrue(decode.reason().contains(reason), decode.getMessage());
        if (!reason.contains("trailing"))
        {
            final BsatnDecodeException skip = assertThrows(BsatnDecodeException.class,
                () -> Bsatn.skipValue(new BsatnReader(bytes), type), hex);
            assertEquals(offset, skip.offset(), skip.getMessage());
            assertTrue(skip.reason().contains(reason), skip.getMessage());
        }
    }

    private static void assertTypeError(final String hex, final int offset, final String reason)
    {
        final byte[] bytes = VectorBytesOf.of(hex);
        final BsatnDecodeException ex = assertThrows(BsatnDecodeException.class,
            () -> Bsatn.decodeType(new BsatnReader(bytes)), hex);
        assertEquals(offset, ex.offset(), ex.getMessage());
        assertTrue(ex.reason().contains(reason), ex.getMessage());
    }

    private static final class VectorBytesOf
    {
        private VectorBytesOf()
        {
        }

        static byte[] of(final String hex)
        {
            return Hex.decode(hex.replace(" ", ""));
        }
    }
}
