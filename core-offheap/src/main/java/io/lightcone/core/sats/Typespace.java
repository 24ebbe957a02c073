package io.lightcone.core.sats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The types of a module, referred to by {@link RefType} index (reference/spacetimedb-contracts.md §1.1).
 *
 * @param types in index order.
 */
public record Typespace(List<AlgebraicType> types)
{
    /** A typespace with no types. */
    public static final Typespace EMPTY = new Typespace(List.of());

    /**
     * Copies the list so the typespace stays immutable.
     *
     * @param types in index order.
     */
    public Typespace
    {
        types = List.copyOf(Objects.requireNonNull(types, "types"));
    }

    /**
     * The type at an index.
     *
     * @param index of the type.
     * @return the type.
     * @throws IllegalArgumentException when the index is out of range.
     */
    public AlgebraicType get(final int index)
    {
        if (index < 0 || index >= types.size())
        {
            throw new IllegalArgumentException(
                "type reference &" + Integer.toUnsignedString(index) + " is outside the typespace of " + types.size());
        }
        return types.get(index);
    }

    /**
     * Follows references until the type is not a reference.
     *
     * @param type a type that may be a reference.
     * @return the referenced non-reference type.
     * @throws IllegalArgumentException when a reference is out of range or the references form a cycle.
     */
    public AlgebraicType resolve(final AlgebraicType type)
    {
        AlgebraicType current = type;
        for (int hops = 0; current instanceof RefType ref; hops++)
        {
            if (hops > types.size())
            {
                throw new IllegalArgumentException("type reference &" + ref.index() + " refers to itself");
            }
            current = get(ref.index());
        }
        return current;
    }

    /**
     * Replaces every reference inside a type by the type it refers to, so the result needs no typespace.
     *
     * @param type a type that may contain references.
     * @return an equal type with no references.
     * @throws IllegalArgumentException when a reference is out of range or the type is recursive.
     */
    public AlgebraicType inline(final AlgebraicType type)
    {
        return inline(type, new ArrayList<>());
    }

    private AlgebraicType inline(final AlgebraicType type, final List<Integer> visiting)
    {
        if (type instanceof RefType ref)
        {
            if (visiting.contains(ref.index()))
            {
                throw new IllegalArgumentException("type &" + ref.index() + " is recursive and cannot be stored");
            }
            visiting.add(ref.index());
            final AlgebraicType result = inline(get(ref.index()), visiting);
            visiting.remove(visiting.size() - 1);
            return result;
        }
        if (type instanceof ArrayType array)
        {
            return new ArrayType(inline(array.elementType(), visiting));
        }
        if (type instanceof ProductType product)
        {
            final List<ProductTypeElement> elements = new ArrayList<>(product.size());
            for (final ProductTypeElement element : product.elements())
            {
                elements.add(new ProductTypeElement(element.name(), inline(element.type(), visiting)));
            }
            return new ProductType(elements);
        }
        if (type instanceof SumType sum)
        {
            final List<SumTypeVariant> variants = new ArrayList<>(sum.size());
            for (final SumTypeVariant variant : sum.variants())
            {
                variants.add(new SumTypeVariant(variant.name(), inline(variant.type(), visiting)));
            }
            return new SumType(variants);
        }
        return type;
    }
}
