package io.lightcone.core.sats;

import java.util.List;
import java.util.Objects;

/**
 * A product: fields concatenated in declaration order, with no names, lengths or counts on the wire.
 * <p>
 * The special types Identity, ConnectionId, Timestamp, TimeDuration and Uuid are products of one field with a
 * reserved name (reference/spacetimedb-contracts.md §1.3); see {@link SpecialTypes}.
 *
 * @param elements the fields, in order.
 */
public record ProductType(List<ProductTypeElement> elements) implements AlgebraicType
{
    /** The unit type {@code ()}: a product with no fields. */
    public static final ProductType UNIT = new ProductType(List.of());

    /**
     * Copies the field list so the type stays immutable.
     *
     * @param elements the fields, in order.
     */
    public ProductType
    {
        elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
    }

    /**
     * A product of named fields.
     *
     * @param namesAndTypes alternating String name and AlgebraicType.
     * @return the product type.
     */
    public static ProductType of(final Object... namesAndTypes)
    {
        if (namesAndTypes.length % 2 != 0)
        {
            throw new IllegalArgumentException("expected name, type pairs");
        }
        final ProductTypeElement[] elements = new ProductTypeElement[namesAndTypes.length / 2];
        for (int i = 0; i < elements.length; i++)
        {
            elements[i] = new ProductTypeElement((String)namesAndTypes[2 * i], (AlgebraicType)namesAndTypes[2 * i + 1]);
        }
        return new ProductType(List.of(elements));
    }

    /**
     * {@inheritDoc}
     */
    public TypeKind kind()
    {
        return TypeKind.PRODUCT;
    }

    /**
     * {@inheritDoc}
     */
    public int fixedSize()
    {
        int size = 0;
        for (final ProductTypeElement element : elements)
        {
            final int elementSize = element.type().fixedSize();
            if (elementSize < 0)
            {
                return -1;
            }
            size += elementSize;
        }
        return size;
    }

    /**
     * Number of fields.
     *
     * @return the field count.
     */
    public int size()
    {
        return elements.size();
    }

    /**
     * The type of field {@code index}.
     *
     * @param index of the field.
     * @return its type.
     */
    public AlgebraicType typeAt(final int index)
    {
        return elements.get(index).type();
    }

    /**
     * The position of a field by name.
     *
     * @param name of the field.
     * @return its index, or -1 when there is no such field.
     */
    public int indexOf(final String name)
    {
        for (int i = 0; i < elements.size(); i++)
        {
            if (name.equals(elements.get(i).name()))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether this is the unit type.
     *
     * @return true when there are no fields.
     */
    public boolean isUnit()
    {
        return elements.isEmpty();
    }

    /**
     * Which special type this product is, if any.
     *
     * @return the special type, or {@link SpecialType#NONE}.
     */
    public SpecialType special()
    {
        return SpecialType.of(this);
    }
}
