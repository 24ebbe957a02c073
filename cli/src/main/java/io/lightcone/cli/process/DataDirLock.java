package io.lightcone.cli.process;

import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ExitCodes;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The exclusive lock a core holds on its data directory: {@code <dataDir>/lightcone.lock}, the same lock
 * ({@link io.lightcone.cli.ops.DataDirLock}) {@code lightcone start}, backup and restore take, so a {@code core} and
 * a {@code start} never share a directory.
 */
final class DataDirLock implements AutoCloseable
{
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
        final FileChannel channel;
        try
        {
            channel = io.lightcone.cli.ops.DataDirLock.tryLock(dataDir);
        }
        catch (final IOException ex)
        {
            throw new CommandFailure(ExitCodes.DATA_DIR, "cannot use data directory " + dataDir + ": " + ex +
                "; check its permissions or pass --data-dir", ex);
        }
        if (null == channel)
        {
            throw new CommandFailure(ExitCodes.DATA_DIR, "data directory " + dataDir + " is in use by another " +
                "Lightcone: stop it, or pass --data-dir to use another directory");
        }
        return new DataDirLock(channel);
    }

    @Override
    public void close()
    {
        CloseHelper.close(channel);
    }
}
