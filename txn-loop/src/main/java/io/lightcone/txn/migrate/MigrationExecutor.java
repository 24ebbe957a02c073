package io.lightcone.txn.migrate;

import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.RowTransformer;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TableRebuild;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies an allowed {@link MigrationPlan} to a datastore, all or nothing.
 * <p>
 * Each existing table touched by the plan is rebuilt once under its final schema ({@link Datastore#rebuildTable}):
 * every row's BSATN is copied followed by the default values of the appended columns, and every index, new ones
 * included, is built over the rows; the table id, the ids of kept indexes and the sequence states are kept. All
 * rebuilds are staged first, then the new tables are created, then the rebuilds are committed. When anything fails
 * before the commits (rows breaking a unique index, a name already taken, a malformed default) the staged copies
 * are released, created tables dropped, and {@link MigrationRefusedException} is thrown: the datastore is as
 * before. The commits themselves only swap tables whose names were checked beforehand.
 */
public final class MigrationExecutor
{
    private MigrationExecutor()
    {
    }

    /**
     * Applies a plan. Must run on the datastore's thread with no transaction open.
     *
     * @param datastore the database's tables.
     * @param plan      the plan.
     * @throws MigrationRefusedException when the plan was refused or cannot be applied to the data (nothing
     *                                   changed).
     * @throws IllegalStateException     when a transaction is open.
     */
    public static void apply(final Datastore datastore, final MigrationPlan plan)
    {
        if (plan.isRefused())
        {
            throw new MigrationRefusedException(plan.refusals());
        }
        if (datastore.isTxOpen())
        {
            throw new IllegalStateException("cannot migrate while a transaction is open");
        }
        final List<TableSchema> created = new ArrayList<>();
        final Map<String, Rebuild> rebuilds = new LinkedHashMap<>();
        for (final MigrationStep step : plan.steps())
        {
            if (step instanceof MigrationStep.AddTable add)
            {
                created.add(add.schema());
            }
            else if (step.changesData())
            {
                final String table = tableOf(step);
                Rebuild rebuild = rebuilds.get(table);
                if (null == rebuild)
                {
                    final StoredTable stored = datastore.table(table);
                    if (null == stored)
                    {
                        throw refused("table " + table + " does not exist in the database");
                    }
                    rebuild = new Rebuild(stored);
                    rebuilds.put(table, rebuild);
                }
                rebuild.apply(step);
            }
        }
        checkNames(datastore, created, rebuilds);

        final List<TableRebuild> staged = new ArrayList<>();
        final List<Integer> createdIds = new ArrayList<>();
        try
        {
            for (final Rebuild rebuild : rebuilds.values())
            {
                staged.add(datastore.rebuildTable(rebuild.stored.tableId(), rebuild.schema(), rebuild.transformer()));
            }
            for (final TableSchema schema : created)
            {
                createdIds.add(datastore.createTable(schema).tableId());
            }
        }
        catch (final IllegalArgumentException ex)
        {
            for (final TableRebuild rebuild : staged)
            {
                rebuild.abort();
            }
            for (final int tableId : createdIds)
            {
                datastore.dropTable(tableId);
            }
            throw refused(ex.getMessage());
        }
        for (final TableRebuild rebuild : staged)
        {
            rebuild.commit();
        }
    }

    private static String tableOf(final MigrationStep step)
    {
        if (step instanceof MigrationStep.AddColumns add)
        {
            return add.table();
        }
        if (step instanceof MigrationStep.AddIndex add)
        {
            return add.table();
        }
        if (step instanceof MigrationStep.RemoveIndex remove)
        {
            return remove.table();
        }
        return ((MigrationStep.ChangeAccess)step).table();
    }

    private static void checkNames(
        final Datastore datastore, final List<TableSchema> created, final Map<String, Rebuild> rebuilds)
    {
        final Set<String> tableNames = new HashSet<>();
        final Set<String> indexNames = new HashSet<>();
        for (final StoredTable table : datastore.tables())
        {
            final Rebuild rebuild = rebuilds.get(table.schema().name());
            for (final IndexSchema index : null == rebuild ? table.schema().indexes() : rebuild.indexes)
            {
                indexNames.add(index.name());
            }
            tableNames.add(table.schema().name());
        }
        for (final Rebuild rebuild : rebuilds.values())
        {
            for (final IndexSchema index : rebuild.indexes)
            {
                if (rebuild.isNew(index) && datastore.indexId(index.name()) >= 0)
                {
                    throw refused("index " + index.name() + " of table " + rebuild.stored.schema().name() +
                        " already exists");
                }
            }
        }
        for (final TableSchema schema : created)
        {
            if (!tableNames.add(schema.name()))
            {
                throw refused("table " + schema.name() + " already exists");
            }
            for (final IndexSchema index : schema.indexes())
            {
                if (!indexNames.add(index.name()) || datastore.indexId(index.name()) >= 0)
                {
                    throw refused("index " + index.name() + " of new table " + schema.name() + " already exists");
                }
            }
        }
    }

    private static MigrationRefusedException refused(final String reason)
    {
        return new MigrationRefusedException(List.of(reason));
    }

    /**
     * The final schema of one existing table, built up step by step.
     */
    private static final class Rebuild
    {
        private final StoredTable stored;
        private final List<ProductTypeElement> columns;
        private final List<IndexSchema> indexes;
        private final Map<Integer, byte[]> defaults;
        private final ByteArrayOutputStream suffix = new ByteArrayOutputStream();
        private TableAccess access;

        Rebuild(final StoredTable stored)
        {
            this.stored = stored;
            final TableSchema schema = stored.schema();
            this.columns = new ArrayList<>(schema.rowType().elements());
            this.indexes = new ArrayList<>(schema.indexes());
            this.defaults = new LinkedHashMap<>(schema.defaultValues());
            this.access = schema.access();
        }

        void apply(final MigrationStep step)
        {
            final String name = stored.schema().name();
            if (step instanceof MigrationStep.AddColumns add)
            {
                for (final MigrationStep.NewColumn column : add.columns())
                {
                    if (columnIndex(column.name()) >= 0)
                    {
                        throw refused("column " + column.name() + " of table " + name + " already exists");
                    }
                    final byte[] value = column.defaultValue();
                    try
                    {
                        Bsatn.decodeValueFully(value, column.type());
                    }
                    catch (final BsatnDecodeException | IllegalArgumentException ex)
                    {
                        throw refused("default value of column " + column.name() + " of table " + name +
                            " is not a valid " + TypeNames.of(column.type()) + ": " + ex.getMessage());
                    }
                    defaults.put(columns.size(), value);
                    columns.add(new ProductTypeElement(column.name(), column.type()));
                    suffix.writeBytes(value);
                }
            }
            else if (step instanceof MigrationStep.AddIndex add)
            {
                if (indexPosition(add.index().name()) >= 0)
                {
                    throw refused("index " + add.index().name() + " of table " + name + " already exists");
                }
                indexes.add(add.index());
            }
            else if (step instanceof MigrationStep.RemoveIndex remove)
            {
                final int position = indexPosition(remove.index());
                if (position < 0)
                {
                    throw refused("index " + remove.index() + " of table " + name + " does not exist");
                }
                final int keyIndex = stored.schema().primaryKeyIndex();
                if (keyIndex >= 0 && stored.schema().indexes().get(keyIndex).name().equals(remove.index()))
                {
                    throw refused("index " + remove.index() + " of table " + name + " enforces its primary key");
                }
                indexes.remove(position);
            }
            else
            {
                access = ((MigrationStep.ChangeAccess)step).to();
            }
        }

        boolean isNew(final IndexSchema index)
        {
            for (final IndexSchema old : stored.schema().indexes())
            {
                if (old.name().equals(index.name()))
                {
                    return false;
                }
            }
            return true;
        }

        TableSchema schema()
        {
            final TableSchema old = stored.schema();
            final TableSchema.Builder b = TableSchema.builder(old.name(), new ProductType(columns))
                .tableId(old.tableId())
                .primaryKey(old.primaryKey())
                .access(access)
                .event(old.isEvent())
                .system(old.isSystem());
            indexes.forEach(b::index);
            for (final SequenceSchema sequence : old.sequences())
            {
                b.sequence(sequence);
            }
            defaults.forEach(b::defaultValue);
            if (null != old.schedule())
            {
                b.schedule(old.schedule().functionName(), old.schedule().scheduleAtColumn());
            }
            try
            {
                return b.build();
            }
            catch (final IllegalArgumentException ex)
            {
                throw refused(ex.getMessage());
            }
        }

        RowTransformer transformer()
        {
            if (suffix.size() == 0)
            {
                return RowTransformer.IDENTITY;
            }
            final byte[] bytes = suffix.toByteArray();
            return (row, offset, length, dst) ->
            {
                dst.putBytes(0, row, offset, length);
                dst.putBytes(length, bytes);
                return length + bytes.length;
            };
        }

        private int columnIndex(final String column)
        {
            for (int i = 0; i < columns.size(); i++)
            {
                if (column.equals(columns.get(i).name()))
                {
                    return i;
                }
            }
            return -1;
        }

        private int indexPosition(final String index)
        {
            for (int i = 0; i < indexes.size(); i++)
            {
                if (indexes.get(i).name().equals(index))
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
