package io.lightcone.core.txn;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;

import java.util.ArrayList;
import java.util.List;

/**
 * What one committed transaction did to one table: the rows it inserted and the rows it deleted, each as BSATN
 * rows back to back (the {@code rows_data} of a BsatnRowList). Bag semantics: a row inserted and deleted in the same
 * transaction is in neither list, and a deleted row re-inserted with identical contents is in neither list.
 * <p>
 * Reused between commits: valid until the datastore's next commit.
 */
public final class TableDelta
{
    private static final int RETAINED_BYTES_LIMIT = 1 << 20;

    private int tableId;
    private String tableName;
    private ExpandableArrayBuffer inserts = new ExpandableArrayBuffer(256);
    private final IntArrayList insertEnds = new IntArrayList();
    private ExpandableArrayBuffer deletes = new ExpandableArrayBuffer(256);
    private final IntArrayList deleteEnds = new IntArrayList();

    void reset(final int tableId, final String tableName)
    {
        this.tableId = tableId;
        this.tableName = tableName;
        insertEnds.clear();
        deleteEnds.clear();
    }

    /**
     * Gives back the buffers of a large transaction once it is over, so its rows are not kept alive by later,
     * small ones.
     */
    void trimIfLarge()
    {
        if (inserts.capacity() > RETAINED_BYTES_LIMIT)
        {
            inserts = new ExpandableArrayBuffer(256);
            insertEnds.clear();
            insertEnds.trimToSize();
        }
        if (deletes.capacity() > RETAINED_BYTES_LIMIT)
        {
            deletes = new ExpandableArrayBuffer(256);
            deleteEnds.clear();
            deleteEnds.trimToSize();
        }
    }

    ExpandableArrayBuffer insertBuffer()
    {
        return inserts;
    }

    ExpandableArrayBuffer deleteBuffer()
    {
        return deletes;
    }

    void insertWritten(final int length)
    {
        insertEnds.addInt(insertsLength() + length);
    }

    void deleteWritten(final int length)
    {
        deleteEnds.addInt(deletesLength() + length);
    }

    /**
     * The table id.
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
    public String tableName()
    {
        return tableName;
    }

    /**
     * Whether the transaction changed nothing visible in this table.
     *
     * @return true when there are no inserts and no deletes.
     */
    public boolean isEmpty()
    {
        return insertEnds.isEmpty() && deleteEnds.isEmpty();
    }

    /**
     * Number of inserted rows.
     *
     * @return the count.
     */
    public int insertCount()
    {
        return insertEnds.size();
    }

    /**
     * Number of deleted rows.
     *
     * @return the count.
     */
    public int deleteCount()
    {
        return deleteEnds.size();
    }

    /**
     * The inserted rows' BSATN, back to back from offset 0.
     *
     * @return the buffer; valid for {@link #insertsLength()} bytes.
     */
    public DirectBuffer inserts()
    {
        return inserts;
    }

    /**
     * Length of all inserted rows.
     *
     * @return the byte length.
     */
    public int insertsLength()
    {
        return insertEnds.isEmpty() ? 0 : insertEnds.getInt(insertEnds.size() - 1);
    }

    /**
     * Start of inserted row {@code i} in {@link #inserts()}.
     *
     * @param i the row's position.
     * @return its offset.
     */
    public int insertOffset(final int i)
    {
        return i == 0 ? 0 : insertEnds.getInt(i - 1);
    }

    /**
     * The deleted rows' BSATN, back to back from offset 0.
     *
     * @return the buffer; valid for {@link #deletesLength()} bytes.
     */
    public DirectBuffer deletes()
    {
        return deletes;
    }

    /**
     * Length of all deleted rows.
     *
     * @return the byte length.
     */
    public int deletesLength()
    {
        return deleteEnds.isEmpty() ? 0 : deleteEnds.getInt(deleteEnds.size() - 1);
    }

    /**
     * Start of deleted row {@code i} in {@link #deletes()}.
     *
     * @param i the row's position.
     * @return its offset.
     */
    public int deleteOffset(final int i)
    {
        return i == 0 ? 0 : deleteEnds.getInt(i - 1);
    }

    /**
     * Copies of the inserted rows (allocates: for tests and tools).
     *
     * @return the rows' BSATN.
     */
    public List<byte[]> insertedRows()
    {
        return copy(inserts, insertEnds);
    }

    /**
     * Copies of the deleted rows (allocates: for tests and tools).
     *
     * @return the rows' BSATN.
     */
    public List<byte[]> deletedRows()
    {
        return copy(deletes, deleteEnds);
    }

    private static List<byte[]> copy(final DirectBuffer buffer, final IntArrayList ends)
    {
        final List<byte[]> rows = new ArrayList<>(ends.size());
        int start = 0;
        for (int i = 0; i < ends.size(); i++)
        {
            final int end = ends.getInt(i);
            final byte[] row = new byte[end - start];
            buffer.getBytes(start, row);
            rows.add(row);
            start = end;
        }
        return rows;
    }
}
