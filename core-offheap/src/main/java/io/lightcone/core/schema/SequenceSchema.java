package io.lightcone.core.schema;

import java.util.Objects;

/**
 * An auto-increment sequence on an integer column: inserting 0 in the column stores the next value instead.
 * Values are kept within a signed 64-bit range.
 *
 * @param name      the sequence name.
 * @param column    the column it fills.
 * @param start     the first value.
 * @param minValue  the least value.
 * @param maxValue  the greatest value; going past it is an overflow error.
 * @param increment added after each value (non-zero).
 */
public record SequenceSchema(String name, int column, long start, long minValue, long maxValue, long increment)
{
    /**
     * Checks the fields.
     *
     * @param name      the sequence name.
     * @param column    the column it fills.
     * @param start     the first value.
     * @param minValue  the least value.
     * @param maxValue  the greatest value.
     * @param increment the step.
     */
    public SequenceSchema
    {
        Objects.requireNonNull(name, "name");
        if (increment == 0)
        {
            throw new IllegalArgumentException("sequence " + name + " has increment 0");
        }
        if (minValue > maxValue)
        {
            throw new IllegalArgumentException("sequence " + name + " has min " + minValue + " > max " + maxValue);
        }
        if (start < minValue || start > maxValue)
        {
            throw new IllegalArgumentException(
                "sequence " + name + " starts at " + start + " outside [" + minValue + ", " + maxValue + "]");
        }
    }
}
