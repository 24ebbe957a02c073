package io.lightcone.txn.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the file channels the commit log writes through (segments and, for fsync, their directory). The default is
 * {@link FileChannel#open(Path, OpenOption...)}; tests inject failures through it.
 */
@FunctionalInterface
public interface FileChannelFactory
{
    /** Opens channels with {@link FileChannel#open(Path, OpenOption...)}. */
    FileChannelFactory DEFAULT = FileChannel::open;

    /**
     * Opens a channel.
     *
     * @param path    the file or directory.
     * @param options how to open it.
     * @return the channel.
     * @throws IOException when it cannot be opened.
     */
    FileChannel open(Path path, OpenOption... options) throws IOException;
}
