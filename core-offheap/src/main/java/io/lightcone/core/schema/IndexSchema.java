package io.lightcone.core.schema;

import java.util.Arrays;
import java.util.Objects;

/**
 * An index of a table.
 *
 * @param name         the index name, unique in the database (ABI {@code index_id_from_name}).
 * @param accessorName the name the module's bindings use for it, or null.
 * @param algorithm    how it is built.
 * @param columns      the key columns, in key order.
 * @param unique       whether it enforces a unique constraint (primary key or declared unique columns).
 */
public record IndexSchema(String name, String accessorName, IndexAlgorithm algorithm, int[] columns, boolean unique)
{
    /**
     * Checks the fields and copies the column list.
     *
     * @param name         the index name.
     * @param accessorName the accessor name, or null.
     * @param algorithm    how it is built.
     * @param columns      the key columns.
     * @param unique       whether it is unique.
     */
    public IndexSchema
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(algorithm, "algorithm");
        columns = columns.clone();
        if (columns.length == 0)
        {
            throw new IllegalArgumentException("index " + name + " has no columns");
        }
    }

    /**
     * A copy of the key columns.
     *
     * @return the key columns.
     */
    @Override
    public int[] columns()
    {
        return columns.clone();
    }

    /**
     * Number of key columns.
     *
     * @return the column count.
     */
    public int columnCount()
    {
        return columns.length;
    }

    /**
     * One key column.
     *
     * @param i position in the key.
     * @return the column index in the row.
     */
    public int column(final int i)
    {
        return columns[i];
    }

    /**
     * Whether the key is exactly these columns in this order.
     *
     * @param other columns.
     * @return true when equal.
     */
    public boolean hasColumns(final int[] other)
    {
        return Arrays.equals(columns, other);
    }

    /**
     * The same index, marked unique.
     *
     * @return a unique copy.
     */
    public IndexSchema asUnique()
    {
        return new IndexSchema(name, accessorName, algorithm, columns, true);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof IndexSchema that && name.equals(that.name) &&
            Objects.equals(accessorName, that.accessorName) && algorithm == that.algorithm &&
            Arrays.equals(columns, that.columns) && unique == that.unique;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(name, accessorName, algorithm, Arrays.hashCode(columns), unique);
    }

    @Override
    public String toString()
    {
        return "IndexSchema[" + name + ", " + algorithm + Arrays.toString(columns) + (unique ? ", unique]" : "]");
    }
}
