package io.lightcone.core.index;

/**
 * How one end of a {@link KeyRange} treats its encoded key prefix {@code P}.
 * <pre>
 *   lower INCLUSIVE : key &gt;= P
 *   lower EXCLUSIVE : key &gt; every key that starts with P
 *   upper INCLUSIVE : key &lt; P, or key starts with P
 *   upper EXCLUSIVE : key &lt; P
 * </pre>
 * With an empty {@code P}, an INCLUSIVE end is unbounded. Because the order-preserving encoding of a column value
 * is prefix-free, "starts with the encoding of the first k columns" means "equal on those k columns".
 */
public enum BoundKind
{
    /** The end includes keys equal to (or, for upper, starting with) the prefix. */
    INCLUSIVE,
    /** The end excludes keys starting with the prefix. */
    EXCLUSIVE
}
