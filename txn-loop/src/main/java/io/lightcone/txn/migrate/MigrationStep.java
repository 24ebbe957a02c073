package io.lightcone.txn.migrate;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One step of an automatic migration. Tables are named by their canonical names.
 */
public sealed interface MigrationStep
{
    /**
     * What the step does, for logs and the publish reply.
     *
     * @return a one-line description.
     */
    String describe();

    /**
     * Whether the step changes stored data or schemas (a {@link NoDataChange} does not).
     *
     * @return true when the executor has work to do.
     */
    default boolean changesData()
    {
        return true;
    }

    /**
     * Creates a new table, with its indexes and sequences, empty.
     *
     * @param schema the table's schema from the new module (id unassigned).
     */
    record AddTable(TableSchema schema) implements MigrationStep
    {
        /**
         * Checks the schema.
         *
         * @param schema the schema.
         */
        public AddTable
        {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public String describe()
        {
            return "add table " + schema.name();
        }
    }

    /**
     * Appends columns at the end of an existing table; every existing row gets the columns' default values.
     *
     * @param table   the table.
     * @param columns the new columns, in order.
     */
    record AddColumns(String table, List<NewColumn> columns) implements MigrationStep
    {
        /**
         * Copies the columns.
         *
         * @param table   the table.
         * @param columns at least one column.
         */
        public AddColumns
        {
            Objects.requireNonNull(table, "table");
            columns = List.copyOf(columns);
            if (columns.isEmpty())
            {
                throw new IllegalArgumentException("no columns to add to table " + table);
            }
        }

        @Override
        public String describe()
        {
            final StringBuilder sb = new StringBuilder("add column");
            sb.append(columns.size() == 1 ? " " : "s ");
            for (int i = 0; i < columns.size(); i++)
            {
                sb.append(i == 0 ? "" : ", ").append(columns.get(i).name()).append(": ")
                    .append(TypeNames.of(columns.get(i).type()));
            }
            return sb.append(" to table ").append(table).toString();
        }
    }

    /**
     * A column appended by {@link AddColumns}.
     *
     * @param name         the column name.
     * @param type         its type (no type references).
     * @param defaultValue the BSATN of its default value, given to every existing row.
     */
    record NewColumn(String name, AlgebraicType type, byte[] defaultValue)
    {
        /**
         * Copies the default value.
         *
         * @param name         the name.
         * @param type         the type.
         * @param defaultValue the BSATN.
         */
        public NewColumn
        {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            defaultValue = defaultValue.clone();
        }

        @Override
        public byte[] defaultValue()
        {
            return defaultValue.clone();
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof NewColumn that && name.equals(that.name) && type.equals(that.type) &&
                Arrays.equals(defaultValue, that.defaultValue);
        }

        @Override
        public int hashCode()
        {
            return Objects.hash(name, type, Arrays.hashCode(defaultValue));
        }

        @Override
        public String toString()
        {
            return "NewColumn[" + name + ": " + TypeNames.of(type) + " = " + Arrays.toString(defaultValue) + "]";
        }
    }

    /**
     * Builds a non-unique index over an existing table's rows.
     *
     * @param table the table.
     * @param index the index, as in the new module.
     */
    record AddIndex(String table, IndexSchema index) implements MigrationStep
    {
        /**
         * Checks the arguments.
         *
         * @param table the table.
         * @param index the index.
         */
        public AddIndex
        {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(index, "index");
        }

        @Override
        public String describe()
        {
            return "add " + (index.unique() ? "unique " : "") + "index " + index.name() + " to table " + table;
        }
    }

    /**
     * Drops an index (with the unique constraint it enforced, if any) from an existing table.
     *
     * @param table the table.
     * @param index the index name.
     */
    record RemoveIndex(String table, String index) implements MigrationStep
    {
        /**
         * Checks the arguments.
         *
         * @param table the table.
         * @param index the index name.
         */
        public RemoveIndex
        {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(index, "index");
        }

        @Override
        public String describe()
        {
            return "remove index " + index + " from table " + table;
        }
    }

    /**
     * Makes a table public or private; the loop must re-check subscriptions to it.
     *
     * @param table the table.
     * @param from  the old access.
     * @param to    the new access.
     */
    record ChangeAccess(String table, TableAccess from, TableAccess to) implements MigrationStep
    {
        /**
         * Checks the arguments.
         *
         * @param table the table.
         * @param from  the old access.
         * @param to    the new access.
         */
        public ChangeAccess
        {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String describe()
        {
            return "change access of table " + table + " from " + from + " to " + to;
        }
    }

    /**
     * A change that needs no data step (a reducer, procedure, view or RLS filter added, removed or changed).
     *
     * @param description what changed.
     */
    record NoDataChange(String description) implements MigrationStep
    {
        /**
         * Checks the description.
         *
         * @param description what changed.
         */
        public NoDataChange
        {
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String describe()
        {
            return description;
        }

        @Override
        public boolean changesData()
        {
            return false;
        }
    }
}
