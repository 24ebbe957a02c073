package io.lightcone.core.sats;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of SATS types and values for property tests; shared by every package's tests, so the API is
 * kept stable: {@link #randomType(Random, int)}, {@link #randomValue(Random, AlgebraicType)} and
 * {@link #randomString(Random)}.
 * <p>
 * Types cover every primitive, arrays (including {@code Array<U8>}), products and sums with named, unnamed and
 * non-ASCII names, the unit type, plain enums, and the special types Identity, ConnectionId, Timestamp,
 * TimeDuration, Uuid, Option, Result and ScheduleAt. Generated types contain no {@link RefType}, no sum without
 * variants (it has no values), no duplicate names within one product or sum and no all-digit names (which would be
 * ambiguous with SATS-JSON's index keys).
 * <p>
 * Values follow the model documented on {@link ProductValue} and favour edge cases: min and max integers, 0 and -1,
 * NaN (which {@code Float.equals}/{@code Double.equals} treat as equal to itself), infinities, -0.0, empty and
 * non-ASCII strings (including emoji, never unpaired surrogates), and empty arrays.
 */
public final class RandomSats
{
    private static final PrimitiveType[] PRIMITIVES = PrimitiveType.values();
    private static final String[] STRINGS =
    {
        "", "hi", "a", "héllo", "中文字符", "😀🚀", "tab\tnew\nline", "quote\"back\\slash", "\u0000nul", "ÿ",
        "\u07ff\u0800\uffff", "\uD800\uDC00"
    };
    private static final String[] NAME_STEMS = { "f", "name", "x_y", "Ünï", "名", "v", "" };

    private RandomSats()
    {
    }

    /**
     * A random type with no references.
     *
     * @param random the seeded source.
     * @param depth how many more levels of nesting are allowed; 0 gives a primitive or a leaf special type.
     * @return the type.
     */
    public static AlgebraicType randomType(final Random random, final int depth)
    {
        if (depth <= 0 || random.nextInt(3) == 0)
        {
            return randomLeafType(random);
        }
        switch (random.nextInt(9))
        {
            case 0:
            case 1:
                return new ArrayType(randomType(random, depth - 1));
            case 2:
            case 3:
                return randomProduct(random, depth);
            case 4:
            case 5:
                return randomSum(random, depth);
            case 6:
                return SpecialTypes.option(randomType(random, depth - 1));
            case 7:
                return SpecialTypes.result(randomType(random, depth - 1), randomType(random, depth - 1));
            default:
                final String[] names = new String[1 + random.nextInt(5)];
                for (int i = 0; i < names.length; i++)
                {
                    names[i] = "E" + i;
                }
                return SumType.enumOf(names);
        }
    }

    /**
     * A random value of a type, in the model of {@link ProductValue}.
     *
     * @param random the seeded source.
     * @param type with no references and no sum without variants.
     * @return the value.
     */
    static Object randomValue(final Random random, final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return randomPrimitive(random, primitive);
        }
        if (type instanceof ArrayType array)
        {
            final int length = random.nextInt(4) == 0 ? 0 : random.nextInt(array.isBytes() ? 40 : 5);
            final List<Object> elements = new ArrayList<>(length);
            for (int i = 0; i < length; i++)
            {
                elements.add(randomValue(random, array.elementType()));
            }
            return elements;
        }
        if (type instanceof ProductType product)
        {
            final Object[] fields = new Object[product.size()];
            for (int i = 0; i < fields.length; i++)
            {
                fields[i] = randomValue(random, product.typeAt(i));
            }
            return ProductValue.of(fields);
        }
        if (type instanceof SumType sum)
        {
            final int tag = random.nextInt(sum.size());
            return new SumValue(tag, randomValue(random, sum.variants().get(tag).type()));
        }
        throw new IllegalArgumentException("cannot generate a value of " + type);
    }

    /**
     * A random valid string: empty, ASCII, escapes, non-ASCII, emoji, or random code points (never surrogates).
     *
     * @param random the seeded source.
     * @return the string.
     */
    static String randomString(final Random random)
    {
        if (random.nextBoolean())
        {
            return STRINGS[random.nextInt(STRINGS.length)];
        }
        final StringBuilder builder = new StringBuilder();
        final int length = random.nextInt(8);
        for (int i = 0; i < length; i++)
        {
            final int bound = switch (random.nextInt(4))
            {
                case 0 -> 0x80;
                case 1 -> 0x800;
                case 2 -> 0x10000;
                default -> 0x110000;
            };
            int codePoint = random.nextInt(bound);
            if (codePoint >= 0xD800 && codePoint <= 0xDFFF)
            {
                codePoint = 'x';
            }
            builder.appendCodePoint(codePoint);
        }
        return builder.toString();
    }

    private static AlgebraicType randomLeafType(final Random random)
    {
        switch (random.nextInt(12))
        {
            case 0:
                return SpecialTypes.IDENTITY;
            case 1:
                return SpecialTypes.CONNECTION_ID;
            case 2:
                return random.nextBoolean() ? SpecialTypes.TIMESTAMP : SpecialTypes.TIME_DURATION;
            case 3:
                return random.nextBoolean() ? SpecialTypes.UUID : SpecialTypes.SCHEDULE_AT;
            case 4:
                return random.nextBoolean() ? ProductType.UNIT : ArrayType.BYTES;
            default:
                return PRIMITIVES[random.nextInt(PRIMITIVES.length)];
        }
    }

    private static ProductType randomProduct(final Random random, final int depth)
    {
        final int size = random.nextInt(5);
        final List<ProductTypeElement> elements = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            elements.add(new ProductTypeElement(randomName(random, i), randomType(random, depth - 1)));
        }
        return new ProductType(elements);
    }

    private static SumType randomSum(final Random random, final int depth)
    {
        final int size = 1 + random.nextInt(4);
        final List<SumTypeVariant> variants = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            variants.add(new SumTypeVariant(randomName(random, i), randomType(random, depth - 1)));
        }
        return new SumType(variants);
    }

    private static String randomName(final Random random, final int index)
    {
        if (random.nextInt(5) == 0)
        {
            return null;
        }
        return NAME_STEMS[random.nextInt(NAME_STEMS.length)] + "_" + index;
    }

    private static Object randomPrimitive(final Random random, final PrimitiveType type)
    {
        final boolean edge = random.nextInt(4) == 0;
        switch (type)
        {
            case BOOL:
                return random.nextBoolean();
            case I8:
            case U8:
                return (byte)(edge ? pick(random, 0, -1, Byte.MIN_VALUE, Byte.MAX_VALUE) : random.nextInt());
            case I16:
            case U16:
                return (short)(edge ? pick(random, 0, -1, Short.MIN_VALUE, Short.MAX_VALUE) : random.nextInt());
            case I32:
            case U32:
                return (int)(edge ? pick(random, 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE) : random.nextInt());
            case I64:
            case U64:
                return edge ? pick(random, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE) : random.nextLong();
            case F32:
                return edge ? (float)pickDouble(random) :
                    (random.nextBoolean() ? Float.intBitsToFloat(random.nextInt()) : random.nextFloat());
            case F64:
                return edge ? pickDouble(random) :
                    (random.nextBoolean() ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble());
            case STRING:
                return randomString(random);
            default:
                return randomWide(random, type, edge);
        }
    }

    private static BigInteger randomWide(final Random random, final PrimitiveType type, final boolean edge)
    {
        final int bits = type.fixedSize() * 8;
        final boolean signed = type.kind().isSignedInteger();
        if (edge)
        {
            final BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE) :
                BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            final BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
            return switch (random.nextInt(4))
            {
                case 0 -> BigInteger.ZERO;
                case 1 -> signed ? BigInteger.ONE.negate() : BigInteger.ONE;
                case 2 -> min;
                default -> max;
            };
        }
        final BigInteger unsigned = new BigInteger(random.nextInt(bits) + 1, random);
        return signed ? unsigned.shiftRight(1).multiply(random.nextBoolean() ? BigInteger.ONE : BigInteger.ONE.negate())
            : unsigned;
    }

    private static long pick(final Random random, final long... values)
    {
        return values[random.nextInt(values.length)];
    }

    private static double pickDouble(final Random random)
    {
        final double[] values =
        {
            0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.MIN_VALUE,
            Float.MAX_VALUE, Double.MIN_VALUE, Double.MAX_VALUE, 0.1
        };
        return values[random.nextInt(values.length)];
    }
}
