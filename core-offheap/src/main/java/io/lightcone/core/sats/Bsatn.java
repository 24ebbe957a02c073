package io.lightcone.core.sats;

import org.agrona.DirectBuffer;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BSATN encoding of SATS types and of on-heap values (reference/spacetimedb-contracts.md §1.1, §1.2).
 * <p>
 * Types: a one-byte {@link TypeKind} tag; Ref is then a u32 index; Sum and Product a u32 count of
 * {@code (name: Option<String>, type)} pairs where the option is tag 0 some / tag 1 none; Array is followed by its
 * element type alone (transparent). Values: see the table in §1.2; the Java value model is described on
 * {@link ProductValue}.
 * <p>
 * Value methods take types without {@link RefType} (inline them first with {@link Typespace#inline}). Decoding
 * throws only {@link BsatnDecodeException} for bad input, with the offset relative to the start of the reader's
 * region; it never reads outside that region and never allocates more than the remaining bytes justify.
 * {@link #skipValue} validates without allocating and is the path for rows that only pass through.
 */
public final class Bsatn
{
    /** The deepest type nesting {@link #decodeType} accepts. */
    public static final int MAX_TYPE_DEPTH = 128;
    /** The largest element count accepted for an array whose elements may encode to zero bytes. */
    public static final int MAX_ZERO_SIZE_ARRAY_LENGTH = 1 << 20;

    private static final BigInteger[] SIGNED_MIN = new BigInteger[33];
    private static final BigInteger[] SIGNED_MAX = new BigInteger[33];
    private static final BigInteger[] UNSIGNED_MAX = new BigInteger[33];

    static
    {
        for (final int size : new int[]{ 16, 32 })
        {
            SIGNED_MIN[size] = BigInteger.ONE.shiftLeft(size * 8 - 1).negate();
            SIGNED_MAX[size] = BigInteger.ONE.shiftLeft(size * 8 - 1).subtract(BigInteger.ONE);
            UNSIGNED_MAX[size] = BigInteger.ONE.shiftLeft(size * 8).subtract(BigInteger.ONE);
        }
    }

    private Bsatn()
    {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Writes a type.
     *
     * @param writer to append to.
     * @param type to write; may contain references.
     */
    public static void encodeType(final BsatnWriter writer, final AlgebraicType type)
    {
        writer.writeU8(type.kind().tag());
        if (type instanceof RefType ref)
        {
            writer.writeU32(ref.index());
        }
        else if (type instanceof SumType sum)
        {
            writer.writeU32(sum.size());
            for (final SumTypeVariant variant : sum.variants())
            {
                encodeName(writer, variant.name());
                encodeType(writer, variant.type());
            }
        }
        else if (type instanceof ProductType product)
        {
            writer.writeU32(product.size());
            for (final ProductTypeElement element : product.elements())
            {
                encodeName(writer, element.name());
                encodeType(writer, element.type());
            }
        }
        else if (type instanceof ArrayType array)
        {
            encodeType(writer, array.elementType());
        }
    }

    /**
     * Reads a type, rejecting unknown tags, bad names and nesting deeper than {@link #MAX_TYPE_DEPTH}.
     *
     * @param reader positioned at the type.
     * @return the type.
     * @throws BsatnDecodeException on malformed input.
     */
    public static AlgebraicType decodeType(final BsatnReader reader)
    {
        return decodeType(reader, 0);
    }

    /**
     * Writes a typespace: a u32 count then the types.
     *
     * @param writer to append to.
     * @param typespace to write.
     */
    public static void encodeTypespace(final BsatnWriter writer, final Typespace typespace)
    {
        writer.writeU32(typespace.types().size());
        for (final AlgebraicType type : typespace.types())
        {
            encodeType(writer, type);
        }
    }

    /**
     * Reads a typespace.
     *
     * @param reader positioned at the typespace.
     * @return the typespace.
     * @throws BsatnDecodeException on malformed input.
     */
    public static Typespace decodeTypespace(final BsatnReader reader)
    {
        final int count = reader.readLength(1, "typespace");
        final List<AlgebraicType> types = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            types.add(decodeType(reader, 0));
        }
        return new Typespace(types);
    }

    private static void encodeName(final BsatnWriter writer, final String name)
    {
        if (null == name)
        {
            writer.writeU8(1);
        }
        else
        {
            writer.writeU8(0);
            writer.writeString(name);
        }
    }

    private static String decodeName(final BsatnReader reader)
    {
        final int at = reader.relativePosition();
        final int tag = reader.readU8();
        if (tag == 1)
        {
            return null;
        }
        if (tag != 0)
        {
            throw new BsatnDecodeException(at, "invalid sum tag " + tag + " for a sum of 2 variants (Option<String>)");
        }
        return reader.readString();
    }

    private static AlgebraicType decodeType(final BsatnReader reader, final int depth)
    {
        if (depth >= MAX_TYPE_DEPTH)
        {
            throw reader.error("type nesting too deep (more than " + MAX_TYPE_DEPTH + " levels)");
        }
        final int at = reader.relativePosition();
        final int tag = reader.readU8();
        final TypeKind kind = TypeKind.fromTag(tag);
        if (null == kind)
        {
            throw new BsatnDecodeException(at, "invalid AlgebraicType tag " + tag);
        }
        switch (kind)
        {
            case REF:
                return new RefType(reader.readI32());

            case SUM:
            {
                final int countAt = reader.relativePosition();
                final int count = reader.readLength(2, "sum variants");
                if (count > SumType.MAX_VARIANTS)
                {
                    throw new BsatnDecodeException(countAt, "a sum of " + count + " variants exceeds " +
                        SumType.MAX_VARIANTS);
                }
                final List<SumTypeVariant> variants = new ArrayList<>(count);
                for (int i = 0; i < count; i++)
                {
                    final String name = decodeName(reader);
                    variants.add(new SumTypeVariant(name, decodeType(reader, depth + 1)));
                }
                return new SumType(variants);
            }

            case PRODUCT:
            {
                final int count = reader.readLength(2, "product elements");
                final List<ProductTypeElement> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++)
                {
                    final String name = decodeName(reader);
                    elements.add(new ProductTypeElement(name, decodeType(reader, depth + 1)));
                }
                return new ProductType(elements);
            }

            case ARRAY:
                return new ArrayType(decodeType(reader, depth + 1));

            default:
                return PrimitiveType.of(kind);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Values: encode
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Writes a value of the on-heap model (see {@link ProductValue}).
     *
     * @param writer to append to.
     * @param type of the value; must contain no {@link RefType}.
     * @param value to write.
     * @throws IllegalArgumentException naming the path (e.g. {@code $.2[5]}) when the value does not fit the type,
     *     or when the type contains a reference.
     */
    public static void encodeValue(final BsatnWriter writer, final AlgebraicType type, final Object value)
    {
        try
        {
            encode(writer, type, value);
        }
        catch (final Mismatch ex)
        {
            throw new IllegalArgumentException("value does not fit type at $" + ex.path + ": " + ex.getMessage());
        }
    }

    /**
     * Encodes a value into a new array.
     *
     * @param type of the value; must contain no {@link RefType}.
     * @param value to write.
     * @return the BSATN bytes.
     * @throws IllegalArgumentException when the value does not fit the type.
     */
    public static byte[] encodeToBytes(final AlgebraicType type, final Object value)
    {
        final BsatnWriter writer = new BsatnWriter();
        encodeValue(writer, type, value);
        return writer.toByteArray();
    }

    private static void encode(final BsatnWriter writer, final AlgebraicType type, final Object value)
    {
        if (null == value)
        {
            throw new Mismatch("null value for " + describe(type));
        }
        if (type instanceof PrimitiveType primitive)
        {
            encodePrimitive(writer, primitive, value);
        }
        else if (type instanceof ProductType product)
        {
            if (!(value instanceof ProductValue productValue))
            {
                throw mismatch("ProductValue", type, value);
            }
            if (productValue.size() != product.size())
            {
                throw new Mismatch("product of " + product.size() + " fields given " + productValue.size() +
                    " values");
            }
            for (int i = 0; i < product.size(); i++)
            {
                try
                {
                    encode(writer, product.typeAt(i), productValue.get(i));
                }
                catch (final Mismatch ex)
                {
                    throw ex.prepend(fieldSegment(product.elements().get(i).name(), i));
                }
            }
        }
        else if (type instanceof SumType sum)
        {
            if (!(value instanceof SumValue sumValue))
            {
                throw mismatch("SumValue", type, value);
            }
            if (sumValue.tag() >= sum.size())
            {
                throw new Mismatch("tag " + sumValue.tag() + " for a sum of " + sum.size() + " variants");
            }
            writer.writeU8(sumValue.tag());
            try
            {
                encode(writer, sum.variants().get(sumValue.tag()).type(), sumValue.value());
            }
            catch (final Mismatch ex)
            {
                throw ex.prepend(fieldSegment(sum.variants().get(sumValue.tag()).name(), sumValue.tag()));
            }
        }
        else if (type instanceof ArrayType array)
        {
            encodeArray(writer, array, value);
        }
        else
        {
            throw new IllegalArgumentException("type references must be inlined before encoding values: " + type);
        }
    }

    private static void encodeArray(final BsatnWriter writer, final ArrayType array, final Object value)
    {
        if (array.isBytes() && value instanceof byte[] bytes)
        {
            writer.writeByteArray(bytes);
            return;
        }
        if (!(value instanceof List<?> list))
        {
            throw mismatch("List", array, value);
        }
        writer.writeU32(list.size());
        int i = 0;
        for (final Object element : list)
        {
            try
            {
                encode(writer, array.elementType(), element);
            }
            catch (final Mismatch ex)
            {
                throw ex.prepend("[" + i + "]");
            }
            i++;
        }
    }

    private static void encodePrimitive(final BsatnWriter writer, final PrimitiveType type, final Object value)
    {
        switch (type)
        {
            case BOOL -> writer.writeBool(cast(Boolean.class, type, value));
            case I8, U8 -> writer.writeU8(cast(Byte.class, type, value));
            case I16, U16 -> writer.writeU16(cast(Short.class, type, value));
            case I32, U32 -> writer.writeU32(cast(Integer.class, type, value));
            case I64, U64 -> writer.writeU64(cast(Long.class, type, value));
            case I128, U128, I256, U256 -> writer.writeRaw(toLittleEndian(type, cast(BigInteger.class, type, value)));
            case F32 -> writer.writeF32(cast(Float.class, type, value));
            case F64 -> writer.writeF64(cast(Double.class, type, value));
            case STRING -> writer.writeByteArray(utf8(cast(String.class, type, value)));
            default -> throw new IllegalStateException("unknown primitive " + type);
        }
    }

    private static byte[] utf8(final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                throw new Mismatch("string has an unpaired surrogate at index " + i + ", not encodable as UTF-8");
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks a big integer fits a 128- or 256-bit type.
     *
     * @param type I128, U128, I256 or U256.
     * @param value the numeric value.
     * @return whether it is in range.
     */
    static boolean fitsWide(final PrimitiveType type, final BigInteger value)
    {
        final int size = type.fixedSize();
        if (type.kind().isSignedInteger())
        {
            return value.compareTo(SIGNED_MIN[size]) >= 0 && value.compareTo(SIGNED_MAX[size]) <= 0;
        }
        return value.signum() >= 0 && value.compareTo(UNSIGNED_MAX[size]) <= 0;
    }

    private static byte[] toLittleEndian(final PrimitiveType type, final BigInteger value)
    {
        if (!fitsWide(type, value))
        {
            throw new Mismatch(value + " is out of range for " + type);
        }
        final int size = type.fixedSize();
        final byte[] bigEndian = value.toByteArray();
        final byte[] result = new byte[size];
        final byte fill = value.signum() < 0 ? (byte)-1 : 0;
        for (int i = 0; i < size; i++)
        {
            final int from = bigEndian.length - 1 - i;
            result[i] = from >= 0 ? bigEndian[from] : fill;
        }
        return result;
    }

    private static <T> T cast(final Class<T> expected, final AlgebraicType type, final Object value)
    {
        if (!expected.isInstance(value))
        {
            throw mismatch(expected.getSimpleName(), type, value);
        }
        return expected.cast(value);
    }

    private static Mismatch mismatch(final String expected, final AlgebraicType type, final Object value)
    {
        return new Mismatch("expected " + expected + " for " + describe(type) + ", got " +
            value.getClass().getSimpleName());
    }

    private static String describe(final AlgebraicType type)
    {
        if (type instanceof PrimitiveType)
        {
            return type.toString();
        }
        return type.kind().toString();
    }

    private static String fieldSegment(final String name, final int index)
    {
        return null == name ? "." + index : "." + name;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Values: decode
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Reads a value into the on-heap model (see {@link ProductValue}).
     *
     * @param reader positioned at the value; left just after it.
     * @param type of the value; must contain no {@link RefType}.
     * @return the value.
     * @throws BsatnDecodeException on malformed input.
     * @throws IllegalArgumentException when the type contains a reference.
     */
    public static Object decodeValue(final BsatnReader reader, final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return decodePrimitive(reader, primitive);
        }
        if (type instanceof ProductType product)
        {
            if (product.isUnit())
            {
                return ProductValue.UNIT;
            }
            final Object[] fields = new Object[product.size()];
            for (int i = 0; i < fields.length; i++)
            {
                fields[i] = decodeValue(reader, product.typeAt(i));
            }
            return new ProductValue(List.of(fields));
        }
        if (type instanceof SumType sum)
        {
            final int tag = readTag(reader, sum);
            final AlgebraicType variantType = sum.variants().get(tag).type();
            return new SumValue(tag, decodeValue(reader, variantType));
        }
        if (type instanceof ArrayType array)
        {
            final AlgebraicType elementType = array.elementType();
            final int count = readCount(reader, elementType);
            final List<Object> elements = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                elements.add(decodeValue(reader, elementType));
            }
            return elements;
        }
        throw new IllegalArgumentException("type references must be inlined before decoding values: " + type);
    }

    /**
     * Decodes exactly one value filling the whole array.
     *
     * @param bytes the BSATN of one value.
     * @param type of the value; must contain no {@link RefType}.
     * @return the value.
     * @throws BsatnDecodeException on malformed input, including bytes left over after the value.
     */
    public static Object decodeValueFully(final byte[] bytes, final AlgebraicType type)
    {
        final BsatnReader reader = new BsatnReader(bytes);
        final Object value = decodeValue(reader, type);
        if (!reader.isExhausted())
        {
            throw reader.error(reader.remaining() + " trailing bytes after the value");
        }
        return value;
    }

    private static Object decodePrimitive(final BsatnReader reader, final PrimitiveType type)
    {
        return switch (type)
        {
            case BOOL -> reader.readBool();
            case I8, U8 -> reader.readI8();
            case I16, U16 -> reader.readI16();
            case I32, U32 -> reader.readI32();
            case I64, U64 -> reader.readI64();
            case I128, U128, I256, U256 -> readWide(reader, type);
            case F32 -> reader.readF32();
            case F64 -> reader.readF64();
            case STRING -> reader.readString();
        };
    }

    private static BigInteger readWide(final BsatnReader reader, final PrimitiveType type)
    {
        final int size = type.fixedSize();
        final byte[] littleEndian = reader.readBytes(size, type.toString());
        final byte[] bigEndian = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bigEndian[i] = littleEndian[size - 1 - i];
        }
        return type.kind().isSignedInteger() ? new BigInteger(bigEndian) : new BigInteger(1, bigEndian);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Values: skip
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Validates one value and moves the reader past it, without allocating: bool bytes, sum tags, UTF-8 and
     * lengths are all checked, exactly as {@link #decodeValue} would.
     *
     * @param reader positioned at the value; left just after it.
     * @param type of the value; must contain no {@link RefType}.
     * @throws BsatnDecodeException on malformed input.
     * @throws IllegalArgumentException when the type contains a reference.
     */
    public static void skipValue(final BsatnReader reader, final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            switch (primitive)
            {
                case BOOL -> reader.readBool();
                case STRING -> reader.validateUtf8(reader.readLength(1, "string"));
                default -> reader.skip(primitive.fixedSize(), primitive.name());
            }
        }
        else if (type instanceof ProductType product)
        {
            final List<ProductTypeElement> elements = product.elements();
            for (int i = 0, n = elements.size(); i < n; i++)
            {
                skipValue(reader, elements.get(i).type());
            }
        }
        else if (type instanceof SumType sum)
        {
            final int tag = readTag(reader, sum);
            skipValue(reader, sum.variants().get(tag).type());
        }
        else if (type instanceof ArrayType array)
        {
            final AlgebraicType elementType = array.elementType();
            final int count = readCount(reader, elementType);
            final int plainSize = plainFixedSize(elementType);
            if (plainSize >= 0)
            {
                reader.skip(count * plainSize, "array elements");
            }
            else
            {
                for (int i = 0; i < count; i++)
                {
                    skipValue(reader, elementType);
                }
            }
        }
        else
        {
            throw new IllegalArgumentException("type references must be inlined before skipping values: " + type);
        }
    }

    /**
     * The length of the value at {@code offset}, after validating it as {@link #skipValue} does.
     *
     * @param buffer holding the value.
     * @param offset of the value's first byte.
     * @param length of the region the value must lie in.
     * @param type of the value; must contain no {@link RefType}.
     * @return the number of bytes the value occupies.
     * @throws BsatnDecodeException on malformed input; offsets are relative to {@code offset}.
     */
    public static int valueLength(
        final DirectBuffer buffer, final int offset, final int length, final AlgebraicType type)
    {
        final BsatnReader reader = new BsatnReader().wrap(buffer, offset, length);
        skipValue(reader, type);
        return reader.relativePosition();
    }

    /**
     * The smallest number of bytes any value of the type encodes to.
     *
     * @param type with no references.
     * @return the minimum encoded size; 0 for types such as unit.
     */
    public static int minSize(final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return primitive == PrimitiveType.STRING ? 4 : primitive.fixedSize();
        }
        if (type instanceof ArrayType)
        {
            return 4;
        }
        if (type instanceof ProductType product)
        {
            final List<ProductTypeElement> elements = product.elements();
            long size = 0;
            for (int i = 0, n = elements.size(); i < n; i++)
            {
                size += minSize(elements.get(i).type());
            }
            return (int)Math.min(size, Integer.MAX_VALUE);
        }
        if (type instanceof SumType sum)
        {
            final List<SumTypeVariant> variants = sum.variants();
            int min = Integer.MAX_VALUE - 1;
            for (int i = 0, n = variants.size(); i < n; i++)
            {
                min = Math.min(min, minSize(variants.get(i).type()));
            }
            return 1 + min;
        }
        return 0;
    }

    private static int plainFixedSize(final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return primitive == PrimitiveType.BOOL ? -1 : primitive.fixedSize();
        }
        if (type instanceof ProductType product)
        {
            final List<ProductTypeElement> elements = product.elements();
            int size = 0;
            for (int i = 0, n = elements.size(); i < n; i++)
            {
                final int elementSize = plainFixedSize(elements.get(i).type());
                if (elementSize < 0)
                {
                    return -1;
                }
                size += elementSize;
            }
            return size;
        }
        return -1;
    }

    private static int readTag(final BsatnReader reader, final SumType sum)
    {
        final int at = reader.relativePosition();
        final int tag = reader.readU8();
        if (tag >= sum.size())
        {
            throw new BsatnDecodeException(at, "invalid sum tag " + tag + " for a sum of " + sum.size() + " variants");
        }
        return tag;
    }

    private static int readCount(final BsatnReader reader, final AlgebraicType elementType)
    {
        final int minSize = minSize(elementType);
        final int at = reader.relativePosition();
        final int count = reader.readLength(minSize, "array");
        if (minSize == 0 && count > MAX_ZERO_SIZE_ARRAY_LENGTH)
        {
            throw new BsatnDecodeException(at, "absurd array length " + count + " for elements that may be empty " +
                "(limit " + MAX_ZERO_SIZE_ARRAY_LENGTH + ")");
        }
        return count;
    }

    /**
     * A value that does not fit its type; carries the path, built while unwinding.
     */
    private static final class Mismatch extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        private String path = "";

        Mismatch(final String message)
        {
            super(message, null, false, false);
        }

        Mismatch prepend(final String segment)
        {
            path = segment + path;
            return this;
        }
    }
}
