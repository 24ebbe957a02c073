package io.lightcone.core.sats;

import java.util.Objects;

/**
 * The on-heap value of a {@link SumType}: the variant's tag and its payload (see {@link ProductValue} for the whole
 * value model). A variant of unit type carries {@link ProductValue#UNIT}.
 *
 * @param tag the variant index, 0..255.
 * @param value the payload; never null.
 */
public record SumValue(int tag, Object value)
{
    /** {@code Option::None}: tag 1 with unit. */
    public static final SumValue NONE = new SumValue(1, ProductValue.UNIT);

    /**
     * Checks the tag fits a byte and the payload is present.
     *
     * @param tag the variant index, 0..255.
     * @param value the payload.
     */
    public SumValue
    {
        if (tag < 0 || tag >= SumType.MAX_VARIANTS)
        {
            throw new IllegalArgumentException("sum tag out of range 0..255: " + tag);
        }
        Objects.requireNonNull(value, "value");
    }

    /**
     * A variant with a unit payload, as in plain enums.
     *
     * @param tag the variant index.
     * @return the value.
     */
    public static SumValue unit(final int tag)
    {
        return new SumValue(tag, ProductValue.UNIT);
    }

    /**
     * {@code Option::Some(value)}: tag 0.
     *
     * @param value the payload.
     * @return the value.
     */
    public static SumValue some(final Object value)
    {
        return new SumValue(0, value);
    }
}
