package io.lightcone.txn.recovery;

import io.lightcone.txn.log.CommitLogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where one database keeps its durable state under the data directory, and where the commit log it shares with
 * every other database is:
 * <pre>
 *  &lt;dataDir&gt;/log/&lt;firstTxOffset:020d&gt;.lclog    the ONE global commit log (io.lightcone.txn.log.LogFormat):
 *                                            tx offsets are global (one gapless sequence for the whole
 *                                            transaction loop), so one log and one fsync serve every database
 *  &lt;dataDir&gt;/log/archive/                     segments removed by retention when it archives
 *  &lt;dataDir&gt;/db/&lt;databaseId&gt;/
 *      module.wasm, database.properties        the published module and the database's identity (the schema source)
 *      snapshots/&lt;txOffset:020d&gt;.snapshot     one file per snapshot (io.lightcone.core.snapshot.Snapshot),
 *                                            holding every transaction of the database up to and including
 *                                            txOffset
 *  &lt;dataDir&gt;/cache/                          compiled module cache
 * </pre>
 * Tx offsets start at 0. A database's records are those of the global log whose {@code databaseId} is its id.
 * A snapshot beyond the end of the log (written before its transactions were durable, then a crash) is not valid:
 * recovery deletes it. Retention must only remove segments wholly at or below the oldest snapshot any database
 * still needs.
 *
 * @param root   the database's directory, {@code <dataDir>/db/<databaseId>}.
 * @param logDir the global commit log directory, {@code <dataDir>/log}.
 */
public record DatabaseLayout(Path root, Path logDir)
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
        return new DatabaseLayout(dataDir.resolve("db").resolve(databaseId), logDir(dataDir));
    }

    /**
     * The global commit log directory of a data directory.
     *
     * @param dataDir the data directory.
     * @return {@code <dataDir>/log}.
     */
    public static Path logDir(final Path dataDir)
    {
        return dataDir.resolve("log");
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
