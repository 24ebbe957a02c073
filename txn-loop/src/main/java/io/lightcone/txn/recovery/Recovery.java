package io.lightcone.txn.recovery;

import io.lightcone.core.snapshot.Snapshot;
import io.lightcone.core.snapshot.SnapshotException;
import io.lightcone.core.txn.Datastore;
import io.lightcone.txn.log.CommitLogReader;
import io.lightcone.txn.log.CommitRecordHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rebuilds a database's state at startup: the newest valid snapshot, then every commit log record after it (the log
 * is global: the handler skips records of other databases).
 * <ol>
 *     <li>Snapshots beyond the log's last record are deleted (their transactions never became durable).</li>
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
     * Loads the newest valid snapshot of a database, newest first. A snapshot beyond the log's last record (written
     * before its transactions were durable, then a crash) is not valid and is deleted, since its offsets will be
     * reused; a damaged one is reported in {@code problems} and the next older one tried, but only while the log
     * still holds every record after it.
     *
     * @param layout   where the database's files are.
     * @param logFirst the log's first tx offset, or -1 when it has no segment.
     * @param logLast  the log's last valid tx offset, or -1.
     * @param problems receives what was skipped.
     * @return the snapshot, or null when there is none.
     * @throws RecoveryException when only a snapshot the log no longer covers is left after a damaged one.
     */
    public static Snapshot.Loaded loadNewestSnapshot(
        final DatabaseLayout layout, final long logFirst, final long logLast, final List<String> problems)
    {
        boolean damaged = false;
        for (final long offset : layout.snapshotOffsetsNewestFirst())
        {
            final Path file = layout.snapshotFile(offset);
            if (offset > logLast)
            {
                problems.add("snapshot " + file + " is ahead of the log in " + layout.logDir() + " (last tx offset " +
                    logLast + "): its transactions were never durable; deleted");
                try
                {
                    Files.delete(file);
                }
                catch (final IOException ex)
                {
                    throw new RecoveryException("cannot delete " + file + ": " + ex.getMessage(), ex);
                }
                continue;
            }
            if (damaged && (logFirst < 0 || logFirst > offset + 1))
            {
                throw new RecoveryException("cannot recover " + layout.root() + ": " + String.join("; ", problems) +
                    "; the older snapshot at tx offset " + offset + " cannot be used because the log in " +
                    layout.logDir() + (logFirst < 0 ? " is empty" : " starts at tx offset " + logFirst), null);
            }
            try
            {
                return Snapshot.read(file);
            }
            catch (final SnapshotException ex)
            {
                problems.add("snapshot " + file + " is damaged: " + ex.getMessage());
                damaged = true;
            }
        }
        return null;
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
        final long logLast = segments.isEmpty() ? -1 :
            new CommitLogReader(layout.logDir()).scanLastSegment(false).lastTxOffset();
        final Snapshot.Loaded loaded = loadNewestSnapshot(layout, logFirst, logLast, problems);
        final long snapshotTxOffset;
        final Datastore datastore;
        if (null != loaded)
        {
            snapshotTxOffset = loaded.txOffset();
            datastore = loaded.datastore();
        }
        else
        {
            if (!segments.isEmpty() && logFirst != 0 || segments.isEmpty() && problems.stream()
                .anyMatch((problem) -> problem.contains(" is damaged: ")))
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
