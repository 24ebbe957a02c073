package io.lightcone.txn.log;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The on-disk format of commit log segments. All integers are little-endian.
 * <p>
 * A segment is a file {@code <firstTxOffset:020d>.lclog} holding a 32-byte header and then records back to back:
 * <pre>
 *  segment header (32 bytes)
 *  +--------------------------------+----------------+----------------+
 *  | magic "LCLOGSEG" (8)           | version u32    | flags u32 (0)  |
 *  +--------------------------------+----------------+----------------+
 *  | firstTxOffset u64              | crc32c u32     | reserved u32(0)|
 *  +--------------------------------+----------------+----------------+
 *  header crc32c is over bytes [0, 24).
 *
 *  record (16-byte header + payload, no padding)
 *  +----------------+----------------+--------------------------------+------------------
 *  | length u32     | crc32c u32     | txOffset u64                   | payload (length)
 *  +----------------+----------------+--------------------------------+------------------
 *  length is the payload's; crc32c is over txOffset and the payload.
 * </pre>
 * Invariants: the first record of a segment has {@code txOffset == firstTxOffset}; every record's txOffset is one more
 * than the previous record's, across segments too (a gap is damage); a segment other than the last ends exactly after
 * its last record. A segment file is created complete with its header under a temporary name, forced and renamed,
 * and its directory forced, so a segment that exists always has a full header.
 */
public final class LogFormat
{
    /** Segment file name suffix. */
    public static final String SEGMENT_SUFFIX = ".lclog";
    /** Suffix of a segment being created; such files are deleted by recovery. */
    public static final String TEMP_SUFFIX = ".tmp";
    /** "LCLOGSEG" read as a little-endian long. */
    public static final long MAGIC = 0x4745_5347_4F4C_434CL;
    /** Format version written by this code. */
    public static final int VERSION = 1;
    /** Segment header length. */
    public static final int HEADER_LENGTH = 32;
    /** Offset of the version in the header. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the flags in the header. */
    public static final int FLAGS_OFFSET = 12;
    /** Offset of the first tx offset in the header. */
    public static final int FIRST_TX_OFFSET_OFFSET = 16;
    /** Offset of the header checksum in the header. */
    public static final int HEADER_CRC_OFFSET = 24;
    /** Offset of the reserved word in the header. */
    public static final int RESERVED_OFFSET = 28;
    /** Record header length: length, crc, txOffset. */
    public static final int RECORD_HEADER_LENGTH = 16;
    /** Offset of the payload length in a record. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the checksum in a record. */
    public static final int CRC_OFFSET = 4;
    /** Offset of the tx offset in a record; the checksum covers from here to the end of the payload. */
    public static final int TX_OFFSET_OFFSET = 8;

    private LogFormat()
    {
    }

    /**
     * The file name of the segment whose first record has a tx offset.
     *
     * @param firstTxOffset the first tx offset.
     * @return the name, e.g. {@code 00000000000000000042.lclog}.
     */
    public static String segmentFileName(final long firstTxOffset)
    {
        return String.format("%020d%s", firstTxOffset, SEGMENT_SUFFIX);
    }

    /**
     * Parses a segment file name.
     *
     * @param file the file.
     * @return its first tx offset, or -1 when the name is not a segment's.
     */
    public static long parseSegmentFileName(final Path file)
    {
        final String name = file.getFileName().toString();
        if (name.length() != 20 + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX))
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < 20; i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0)
            {
                return -1;
            }
        }
        return value;
    }

    /**
     * Writes a segment header.
     *
     * @param buffer        where.
     * @param offset        at which offset.
     * @param firstTxOffset the segment's first tx offset.
     */
    public static void writeHeader(final MutableDirectBuffer buffer, final int offset, final long firstTxOffset)
    {
        buffer.putLong(offset, MAGIC, LITTLE_ENDIAN);
        buffer.putInt(offset + VERSION_OFFSET, VERSION, LITTLE_ENDIAN);
        buffer.putInt(offset + FLAGS_OFFSET, 0, LITTLE_ENDIAN);
        buffer.putLong(offset + FIRST_TX_OFFSET_OFFSET, firstTxOffset, LITTLE_ENDIAN);
        buffer.putInt(offset + HEADER_CRC_OFFSET, crc(buffer, offset, HEADER_CRC_OFFSET), LITTLE_ENDIAN);
        buffer.putInt(offset + RESERVED_OFFSET, 0, LITTLE_ENDIAN);
    }

    /**
     * Checks a segment header.
     *
     * @param buffer holding it.
     * @param offset where it starts.
     * @return null when valid, else what is wrong, with the offset within the header appended after a '@'.
     */
    static String checkHeader(final DirectBuffer buffer, final int offset)
    {
        if (buffer.getLong(offset, LITTLE_ENDIAN) != MAGIC)
        {
            return "bad segment magic@0";
        }
        if (crc(buffer, offset, HEADER_CRC_OFFSET) != buffer.getInt(offset + HEADER_CRC_OFFSET, LITTLE_ENDIAN))
        {
            return "segment header checksum mismatch@" + HEADER_CRC_OFFSET;
        }
        final int version = buffer.getInt(offset + VERSION_OFFSET, LITTLE_ENDIAN);
        if (version != VERSION)
        {
            return "unsupported segment version " + version + "@" + VERSION_OFFSET;
        }
        if (buffer.getInt(offset + FLAGS_OFFSET, LITTLE_ENDIAN) != 0 ||
            buffer.getInt(offset + RESERVED_OFFSET, LITTLE_ENDIAN) != 0)
        {
            return "unknown segment flags or reserved bits set@" + FLAGS_OFFSET;
        }
        return null;
    }

    /**
     * CRC32C of a range of a buffer.
     *
     * @param buffer the bytes.
     * @param offset start.
     * @param length length.
     * @return the checksum as an int.
     */
    public static int crc(final DirectBuffer buffer, final int offset, final int length)
    {
        final CRC32C crc = new CRC32C();
        update(crc, buffer, offset, length);
        return (int)crc.getValue();
    }

    static void update(final CRC32C crc, final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        final int base = buffer.wrapAdjustment();
        if (null != byteBuffer)
        {
            crc.update(byteBuffer.duplicate().limit(base + offset + length).position(base + offset));
        }
        else
        {
            crc.update(buffer.byteArray(), base + offset, length);
        }
    }
}
