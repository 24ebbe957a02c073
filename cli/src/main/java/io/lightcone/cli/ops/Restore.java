package io.lightcone.cli.ops;

import io.lightcone.core.snapshot.Snapshot;
import io.lightcone.core.snapshot.SnapshotException;
import io.lightcone.txn.log.CommitLogException;
import io.lightcone.txn.log.CommitLogReader;
import io.lightcone.txn.recovery.DatabaseLayout;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Restores a backup ({@link Backup}) into a data directory: checks every file of the backup against its manifest
 * (size and block checksums: a damaged byte is named with its file and offset), checks that every snapshot loads and
 * that the log reads from its first record to the backup's tx offset, then copies the files into the data directory
 * (holding its lock, so no server starts meanwhile), checking each copy against the manifest again. A data directory
 * that has files is refused unless {@code force}, which deletes them first. {@code lightcone start} then recovers the
 * backed-up state.
 */
public final class Restore
{
    private Restore()
    {
    }

    /**
     * Checks a backup without restoring it.
     *
     * @param backupDir the backup directory.
     * @return its manifest.
     * @throws OpsException naming the damaged file and offset.
     */
    public static BackupManifest verify(final Path backupDir)
    {
        final BackupManifest manifest = BackupManifest.read(backupDir);
        manifest.verify(backupDir);
        try
        {
            for (final BackupManifest.Database database : manifest.databases())
            {
                if (database.snapshotTxOffset() >= 0)
                {
                    Snapshot.read(DatabaseLayout.of(backupDir, Long.toString(database.id()))
                        .snapshotFile(database.snapshotTxOffset())).datastore().close();
                }
            }
            final Path logDir = DatabaseLayout.logDir(backupDir);
            if (!CommitLogReader.listSegments(logDir).isEmpty())
            {
                final CommitLogReader.Result scanned = new CommitLogReader(logDir).scan(false);
                if (scanned.lastTxOffset() != manifest.txOffset() || scanned.truncatedBytes() != 0)
                {
                    throw BackupManifest.damaged(scanned.lastSegment().file(), scanned.lastSegmentEnd(),
                        "the log ends at tx offset " + scanned.lastTxOffset() + " but the backup holds records up " +
                        "to " + manifest.txOffset());
                }
            }
        }
        catch (final SnapshotException | CommitLogException ex)
        {
            throw new OpsException(OpsException.EXIT_DAMAGED, "the backup is damaged: " + ex.getMessage(), ex);
        }
        return manifest;
    }

    /**
     * Restores a backup.
     *
     * @param backupDir the backup directory.
     * @param dataDir   the data directory to restore into.
     * @param force     whether to replace the contents of a data directory that has files.
     * @param progress  receives a line per step.
     * @return the backup's manifest.
     * @throws OpsException when the backup is damaged, the directory is in use or has files (without force).
     */
    public static BackupManifest restore(
        final Path backupDir, final Path dataDir, final boolean force, final Consumer<String> progress)
    {
        final BackupManifest manifest = verify(backupDir);
        progress.accept("checked " + manifest.files().size() + " files of the backup at tx offset " +
            manifest.txOffset() + " (taken " + manifest.createdAt() + ")");
        FileChannel lock = null;
        try
        {
            lock = DataDirLock.tryLock(dataDir);
            if (null == lock)
            {
                throw new OpsException(OpsException.EXIT_DATA, "data directory " + dataDir + " is in use by a " +
                    "running Lightcone: stop it first");
            }
            clear(dataDir, force);
            for (final BackupManifest.FileEntry entry : manifest.files())
            {
                final BackupManifest.FileEntry copied = BackupManifest.copy(backupDir.resolve(entry.path()),
                    entry.size(), dataDir, entry.path());
                if (!Arrays.equals(copied.blockCrcs(), entry.blockCrcs()))
                {
                    throw BackupManifest.damaged(backupDir.resolve(entry.path()), 0,
                        "it changed while it was being restored");
                }
                if (entry.path().startsWith("keys/"))
                {
                    ownerOnly(dataDir.resolve(entry.path()));
                }
            }
            progress.accept("restored " + manifest.databases().size() + (1 == manifest.databases().size() ?
                " database" : " databases") + " into " + dataDir);
            return manifest;
        }
        catch (final IOException ex)
        {
            throw new OpsException(OpsException.EXIT_DATA, "cannot restore into " + dataDir + ": " +
                ex.getMessage(), ex);
        }
        finally
        {
            CloseHelper.quietClose(lock);
        }
    }

    private static void clear(final Path dataDir, final boolean force) throws IOException
    {
        final List<Path> entries;
        try (Stream<Path> list = Files.list(dataDir))
        {
            entries = list.filter((path) -> !path.getFileName().toString().equals(DataDirLock.FILE_NAME)).toList();
        }
        if (entries.isEmpty())
        {
            return;
        }
        if (!force)
        {
            throw new OpsException(OpsException.EXIT_USAGE, "data directory " + dataDir + " is not empty: restore " +
                "into a new directory, or pass --force to replace its contents");
        }
        for (final Path entry : entries)
        {
            IoUtil.delete(entry.toFile(), false);
        }
    }

    private static void ownerOnly(final Path file) throws IOException
    {
        try
        {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        catch (final UnsupportedOperationException ex)
        {
            // not a POSIX file system
        }
    }
}
