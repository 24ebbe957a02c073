package io.lightcone.core.snapshot;

import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.schema.SchemaCodec;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.table.Table;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.StoredTable;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Writes every table of a {@link Datastore} to one file and loads it back identical.
 * <pre>
 *  header (40 bytes)
 *  +--------------------------------+----------------+----------------+
 *  | magic "LCSNAP01" (8)           | version u32    | tableCount u32 |
 *  +--------------------------------+----------------+----------------+
 *  | txOffset u64                   | nextTableId u32| nextIndexId u32|
 *  +--------------------------------+----------------+----------------+
 *  | header crc32c u32              | reserved u32   |
 *  +--------------------------------+----------------+
 *  then per table, a section:
 *  +----------------+-----------------------------------------------------------+-----------+
 *  | bodyLength u64 | body: schema (SchemaCodec) | indexIds Array&lt;u32&gt;            | crc32c u32|
 *  |                |  | sequences Array&lt;{next i64, exhausted bool}&gt;            | of body   |
 *  |                |  | rowCount u64 | rows (BSATN, back to back)              |           |
 *  +----------------+-----------------------------------------------------------+-----------+
 *  then a trailer: magic "LCSNAPND" (8) | crc32c u32 over the header crc and every section crc, in order
 * </pre>
 * All integers are little-endian. A file is written to a temporary name, forced to disk and renamed, so a crash
 * leaves either the old state or the complete new file. A damaged file (bad magic, truncation, checksum mismatch,
 * undecodable schema or row) is refused with a {@link SnapshotException} naming the file and offset.
 */
public final class Snapshot
{
    /** Format version written by this code. */
    public static final int VERSION = 1;
    private static final long MAGIC = 0x3130_5041_4E53_434CL;      // "LCSNAP01" little-endian
    private static final long END_MAGIC = 0x444E_5041_4E53_434CL;  // "LCSNAPND" little-endian
    private static final int HEADER_LENGTH = 40;
    private static final int TRAILER_LENGTH = 12;
    private static final int FLUSH_THRESHOLD = 1 << 20;

    private Snapshot()
    {
    }

    /**
     * A loaded snapshot.
     *
     * @param datastore the tables, owned by the caller.
     * @param txOffset  the offset of the last transaction the snapshot contains.
     */
    public record Loaded(Datastore datastore, long txOffset)
    {
    }

    /**
     * Writes a snapshot of every table. No transaction may be open.
     *
     * @param datastore the tables.
     * @param txOffset  the offset of the last transaction the snapshot contains.
     * @param file      the snapshot file to create (replaced atomically if it exists).
     * @return the file's size in bytes.
     */
    public static long write(final Datastore datastore, final long txOffset, final Path file)
    {
        if (datastore.isTxOpen())
        {
            throw new IllegalStateException("cannot snapshot while a transaction is open");
        }
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final CRC32C chainCrc = new CRC32C();
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(LITTLE_ENDIAN);
            header.putLong(MAGIC).putInt(VERSION).putInt(datastore.tables().size()).putLong(txOffset)
                .putInt(datastore.nextTableId()).putInt(datastore.nextIndexId());
            final int headerCrc = crc(header.array(), 0, 32);
            header.putInt(headerCrc).putInt(0).flip();
            writeFully(channel, header);
            chainCrc.update(intBytes(headerCrc));

            final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(FLUSH_THRESHOLD + (1 << 16));
            for (final StoredTable table : datastore.tables())
            {
                chainCrc.update(intBytes(writeTable(channel, table, buffer)));
            }
            final ByteBuffer trailer = ByteBuffer.allocate(TRAILER_LENGTH).order(LITTLE_ENDIAN);
            trailer.putLong(END_MAGIC).putInt((int)chainCrc.getValue()).flip();
            writeFully(channel, trailer);
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new SnapshotException(tmp, -1, "write failed: " + ex.getMessage(), ex);
        }
        try
        {
            try
            {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(file.toAbsolutePath().getParent());
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            throw new SnapshotException(file, -1, "rename failed: " + ex.getMessage(), ex);
        }
    }

    private static int writeTable(
        final FileChannel channel, final StoredTable table, final ExpandableDirectByteBuffer buffer)
        throws IOException
    {
        final long sectionStart = channel.position();
        final CRC32C bodyCrc = new CRC32C();
        final BsatnWriter writer = new BsatnWriter(buffer, 0);
        writer.writeU64(0); // body length, patched below
        SchemaCodec.encode(writer, table.schema());
        writer.writeU32(table.indexCount());
        for (int i = 0; i < table.indexCount(); i++)
        {
            writer.writeU32(table.indexId(i));
        }
        final int sequenceCount = table.schema().sequences().size();
        writer.writeU32(sequenceCount);
        for (int i = 0; i < sequenceCount; i++)
        {
            writer.writeU64(table.sequenceNext(i));
            writer.writeBool(table.sequenceExhausted(i));
        }
        final Table rows = table.rows();
        writer.writeU64(rows.rowCount());
        int pending = writer.position();
        bodyCrc.update(buffer.byteBuffer().duplicate().position(8).limit(pending));
        long bodyLength = pending - 8L;
        for (int rowId = rows.nextLive(0); rowId >= 0; rowId = rows.nextLive(rowId + 1))
        {
            final int length = rows.writeRow(rowId, buffer, pending);
            bodyCrc.update(buffer.byteBuffer().duplicate().position(pending).limit(pending + length));
            pending += length;
            bodyLength += length;
            if (pending >= FLUSH_THRESHOLD)
            {
                writeFully(channel, buffer.byteBuffer().duplicate().position(0).limit(pending));
                pending = 0;
            }
        }
        final int crc = (int)bodyCrc.getValue();
        buffer.putInt(pending, crc, LITTLE_ENDIAN);
        pending += 4;
        writeFully(channel, buffer.byteBuffer().duplicate().position(0).limit(pending));
        final long end = channel.position();
        final ByteBuffer length = ByteBuffer.allocate(8).order(LITTLE_ENDIAN).putLong(0, bodyLength);
        while (length.hasRemaining())
        {
            channel.write(length, sectionStart + length.position());
        }
        channel.position(end);
        return crc;
    }

    /**
     * Loads a snapshot into a new datastore.
     *
     * @param file the snapshot file.
     * @return the loaded snapshot: the datastore and the tx offset it holds.
     * @throws SnapshotException naming the file and offset when the file is damaged.
     */
    public static Loaded read(final Path file)
    {
        final Datastore datastore = new Datastore();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH + TRAILER_LENGTH)
            {
                throw new SnapshotException(file, 0, "truncated: " + size + " bytes is shorter than a snapshot", null);
            }
            final ByteBuffer header = readAt(channel, 0, HEADER_LENGTH).order(LITTLE_ENDIAN);
            if (header.getLong(0) != MAGIC)
            {
                throw new SnapshotException(file, 0, "not a Lightcone snapshot (bad magic)", null);
            }
            final int headerCrc = header.getInt(32);
            if (crc(header.array(), 0, 32) != headerCrc)
            {
                throw new SnapshotException(file, 32, "header checksum mismatch", null);
            }
            if (header.getInt(36) != 0)
            {
                throw new SnapshotException(file, 36, "reserved header bytes are not zero", null);
            }
            final int version = header.getInt(8);
            if (version != VERSION)
            {
                throw new SnapshotException(file, 8, "unsupported snapshot version " + version, null);
            }
            final int tableCount = header.getInt(12);
            final long txOffset = header.getLong(16);
            final CRC32C chainCrc = new CRC32C();
            chainCrc.update(intBytes(headerCrc));

            long position = HEADER_LENGTH;
            final long sectionsEnd = size - TRAILER_LENGTH;
            final BsatnReader reader = new BsatnReader();
            for (int t = 0; t < tableCount; t++)
            {
                if (position + 8 > sectionsEnd)
                {
                    throw new SnapshotException(file, position, "truncated: table " + t + " of " + tableCount +
                        " is missing", null);
                }
                final long bodyLength = readAt(channel, position, 8).order(LITTLE_ENDIAN).getLong(0);
                if (bodyLength < 0 || bodyLength > Integer.MAX_VALUE - 4 || position + 8 + bodyLength + 4 > sectionsEnd)
                {
                    throw new SnapshotException(file, position, "table section length " + bodyLength +
                        " runs past the end of the file", null);
                }
                final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, position + 8,
                    bodyLength + 4);
                final UnsafeBuffer body = new UnsafeBuffer(mapped);
                final CRC32C bodyCrc = new CRC32C();
                bodyCrc.update(mapped.duplicate().position(0).limit((int)bodyLength));
                final int storedCrc = body.getInt((int)bodyLength, LITTLE_ENDIAN);
                if ((int)bodyCrc.getValue() != storedCrc)
                {
                    throw new SnapshotException(file, position, "table section " + t + " checksum mismatch", null);
                }
                chainCrc.update(intBytes(storedCrc));
                reader.wrap(body, 0, (int)bodyLength);
                try
                {
                    loadTable(datastore, reader);
                }
                catch (final BsatnDecodeException | IllegalArgumentException ex)
                {
                    throw new SnapshotException(file, position + 8 + reader.relativePosition(),
                        "table section " + t + ": " + ex.getMessage(), ex);
                }
                position += 8 + bodyLength + 4;
            }
            final ByteBuffer trailer = readAt(channel, position, TRAILER_LENGTH).order(LITTLE_ENDIAN);
            if (position != sectionsEnd || trailer.getLong(0) != END_MAGIC)
            {
                throw new SnapshotException(file, position, "bad trailer: the file has missing or extra bytes", null);
            }
            if (trailer.getInt(8) != (int)chainCrc.getValue())
            {
                throw new SnapshotException(file, position + 8, "trailer checksum mismatch", null);
            }
            datastore.restoreIdCounters(header.getInt(24), header.getInt(28));
            return new Loaded(datastore, txOffset);
        }
        catch (final IOException ex)
        {
            datastore.close();
            throw new SnapshotException(file, -1, "read failed: " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            datastore.close();
            throw ex;
        }
    }

    private static void loadTable(final Datastore datastore, final BsatnReader reader)
    {
        final TableSchema schema = SchemaCodec.decode(reader);
        final int indexCount = reader.readLength(4, "index ids");
        final int[] indexIds = new int[indexCount];
        for (int i = 0; i < indexCount; i++)
        {
            indexIds[i] = reader.readI32();
        }
        final StoredTable table = datastore.createTable(schema, indexIds);
        final int sequenceCount = reader.readLength(9, "sequences");
        if (sequenceCount != schema.sequences().size())
        {
            throw reader.error("table " + schema.name() + " has " + schema.sequences().size() + " sequences but " +
                sequenceCount + " sequence states");
        }
        for (int i = 0; i < sequenceCount; i++)
        {
            table.sequenceNext(i, reader.readI64());
            table.sequenceExhausted(i, reader.readBool());
        }
        final long rowCount = reader.readI64();
        if (rowCount < 0 || rowCount > reader.remaining())
        {
            throw reader.error("absurd row count " + rowCount);
        }
        for (long r = 0; r < rowCount; r++)
        {
            table.restoreRow(reader);
        }
        if (!reader.isExhausted())
        {
            throw reader.error(reader.remaining() + " bytes after the last row of table " + schema.name());
        }
    }

    private static ByteBuffer readAt(final FileChannel channel, final long position, final int length)
        throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(length);
        while (bytes.hasRemaining())
        {
            if (channel.read(bytes, position + bytes.position()) < 0)
            {
                break;
            }
        }
        if (bytes.hasRemaining())
        {
            throw new IOException("unexpected end of file at " + (position + bytes.position()));
        }
        return bytes.flip();
    }

    private static int crc(final byte[] bytes, final int offset, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int)crc.getValue();
    }

    private static byte[] intBytes(final int value)
    {
        return new byte[]{ (byte)value, (byte)(value >>> 8), (byte)(value >>> 16), (byte)(value >>> 24) };
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer bytes) throws IOException
    {
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    private static void forceDirectory(final Path dir)
    {
        if (null == dir)
        {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ignore)
        {
            // some file systems do not allow opening a directory; the rename is still durable on ext4/xfs
        }
    }
}
