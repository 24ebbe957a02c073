package io.lightcone.txn.recovery;

import io.lightcone.core.snapshot.Snapshot;
import io.lightcone.core.snapshot.SnapshotException;
import io.lightcone.core.txn.Datastore;
import io.lightcone.txn.log.CommitLogReader;
import io.lightcone.txn.log.CommitRecordHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rebuilds a database's state at startup: the newest valid snapshot, then every commit log record after it.
 * <ol>
 *     <li>Snapshots are tried newest first. A damaged one is reported and the next older one is tried, but only if
 *     the log still holds every record after that older snapshot; otherwise recovery stops with a message.</li>
 *     <li>With no snapshot at all (or all damaged) recovery starts from an empty datastore only if the log starts
 *     at tx offset 0.</li>
 *     <li>The log is read from the snapshot's offset + 1 with full checks; a torn tail of the last segment is
 *     truncated, any other damage throws {@link io.lightcone.txn.log.CommitLogException} naming file and offset.</li>
 * </ol>
 * Records are passed to a handler the caller builds for the loaded datastore (it decodes the record payload, whose
 * format the transaction loop defines, and applies it, e.g. with {@link DeltaApplier}).
 */
public final class Recovery
{
    private Recovery()
    {
    }

    /**
     * What recovery produced.
     *
     * @param datastore         the recovered tables; owned by the caller.
     * @param snapshotTxOffset  the offset of the snapshot loaded, or -1 when none.
     * @param lastTxOffset      the last tx offset applied (the snapshot's when the log had nothing after it).
     * @param replayedRecords   the number of log records replayed.
     * @param truncatedBytes    the bytes of torn log tail cut.
     * @param problems          what was skipped on the way (damaged snapshots), for the operator.
     */
    public record Result(
        Datastore datastore,
        long snapshotTxOffset,
        long lastTxOffset,
        long replayedRecords,
        long truncatedBytes,
        List<String> problems)
    {
    }

    /**
     * Recovers a database.
     *
     * @param layout         where its files are.
     * @param handlerFactory builds the handler that applies records to the loaded datastore.
     * @return the recovered state.
     * @throws RecoveryException when no consistent state can be built; names the files involved.
     * @throws io.lightcone.txn.log.CommitLogException when the log is damaged (other than a torn tail).
     */
    public static Result recover(
        final DatabaseLayout layout, final Function<Datastore, CommitRecordHandler> handlerFactory)
    {
        final List<String> problems = new ArrayList<>();
        final List<CommitLogReader.Segment> segments = CommitLogReader.listSegments(layout.logDir());
        final long logFirst = segments.isEmpty() ? -1 : segments.get(0).firstTxOffset();
        Snapshot.Loaded loaded = null;
        for (final long offset : layout.snapshotOffsetsNewestFirst())
        {
            if (!problems.isEmpty() && (segments.isEmpty() || logFirst > offset + 1))
            {
                throw new RecoveryException("cannot recover " + layout.root() + ": " + String.join("; ", problems) +
                    "; the older snapshot at tx offset " + offset + " cannot be used because the log in " +
                    layout.logDir() + (segments.isEmpty() ? " is empty" : " starts at tx offset " + logFirst), null);
            }
            try
            {
                loaded = Snapshot.read(layout.snapshotFile(offset));
                break;
            }
            catch (final SnapshotException ex)
            {
                problems.add("snapshot " + layout.snapshotFile(offset) + " is damaged: " + ex.getMessage());
            }
        }
        final long snapshotTxOffset;
        final Datastore datastore;
        if (null != loaded)
        {
            snapshotTxOffset = loaded.txOffset();
            datastore = loaded.datastore();
        }
        else
        {
            if (!segments.isEmpty() && logFirst != 0 || segments.isEmpty() && !problems.isEmpty())
            {
                throw new RecoveryException("cannot recover " + layout.root() + ": " +
                    (problems.isEmpty() ? "no snapshot" : String.join("; ", problems)) + ", and the log in " +
                    layout.logDir() + (segments.isEmpty() ? " is empty" : " starts at tx offset " + logFirst +
                    ", not 0"), null);
            }
            snapshotTxOffset = -1;
            datastore = new Datastore();
        }
        try
        {
            final long from = snapshotTxOffset + 1;
            if (segments.isEmpty())
            {
                return new Result(datastore, snapshotTxOffset, snapshotTxOffset, 0, 0, problems);
            }
            if (logFirst > from)
            {
                throw new RecoveryException("cannot recover " + layout.root() + ": the snapshot holds tx offsets " +
                    "up to " + snapshotTxOffset + " but the log in " + layout.logDir() + " starts at " + logFirst,
                    null);
            }
            final CommitLogReader.Result replayed = new CommitLogReader(layout.logDir())
                .replay(from, handlerFactory.apply(datastore), true);
            if (replayed.lastTxOffset() < snapshotTxOffset)
            {
                throw new RecoveryException("cannot recover " + layout.root() + ": the snapshot at tx offset " +
                    snapshotTxOffset + " is ahead of the log in " + layout.logDir() + ", which ends at " +
                    replayed.lastTxOffset() + " (a snapshot must only hold durable transactions)", null);
            }
            return new Result(datastore, snapshotTxOffset, Math.max(snapshotTxOffset, replayed.lastTxOffset()),
                Math.max(0, replayed.lastTxOffset() - snapshotTxOffset), replayed.truncatedBytes(), problems);
        }
        catch (final RuntimeException ex)
        {
            datastore.close();
            throw ex;
        }
    }
}
