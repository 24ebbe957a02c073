package io.lightcone.txn.loop;

import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.txn.log.CommitRecordHandler;
import io.lightcone.txn.recovery.DeltaApplier;
import io.lightcone.txn.recovery.RecoveryException;
import io.lightcone.wire.CoreEgressAdapter;
import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.TxCommittedView;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.file.Path;

/**
 * Replays the global commit log onto recovered databases: each record is the SBE {@code TxCommitted} message the
 * loop published; records of databases not registered here, or before a database's starting offset (its snapshot
 * + 1, or the offset its current incarnation was created at), are skipped. Each record is applied in one
 * transaction with {@link DeltaApplier} (per table, by name: deletes, then inserts). Any failure stops recovery with
 * a {@link RecoveryException} naming the log directory, the tx offset and the database.
 */
final class LogReplayer implements CommitRecordHandler, CoreEgressListener
{
    /** A database being replayed. */
    static final class Target
    {
        final Datastore datastore;
        final long fromTxOffset;
        long lastTxOffset;
        long records;

        Target(final Datastore datastore, final long fromTxOffset, final long lastTxOffset)
        {
            this.datastore = datastore;
            this.fromTxOffset = fromTxOffset;
            this.lastTxOffset = lastTxOffset;
        }
    }

    private final Path logDir;
    private final Long2ObjectHashMap<Target> targets = new Long2ObjectHashMap<>();
    private final CoreEgressAdapter adapter = new CoreEgressAdapter(this);
    private final DeltaApplier applier = new DeltaApplier();
    private long txOffset;
    private boolean seen;

    LogReplayer(final Path logDir)
    {
        this.logDir = logDir;
    }

    Target add(final long databaseId, final Datastore datastore, final long fromTxOffset, final long lastTxOffset)
    {
        final Target target = new Target(datastore, fromTxOffset, lastTxOffset);
        targets.put(databaseId, target);
        return target;
    }

    /**
     * {@inheritDoc}
     */
    public void onRecord(final long txOffset, final DirectBuffer buffer, final int offset, final int length)
    {
        this.txOffset = txOffset;
        seen = false;
        try
        {
            adapter.onFragment(buffer, offset, length, null);
        }
        catch (final RecoveryException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw fail("cannot decode the record: " + ex, ex);
        }
        if (!seen)
        {
            throw fail("the record is not a TxCommitted message", null);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onTxCommitted(final TxCommittedView tx)
    {
        seen = true;
        if (tx.txOffset() != txOffset)
        {
            throw fail("the record holds TxCommitted of tx offset " + tx.txOffset(), null);
        }
        final Target target = targets.get(tx.databaseId());
        if (null == target || txOffset < target.fromTxOffset)
        {
            return;
        }
        final MutTx mutTx = target.datastore.beginMutTx();
        try
        {
            final DirectBuffer buffer = tx.buffer();
            for (int i = 0; i < tx.tableCount(); i++)
            {
                final String name = tx.tableName(i);
                final StoredTable table = target.datastore.table(name);
                if (null == table)
                {
                    throw new RecoveryException("no table " + name, null);
                }
                applier.applyInTx(mutTx, table.tableId(),
                    buffer, tx.insertedOffset(i), tx.insertedLength(i),
                    applier.countRows(table, buffer, tx.insertedOffset(i), tx.insertedLength(i)),
                    buffer, tx.deletedOffset(i), tx.deletedLength(i),
                    applier.countRows(table, buffer, tx.deletedOffset(i), tx.deletedLength(i)));
            }
        }
        catch (final RuntimeException ex)
        {
            mutTx.rollback();
            throw fail("database " + tx.databaseId() + ": " + ex.getMessage(), ex);
        }
        mutTx.commit();
        target.lastTxOffset = txOffset;
        target.records++;
    }

    private RecoveryException fail(final String message, final Throwable cause)
    {
        return new RecoveryException("replay of the commit log in " + logDir + " at tx offset " + txOffset + ": " +
            message, cause);
    }

}
