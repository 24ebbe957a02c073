package io.lightcone.cli.process;

import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ExitCodes;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock a core holds on its data directory: {@code <dataDir>/lightcone.lock}, the same file
 * {@code lightcone start} locks, so a {@code core} and a {@code start} never share a directory.
 */
final class DataDirLock implements AutoCloseable
{
    /** Name of the lock file inside the data directory. */
    static final String LOCK_FILE = "lightcone.lock";

    private final FileChannel channel;

    private DataDirLock(final FileChannel channel)
    {
        this.channel = channel;
    }

    /**
     * Creates the directory when missing and locks it.
     *
     * @param dataDir the data directory.
     * @return the held lock.
     * @throws CommandFailure ({@link ExitCodes#DATA_DIR}) when it is in use or unusable.
     */
    static DataDirLock acquire(final Path dataDir)
    {
        FileChannel channel = null;
        try
        {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock();
            if (null == lock)
            {
                throw new OverlappingFileLockException();
            }
            return new DataDirLock(channel);
        }
        catch (final OverlappingFileLockException ex)
        {
            CloseHelper.quietClose(channel);
            throw new CommandFailure(ExitCodes.DATA_DIR, "data directory " + dataDir + " is in use by another " +
                "Lightcone: stop it, or pass --data-dir to use another directory");
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new CommandFailure(ExitCodes.DATA_DIR, "cannot use data directory " + dataDir + ": " + ex +
                "; check its permissions or pass --data-dir", ex);
        }
    }

    @Override
    public void close()
    {
        CloseHelper.close(channel);
    }
}
