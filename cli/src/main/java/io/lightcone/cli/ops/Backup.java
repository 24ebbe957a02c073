package io.lightcone.cli.ops;

import io.lightcone.core.snapshot.Snapshot;
import io.lightcone.core.snapshot.SnapshotException;
import io.lightcone.txn.log.CommitLog;
import io.lightcone.txn.log.CommitLogException;
import io.lightcone.txn.log.CommitLogReader;
import io.lightcone.txn.loop.EmbeddedCore;
import io.lightcone.txn.loop.TxnLoopAgent;
import io.lightcone.txn.recovery.DatabaseLayout;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a consistent backup of a data directory: for every database its {@code database.properties},
 * {@code module.wasm} and one snapshot (with the schedule anchors beside it), the commit-log records from the oldest
 * snapshot on up to one durable tx offset D, the edge's signing keys, and a {@link BackupManifest} written last. The
 * backup directory has the data directory's layout, so {@code lightcone restore} copies it into place and
 * {@code lightcone start} recovers exactly the state at D.
 * <ul>
 *     <li>{@link #online}: while a core serves. On the loop thread, retention is held (no snapshot or segment is
 *     removed while files are copied) and every database is snapshotted at its last tx offset, its module and
 *     properties read in the same step (so a republish during the copy cannot mix versions); then, off the loop,
 *     D is the log's durable offset once it covers every snapshot, and the copy takes log segments up to the end of
 *     record D only (never a record being written), checking every record's CRC.</li>
 *     <li>{@link #offline}: when no server holds the data directory: its lock is taken, each database's newest
 *     valid snapshot is used and D is the log's last valid record (a torn tail is left out).</li>
 * </ul>
 * The copy is then checked (every snapshot loads, the log reads from its first record to D) before the manifest is
 * written. The backup directory is created owner-only ({@code rwx------}): it holds the signing keys.
 */
public final class Backup
{
    /** The default bound on an online backup's waits (loop tasks, the durable offset). */
    public static final long DEFAULT_TIMEOUT_MS = 60_000;
    private static final String SNAPSHOT_SUFFIX = DatabaseLayout.SNAPSHOT_SUFFIX;

    private Backup()
    {
    }

    /**
     * One database at the backup point.
     *
     * @param id               its id.
     * @param name             its name.
     * @param snapshotTxOffset the tx offset of the snapshot to copy, -1 for none (replayed from its creation).
     * @param createdTxOffset  the tx offset that created it.
     * @param properties       its {@code database.properties}.
     * @param module           its {@code module.wasm}.
     */
    record Point(long id, String name, long snapshotTxOffset, long createdTxOffset, byte[] properties, byte[] module)
    {
    }

    /**
     * What a backup wrote.
     *
     * @param dir       the backup directory.
     * @param txOffset  the last tx offset it holds (D), -1 when the log was empty.
     * @param databases how many databases it holds.
     * @param files     how many files it wrote (the manifest not counted).
     * @param bytes     how many bytes.
     */
    public record Result(Path dir, long txOffset, int databases, int files, long bytes)
    {
        /**
         * @return one line for the operator.
         */
        public String summary()
        {
            return "backup of " + databases + (1 == databases ? " database" : " databases") + " at tx offset " +
                txOffset + " written to " + dir + " (" + files + " files, " + bytes + " bytes)";
        }
    }

    /**
     * Backs up the data directory of a running core.
     *
     * @param core      the core (durable: it has a commit log).
     * @param dataDir   its data directory.
     * @param target    the backup directory: missing or empty.
     * @param progress  receives a line per step.
     * @param timeoutMs bound on each wait.
     * @return what was written.
     * @throws OpsException when the backup cannot be taken.
     */
    public static Result online(
        final EmbeddedCore core, final Path dataDir, final Path target, final Consumer<String> progress,
        final long timeoutMs)
    {
        final CommitLog log = core.commitLog();
        if (null == log)
        {
            throw new OpsException(OpsException.EXIT_DATA, "the server runs with durability off: there is no " +
                "commit log to back up");
        }
        prepareTarget(target);
        final long durableAtStart = log.durableTxOffset();
        try
        {
            final List<Point> points = onLoop(core, Backup::snapshotEverything, timeoutMs);
            long newest = durableAtStart;
            for (final Point point : points)
            {
                newest = Math.max(newest, point.snapshotTxOffset());
            }
            progress.accept("snapshotted " + points.size() + (1 == points.size() ? " database" : " databases") +
                "; waiting for tx offset " + newest + " to be durable");
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (log.durableTxOffset() < newest)
            {
                if (log.isFailed() || System.nanoTime() - deadline > 0)
                {
                    throw new OpsException(OpsException.EXIT_DATA, "the commit log did not make tx offset " +
                        newest + " durable" + (log.isFailed() ? ": it failed: " + log.failure() : " in time"));
                }
                sleep();
            }
            return write(dataDir, points, log.durableTxOffset(), target, progress);
        }
        finally
        {
            // Queued after the snapshot task (tasks run in order), so it releases the hold even when that task
            // timed out here and runs later.
            final TxnLoopAgent agent = core.agent();
            agent.execute(agent::releaseRetention);
        }
    }

    /**
     * Backs up a data directory no server uses (its lock is taken for the duration).
     *
     * @param dataDir  the data directory.
     * @param target   the backup directory: missing or empty.
     * @param progress receives a line per step.
     * @return what was written.
     * @throws OpsException when the directory is in use or the backup cannot be taken.
     */
    public static Result offline(final Path dataDir, final Path target, final Consumer<String> progress)
    {
        if (!Files.isDirectory(dataDir))
        {
            throw new OpsException(OpsException.EXIT_DATA, "data directory " + dataDir + " does not exist");
        }
        FileChannel lock = null;
        try
        {
            lock = DataDirLock.tryLock(dataDir);
            if (null == lock)
            {
                throw new OpsException(OpsException.EXIT_DATA, "data directory " + dataDir + " is in use by a " +
                    "server that did not answer on its admin endpoint (" + AdminEndpoint.FILE_NAME + "): check " +
                    "that it is a Lightcone with backup support, or stop it and back up offline");
            }
            prepareTarget(target);
            final Path logDir = DatabaseLayout.logDir(dataDir);
            final long logLast = new CommitLogReader(logDir).scanLastSegment(false).lastTxOffset();
            final List<Point> points = new ArrayList<>();
            for (final Path dir : databaseDirs(dataDir))
            {
                final Point point = offlinePoint(dataDir, dir, logLast, progress);
                if (null != point)
                {
                    points.add(point);
                }
            }
            return write(dataDir, points, logLast, target, progress);
        }
        catch (final IOException | CommitLogException ex)
        {
            throw new OpsException(OpsException.EXIT_DATA, "cannot back up " + dataDir + ": " + ex.getMessage(), ex);
        }
        finally
        {
            CloseHelper.quietClose(lock);
        }
    }

    private static List<Point> snapshotEverything(final TxnLoopAgent agent)
    {
        agent.holdRetention();
        try
        {
            final List<Point> points = new ArrayList<>();
            for (final TxnLoopAgent.SnapshotTaken taken : agent.snapshotAll())
            {
                if (null == taken.file())
                {
                    throw new OpsException(OpsException.EXIT_DATA, "the snapshot of database " + taken.name() +
                        " at tx offset " + taken.txOffset() + " failed (see the server's error log)");
                }
                points.add(new Point(taken.databaseId(), taken.name(), taken.txOffset(), taken.createdTxOffset(),
                    Files.readAllBytes(taken.dir().resolve("database.properties")),
                    Files.readAllBytes(taken.dir().resolve("module.wasm"))));
            }
            return points;
        }
        catch (final IOException | RuntimeException ex)
        {
            throw ex instanceof OpsException ? (OpsException)ex : new OpsException(OpsException.EXIT_DATA,
                "cannot snapshot the databases: " + ex.getMessage(), ex);
        }
    }

    private static Point offlinePoint(
        final Path dataDir, final Path dir, final long logLast, final Consumer<String> progress) throws IOException
    {
        final Path propertiesFile = dir.resolve("database.properties");
        final Path moduleFile = dir.resolve("module.wasm");
        if (!Files.isRegularFile(propertiesFile) || !Files.isRegularFile(moduleFile))
        {
            progress.accept("skipping " + dir + ": an unfinished publish");
            return null;
        }
        final byte[] properties = Files.readAllBytes(propertiesFile);
        final Properties parsed = new Properties();
        try (InputStream in = new java.io.ByteArrayInputStream(properties))
        {
            parsed.load(in);
        }
        final long created = Long.parseLong(parsed.getProperty("createdTxOffset", "0"));
        if (created > logLast)
        {
            progress.accept("skipping " + dir + ": an unfinished publish (its creating transaction is not in the log)");
            return null;
        }
        final DatabaseLayout layout = DatabaseLayout.of(dataDir, dir.getFileName().toString());
        long snapshot = -1;
        for (final long offset : layout.snapshotOffsetsNewestFirst())
        {
            if (offset <= logLast && loads(layout.snapshotFile(offset), progress))
            {
                snapshot = offset;
                break;
            }
        }
        return new Point(Long.parseLong(dir.getFileName().toString()), parsed.getProperty("name"), snapshot, created,
            properties, Files.readAllBytes(moduleFile));
    }

    private static boolean loads(final Path snapshot, final Consumer<String> progress)
    {
        try
        {
            Snapshot.read(snapshot).datastore().close();
            return true;
        }
        catch (final SnapshotException ex)
        {
            progress.accept("snapshot " + snapshot + " is damaged, trying an older one: " + ex.getMessage());
            return false;
        }
    }

    /**
     * Copies the files of the backup point and writes the manifest.
     */
    static Result write(
        final Path dataDir, final List<Point> points, final long txOffset, final Path target,
        final Consumer<String> progress)
    {
        try
        {
            final List<BackupManifest.FileEntry> files = new ArrayList<>();
            final List<BackupManifest.Database> databases = new ArrayList<>();
            for (final Point point : points)
            {
                final String db = "db/" + point.id() + "/";
                files.add(BackupManifest.write(point.properties(), target, db + "database.properties"));
                files.add(BackupManifest.write(point.module(), target, db + "module.wasm"));
                if (point.snapshotTxOffset() >= 0)
                {
                    copySnapshot(dataDir, point, target, files);
                }
                databases.add(new BackupManifest.Database(point.id(), point.snapshotTxOffset(),
                    point.createdTxOffset(), point.name()));
                progress.accept("copied database " + point.name() + (point.snapshotTxOffset() < 0 ?
                    " (no snapshot: replayed from its creation)" : " (snapshot at tx offset " +
                    point.snapshotTxOffset() + ")"));
            }
            if (!points.isEmpty() && txOffset >= 0)
            {
                final int segments = copyLog(dataDir, points, txOffset, target, files);
                progress.accept("copied " + segments + " log segment" + (1 == segments ? "" : "s") +
                    " up to tx offset " + txOffset);
            }
            copyKeys(dataDir, target, files);
            checkCopy(target, points, txOffset);
            final BackupManifest manifest = new BackupManifest(txOffset, Instant.now().toString(), databases, files);
            manifest.writeTo(target);
            long bytes = 0;
            for (final BackupManifest.FileEntry file : files)
            {
                bytes += file.size();
            }
            return new Result(target, txOffset, points.size(), files.size(), bytes);
        }
        catch (final IOException | CommitLogException | SnapshotException ex)
        {
            throw new OpsException(OpsException.EXIT_DATA, "the backup into " + target + " failed: " +
                ex.getMessage() + " (the incomplete backup has no manifest; delete it)", ex);
        }
    }

    private static void copySnapshot(
        final Path dataDir, final Point point, final Path target, final List<BackupManifest.FileEntry> files)
        throws IOException
    {
        final DatabaseLayout layout = DatabaseLayout.of(dataDir, Long.toString(point.id()));
        final Path snapshot = layout.snapshotFile(point.snapshotTxOffset());
        final String name = snapshot.getFileName().toString();
        final String prefix = name.substring(0, name.length() - SNAPSHOT_SUFFIX.length()) + ".";
        final String dir = "db/" + point.id() + "/snapshots/";
        files.add(BackupManifest.copy(snapshot, Files.size(snapshot), target, dir + name));
        try (Stream<Path> siblings = Files.list(layout.snapshotsDir()))
        {
            for (final Path sibling : (Iterable<Path>)siblings.sorted()::iterator)
            {
                final String siblingName = sibling.getFileName().toString();
                if (siblingName.startsWith(prefix) && !siblingName.equals(name) && !siblingName.endsWith(".tmp") &&
                    Files.isRegularFile(sibling))
                {
                    files.add(BackupManifest.copy(sibling, Files.size(sibling), target, dir + siblingName));
                }
            }
        }
    }

    private static int copyLog(
        final Path dataDir, final List<Point> points, final long txOffset, final Path target,
        final List<BackupManifest.FileEntry> files) throws IOException
    {
        long from = txOffset;
        for (final Point point : points)
        {
            from = Math.min(from, point.snapshotTxOffset() >= 0 ? point.snapshotTxOffset() + 1 :
                point.createdTxOffset());
        }
        final Path logDir = DatabaseLayout.logDir(dataDir);
        final CommitLogReader.Result read = new CommitLogReader(logDir).replay(from, txOffset, null);
        final List<CommitLogReader.Segment> segments = CommitLogReader.listSegments(logDir);
        final long lastFirst = read.lastSegment().firstTxOffset();
        int copied = 0;
        for (int i = 0; i < segments.size(); i++)
        {
            final CommitLogReader.Segment segment = segments.get(i);
            if (segment.firstTxOffset() > lastFirst)
            {
                break;
            }
            if (i + 1 < segments.size() && segments.get(i + 1).firstTxOffset() <= from)
            {
                continue;
            }
            final long length = segment.firstTxOffset() == lastFirst ? read.lastSegmentEnd() :
                Files.size(segment.file());
            files.add(BackupManifest.copy(segment.file(), length, target,
                "log/" + segment.file().getFileName()));
            copied++;
        }
        return copied;
    }

    private static void copyKeys(final Path dataDir, final Path target, final List<BackupManifest.FileEntry> files)
        throws IOException
    {
        final Path keys = dataDir.resolve("keys");
        if (!Files.isDirectory(keys))
        {
            return;
        }
        try (Stream<Path> list = Files.list(keys))
        {
            for (final Path key : (Iterable<Path>)list.sorted()::iterator)
            {
                if (Files.isRegularFile(key))
                {
                    files.add(BackupManifest.copy(key, Files.size(key), target, "keys/" + key.getFileName()));
                }
            }
        }
    }

    /**
     * Checks the copy: every snapshot loads, and the log reads from its first record to D with nothing after.
     */
    private static void checkCopy(final Path target, final List<Point> points, final long txOffset)
    {
        for (final Point point : points)
        {
            if (point.snapshotTxOffset() >= 0)
            {
                Snapshot.read(DatabaseLayout.of(target, Long.toString(point.id()))
                    .snapshotFile(point.snapshotTxOffset())).datastore().close();
            }
        }
        if (!points.isEmpty() && txOffset >= 0)
        {
            final CommitLogReader.Result scanned = new CommitLogReader(DatabaseLayout.logDir(target)).scan(false);
            if (scanned.lastTxOffset() != txOffset || scanned.truncatedBytes() != 0)
            {
                throw new CommitLogException(DatabaseLayout.logDir(target), scanned.lastSegmentEnd(),
                    "the copied log ends at tx offset " + scanned.lastTxOffset() + ", not " + txOffset, null);
            }
        }
    }

    private static List<Path> databaseDirs(final Path dataDir) throws IOException
    {
        final List<Path> dirs = new ArrayList<>();
        final Path root = dataDir.resolve("db");
        if (Files.isDirectory(root))
        {
            try (Stream<Path> list = Files.list(root))
            {
                list.filter(Files::isDirectory).filter((dir) -> dir.getFileName().toString().matches("-?\\d+"))
                    .sorted().forEach(dirs::add);
            }
        }
        return dirs;
    }

    /**
     * Creates the backup directory owner-only, refusing one that has files.
     */
    private static void prepareTarget(final Path target)
    {
        try
        {
            if (Files.exists(target))
            {
                try (Stream<Path> entries = Files.list(target))
                {
                    if (entries.findAny().isPresent())
                    {
                        throw new OpsException(OpsException.EXIT_USAGE, "backup directory " + target + " is not " +
                            "empty: give a new or empty directory");
                    }
                }
            }
            else
            {
                Files.createDirectories(target);
            }
            try
            {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
            }
            catch (final UnsupportedOperationException ex)
            {
                // not a POSIX file system: the directory keeps its default permissions
            }
        }
        catch (final IOException ex)
        {
            throw new OpsException(OpsException.EXIT_USAGE, "cannot use backup directory " + target + ": " +
                ex.getMessage(), ex);
        }
    }

    private static <T> T onLoop(
        final EmbeddedCore core, final java.util.function.Function<TxnLoopAgent, T> task, final long timeoutMs)
    {
        try
        {
            return core.onLoop(task, timeoutMs);
        }
        catch (final IllegalStateException ex)
        {
            final Throwable cause = null == ex.getCause() ? ex : ex.getCause().getCause();
            if (cause instanceof OpsException)
            {
                throw (OpsException)cause;
            }
            throw new OpsException(OpsException.EXIT_DATA, "the transaction loop did not answer: " +
                (null == cause ? ex : cause), ex);
        }
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new OpsException(OpsException.EXIT_INTERNAL, "interrupted during the backup", ex);
        }
    }
}
