package io.lightcone.core.table;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.RefType;
import io.lightcone.core.sats.SumType;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * A SATS type compiled for validating and skipping BSATN values: a tree of nodes mirroring the type, in which
 * every fixed-width subtree that needs no checks collapses into one {@link #RAW} node skipped in O(1).
 * <p>
 * Validation is what the reference decoder checks: bool bytes are 0 or 1, sum tags are below the variant count,
 * strings are valid UTF-8, lengths fit the remaining input; everything recursively.
 */
final class ValueShape
{
    /** Fixed-width bytes with nothing to check. */
    static final int RAW = 0;
    /** One byte, 0 or 1. */
    static final int BOOL = 1;
    /** u32 length then UTF-8. */
    static final int STRING = 2;
    /** u32 count then elements. */
    static final int ARRAY = 3;
    /** Fields back to back. */
    static final int PRODUCT = 4;
    /** One tag byte then the variant's payload. */
    static final int SUM = 5;

    private static final ValueShape[] NO_CHILDREN = new ValueShape[0];

    final int kind;
    final int fixedSize;
    final int minSize;
    final ValueShape[] children;

    private ValueShape(final int kind, final int fixedSize, final int minSize, final ValueShape[] children)
    {
        this.kind = kind;
        this.fixedSize = fixedSize;
        this.minSize = minSize;
        this.children = children;
    }

    /**
     * Compiles a type.
     *
     * @param type with no {@link RefType} anywhere inside.
     * @return its shape.
     * @throws IllegalArgumentException when the type contains a reference.
     */
    static ValueShape of(final AlgebraicType type)
    {
        if (type instanceof RefType ref)
        {
            throw new IllegalArgumentException("table types must not contain type references: ref " + ref.index());
        }
        if (type instanceof PrimitiveType primitive)
        {
            if (primitive == PrimitiveType.STRING)
            {
                return new ValueShape(STRING, -1, 4, NO_CHILDREN);
            }
            if (primitive == PrimitiveType.BOOL)
            {
                return new ValueShape(BOOL, 1, 1, NO_CHILDREN);
            }
            return raw(primitive.fixedSize());
        }
        if (type instanceof ArrayType array)
        {
            return new ValueShape(ARRAY, -1, 4, new ValueShape[]{ of(array.elementType()) });
        }
        if (type instanceof ProductType product)
        {
            final ValueShape[] fields = new ValueShape[product.size()];
            boolean allRaw = true;
            int fixed = 0;
            int min = 0;
            for (int i = 0; i < fields.length; i++)
            {
                fields[i] = of(product.typeAt(i));
                allRaw &= fields[i].kind == RAW;
                fixed = fixed < 0 || fields[i].fixedSize < 0 ? -1 : fixed + fields[i].fixedSize;
                min += fields[i].minSize;
            }
            return allRaw ? raw(fixed) : new ValueShape(PRODUCT, fixed, min, fields);
        }
        final SumType sum = (SumType)type;
        final ValueShape[] variants = new ValueShape[sum.size()];
        int fixed = 1;
        for (int i = 0; i < variants.length; i++)
        {
            variants[i] = of(sum.variants().get(i).type());
            if (variants[i].fixedSize != 0)
            {
                fixed = -1;
            }
        }
        return new ValueShape(SUM, fixed, 1, variants);
    }

    /**
     * Reads a u32 length prefix and checks that {@code minBytesPerItem * length} bytes follow. Like
     * {@link BsatnReader#readLength} but allocation-free on success (no message is built unless it fails).
     */
    private static int readLength(final BsatnReader reader, final int minBytesPerItem)
    {
        reader.require(4, "length prefix");
        final int position = reader.position();
        final long length = reader.buffer().getInt(position, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final long remaining = reader.remaining() - 4;
        if (length > Integer.MAX_VALUE - 8 || (long)minBytesPerItem * length > remaining)
        {
            throw reader.error("absurd length " + length + ": only " + remaining + " bytes remain");
        }
        reader.position(position + 4);
        return (int)length;
    }

    private static ValueShape raw(final int size)
    {
        return new ValueShape(RAW, size, size, NO_CHILDREN);
    }

    /**
     * Whether values are fixed-width bytes needing no checks.
     *
     * @return true for {@link #RAW}.
     */
    boolean isRaw()
    {
        return kind == RAW;
    }

    /**
     * Validates the value at the reader's position and moves the reader past it.
     *
     * @param reader positioned at the value.
     * @throws io.lightcone.core.sats.BsatnDecodeException when the value is malformed or truncated.
     */
    void validate(final BsatnReader reader)
    {
        switch (kind)
        {
            case RAW:
                reader.skip(fixedSize, "fixed-width value");
                break;

            case BOOL:
                reader.readBool();
                break;

            case STRING:
                reader.validateUtf8(readLength(reader, 1));
                break;

            case ARRAY:
            {
                final ValueShape element = children[0];
                if (element.kind == RAW)
                {
                    final int count = readLength(reader, element.fixedSize);
                    reader.skip((int)Math.min(Integer.MAX_VALUE, (long)count * element.fixedSize), "array elements");
                }
                else
                {
                    final int count = readLength(reader, element.minSize);
                    for (int i = 0; i < count; i++)
                    {
                        element.validate(reader);
                    }
                }
                break;
            }

            case PRODUCT:
                for (final ValueShape field : children)
                {
                    field.validate(reader);
                }
                break;

            case SUM:
            {
                final int tag = reader.readU8();
                if (tag >= children.length)
                {
                    reader.position(reader.position() - 1);
                    throw reader.error("sum tag " + tag + " out of range: " + children.length + " variants");
                }
                children[tag].validate(reader);
                break;
            }

            default:
                throw new IllegalStateException("unknown shape kind " + kind);
        }
    }
}
