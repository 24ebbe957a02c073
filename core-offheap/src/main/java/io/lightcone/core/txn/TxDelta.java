package io.lightcone.core.txn;

import java.util.ArrayList;
import java.util.List;

/**
 * What one committed transaction changed: a {@link TableDelta} per table it changed, in the order the tables were
 * first touched. Reused between commits: valid until the datastore's next commit.
 */
public final class TxDelta
{
    private final List<TableDelta> pool = new ArrayList<>();
    private int count;

    void reset()
    {
        for (int i = 0; i < count; i++)
        {
            pool.get(i).trimIfLarge();
        }
        count = 0;
    }

    TableDelta add(final int tableId, final String tableName)
    {
        if (count == pool.size())
        {
            pool.add(new TableDelta());
        }
        final TableDelta delta = pool.get(count++);
        delta.reset(tableId, tableName);
        return delta;
    }

    void dropLast()
    {
        count--;
    }

    /**
     * Number of tables changed.
     *
     * @return the count.
     */
    public int tableCount()
    {
        return count;
    }

    /**
     * The change to one table.
     *
     * @param i position, below {@link #tableCount()}.
     * @return the table's delta.
     */
    public TableDelta table(final int i)
    {
        if (i < 0 || i >= count)
        {
            throw new IndexOutOfBoundsException("table delta " + i + " of " + count);
        }
        return pool.get(i);
    }

    /**
     * The change to a table by id.
     *
     * @param tableId the table.
     * @return its delta, or null when the transaction did not change it.
     */
    public TableDelta find(final int tableId)
    {
        for (int i = 0; i < count; i++)
        {
            if (pool.get(i).tableId() == tableId)
            {
                return pool.get(i);
            }
        }
        return null;
    }

    /**
     * Whether the transaction changed nothing.
     *
     * @return true when no table changed.
     */
    public boolean isEmpty()
    {
        return count == 0;
    }
}
