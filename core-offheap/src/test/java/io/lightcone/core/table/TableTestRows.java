package io.lightcone.core.table;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumTypeVariant;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random SATS types, random values of them as BSATN, and the places in those bytes where a corruption is certain
 * to make the value malformed. Independent of the code under test.
 */
final class TableTestRows
{
    /** A bool byte: anything but 0 or 1 is invalid. */
    static final int POINT_BOOL = 0;
    /** A sum tag byte; {@link Point#extra} is the variant count. */
    static final int POINT_TAG = 1;
    /** A byte inside a non-empty string: 0xFF is never valid UTF-8. */
    static final int POINT_UTF8 = 2;
    /** A u32 length or count prefix. */
    static final int POINT_LENGTH = 3;

    private static final String[] STRING_PIECES = { "a", "Z", "0", " ", "é", "ß", "日本", "😀", "\u0000", "~" };

    /**
     * A corruptible position in an encoded row.
     *
     * @param position byte offset in the row.
     * @param kind one of the POINT_ constants.
     * @param extra the variant count for tags.
     */
    record Point(int position, int kind, int extra)
    {
    }

    /**
     * An encoded row.
     *
     * @param bytes the BSATN.
     * @param columnOffsets start of each column, plus the end.
     * @param points corruptible positions.
     */
    record Row(byte[] bytes, int[] columnOffsets, List<Point> points)
    {
    }

    private final Random random;
    private byte[] out = new byte[256];
    private int length;
    private final List<Point> points = new ArrayList<>();

    TableTestRows(final Random random)
    {
        this.random = random;
    }

    /**
     * A row type with one column of every kind the table distinguishes.
     *
     * @return the row type.
     */
    static ProductType allKindsRowType()
    {
        final List<Object> namesAndTypes = new ArrayList<>();
        for (final PrimitiveType primitive : PrimitiveType.values())
        {
            namesAndTypes.add(primitive.name().toLowerCase());
            namesAndTypes.add(primitive);
        }
        final Object[] more = {
            "identity", SpecialTypes.IDENTITY,
            "connection_id", SpecialTypes.CONNECTION_ID,
            "timestamp", SpecialTypes.TIMESTAMP,
            "duration", SpecialTypes.TIME_DURATION,
            "uuid", SpecialTypes.UUID,
            "color", SumType.enumOf("red", "green", "blue"),
            "maybe_name", SpecialTypes.option(PrimitiveType.STRING),
            "maybe_u32", SpecialTypes.option(PrimitiveType.U32),
            "schedule", SpecialTypes.SCHEDULE_AT,
            "shape", SumType.of("circle", PrimitiveType.F64, "label", PrimitiveType.STRING, "none", ProductType.UNIT),
            "point", ProductType.of("x", PrimitiveType.I32, "y", PrimitiveType.I32, "visible", PrimitiveType.BOOL),
            "person", ProductType.of("name", PrimitiveType.STRING, "age", PrimitiveType.U8),
            "tags", AlgebraicType.array(PrimitiveType.STRING),
            "scores", AlgebraicType.array(PrimitiveType.U16),
            "flags", AlgebraicType.array(PrimitiveType.BOOL),
            "blob", AlgebraicType.bytes(),
            "unit", ProductType.UNIT,
        };
        namesAndTypes.addAll(Arrays.asList(more));
        return ProductType.of(namesAndTypes.toArray());
    }

    /**
     * A random row type.
     *
     * @param maxColumns most columns.
     * @param depth nesting depth.
     * @return the row type.
     */
    ProductType randomRowType(final int maxColumns, final int depth)
    {
        final int columns = 1 + random.nextInt(maxColumns);
        final ProductTypeElement[] elements = new ProductTypeElement[columns];
        for (int i = 0; i < columns; i++)
        {
            elements[i] = new ProductTypeElement("c" + i, randomType(depth));
        }
        return new ProductType(List.of(elements));
    }

    /**
     * A random type.
     *
     * @param depth how much more nesting is allowed.
     * @return the type.
     */
    AlgebraicType randomType(final int depth)
    {
        final int choice = random.nextInt(depth > 0 ? 14 : 8);
        switch (choice)
        {
            case 0:
            case 1:
            case 2:
                return PrimitiveType.values()[random.nextInt(PrimitiveType.values().length)];
            case 3:
            {
                final ProductType[] specials = {
                    SpecialTypes.IDENTITY, SpecialTypes.CONNECTION_ID, SpecialTypes.TIMESTAMP,
                    SpecialTypes.TIME_DURATION, SpecialTypes.UUID };
                return specials[random.nextInt(specials.length)];
            }
            case 4:
            {
                final String[] names = new String[1 + random.nextInt(5)];
                for (int i = 0; i < names.length; i++)
                {
                    names[i] = "v" + i;
                }
                return SumType.enumOf(names);
            }
            case 5:
                return PrimitiveType.STRING;
            case 6:
                return AlgebraicType.bytes();
            case 7:
                return random.nextBoolean() ? PrimitiveType.BOOL : PrimitiveType.U64;
            case 8:
            case 9:
                return SpecialTypes.option(randomType(depth - 1));
            case 10:
            {
                final SumTypeVariant[] variants = new SumTypeVariant[1 + random.nextInt(4)];
                for (int i = 0; i < variants.length; i++)
                {
                    variants[i] = new SumTypeVariant(
                        "v" + i, random.nextInt(3) == 0 ? ProductType.UNIT : randomType(depth - 1));
                }
                return new SumType(List.of(variants));
            }
            case 11:
            case 12:
            {
                final ProductTypeElement[] fields = new ProductTypeElement[random.nextInt(4)];
                for (int i = 0; i < fields.length; i++)
                {
                    fields[i] = new ProductTypeElement("f" + i, randomType(depth - 1));
                }
                return new ProductType(List.of(fields));
            }
            default:
                return AlgebraicType.array(randomType(depth - 1));
        }
    }

    /**
     * A random row of a row type.
     *
     * @param rowType the type.
     * @return the encoded row.
     */
    Row randomRow(final ProductType rowType)
    {
        length = 0;
        points.clear();
        final int[] columnOffsets = new int[rowType.size() + 1];
        for (int c = 0; c < rowType.size(); c++)
        {
            columnOffsets[c] = length;
            writeValue(rowType.typeAt(c), 2);
        }
        columnOffsets[rowType.size()] = length;
        return new Row(Arrays.copyOf(out, length), columnOffsets, List.copyOf(points));
    }

    /**
     * Whether {@link Table#getLong} applies to a column type, per the Table contract.
     *
     * @param type the column type.
     * @return true for bool, integers and floats of at most 8 bytes, Timestamp, TimeDuration and simple enums.
     */
    static boolean isLongColumn(final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return primitive != PrimitiveType.STRING && primitive.fixedSize() <= 8;
        }
        if (type instanceof ProductType product)
        {
            return product.special() == SpecialType.TIMESTAMP || product.special() == SpecialType.TIME_DURATION;
        }
        return type instanceof SumType sum && sum.isSimpleEnum();
    }

    /**
     * Decodes a long column from BSATN as {@link Table#getLong} should return it.
     *
     * @param type the column type.
     * @param bytes of the row.
     * @param at start of the column.
     * @return the expected value.
     */
    static long expectedLong(final AlgebraicType type, final byte[] bytes, final int at)
    {
        if (type instanceof PrimitiveType primitive)
        {
            final long raw = littleEndian(bytes, at, primitive.fixedSize());
            switch (primitive)
            {
                case I8:
                    return (byte)raw;
                case I16:
                    return (short)raw;
                case I32:
                    return (int)raw;
                default:
                    return raw;
            }
        }
        if (type instanceof ProductType)
        {
            return littleEndian(bytes, at, 8);
        }
        return bytes[at] & 0xFF;
    }

    /**
     * A random value valid for {@link Table#putLong} on a column type.
     *
     * @param type the column type.
     * @return the value.
     */
    long randomLong(final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            switch (primitive)
            {
                case BOOL:
                    return random.nextInt(2);
                case I8:
                    return (byte)random.nextInt();
                case U8:
                    return random.nextInt(256);
                case I16:
                    return (short)random.nextInt();
                case U16:
                    return random.nextInt(65536);
                case I32:
                    return random.nextInt();
                case U32:
                case F32:
                    return random.nextInt() & 0xFFFF_FFFFL;
                default:
                    return random.nextLong();
            }
        }
        if (type instanceof SumType sum)
        {
            return random.nextInt(sum.size());
        }
        return random.nextLong();
    }

    /**
     * Writes a value as BSATN into an array, as {@link Table#putLong} should store it.
     *
     * @param type the column type.
     * @param value the value.
     * @param bytes of the row.
     * @param at start of the column.
     */
    static void putLong(final AlgebraicType type, final long value, final byte[] bytes, final int at)
    {
        final int size = type.fixedSize();
        for (int i = 0; i < size; i++)
        {
            bytes[at + i] = (byte)(value >>> (8 * i));
        }
    }

    private static long littleEndian(final byte[] bytes, final int at, final int size)
    {
        long value = 0;
        for (int i = 0; i < size; i++)
        {
            value |= (bytes[at + i] & 0xFFL) << (8 * i);
        }
        return value;
    }

    private void writeValue(final AlgebraicType type, final int budget)
    {
        if (type instanceof PrimitiveType primitive)
        {
            if (primitive == PrimitiveType.STRING)
            {
                final StringBuilder builder = new StringBuilder();
                final int pieces = random.nextInt(4) == 0 ? 0 : random.nextInt(12);
                for (int i = 0; i < pieces; i++)
                {
                    builder.append(STRING_PIECES[random.nextInt(STRING_PIECES.length)]);
                }
                final byte[] utf8 = builder.toString().getBytes(StandardCharsets.UTF_8);
                points.add(new Point(length, POINT_LENGTH, 0));
                writeU32(utf8.length);
                if (utf8.length > 0)
                {
                    points.add(new Point(length + random.nextInt(utf8.length), POINT_UTF8, 0));
                }
                writeBytes(utf8);
            }
            else if (primitive == PrimitiveType.BOOL)
            {
                points.add(new Point(length, POINT_BOOL, 0));
                writeByte(random.nextInt(2));
            }
            else
            {
                final int size = primitive.fixedSize();
                for (int i = 0; i < size; i++)
                {
                    writeByte(random.nextInt(8) == 0 ? 0xFF : random.nextInt(256));
                }
            }
        }
        else if (type instanceof ArrayType array)
        {
            final boolean bytes = array.isBytes();
            final int count = bytes ? (random.nextInt(5) == 0 ? 300 + random.nextInt(400) : random.nextInt(40)) :
                random.nextInt(1 + 2 * budget);
            points.add(new Point(length, POINT_LENGTH, 0));
            writeU32(count);
            for (int i = 0; i < count; i++)
            {
                writeValue(array.elementType(), Math.max(0, budget - 1));
            }
        }
        else if (type instanceof ProductType product)
        {
            for (int i = 0; i < product.size(); i++)
            {
                writeValue(product.typeAt(i), budget);
            }
        }
        else
        {
            final SumType sum = (SumType)type;
            final int tag = random.nextInt(sum.size());
            points.add(new Point(length, POINT_TAG, sum.size()));
            writeByte(tag);
            writeValue(sum.variants().get(tag).type(), Math.max(0, budget - 1));
        }
    }

    private void writeU32(final int value)
    {
        for (int i = 0; i < 4; i++)
        {
            writeByte(value >>> (8 * i));
        }
    }

    private void writeBytes(final byte[] bytes)
    {
        for (final byte b : bytes)
        {
            writeByte(b);
        }
    }

    private void writeByte(final int value)
    {
        if (length == out.length)
        {
            out = Arrays.copyOf(out, 2 * out.length);
        }
        out[length++] = (byte)value;
    }
}
