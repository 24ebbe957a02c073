package io.lightcone.txn.loop;

import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnReader;
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
import java.util.Map;
import java.util.function.Consumer;

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
        final Map<String, Long> anchors;
        long lastTxOffset;
        long records;

        Target(final Datastore datastore, final long fromTxOffset, final long lastTxOffset,
            final Map<String, Long> anchors)
        {
            this.datastore = datastore;
            this.fromTxOffset = fromTxOffset;
            this.lastTxOffset = lastTxOffset;
            this.anchors = anchors;
        }
    }

    private final Path logDir;
    private final Long2ObjectHashMap<Target> targets = new Long2ObjectHashMap<>();
    private final CoreEgressAdapter adapter = new CoreEgressAdapter(this);
    private final DeltaApplier applier = new DeltaApplier();
    private final BsatnReader reader = new BsatnReader();
    private long txOffset;
    private boolean seen;

    LogReplayer(final Path logDir)
    {
        this.logDir = logDir;
    }

    Target add(
        final long databaseId,
        final Datastore datastore,
        final long fromTxOffset,
        final long lastTxOffset,
        final Map<String, Long> anchors)
    {
        final Target target = new Target(datastore, fromTxOffset, lastTxOffset, anchors);
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
                    buffer, tx.insertedOffset(i), tx.insertedLength(i), DeltaApplier.ALL_ROWS,
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
        if (null != target.anchors)
        {
            trackAnchors(target, tx);
        }
        target.lastTxOffset = txOffset;
        target.records++;
    }

    /**
     * Schedule rows inserted by a replayed transaction are anchored at its time (as the scheduler does on commit);
     * deleted ones are forgotten.
     */
    private void trackAnchors(final Target target, final TxCommittedView tx)
    {
        final DirectBuffer buffer = tx.buffer();
        for (int i = 0; i < tx.tableCount(); i++)
        {
            final StoredTable table = target.datastore.table(tx.tableName(i));
            if (null == table || null == table.schema().schedule())
            {
                continue;
            }
            forEachRow(table, buffer, tx.deletedOffset(i), tx.deletedLength(i),
                (row) -> target.anchors.remove(ScheduleAnchors.key(table.tableId(), row)));
            forEachRow(table, buffer, tx.insertedOffset(i), tx.insertedLength(i),
                (row) -> target.anchors.put(ScheduleAnchors.key(table.tableId(), row), tx.timestampMicros()));
        }
    }

    private void forEachRow(
        final StoredTable table, final DirectBuffer buffer, final int offset, final int length,
        final Consumer<byte[]> consumer)
    {
        int at = offset;
        while (at < offset + length)
        {
            reader.wrap(buffer, at, offset + length - at);
            Bsatn.skipValue(reader, table.schema().rowType());
            final byte[] row = new byte[reader.relativePosition()];
            buffer.getBytes(at, row);
            consumer.accept(row);
            at += row.length;
        }
    }

    private RecoveryException fail(final String message, final Throwable cause)
    {
        return new RecoveryException("replay of the commit log in " + logDir + " at tx offset " + txOffset + ": " +
            message, cause);
    }

}
