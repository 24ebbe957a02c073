package io.lightcone.core.txn;

import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableSchema;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The tables of one database and its single writer: at most one {@link MutTx} is open at a time, and everything
 * runs on one thread (the transaction loop), so there are no locks.
 * <p>
 * Table ids and index ids are assigned here and never reused while the datastore lives; a snapshot keeps them.
 */
public final class Datastore implements AutoCloseable
{
    /** First table id handed to user tables; lower ids are reserved for system tables. */
    public static final int FIRST_USER_TABLE_ID = 4096;

    private final Int2ObjectHashMap<StoredTable> tablesById = new Int2ObjectHashMap<>();
    private final Object2IntHashMap<String> tableIdsByName = new Object2IntHashMap<>(-1);
    private final Object2IntHashMap<String> indexIdsByName = new Object2IntHashMap<>(-1);
    private final Int2ObjectHashMap<StoredTable> tablesByIndexId = new Int2ObjectHashMap<>();
    private final List<StoredTable> tables = new ArrayList<>();
    private int nextTableId = FIRST_USER_TABLE_ID;
    private int nextIndexId = 1;
    private MutTx openTx;
    private final MutTx mutTx = new MutTx(this);
    private boolean closed;

    /**
     * Creates a table. A schema with an unassigned id gets the next free id.
     *
     * @param schema the validated schema.
     * @return the table.
     * @throws IllegalArgumentException when the name or id is taken.
     * @throws IllegalStateException when a transaction is open.
     */
    public StoredTable createTable(final TableSchema schema)
    {
        return createTable(schema, null);
    }

    /**
     * Creates a table with given index ids, as when restoring a snapshot.
     *
     * @param schema   the validated schema.
     * @param indexIds the ids of its indexes in schema order, or null to assign new ones.
     * @return the table.
     * @throws IllegalArgumentException when the name, the table id or an index id is taken.
     * @throws IllegalStateException when a transaction is open.
     */
    public StoredTable createTable(final TableSchema schema, final int[] indexIds)
    {
        checkNoOpenTx("create a table");
        final TableSchema withId = schema.tableId() == TableSchema.UNASSIGNED_ID ?
            schema.toBuilder().tableId(nextTableId).build() : schema;
        if (tableIdsByName.containsKey(withId.name()))
        {
            throw new IllegalArgumentException("table " + withId.name() + " already exists");
        }
        if (tablesById.containsKey(withId.tableId()))
        {
            throw new IllegalArgumentException("table id " + withId.tableId() + " is taken");
        }
        for (final IndexSchema index : withId.indexes())
        {
            if (indexIdsByName.containsKey(index.name()))
            {
                throw new IllegalArgumentException("index " + index.name() + " already exists");
            }
        }
        final int[] ids = new int[withId.indexes().size()];
        for (int i = 0; i < ids.length; i++)
        {
            if (null == indexIds)
            {
                ids[i] = nextIndexId++;
            }
            else
            {
                if (indexIds.length != ids.length)
                {
                    throw new IllegalArgumentException("table " + withId.name() + " has " + ids.length +
                        " indexes but " + indexIds.length + " index ids were given");
                }
                ids[i] = indexIds[i];
                if (ids[i] <= 0 || tablesByIndexId.containsKey(ids[i]))
                {
                    throw new IllegalArgumentException("index id " + ids[i] + " is invalid or taken");
                }
                nextIndexId = Math.max(nextIndexId, ids[i] + 1);
            }
        }
        final StoredTable table = new StoredTable(withId, ids);
        tablesById.put(withId.tableId(), table);
        tableIdsByName.put(withId.name(), withId.tableId());
        for (int i = 0; i < ids.length; i++)
        {
            indexIdsByName.put(withId.indexes().get(i).name(), ids[i]);
            tablesByIndexId.put(ids[i], table);
        }
        tables.add(table);
        nextTableId = Math.max(nextTableId, withId.tableId() + 1);
        return table;
    }

    /**
     * Drops a table and releases its memory.
     *
     * @param tableId the table.
     * @return true when it existed.
     */
    public boolean dropTable(final int tableId)
    {
        checkNoOpenTx("drop a table");
        final StoredTable table = tablesById.remove(tableId);
        if (null == table)
        {
            return false;
        }
        tableIdsByName.removeKey(table.schema().name());
        for (int i = 0; i < table.indexCount(); i++)
        {
            indexIdsByName.removeKey(table.schema().indexes().get(i).name());
            tablesByIndexId.remove(table.indexId(i));
        }
        tables.remove(table);
        table.close();
        return true;
    }

    /**
     * A table by id.
     *
     * @param tableId the id.
     * @return the table, or null.
     */
    public StoredTable table(final int tableId)
    {
        return tablesById.get(tableId);
    }

    /**
     * A table by name.
     *
     * @param name the name.
     * @return the table, or null.
     */
    public StoredTable table(final String name)
    {
        final int id = tableIdsByName.getValue(name);
        return id == -1 ? null : tablesById.get(id);
    }

    /**
     * A table id by name (ABI {@code table_id_from_name}).
     *
     * @param name the table name.
     * @return the id, or -1.
     */
    public int tableId(final String name)
    {
        return tableIdsByName.getValue(name);
    }

    /**
     * An index id by name (ABI {@code index_id_from_name}).
     *
     * @param name the index name.
     * @return the id, or -1.
     */
    public int indexId(final String name)
    {
        return indexIdsByName.getValue(name);
    }

    /**
     * The table owning an index.
     *
     * @param indexId the index id.
     * @return the table, or null.
     */
    public StoredTable tableOfIndex(final int indexId)
    {
        return tablesByIndexId.get(indexId);
    }

    /**
     * Every table, in creation order.
     *
     * @return the tables.
     */
    public List<StoredTable> tables()
    {
        return Collections.unmodifiableList(tables);
    }

    /**
     * The id the next table created without one will get.
     *
     * @return the next table id.
     */
    public int nextTableId()
    {
        return nextTableId;
    }

    /**
     * The id the next index will get.
     *
     * @return the next index id.
     */
    public int nextIndexId()
    {
        return nextIndexId;
    }

    /**
     * Restores the id counters, as when loading a snapshot; they never go backwards.
     *
     * @param nextTableId the next table id.
     * @param nextIndexId the next index id.
     */
    public void restoreIdCounters(final int nextTableId, final int nextIndexId)
    {
        this.nextTableId = Math.max(this.nextTableId, nextTableId);
        this.nextIndexId = Math.max(this.nextIndexId, nextIndexId);
    }

    /**
     * Opens the write transaction.
     *
     * @return the transaction, reused: one object serves every transaction of this datastore.
     * @throws IllegalStateException when a transaction is already open.
     */
    public MutTx beginMutTx()
    {
        if (closed)
        {
            throw new IllegalStateException("datastore is closed");
        }
        checkNoOpenTx("begin a transaction");
        openTx = mutTx;
        mutTx.begin();
        return mutTx;
    }

    /**
     * Whether a transaction is open.
     *
     * @return true while a MutTx is open.
     */
    public boolean isTxOpen()
    {
        return null != openTx;
    }

    void txEnded()
    {
        openTx = null;
    }

    /**
     * Bytes held by every table and index.
     *
     * @return the memory held.
     */
    public long memoryBytes()
    {
        long total = 0;
        for (final StoredTable table : tables)
        {
            total += table.memoryBytes();
        }
        return total;
    }

    /**
     * Releases every table.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            for (final StoredTable table : tables)
            {
                table.close();
            }
            tables.clear();
            tablesById.clear();
        }
    }

    private void checkNoOpenTx(final String what)
    {
        if (null != openTx)
        {
            throw new IllegalStateException("cannot " + what + " while a transaction is open");
        }
    }
}
