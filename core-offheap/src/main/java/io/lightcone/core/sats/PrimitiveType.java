package io.lightcone.core.sats;

/**
 * The primitive SATS types: String, Bool, the integers and the floats.
 */
public enum PrimitiveType implements AlgebraicType
{
    STRING(TypeKind.STRING),
    BOOL(TypeKind.BOOL),
    I8(TypeKind.I8),
    U8(TypeKind.U8),
    I16(TypeKind.I16),
    U16(TypeKind.U16),
    I32(TypeKind.I32),
    U32(TypeKind.U32),
    I64(TypeKind.I64),
    U64(TypeKind.U64),
    I128(TypeKind.I128),
    U128(TypeKind.U128),
    I256(TypeKind.I256),
    U256(TypeKind.U256),
    F32(TypeKind.F32),
    F64(TypeKind.F64);

    private final TypeKind kind;

    PrimitiveType(final TypeKind kind)
    {
        this.kind = kind;
    }

    /**
     * {@inheritDoc}
     */
    public TypeKind kind()
    {
        return kind;
    }

    /**
     * {@inheritDoc}
     */
    public int fixedSize()
    {
        return kind.fixedSize();
    }

    /**
     * The primitive type of a kind.
     *
     * @param kind a primitive kind.
     * @return its type.
     * @throws IllegalArgumentException if the kind is not primitive.
     */
    public static PrimitiveType of(final TypeKind kind)
    {
        if (!kind.isPrimitive())
        {
            throw new IllegalArgumentException("not a primitive kind: " + kind);
        }
        return values()[kind.ordinal() - TypeKind.STRING.ordinal()];
    }
}
