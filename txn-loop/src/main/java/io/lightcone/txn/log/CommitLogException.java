package io.lightcone.txn.log;

import java.nio.file.Path;

/**
 * A commit log is damaged or cannot be read or written: names the file and the byte offset in it where the problem
 * was found, so an operator can look at it. Damage is never skipped silently.
 */
public final class CommitLogException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The file, or null when the problem concerns the directory as a whole. */
    private final transient Path file;
    private final long fileOffset;

    /**
     * A problem at a place in a file.
     *
     * @param file       the file (or directory).
     * @param fileOffset the byte offset in the file, or -1 when not about a particular byte.
     * @param message    what is wrong.
     * @param cause      the underlying exception, or null.
     */
    public CommitLogException(final Path file, final long fileOffset, final String message, final Throwable cause)
    {
        super(file + (fileOffset >= 0 ? " at byte " + fileOffset : "") + ": " + message, cause);
        this.file = file;
        this.fileOffset = fileOffset;
    }

    /**
     * The file the problem is in.
     *
     * @return the path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Where in the file.
     *
     * @return the byte offset, or -1.
     */
    public long fileOffset()
    {
        return fileOffset;
    }
}
