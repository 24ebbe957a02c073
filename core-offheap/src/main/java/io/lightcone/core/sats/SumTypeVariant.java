package io.lightcone.core.sats;

import java.util.Objects;

/**
 * A variant of a {@link SumType}; its tag is its position in the sum.
 *
 * @param name the variant name, or null when unnamed.
 * @param type the payload type (the unit product for none).
 */
public record SumTypeVariant(String name, AlgebraicType type)
{
    /**
     * Checks the type is present.
     *
     * @param name the variant name, or null when unnamed.
     * @param type the payload type.
     */
    public SumTypeVariant
    {
        Objects.requireNonNull(type, "type");
    }

    /**
     * Whether the payload is the unit product, as for plain enum variants.
     *
     * @return true when the payload has no fields.
     */
    public boolean isUnit()
    {
        return type instanceof ProductType p && p.elements().isEmpty();
    }
}
