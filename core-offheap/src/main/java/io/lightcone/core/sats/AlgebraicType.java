package io.lightcone.core.sats;

/**
 * A SATS type (reference/spacetimedb-contracts.md §1.1): a reference into a {@link Typespace}, a sum, a product,
 * an array or a primitive. Types are immutable values with structural equality.
 */
public sealed interface AlgebraicType permits RefType, SumType, ProductType, ArrayType, PrimitiveType
{
    /** {@code String}. */
    PrimitiveType STRING = PrimitiveType.STRING;
    /** {@code Bool}. */
    PrimitiveType BOOL = PrimitiveType.BOOL;
    /** {@code I8}. */
    PrimitiveType I8 = PrimitiveType.I8;
    /** {@code U8}. */
    PrimitiveType U8 = PrimitiveType.U8;
    /** {@code I16}. */
    PrimitiveType I16 = PrimitiveType.I16;
    /** {@code U16}. */
    PrimitiveType U16 = PrimitiveType.U16;
    /** {@code I32}. */
    PrimitiveType I32 = PrimitiveType.I32;
    /** {@code U32}. */
    PrimitiveType U32 = PrimitiveType.U32;
    /** {@code I64}. */
    PrimitiveType I64 = PrimitiveType.I64;
    /** {@code U64}. */
    PrimitiveType U64 = PrimitiveType.U64;
    /** {@code I128}. */
    PrimitiveType I128 = PrimitiveType.I128;
    /** {@code U128}. */
    PrimitiveType U128 = PrimitiveType.U128;
    /** {@code I256}. */
    PrimitiveType I256 = PrimitiveType.I256;
    /** {@code U256}. */
    PrimitiveType U256 = PrimitiveType.U256;
    /** {@code F32}. */
    PrimitiveType F32 = PrimitiveType.F32;
    /** {@code F64}. */
    PrimitiveType F64 = PrimitiveType.F64;

    /**
     * The variant of this type.
     *
     * @return the kind, whose ordinal is the BSATN tag.
     */
    TypeKind kind();

    /**
     * Size of every value of this type in BSATN, when it is fixed.
     *
     * @return the size in bytes, or -1 when values vary in size (or the type is a reference).
     */
    int fixedSize();

    /**
     * {@code Array<elementType>}.
     *
     * @param elementType of the elements.
     * @return the array type.
     */
    static ArrayType array(final AlgebraicType elementType)
    {
        return new ArrayType(elementType);
    }

    /**
     * {@code Array<U8>}, the bytes type.
     *
     * @return the bytes type.
     */
    static ArrayType bytes()
    {
        return ArrayType.BYTES;
    }

    /**
     * A reference into a typespace.
     *
     * @param index into the typespace.
     * @return the reference type.
     */
    static RefType ref(final int index)
    {
        return new RefType(index);
    }
}
