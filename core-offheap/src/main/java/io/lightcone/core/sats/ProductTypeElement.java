package io.lightcone.core.sats;

import java.util.Objects;

/**
 * A field of a {@link ProductType}.
 *
 * @param name the field name, or null when unnamed.
 * @param type the field type.
 */
public record ProductTypeElement(String name, AlgebraicType type)
{
    /**
     * Checks the type is present.
     *
     * @param name the field name, or null when unnamed.
     * @param type the field type.
     */
    public ProductTypeElement
    {
        Objects.requireNonNull(type, "type");
    }
}
