package io.lightcone.cli.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The manifest of a backup, {@code <backupDir>/backup.manifest}: the tx offset the backup holds, its databases, and
 * every file with its size and a CRC32C per {@value #BLOCK_SIZE}-byte block, so that a damaged byte is found and
 * named with its file and offset before anything is restored. Text, one entry a line, written last (a backup
 * without a manifest is incomplete):
 * <pre>
 *  lightcone-backup 1
 *  txOffset &lt;D&gt;                                     the last tx offset the backup holds
 *  createdAt &lt;ISO-8601 instant&gt;
 *  database &lt;id&gt; &lt;snapshotTxOffset&gt; &lt;createdTxOffset&gt; &lt;name&gt;
 *  file &lt;size&gt; &lt;crc32c,crc32c,...|-&gt; &lt;relative path&gt;  one CRC per block, hex
 *  end &lt;crc32c of every byte before this line, hex&gt;
 * </pre>
 *
 * @param txOffset  the last tx offset the backup holds.
 * @param createdAt when the backup was taken.
 * @param databases its databases.
 * @param files     its files, paths relative to the backup directory with '/' separators.
 */
public record BackupManifest(long txOffset, String createdAt, List<Database> databases, List<FileEntry> files)
{
    /** The manifest's file name in a backup directory. */
    public static final String FILE_NAME = "backup.manifest";
    /** The bytes each checksum covers. */
    public static final int BLOCK_SIZE = 4096;
    private static final String MAGIC = "lightcone-backup 1";

    /**
     * A database of the backup.
     *
     * @param id               its id (its directory under {@code db/}).
     * @param snapshotTxOffset the tx offset of its snapshot in the backup.
     * @param createdTxOffset  the tx offset that created it.
     * @param name             its name.
     */
    public record Database(long id, long snapshotTxOffset, long createdTxOffset, String name)
    {
    }

    /**
     * A file of the backup.
     *
     * @param path      relative to the backup directory, '/' separated.
     * @param size      its size in bytes.
     * @param blockCrcs CRC32C of each {@value #BLOCK_SIZE}-byte block, the last one possibly shorter.
     */
    public record FileEntry(String path, long size, int[] blockCrcs)
    {
    }

    /**
     * Copies the first {@code length} bytes of a file into the backup, forced to disk, checksumming each block.
     *
     * @param source     the file to copy.
     * @param length     how many bytes (a log segment still being appended to is copied up to a record's end).
     * @param backupDir  the backup directory.
     * @param relative   the path in the backup, '/' separated.
     * @return the file's entry.
     * @throws IOException when reading or writing fails, or the source is shorter than {@code length}.
     */
    public static FileEntry copy(final Path source, final long length, final Path backupDir, final String relative)
        throws IOException
    {
        final Path target = backupDir.resolve(relative);
        Files.createDirectories(target.getParent());
        final int[] crcs = new int[blockCount(length)];
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
            FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE);
            long position = 0;
            int index = 0;
            while (position < length)
            {
                block.clear().limit((int)Math.min(BLOCK_SIZE, length - position));
                while (block.hasRemaining())
                {
                    if (in.read(block, position + block.position()) < 0)
                    {
                        throw new IOException(source + " ended at byte " + (position + block.position()) +
                            " before the " + length + " bytes to copy");
                    }
                }
                block.flip();
                crcs[index++] = crc(block);
                block.rewind();
                while (block.hasRemaining())
                {
                    out.write(block);
                }
                position += block.limit();
            }
            out.force(true);
        }
        return new FileEntry(relative, length, crcs);
    }

    /**
     * Writes bytes as a file of the backup, forced to disk.
     *
     * @param bytes     the content.
     * @param backupDir the backup directory.
     * @param relative  the path in the backup, '/' separated.
     * @return the file's entry.
     * @throws IOException when writing fails.
     */
    public static FileEntry write(final byte[] bytes, final Path backupDir, final String relative) throws IOException
    {
        final Path target = backupDir.resolve(relative);
        Files.createDirectories(target.getParent());
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining())
            {
                out.write(buffer);
            }
            out.force(true);
        }
        final int[] crcs = new int[blockCount(bytes.length)];
        for (int i = 0; i < crcs.length; i++)
        {
            final int from = i * BLOCK_SIZE;
            crcs[i] = crc(ByteBuffer.wrap(bytes, from, Math.min(BLOCK_SIZE, bytes.length - from)));
        }
        return new FileEntry(relative, bytes.length, crcs);
    }

    /**
     * Writes this manifest into a backup directory (temporary name, forced, renamed).
     *
     * @param backupDir the backup directory.
     * @throws IOException when writing fails.
     */
    public void writeTo(final Path backupDir) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        text.append(MAGIC).append('\n');
        text.append("txOffset ").append(txOffset).append('\n');
        text.append("createdAt ").append(createdAt).append('\n');
        for (final Database database : databases)
        {
            text.append("database ").append(database.id()).append(' ').append(database.snapshotTxOffset())
                .append(' ').append(database.createdTxOffset()).append(' ').append(database.name()).append('\n');
        }
        final HexFormat hex = HexFormat.of();
        for (final FileEntry file : files)
        {
            text.append("file ").append(file.size()).append(' ');
            if (0 == file.blockCrcs().length)
            {
                text.append('-');
            }
            for (int i = 0; i < file.blockCrcs().length; i++)
            {
                text.append(i > 0 ? "," : "").append(hex.toHexDigits(file.blockCrcs()[i]));
            }
            text.append(' ').append(file.path()).append('\n');
        }
        final byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        final byte[] end = ("end " + hex.toHexDigits(crc(ByteBuffer.wrap(body))) + "\n")
            .getBytes(StandardCharsets.UTF_8);
        final Path tmp = backupDir.resolve(FILE_NAME + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(body.length + end.length).put(body).put(end).flip();
            while (buffer.hasRemaining())
            {
                out.write(buffer);
            }
            out.force(true);
        }
        try
        {
            Files.move(tmp, backupDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(tmp, backupDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads and checks the manifest of a backup directory.
     *
     * @param backupDir the backup directory.
     * @return the manifest.
     * @throws OpsException when it is missing (an incomplete backup) or damaged.
     */
    public static BackupManifest read(final Path backupDir)
    {
        final Path file = backupDir.resolve(FILE_NAME);
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new OpsException(OpsException.EXIT_DAMAGED, backupDir + " is not a complete backup: it has no " +
                FILE_NAME + " (written last, when the backup is complete)");
        }
        catch (final IOException ex)
        {
            throw new OpsException(OpsException.EXIT_DAMAGED, "cannot read " + file + ": " + ex.getMessage(), ex);
        }
        final String text = new String(bytes, StandardCharsets.UTF_8);
        final int endAt = text.lastIndexOf("end ");
        if (!text.startsWith(MAGIC + "\n") || endAt < 0 || (endAt > 0 && text.charAt(endAt - 1) != '\n'))
        {
            throw damaged(file, 0, "not a backup manifest, or truncated");
        }
        final int bodyLength = text.substring(0, endAt).getBytes(StandardCharsets.UTF_8).length;
        final String expected = HexFormat.of().toHexDigits(crc(ByteBuffer.wrap(bytes, 0, bodyLength)));
        if (!text.substring(endAt + 4).trim().equals(expected))
        {
            throw damaged(file, bodyLength, "its checksum does not match its content");
        }
        try
        {
            return parse(text.substring(0, endAt));
        }
        catch (final RuntimeException ex)
        {
            throw damaged(file, 0, "cannot parse it: " + ex.getMessage());
        }
    }

    private static BackupManifest parse(final String body)
    {
        long txOffset = -1;
        String createdAt = "";
        final List<Database> databases = new ArrayList<>();
        final List<FileEntry> files = new ArrayList<>();
        for (final String line : body.split("\n"))
        {
            final String[] parts = line.split(" ", 5);
            switch (parts[0])
            {
                case "txOffset":
                    txOffset = Long.parseLong(parts[1]);
                    break;
                case "createdAt":
                    createdAt = parts[1];
                    break;
                case "database":
                    databases.add(new Database(Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                        Long.parseLong(parts[3]), parts[4]));
                    break;
                case "file":
                {
                    final String[] fields = line.split(" ", 4);
                    final long size = Long.parseLong(fields[1]);
                    final int[] crcs = "-".equals(fields[2]) ? new int[0] :
                        java.util.Arrays.stream(fields[2].split(",")).mapToInt(HexFormat::fromHexDigits).toArray();
                    if (crcs.length != blockCount(size))
                    {
                        throw new IllegalArgumentException("file " + fields[3] + ": " + crcs.length +
                            " checksums for " + size + " bytes");
                    }
                    files.add(new FileEntry(fields[3], size, crcs));
                    break;
                }
                default:
                    if (!line.equals(MAGIC))
                    {
                        throw new IllegalArgumentException("unknown line: " + line);
                    }
            }
        }
        return new BackupManifest(txOffset, createdAt, databases, files);
    }

    /**
     * Checks every file of the backup against its size and block checksums.
     *
     * @param backupDir the backup directory.
     * @throws OpsException naming the first damaged file and the offset of its first damaged block.
     */
    public void verify(final Path backupDir)
    {
        final ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE);
        for (final FileEntry entry : files)
        {
            final Path file = backupDir.resolve(entry.path());
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ))
            {
                if (in.size() != entry.size())
                {
                    throw damaged(file, Math.min(in.size(), entry.size()), "it is " + in.size() +
                        " bytes long but was " + entry.size() + " bytes when backed up");
                }
                long position = 0;
                for (int i = 0; i < entry.blockCrcs().length; i++)
                {
                    block.clear().limit((int)Math.min(BLOCK_SIZE, entry.size() - position));
                    while (block.hasRemaining())
                    {
                        if (in.read(block, position + block.position()) < 0)
                        {
                            throw damaged(file, position + block.position(), "it ends early");
                        }
                    }
                    block.flip();
                    if (crc(block) != entry.blockCrcs()[i])
                    {
                        throw damaged(file, position, "bytes " + position + " to " + (position + block.limit() - 1) +
                            " do not match the checksum taken at backup time");
                    }
                    position += block.limit();
                }
            }
            catch (final NoSuchFileException ex)
            {
                throw damaged(file, 0, "the file is missing");
            }
            catch (final IOException ex)
            {
                throw new OpsException(OpsException.EXIT_DAMAGED, "cannot read " + file + ": " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * The damage error.
     *
     * @param file   the damaged file.
     * @param offset the byte offset of the damage.
     * @param what   what is wrong.
     * @return the exception.
     */
    static OpsException damaged(final Path file, final long offset, final String what)
    {
        return new OpsException(OpsException.EXIT_DAMAGED, "the backup is damaged: " + file + " at byte offset " +
            offset + ": " + what);
    }

    private static int blockCount(final long size)
    {
        return (int)((size + BLOCK_SIZE - 1) / BLOCK_SIZE);
    }

    private static int crc(final ByteBuffer bytes)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int)crc.getValue();
    }
}
