package io.lightcone.core.sats;

import java.util.Objects;

/**
 * {@code Array<T>}: a u32 count then the elements back to back. Its type encoding is its element type alone.
 *
 * @param elementType the type of each element.
 */
public record ArrayType(AlgebraicType elementType) implements AlgebraicType
{
    /** {@code Array<U8>}. */
    public static final ArrayType BYTES = new ArrayType(PrimitiveType.U8);

    /**
     * Checks the element type is present.
     *
     * @param elementType the type of each element.
     */
    public ArrayType
    {
        Objects.requireNonNull(elementType, "elementType");
    }

    /**
     * {@inheritDoc}
     */
    public TypeKind kind()
    {
        return TypeKind.ARRAY;
    }

    /**
     * {@inheritDoc}
     */
    public int fixedSize()
    {
        return -1;
    }

    /**
     * Whether this is {@code Array<U8>}, which SATS-JSON writes as hex.
     *
     * @return true for bytes.
     */
    public boolean isBytes()
    {
        return elementType == PrimitiveType.U8;
    }
}
