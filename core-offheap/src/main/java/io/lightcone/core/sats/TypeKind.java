package io.lightcone.core.sats;

/**
 * The variants of {@link AlgebraicType}. The ordinal of each constant is its BSATN tag
 * (reference/spacetimedb-contracts.md §1.1), so {@code TypeKind.values()[tag]} decodes a tag.
 */
public enum TypeKind
{
    REF(-1),
    SUM(-1),
    PRODUCT(-1),
    ARRAY(-1),
    STRING(-1),
    BOOL(1),
    I8(1),
    U8(1),
    I16(2),
    U16(2),
    I32(4),
    U32(4),
    I64(8),
    U64(8),
    I128(16),
    U128(16),
    I256(32),
    U256(32),
    F32(4),
    F64(8);

    private static final TypeKind[] BY_TAG = values();

    private final int fixedSize;

    TypeKind(final int fixedSize)
    {
        this.fixedSize = fixedSize;
    }

    /**
     * The BSATN tag of this kind.
     *
     * @return the tag byte value.
     */
    public int tag()
    {
        return ordinal();
    }

    /**
     * Size in bytes of a value of this kind when it has a fixed size.
     *
     * @return the size, or -1 when values of this kind vary in size.
     */
    public int fixedSize()
    {
        return fixedSize;
    }

    /**
     * Whether this kind is a primitive (no payload in its type encoding).
     *
     * @return true for String, Bool, integers and floats.
     */
    public boolean isPrimitive()
    {
        return ordinal() >= STRING.ordinal();
    }

    /**
     * Whether values of this kind are signed integers.
     *
     * @return true for I8..I256.
     */
    public boolean isSignedInteger()
    {
        return this == I8 || this == I16 || this == I32 || this == I64 || this == I128 || this == I256;
    }

    /**
     * Whether values of this kind are unsigned integers.
     *
     * @return true for U8..U256.
     */
    public boolean isUnsignedInteger()
    {
        return this == U8 || this == U16 || this == U32 || this == U64 || this == U128 || this == U256;
    }

    /**
     * The kind for a BSATN tag.
     *
     * @param tag the tag byte.
     * @return the kind, or null when the tag is not a known kind.
     */
    public static TypeKind fromTag(final int tag)
    {
        return tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    }
}
