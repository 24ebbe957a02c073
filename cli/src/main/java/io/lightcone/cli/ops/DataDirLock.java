package io.lightcone.cli.ops;

import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a process holds on a data directory while it uses it: an exclusive {@link FileLock} on
 * {@code <dataDir>/lightcone.lock}, released when the channel closes (or the process dies). {@code lightcone start}
 * holds it while it runs; an offline backup and a restore take it so that no server starts meanwhile.
 */
public final class DataDirLock
{
    /** The lock file's name in the data directory. */
    public static final String FILE_NAME = "lightcone.lock";

    private DataDirLock()
    {
    }

    /**
     * Takes the lock, creating the directory if needed.
     *
     * @param dataDir the data directory.
     * @return the channel holding the lock (close it to release), or null when another process holds it.
     * @throws IOException when the directory or the lock file cannot be used.
     */
    public static FileChannel tryLock(final Path dataDir) throws IOException
    {
        Files.createDirectories(dataDir);
        final FileChannel channel = FileChannel.open(dataDir.resolve(FILE_NAME), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        try
        {
            final FileLock lock = channel.tryLock();
            if (null == lock)
            {
                channel.close();
                return null;
            }
            return channel;
        }
        catch (final OverlappingFileLockException ex)
        {
            CloseHelper.quietClose(channel);
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietClose(channel);
            throw ex;
        }
    }
}
