package io.lightcone.core.txn;

import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.table.Table;
import org.agrona.ExpandableArrayBuffer;
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
    /** The table last found by {@link #table(int)}; reducers look up the same few tables over and over. */
    private StoredTable lastTable;
    /** The table last found by {@link #tableOfIndex(int)}, and that index's id. */
    private StoredTable lastTableOfIndex;
    private int lastIndexId;
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
        forgetLastLookups();
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
     * Builds a copy of a table under a new schema, keeping its rows: every committed row is passed through
     * {@code transformer} and stored and indexed in the new table. The datastore does not change until
     * {@link TableRebuild#commit()}; on any failure here the copy is released and nothing changes.
     * <p>
     * The copy keeps the table id; an index whose name the old schema also has keeps its id (new indexes get
     * theirs at commit); a sequence whose name and column the old schema also has keeps its next value and
     * exhaustion. The transformer must map distinct rows to distinct rows when the new schema has no unique index.
     *
     * @param tableId     the table.
     * @param newSchema   the new schema, same table name; its table id must be unassigned or the table's.
     * @param transformer rewrites each row's BSATN to the new row type.
     * @return the staged rebuild, to commit or abort.
     * @throws IllegalArgumentException when the table does not exist, the schema does not fit, a new index name
     *                                  is taken by another table, a rewritten row is malformed for the new row
     *                                  type, or rows break a unique index of the new schema (the message names it).
     * @throws IllegalStateException    when a transaction is open.
     */
    public TableRebuild rebuildTable(final int tableId, final TableSchema newSchema, final RowTransformer transformer)
    {
        checkNoOpenTx("rebuild a table");
        final StoredTable old = tablesById.get(tableId);
        if (null == old)
        {
            throw new IllegalArgumentException("no table with id " + tableId);
        }
        if (!old.schema().name().equals(newSchema.name()))
        {
            throw new IllegalArgumentException("rebuilding table " + old.schema().name() + " under another name " +
                newSchema.name());
        }
        if (newSchema.tableId() != TableSchema.UNASSIGNED_ID && newSchema.tableId() != tableId)
        {
            throw new IllegalArgumentException("rebuilding table " + old.schema().name() + " (id " + tableId +
                ") with a schema for table id " + newSchema.tableId());
        }
        final TableSchema withId = newSchema.tableId() == tableId ? newSchema :
            newSchema.toBuilder().tableId(tableId).build();
        final int[] ids = new int[withId.indexes().size()];
        for (int i = 0; i < ids.length; i++)
        {
            final String indexName = withId.indexes().get(i).name();
            ids[i] = indexPositionByName(old, indexName) >= 0 ? old.indexId(indexPositionByName(old, indexName)) : 0;
            if (0 == ids[i] && indexIdsByName.containsKey(indexName))
            {
                throw new IllegalArgumentException("index " + indexName + " already exists");
            }
        }
        final StoredTable copy = new StoredTable(withId, ids);
        try
        {
            copyRows(old, copy, transformer);
        }
        catch (final RuntimeException ex)
        {
            copy.close();
            throw ex;
        }
        return new TableRebuild(this, old, copy);
    }

    private static void copyRows(final StoredTable from, final StoredTable to, final RowTransformer transformer)
    {
        final List<SequenceSchema> oldSequences = from.schema().sequences();
        final List<SequenceSchema> newSequences = to.schema().sequences();
        for (int n = 0; n < newSequences.size(); n++)
        {
            for (int o = 0; o < oldSequences.size(); o++)
            {
                if (oldSequences.get(o).name().equals(newSequences.get(n).name()) &&
                    oldSequences.get(o).column() == newSequences.get(n).column())
                {
                    to.sequenceNext(n, from.sequenceNext(o));
                    to.sequenceExhausted(n, from.sequenceExhausted(o));
                }
            }
        }
        final ExpandableArrayBuffer oldRow = new ExpandableArrayBuffer(256);
        final ExpandableArrayBuffer newRow = new ExpandableArrayBuffer(256);
        final BsatnReader reader = new BsatnReader();
        final Table rows = from.rows();
        for (int rowId = rows.nextLive(0); rowId >= 0; rowId = rows.nextLive(rowId + 1))
        {
            final int oldLength = rows.writeRow(rowId, oldRow, 0);
            final int newLength = transformer.transform(oldRow, 0, oldLength, newRow);
            reader.wrap(newRow, 0, newLength);
            try
            {
                to.restoreRow(reader);
            }
            catch (final BsatnDecodeException ex)
            {
                throw new IllegalArgumentException("table " + to.schema().name() + ": a rewritten row does not " +
                    "match the new row type: " + ex.getMessage(), ex);
            }
            if (!reader.isExhausted())
            {
                throw new IllegalArgumentException("table " + to.schema().name() + ": a rewritten row has " +
                    reader.remaining() + " trailing bytes");
            }
        }
    }

    private static int indexPositionByName(final StoredTable table, final String indexName)
    {
        for (int i = 0; i < table.indexCount(); i++)
        {
            if (table.schema().indexes().get(i).name().equals(indexName))
            {
                return i;
            }
        }
        return -1;
    }

    void commitRebuild(final StoredTable old, final StoredTable copy)
    {
        checkNoOpenTx("commit a table rebuild");
        if (tablesById.get(old.tableId()) != old)
        {
            throw new IllegalStateException("table " + old.schema().name() + " was replaced or dropped meanwhile");
        }
        for (int i = 0; i < copy.indexCount(); i++)
        {
            final String indexName = copy.schema().indexes().get(i).name();
            if (0 == copy.indexId(i) && indexIdsByName.containsKey(indexName) &&
                indexPositionByName(old, indexName) < 0)
            {
                throw new IllegalStateException("index " + indexName + " already exists");
            }
        }
        forgetLastLookups();
        for (int i = 0; i < old.indexCount(); i++)
        {
            indexIdsByName.removeKey(old.schema().indexes().get(i).name());
            tablesByIndexId.remove(old.indexId(i));
        }
        for (int i = 0; i < copy.indexCount(); i++)
        {
            if (0 == copy.indexId(i))
            {
                copy.assignIndexId(i, nextIndexId++);
            }
            indexIdsByName.put(copy.schema().indexes().get(i).name(), copy.indexId(i));
            tablesByIndexId.put(copy.indexId(i), copy);
        }
        tablesById.put(copy.tableId(), copy);
        tables.set(tables.indexOf(old), copy);
        old.close();
    }

    /**
     * A table by id.
     *
     * @param tableId the id.
     * @return the table, or null.
     */
    public StoredTable table(final int tableId)
    {
        final StoredTable last = lastTable;
        if (null != last && last.tableId() == tableId)
        {
            return last;
        }
        final StoredTable table = tablesById.get(tableId);
        if (null != table)
        {
            lastTable = table;
        }
        return table;
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
        final StoredTable last = lastTableOfIndex;
        if (null != last && lastIndexId == indexId)
        {
            return last;
        }
        final StoredTable table = tablesByIndexId.get(indexId);
        if (null != table)
        {
            lastTableOfIndex = table;
            lastIndexId = indexId;
        }
        return table;
    }

    /**
     * Forgets the last table found by id and by index id, whenever a table leaves or is replaced.
     */
    private void forgetLastLookups()
    {
        lastTable = null;
        lastTableOfIndex = null;
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
            forgetLastLookups();
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
