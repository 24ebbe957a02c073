package io.lightcone.core.sats;

import java.util.List;
import java.util.Objects;

/**
 * A sum (tagged union): a one-byte tag, the variant's position, then the variant's payload.
 * <p>
 * Option, Result and ScheduleAt are sums recognised by their variant names (reference/spacetimedb-contracts.md §1.3);
 * see {@link SpecialTypes}.
 *
 * @param variants the variants, in tag order.
 */
public record SumType(List<SumTypeVariant> variants) implements AlgebraicType
{
    /** The most variants a sum can have: the tag is one byte. */
    public static final int MAX_VARIANTS = 256;

    /**
     * Copies the variant list so the type stays immutable, and checks the tag fits a byte.
     *
     * @param variants the variants, in tag order.
     */
    public SumType
    {
        variants = List.copyOf(Objects.requireNonNull(variants, "variants"));
        if (variants.size() > MAX_VARIANTS)
        {
            throw new IllegalArgumentException("a sum has at most 256 variants: " + variants.size());
        }
    }

    /**
     * A sum of named variants.
     *
     * @param namesAndTypes alternating String name and AlgebraicType.
     * @return the sum type.
     */
    public static SumType of(final Object... namesAndTypes)
    {
        if (namesAndTypes.length % 2 != 0)
        {
            throw new IllegalArgumentException("expected name, type pairs");
        }
        final SumTypeVariant[] variants = new SumTypeVariant[namesAndTypes.length / 2];
        for (int i = 0; i < variants.length; i++)
        {
            variants[i] = new SumTypeVariant((String)namesAndTypes[2 * i], (AlgebraicType)namesAndTypes[2 * i + 1]);
        }
        return new SumType(List.of(variants));
    }

    /**
     * A plain enum: a sum whose variants all carry unit.
     *
     * @param names of the variants in tag order.
     * @return the sum type.
     */
    public static SumType enumOf(final String... names)
    {
        final SumTypeVariant[] variants = new SumTypeVariant[names.length];
        for (int i = 0; i < names.length; i++)
        {
            variants[i] = new SumTypeVariant(names[i], ProductType.UNIT);
        }
        return new SumType(List.of(variants));
    }

    /**
     * {@inheritDoc}
     */
    public TypeKind kind()
    {
        return TypeKind.SUM;
    }

    /**
     * {@inheritDoc}
     */
    public int fixedSize()
    {
        return isSimpleEnum() ? 1 : -1;
    }

    /**
     * Number of variants.
     *
     * @return the variant count.
     */
    public int size()
    {
        return variants.size();
    }

    /**
     * Whether every variant carries unit, so a value is its tag byte alone.
     *
     * @return true for plain enums.
     */
    public boolean isSimpleEnum()
    {
        for (final SumTypeVariant variant : variants)
        {
            if (!variant.isUnit())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The position of a variant by name.
     *
     * @param name of the variant.
     * @return its tag, or -1 when there is no such variant.
     */
    public int tagOf(final String name)
    {
        for (int i = 0; i < variants.size(); i++)
        {
            if (name.equals(variants.get(i).name()))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Which special type this sum is, if any.
     *
     * @return the special type, or {@link SpecialType#NONE}.
     */
    public SpecialType special()
    {
        return SpecialType.of(this);
    }
}
