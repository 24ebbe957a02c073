package io.lightcone.core.sats;

import java.util.List;
import java.util.Objects;

/**
 * The on-heap value of a {@link ProductType}: its fields in declaration order.
 * <p>
 * The on-heap value model (used by tests, SATS-JSON and the HTTP API, never by the hot path) maps SATS types to
 * Java objects as follows; equality is structural throughout ({@code List.equals}, record equality, and the
 * {@code Float.equals}/{@code Double.equals} semantics for floats, so NaN equals NaN and -0.0 differs from 0.0):
 * <table>
 * <caption>SATS type to Java class</caption>
 * <tr><th>SATS</th><th>Java</th></tr>
 * <tr><td>Bool</td><td>{@link Boolean}</td></tr>
 * <tr><td>I8, U8</td><td>{@link Byte} (raw bits: U8 255 is {@code (byte)-1})</td></tr>
 * <tr><td>I16, U16</td><td>{@link Short} (raw bits)</td></tr>
 * <tr><td>I32, U32</td><td>{@link Integer} (raw bits)</td></tr>
 * <tr><td>I64, U64</td><td>{@link Long} (raw bits)</td></tr>
 * <tr><td>I128, U128, I256, U256</td><td>{@link java.math.BigInteger} holding the numeric value (negative only for
 * the signed types)</td></tr>
 * <tr><td>F32</td><td>{@link Float}</td></tr>
 * <tr><td>F64</td><td>{@link Double}</td></tr>
 * <tr><td>String</td><td>{@link String}</td></tr>
 * <tr><td>Array&lt;T&gt;, including Array&lt;U8&gt;</td><td>{@code java.util.List<Object>} of the element values
 * (a list of {@link Byte} for bytes)</td></tr>
 * <tr><td>Product</td><td>{@link ProductValue}</td></tr>
 * <tr><td>Sum</td><td>{@link SumValue} (a unit payload is {@link #UNIT})</td></tr>
 * </table>
 * The special types follow from their structure: an Identity is a {@code ProductValue} of one U256
 * {@code BigInteger}, an {@code Option<T>} is {@code SumValue(0, t)} or {@code SumValue(1, ProductValue.UNIT)}.
 *
 * @param fields the field values in declaration order; never null, no null elements.
 */
public record ProductValue(List<Object> fields)
{
    /** The value of the unit type {@code ()}. */
    public static final ProductValue UNIT = new ProductValue(List.of());

    /**
     * Copies the fields so the value stays immutable.
     *
     * @param fields the field values in declaration order.
     */
    public ProductValue
    {
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
    }

    /**
     * A product value of the given fields.
     *
     * @param fields the field values in declaration order.
     * @return the value.
     */
    public static ProductValue of(final Object... fields)
    {
        return fields.length == 0 ? UNIT : new ProductValue(List.of(fields));
    }

    /**
     * Number of fields.
     *
     * @return the field count.
     */
    public int size()
    {
        return fields.size();
    }

    /**
     * The value of field {@code index}.
     *
     * @param index of the field.
     * @return its value.
     */
    public Object get(final int index)
    {
        return fields.get(index);
    }
}
