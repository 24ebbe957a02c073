package io.lightcone.core.sats;

import java.util.List;

/**
 * The well-known types that SATS recognises by structure (reference/spacetimedb-contracts.md §1.3).
 */
public enum SpecialType
{
    /** Not a special type. */
    NONE,
    /** {@code Product{__identity__: U256}}: 32 bytes, little-endian. */
    IDENTITY,
    /** {@code Product{__connection_id__: U128}}: 16 bytes, little-endian. */
    CONNECTION_ID,
    /** {@code Product{__timestamp_micros_since_unix_epoch__: I64}}. */
    TIMESTAMP,
    /** {@code Product{__time_duration_micros__: I64}}. */
    TIME_DURATION,
    /** {@code Product{__uuid__: U128}}. */
    UUID,
    /** {@code Sum[some: T, none: ()]}: tag 0 is some. */
    OPTION,
    /** {@code Sum[ok: T, err: E]}. */
    RESULT,
    /** {@code Sum[Interval: TimeDuration, Time: Timestamp]}. */
    SCHEDULE_AT;

    /** Field name of Identity. */
    public static final String IDENTITY_TAG = "__identity__";
    /** Field name of ConnectionId. */
    public static final String CONNECTION_ID_TAG = "__connection_id__";
    /** Field name of Timestamp. */
    public static final String TIMESTAMP_TAG = "__timestamp_micros_since_unix_epoch__";
    /** Field name of TimeDuration. */
    public static final String TIME_DURATION_TAG = "__time_duration_micros__";
    /** Field name of Uuid. */
    public static final String UUID_TAG = "__uuid__";

    /**
     * Classifies a product.
     *
     * @param type the product.
     * @return which special type it is, or NONE.
     */
    public static SpecialType of(final ProductType type)
    {
        final List<ProductTypeElement> elements = type.elements();
        if (elements.size() != 1 || null == elements.get(0).name())
        {
            return NONE;
        }
        final String name = elements.get(0).name();
        final AlgebraicType fieldType = elements.get(0).type();
        if (IDENTITY_TAG.equals(name) && fieldType == PrimitiveType.U256)
        {
            return IDENTITY;
        }
        if (CONNECTION_ID_TAG.equals(name) && fieldType == PrimitiveType.U128)
        {
            return CONNECTION_ID;
        }
        if (TIMESTAMP_TAG.equals(name) && fieldType == PrimitiveType.I64)
        {
            return TIMESTAMP;
        }
        if (TIME_DURATION_TAG.equals(name) && fieldType == PrimitiveType.I64)
        {
            return TIME_DURATION;
        }
        if (UUID_TAG.equals(name) && fieldType == PrimitiveType.U128)
        {
            return UUID;
        }
        return NONE;
    }

    /**
     * Classifies a sum.
     *
     * @param type the sum.
     * @return which special type it is, or NONE.
     */
    public static SpecialType of(final SumType type)
    {
        final List<SumTypeVariant> variants = type.variants();
        if (variants.size() != 2)
        {
            return NONE;
        }
        final SumTypeVariant first = variants.get(0);
        final SumTypeVariant second = variants.get(1);
        if ("some".equals(first.name()) && "none".equals(second.name()) && second.isUnit())
        {
            return OPTION;
        }
        if ("ok".equals(first.name()) && "err".equals(second.name()))
        {
            return RESULT;
        }
        if ("Interval".equals(first.name()) && "Time".equals(second.name()) &&
            first.type() instanceof ProductType interval && interval.special() == TIME_DURATION &&
            second.type() instanceof ProductType time && time.special() == TIMESTAMP)
        {
            return SCHEDULE_AT;
        }
        return NONE;
    }
}
