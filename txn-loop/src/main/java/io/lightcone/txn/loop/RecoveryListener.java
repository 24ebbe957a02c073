package io.lightcone.txn.loop;

/**
 * Hears what {@link TxnLoopAgent#recover} is doing while it runs, for progress output. Called on the thread that
 * recovers (before the loop serves anything); implementations should be quick.
 */
public interface RecoveryListener
{
    /** A listener that ignores everything. */
    RecoveryListener NONE = new RecoveryListener()
    {
    };

    /**
     * A database's module is loaded and its snapshot (if any) read.
     *
     * @param databaseName     the database.
     * @param snapshotTxOffset the tx offset of the snapshot loaded, or -1 when it starts from empty tables.
     * @param index            how many databases were loaded before this one.
     * @param count            how many databases the data directory holds.
     */
    default void onDatabaseLoaded(
        final String databaseName, final long snapshotTxOffset, final int index, final int count)
    {
    }

    /**
     * The log replay starts.
     *
     * @param fromTxOffset the first tx offset read.
     * @param toTxOffset   the log's last tx offset.
     */
    default void onReplayStarted(final long fromTxOffset, final long toTxOffset)
    {
    }

    /**
     * Replay progress, every {@link TxnLoopAgent#RECOVERY_PROGRESS_RECORDS} records read.
     *
     * @param recordsRead records read so far (of every database).
     * @param txOffset    the tx offset just read.
     * @param toTxOffset  the log's last tx offset.
     */
    default void onReplayProgress(final long recordsRead, final long txOffset, final long toTxOffset)
    {
    }
}
