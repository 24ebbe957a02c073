package io.lightcone.core.snapshot;

import java.nio.file.Path;

/**
 * A snapshot that cannot be written or read: names the file, the byte offset and what was wrong.
 */
public final class SnapshotException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A snapshot error.
     *
     * @param file   the snapshot file.
     * @param offset the byte offset in the file where the problem was found, or -1.
     * @param reason what was wrong.
     * @param cause  the underlying error, or null.
     */
    public SnapshotException(final Path file, final long offset, final String reason, final Throwable cause)
    {
        super("snapshot " + file + (offset >= 0 ? " at offset " + offset : "") + ": " + reason, cause);
    }
}
