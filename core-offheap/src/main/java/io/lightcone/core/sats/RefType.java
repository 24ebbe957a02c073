package io.lightcone.core.sats;

/**
 * A reference to the type at {@code index} in a {@link Typespace}; in BSATN it encodes as the referenced type.
 *
 * @param index into the typespace, a u32 on the wire.
 */
public record RefType(int index) implements AlgebraicType
{
    /**
     * {@inheritDoc}
     */
    public TypeKind kind()
    {
        return TypeKind.REF;
    }

    /**
     * {@inheritDoc}
     */
    public int fixedSize()
    {
        return -1;
    }
}
