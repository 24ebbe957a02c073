package io.lightcone.core.schema;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.RefType;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumTypeVariant;
import io.lightcone.core.sats.TypeKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The schema of one table: its row type, keys, indexes, sequences and flags. Immutable; built and validated by
 * {@link Builder#build()}.
 * <p>
 * Invariants after {@link Builder#build()}:
 * <ul>
 *   <li>the row type contains no type references, and every column has a distinct name;</li>
 *   <li>every unique constraint, the primary key's included, is enforced by exactly one unique index on the same
 *   columns (a hash index named {@code <table>_<cols>_key} is added when none was declared);</li>
 *   <li>index names are distinct and every index and sequence refers to existing columns;</li>
 *   <li>sequence columns are integers, and the schedule column (if any) has type ScheduleAt.</li>
 * </ul>
 */
public final class TableSchema
{
    /** Table id before the datastore assigns one. */
    public static final int UNASSIGNED_ID = 0;

    private final int tableId;
    private final String name;
    private final ProductType rowType;
    private final int[] primaryKey;
    private final List<IndexSchema> indexes;
    private final List<SequenceSchema> sequences;
    private final TableAccess access;
    private final boolean event;
    private final boolean system;
    private final Map<Integer, byte[]> defaultValues;
    private final ScheduleSchema schedule;

    private TableSchema(final Builder b, final List<IndexSchema> indexes)
    {
        this.tableId = b.tableId;
        this.name = b.name;
        this.rowType = b.rowType;
        this.primaryKey = b.primaryKey.clone();
        this.indexes = List.copyOf(indexes);
        this.sequences = List.copyOf(b.sequences);
        this.access = b.access;
        this.event = b.event;
        this.system = b.system;
        final TreeMap<Integer, byte[]> defaults = new TreeMap<>();
        b.defaultValues.forEach((k, v) -> defaults.put(k, v.clone()));
        this.defaultValues = Collections.unmodifiableMap(defaults);
        this.schedule = b.schedule;
    }

    /**
     * Starts a schema.
     *
     * @param name    the table name.
     * @param rowType the row type; must contain no type references.
     * @return a builder.
     */
    public static Builder builder(final String name, final ProductType rowType)
    {
        return new Builder(name, rowType);
    }

    /**
     * A builder holding this schema's settings, e.g. to assign an id.
     *
     * @return a builder.
     */
    public Builder toBuilder()
    {
        final Builder b = new Builder(name, rowType);
        b.tableId = tableId;
        b.primaryKey = primaryKey.clone();
        b.indexes.addAll(indexes);
        b.sequences.addAll(sequences);
        b.access = access;
        b.event = event;
        b.system = system;
        b.defaultValues.putAll(defaultValues);
        b.schedule = schedule;
        return b;
    }

    /**
     * The table id, or {@link #UNASSIGNED_ID}.
     *
     * @return the id.
     */
    public int tableId()
    {
        return tableId;
    }

    /**
     * The table name.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The row type.
     *
     * @return the product type of a row.
     */
    public ProductType rowType()
    {
        return rowType;
    }

    /**
     * Number of columns.
     *
     * @return the column count.
     */
    public int columnCount()
    {
        return rowType.size();
    }

    /**
     * A column's name.
     *
     * @param column index.
     * @return its name.
     */
    public String columnName(final int column)
    {
        return rowType.elements().get(column).name();
    }

    /**
     * A column's type.
     *
     * @param column index.
     * @return its type.
     */
    public AlgebraicType columnType(final int column)
    {
        return rowType.typeAt(column);
    }

    /**
     * A column's index by name.
     *
     * @param columnName the name.
     * @return the index, or -1.
     */
    public int columnIndex(final String columnName)
    {
        return rowType.indexOf(columnName);
    }

    /**
     * The primary key columns (empty when the table has none).
     *
     * @return a copy of the columns.
     */
    public int[] primaryKey()
    {
        return primaryKey.clone();
    }

    /**
     * The indexes, unique ones included.
     *
     * @return the indexes.
     */
    public List<IndexSchema> indexes()
    {
        return indexes;
    }

    /**
     * The index enforcing the primary key, if any.
     *
     * @return its position in {@link #indexes()}, or -1.
     */
    public int primaryKeyIndex()
    {
        if (primaryKey.length == 0)
        {
            return -1;
        }
        for (int i = 0; i < indexes.size(); i++)
        {
            if (indexes.get(i).unique() && indexes.get(i).hasColumns(primaryKey))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether any index is unique (then duplicate rows are caught by it; otherwise the table keeps a row-hash set).
     *
     * @return true when the table has a unique index.
     */
    public boolean hasUniqueIndex()
    {
        for (final IndexSchema index : indexes)
        {
            if (index.unique())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The auto-increment sequences.
     *
     * @return the sequences.
     */
    public List<SequenceSchema> sequences()
    {
        return sequences;
    }

    /**
     * Who may read the table.
     *
     * @return the access.
     */
    public TableAccess access()
    {
        return access;
    }

    /**
     * Whether rows live only within the inserting transaction (an event table).
     *
     * @return true for event tables.
     */
    public boolean isEvent()
    {
        return event;
    }

    /**
     * Whether this is a system table.
     *
     * @return true for system tables.
     */
    public boolean isSystem()
    {
        return system;
    }

    /**
     * Default values (BSATN) of columns added by a migration, by column.
     *
     * @return the defaults.
     */
    public Map<Integer, byte[]> defaultValues()
    {
        return defaultValues;
    }

    /**
     * The schedule, when this is a schedule table.
     *
     * @return the schedule, or null.
     */
    public ScheduleSchema schedule()
    {
        return schedule;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof TableSchema that))
        {
            return false;
        }
        if (defaultValues.size() != that.defaultValues.size())
        {
            return false;
        }
        for (final Map.Entry<Integer, byte[]> e : defaultValues.entrySet())
        {
            if (!Arrays.equals(e.getValue(), that.defaultValues.get(e.getKey())))
            {
                return false;
            }
        }
        return tableId == that.tableId && name.equals(that.name) && rowType.equals(that.rowType) &&
            Arrays.equals(primaryKey, that.primaryKey) && indexes.equals(that.indexes) &&
            sequences.equals(that.sequences) && access == that.access && event == that.event &&
            system == that.system && Objects.equals(schedule, that.schedule);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(tableId, name, rowType, indexes, sequences);
    }

    @Override
    public String toString()
    {
        return "TableSchema[" + tableId + " " + name + " " + rowType + " pk=" + Arrays.toString(primaryKey) +
            " indexes=" + indexes + " sequences=" + sequences + " " + access + (event ? " event" : "") + "]";
    }

    /**
     * The default index name of SpacetimeDB: {@code <table>_<col1>_<col2>_idx_<algorithm>}.
     *
     * @param table     the table name.
     * @param rowType   the row type, for column names.
     * @param columns   the key columns.
     * @param algorithm the index algorithm.
     * @return the name.
     */
    public static String defaultIndexName(
        final String table, final ProductType rowType, final int[] columns, final IndexAlgorithm algorithm)
    {
        final StringBuilder sb = new StringBuilder(table);
        for (final int column : columns)
        {
            sb.append('_').append(rowType.elements().get(column).name());
        }
        return sb.append("_idx_").append(algorithm.name().toLowerCase(Locale.ROOT)).toString();
    }

    /**
     * Collects a schema's settings, then validates them in {@link #build()}.
     */
    public static final class Builder
    {
        private int tableId = UNASSIGNED_ID;
        private final String name;
        private final ProductType rowType;
        private int[] primaryKey = new int[0];
        private final List<IndexSchema> indexes = new ArrayList<>();
        private final List<int[]> uniqueConstraints = new ArrayList<>();
        private final List<SequenceSchema> sequences = new ArrayList<>();
        private TableAccess access = TableAccess.PUBLIC;
        private boolean event;
        private boolean system;
        private final Map<Integer, byte[]> defaultValues = new TreeMap<>();
        private ScheduleSchema schedule;

        private Builder(final String name, final ProductType rowType)
        {
            this.name = Objects.requireNonNull(name, "name");
            this.rowType = Objects.requireNonNull(rowType, "rowType");
        }

        /**
         * Sets the table id.
         *
         * @param tableId the id.
         * @return this builder.
         */
        public Builder tableId(final int tableId)
        {
            this.tableId = tableId;
            return this;
        }

        /**
         * Sets the primary key; it is also a unique constraint.
         *
         * @param columns the key columns.
         * @return this builder.
         */
        public Builder primaryKey(final int... columns)
        {
            this.primaryKey = columns.clone();
            return this;
        }

        /**
         * Adds an index with SpacetimeDB's default name.
         *
         * @param algorithm how it is built.
         * @param columns   the key columns.
         * @return this builder.
         */
        public Builder index(final IndexAlgorithm algorithm, final int... columns)
        {
            checkColumns("index", columns);
            return index(new IndexSchema(defaultIndexName(name, rowType, columns, algorithm), null, algorithm,
                columns, false));
        }

        /**
         * Adds an index.
         *
         * @param index the index.
         * @return this builder.
         */
        public Builder index(final IndexSchema index)
        {
            indexes.add(index);
            return this;
        }

        /**
         * Adds a unique constraint.
         *
         * @param columns the constrained columns.
         * @return this builder.
         */
        public Builder unique(final int... columns)
        {
            uniqueConstraints.add(columns.clone());
            return this;
        }

        /**
         * Adds an auto-increment sequence with the defaults for the column's type: start 1, min 1, max the type's
         * greatest value (at most {@link Long#MAX_VALUE}), increment 1.
         *
         * @param column the column.
         * @return this builder.
         */
        public Builder autoInc(final int column)
        {
            checkColumns("sequence", column);
            final long max = maxOf(rowType.typeAt(column).kind());
            return sequence(new SequenceSchema(name + "_" + rowType.elements().get(column).name() + "_seq",
                column, 1, 1, max, 1));
        }

        /**
         * Adds a sequence.
         *
         * @param sequence the sequence.
         * @return this builder.
         */
        public Builder sequence(final SequenceSchema sequence)
        {
            sequences.add(sequence);
            return this;
        }

        /**
         * Sets who may read the table.
         *
         * @param access the access.
         * @return this builder.
         */
        public Builder access(final TableAccess access)
        {
            this.access = Objects.requireNonNull(access, "access");
            return this;
        }

        /**
         * Marks the table as an event table.
         *
         * @param event whether rows live only within their transaction.
         * @return this builder.
         */
        public Builder event(final boolean event)
        {
            this.event = event;
            return this;
        }

        /**
         * Marks the table as a system table.
         *
         * @param system whether it is a system table.
         * @return this builder.
         */
        public Builder system(final boolean system)
        {
            this.system = system;
            return this;
        }

        /**
         * Sets a column's default value.
         *
         * @param column the column.
         * @param bsatn  the value's BSATN.
         * @return this builder.
         */
        public Builder defaultValue(final int column, final byte[] bsatn)
        {
            defaultValues.put(column, bsatn.clone());
            return this;
        }

        /**
         * Makes this a schedule table.
         *
         * @param functionName     the scheduled function.
         * @param scheduleAtColumn the ScheduleAt column.
         * @return this builder.
         */
        public Builder schedule(final String functionName, final int scheduleAtColumn)
        {
            this.schedule = new ScheduleSchema(functionName, scheduleAtColumn);
            return this;
        }

        /**
         * Validates the settings.
         *
         * @return the schema.
         * @throws IllegalArgumentException naming the first problem found.
         */
        public TableSchema build()
        {
            if (name.isEmpty())
            {
                throw new IllegalArgumentException("table name is empty");
            }
            checkNoRefs(rowType, "table " + name);
            final Set<String> columnNames = new HashSet<>();
            for (int i = 0; i < rowType.size(); i++)
            {
                final String columnName = rowType.elements().get(i).name();
                if (null == columnName || columnName.isEmpty())
                {
                    throw new IllegalArgumentException("table " + name + ": column " + i + " has no name");
                }
                if (!columnNames.add(columnName))
                {
                    throw new IllegalArgumentException("table " + name + ": duplicate column name " + columnName);
                }
            }

            final List<IndexSchema> built = new ArrayList<>();
            final Set<String> indexNames = new HashSet<>();
            for (final IndexSchema index : indexes)
            {
                checkColumns("index " + index.name(), index.columns());
                if (index.algorithm() == IndexAlgorithm.DIRECT &&
                    (index.columnCount() != 1 || !isDirectKey(rowType.typeAt(index.column(0)).kind())))
                {
                    throw new IllegalArgumentException("table " + name + ": direct index " + index.name() +
                        " needs one unsigned integer column");
                }
                if (!indexNames.add(index.name()))
                {
                    throw new IllegalArgumentException("table " + name + ": duplicate index name " + index.name());
                }
                built.add(index);
            }

            final List<int[]> uniques = new ArrayList<>(uniqueConstraints);
            if (primaryKey.length > 0)
            {
                checkColumns("primary key", primaryKey);
                uniques.add(0, primaryKey);
            }
            for (final int[] columns : uniques)
            {
                checkColumns("unique constraint", columns);
                boolean found = false;
                for (int i = 0; i < built.size() && !found; i++)
                {
                    if (built.get(i).hasColumns(columns))
                    {
                        built.set(i, built.get(i).asUnique());
                        found = true;
                    }
                }
                if (!found)
                {
                    final String keyName = defaultIndexName(name, rowType, columns, IndexAlgorithm.HASH)
                        .replace("_idx_hash", "_key");
                    if (!indexNames.add(keyName))
                    {
                        throw new IllegalArgumentException("table " + name + ": duplicate index name " + keyName);
                    }
                    built.add(new IndexSchema(keyName, null, IndexAlgorithm.HASH, columns, true));
                }
            }
            for (final IndexSchema index : built)
            {
                if (index.algorithm() == IndexAlgorithm.DIRECT && !index.unique())
                {
                    throw new IllegalArgumentException("table " + name + ": direct index " + index.name() +
                        " must be unique");
                }
            }

            final Set<Integer> sequenceColumns = new HashSet<>();
            for (final SequenceSchema sequence : sequences)
            {
                checkColumns("sequence " + sequence.name(), sequence.column());
                final TypeKind kind = rowType.typeAt(sequence.column()).kind();
                if (!kind.isSignedInteger() && !kind.isUnsignedInteger())
                {
                    throw new IllegalArgumentException("table " + name + ": sequence " + sequence.name() +
                        " is on column " + columnNameOf(sequence.column()) + " of type " + kind + ", not an integer");
                }
                if (kind.fixedSize() > 8)
                {
                    throw new IllegalArgumentException("table " + name + ": sequence " + sequence.name() +
                        " is on column " + columnNameOf(sequence.column()) + " of type " + kind +
                        "; sequences on 128- and 256-bit columns are not supported yet");
                }
                if (!sequenceColumns.add(sequence.column()))
                {
                    throw new IllegalArgumentException("table " + name + ": two sequences on column " +
                        columnNameOf(sequence.column()));
                }
            }
            for (final Integer column : defaultValues.keySet())
            {
                checkColumns("default value", column);
            }
            if (null != schedule)
            {
                checkColumns("schedule", schedule.scheduleAtColumn());
                final AlgebraicType type = rowType.typeAt(schedule.scheduleAtColumn());
                if (!(type instanceof SumType sum) || sum.special() != SpecialType.SCHEDULE_AT)
                {
                    throw new IllegalArgumentException("table " + name + ": schedule column " +
                        columnNameOf(schedule.scheduleAtColumn()) + " is not a ScheduleAt");
                }
            }
            return new TableSchema(this, built);
        }

        private String columnNameOf(final int column)
        {
            return rowType.elements().get(column).name();
        }

        private void checkColumns(final String what, final int... columns)
        {
            final Set<Integer> seen = new HashSet<>();
            for (final int column : columns)
            {
                if (column < 0 || column >= rowType.size())
                {
                    throw new IllegalArgumentException("table " + name + ": " + what + " refers to column " +
                        column + " but the row has " + rowType.size() + " columns");
                }
                if (!seen.add(column))
                {
                    throw new IllegalArgumentException("table " + name + ": " + what + " repeats column " + column);
                }
            }
            if (columns.length == 0)
            {
                throw new IllegalArgumentException("table " + name + ": " + what + " has no columns");
            }
        }

        private static boolean isDirectKey(final TypeKind kind)
        {
            return kind == TypeKind.U8 || kind == TypeKind.U16 || kind == TypeKind.U32 || kind == TypeKind.U64;
        }

        private static long maxOf(final TypeKind kind)
        {
            return switch (kind)
            {
                case I8 -> Byte.MAX_VALUE;
                case U8 -> 0xFF;
                case I16 -> Short.MAX_VALUE;
                case U16 -> 0xFFFF;
                case I32 -> Integer.MAX_VALUE;
                case U32 -> 0xFFFF_FFFFL;
                default -> Long.MAX_VALUE;
            };
        }

        private static void checkNoRefs(final AlgebraicType type, final String where)
        {
            if (type instanceof RefType ref)
            {
                throw new IllegalArgumentException(where + ": unresolved type reference &" + ref.index());
            }
            if (type instanceof ArrayType array)
            {
                checkNoRefs(array.elementType(), where);
            }
            else if (type instanceof ProductType product)
            {
                for (final ProductTypeElement element : product.elements())
                {
                    checkNoRefs(element.type(), where);
                }
            }
            else if (type instanceof SumType sum)
            {
                for (final SumTypeVariant variant : sum.variants())
                {
                    checkNoRefs(variant.type(), where);
                }
            }
        }
    }
}
