package io.lightcone.core.txn;

/**
 * A table rebuilt under a new schema but not yet in its {@link Datastore}: {@link #commit()} puts it in place of
 * the old table (which is then released), {@link #abort()} releases it and leaves the datastore untouched.
 * Made by {@link Datastore#rebuildTable}.
 */
public final class TableRebuild
{
    private final Datastore datastore;
    private final StoredTable oldTable;
    private final StoredTable newTable;
    private boolean done;

    TableRebuild(final Datastore datastore, final StoredTable oldTable, final StoredTable newTable)
    {
        this.datastore = datastore;
        this.oldTable = oldTable;
        this.newTable = newTable;
    }

    /**
     * The table being replaced.
     *
     * @return the old table, still live in the datastore until {@link #commit()}.
     */
    public StoredTable oldTable()
    {
        return oldTable;
    }

    /**
     * The rebuilt table, holding every row; readable before commit (its new indexes have no ids yet).
     *
     * @return the new table.
     */
    public StoredTable newTable()
    {
        return newTable;
    }

    /**
     * Whether {@link #commit()} or {@link #abort()} was called.
     *
     * @return true when finished.
     */
    public boolean isDone()
    {
        return done;
    }

    /**
     * Replaces the old table with the rebuilt one: same table id, kept index ids, fresh ids for new indexes.
     *
     * @throws IllegalStateException when already finished, when a transaction is open, when the old table is no
     *                               longer in the datastore, or when a new index's name was taken meanwhile
     *                               (then nothing changes and the rebuild can still be aborted).
     */
    public void commit()
    {
        checkNotDone();
        datastore.commitRebuild(oldTable, newTable);
        done = true;
    }

    /**
     * Releases the rebuilt table; the datastore is as before. Does nothing when already finished.
     */
    public void abort()
    {
        if (!done)
        {
            done = true;
            newTable.close();
        }
    }

    private void checkNotDone()
    {
        if (done)
        {
            throw new IllegalStateException("table rebuild of " + oldTable.schema().name() + " is already finished");
        }
    }
}
