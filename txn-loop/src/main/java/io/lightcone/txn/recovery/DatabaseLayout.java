package io.lightcone.txn.recovery;

import io.lightcone.txn.log.CommitLogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where one database keeps its durable state under the data directory:
 * <pre>
 *  &lt;dataDir&gt;/db/&lt;databaseId&gt;/
 *      snapshots/&lt;txOffset:020d&gt;.snapshot   one file per snapshot (io.lightcone.core.snapshot.Snapshot),
 *                                          holding every transaction up to and including txOffset
 *      log/&lt;firstTxOffset:020d&gt;.lclog        commit log segments (io.lightcone.txn.log.LogFormat)
 *      log/archive/                         segments removed by retention when it archives
 * </pre>
 * Tx offsets start at 0. A snapshot is only taken of durable state, so the log always reaches at least the newest
 * snapshot's offset, and retention only removes segments wholly at or below the oldest kept snapshot.
 *
 * @param root the database's directory, {@code <dataDir>/db/<databaseId>}.
 */
public record DatabaseLayout(Path root)
{
    /** Snapshot file name suffix. */
    public static final String SNAPSHOT_SUFFIX = ".snapshot";

    /**
     * The layout of a database in a data directory.
     *
     * @param dataDir    the data directory.
     * @param databaseId the database's id: letters, digits, '-' and '_' only.
     * @return the layout.
     */
    public static DatabaseLayout of(final Path dataDir, final String databaseId)
    {
        if (databaseId.isEmpty() || !databaseId.matches("[A-Za-z0-9_-]+"))
        {
            throw new IllegalArgumentException("bad database id: '" + databaseId + "'");
        }
        return new DatabaseLayout(dataDir.resolve("db").resolve(databaseId));
    }

    /**
     * The snapshot directory.
     *
     * @return the path.
     */
    public Path snapshotsDir()
    {
        return root.resolve("snapshots");
    }

    /**
     * The commit log directory.
     *
     * @return the path.
     */
    public Path logDir()
    {
        return root.resolve("log");
    }

    /**
     * The file of the snapshot at a tx offset.
     *
     * @param txOffset the last tx offset the snapshot holds.
     * @return the path.
     */
    public Path snapshotFile(final long txOffset)
    {
        return snapshotsDir().resolve(String.format("%020d%s", txOffset, SNAPSHOT_SUFFIX));
    }

    /**
     * The tx offsets of the snapshot files present, newest first (their contents are not checked).
     *
     * @return the offsets.
     */
    public List<Long> snapshotOffsetsNewestFirst()
    {
        final List<Long> offsets = new ArrayList<>();
        final Path dir = snapshotsDir();
        if (!Files.isDirectory(dir))
        {
            return offsets;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            files.forEach((file) ->
            {
                final String name = file.getFileName().toString();
                if (name.length() == 20 + SNAPSHOT_SUFFIX.length() && name.endsWith(SNAPSHOT_SUFFIX) &&
                    name.substring(0, 20).chars().allMatch(Character::isDigit))
                {
                    offsets.add(Long.parseLong(name.substring(0, 20)));
                }
            });
        }
        catch (final IOException | NumberFormatException ex)
        {
            throw new CommitLogException(dir, -1, "cannot list snapshots: " + ex.getMessage(), ex);
        }
        offsets.sort((a, b) -> Long.compare(b, a));
        return offsets;
    }
}
