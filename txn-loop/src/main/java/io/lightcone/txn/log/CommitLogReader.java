package io.lightcone.txn.log;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reads the segments of a commit log directory in order and checks everything: segment headers, that each segment
 * starts where the previous one ended, every record's checksum, and that tx offsets are contiguous.
 * <p>
 * Torn tail: when the last segment ends with a record that is incomplete or fails its checksum and no valid record
 * follows it (only zero bytes, the rest of the incomplete record, or the end of the file), that is a write that did
 * not complete; with {@code repair} the file is truncated before it (and forced), and reading stops there. Any other
 * damage throws a {@link CommitLogException} naming the file and byte offset: a bad record followed by valid-looking
 * data, damage in a segment other than the last, a bad or short header, an offset gap, a missing segment.
 * Nothing damaged is ever passed to a handler.
 */
public final class CommitLogReader
{
    /**
     * A segment file.
     *
     * @param file          the path.
     * @param firstTxOffset the tx offset its name (and header) gives for its first record.
     */
    public record Segment(Path file, long firstTxOffset)
    {
    }

    /**
     * What a read found.
     *
     * @param firstTxOffset  the log's first tx offset, or -1 when it has no segment.
     * @param lastTxOffset   the last valid record's tx offset; one less than the first segment's first tx offset when
     *                       the log has segments but no record, -1 when it has no segment.
     * @param records        the number of records read (from the first segment read).
     * @param lastSegment    the last segment, or null.
     * @param lastSegmentEnd byte length of the last segment's valid part (its size after a repair).
     * @param truncatedBytes the bytes of torn tail found (and cut when repairing).
     */
    public record Result(
        long firstTxOffset, long lastTxOffset, long records, Segment lastSegment, long lastSegmentEnd,
        long truncatedBytes)
    {
    }

    private static final String GAP = "offset gap";

    private final Path dir;

    /**
     * A reader of a directory.
     *
     * @param dir the commit log directory.
     */
    public CommitLogReader(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * The segments of a directory in tx offset order. Files of other names (temporary files, {@code archive/}) are
     * ignored.
     *
     * @param dir the directory; a missing one has no segments.
     * @return the segments.
     */
    public static List<Segment> listSegments(final Path dir)
    {
        final List<Segment> segments = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return segments;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            files.forEach((file) ->
            {
                final long first = LogFormat.parseSegmentFileName(file);
                if (first >= 0 && Files.isRegularFile(file))
                {
                    segments.add(new Segment(file, first));
                }
            });
        }
        catch (final IOException ex)
        {
            throw new CommitLogException(dir, -1, "cannot list segments: " + ex.getMessage(), ex);
        }
        segments.sort(Comparator.comparingLong(Segment::firstTxOffset));
        return segments;
    }

    /**
     * Checks every segment.
     *
     * @param repair whether to truncate a torn tail.
     * @return what was found.
     * @throws CommitLogException on damage other than a torn tail.
     */
    public Result scan(final boolean repair)
    {
        return read(Long.MIN_VALUE, Long.MAX_VALUE, null, repair, false);
    }

    /**
     * Checks only the last segment (what appending needs): its header, records and torn tail.
     *
     * @param repair whether to truncate a torn tail.
     * @return what was found; {@link Result#records()} counts the last segment's records only.
     */
    public Result scanLastSegment(final boolean repair)
    {
        return read(Long.MIN_VALUE, Long.MAX_VALUE, null, repair, true);
    }

    /**
     * Passes every record from a tx offset on to a handler, in order, checking the segments it reads (and the
     * names of the ones before, for gaps).
     *
     * @param fromTxOffset the first tx offset wanted; the log must contain it unless it is past the log's end.
     * @param handler      receives the records.
     * @param repair       whether to truncate a torn tail.
     * @return what was found.
     * @throws CommitLogException on damage other than a torn tail, or when the log starts after
     *                            {@code fromTxOffset} (the records wanted were deleted or lost).
     */
    public Result replay(final long fromTxOffset, final CommitRecordHandler handler, final boolean repair)
    {
        return read(fromTxOffset, Long.MAX_VALUE, handler, repair, false);
    }

    /**
     * Passes the records of a tx offset range to a handler, in order, checking what it reads, and stops after the
     * last one wanted without reading further: for reading a log that is still being appended to (an online backup
     * reads up to a durable offset). Nothing is repaired.
     *
     * @param fromTxOffset the first tx offset wanted; the log must contain it.
     * @param toTxOffset   the last tx offset wanted; the log must contain it.
     * @param handler      receives the records, or null to only check them.
     * @return what was read: {@link Result#lastSegment()} is the segment holding {@code toTxOffset} and
     *         {@link Result#lastSegmentEnd()} the byte position just after that record.
     * @throws CommitLogException on damage, or when the log does not hold the whole range.
     */
    public Result replay(final long fromTxOffset, final long toTxOffset, final CommitRecordHandler handler)
    {
        final Result result = read(fromTxOffset, toTxOffset, handler, false, false);
        if (result.lastTxOffset() < toTxOffset)
        {
            throw new CommitLogException(null == result.lastSegment() ? dir : result.lastSegment().file(),
                result.lastSegmentEnd(), "the log ends at tx offset " + result.lastTxOffset() + " but records up to " +
                toTxOffset + " were asked for", null);
        }
        return result;
    }

    private Result read(
        final long fromTxOffset,
        final long toTxOffset,
        final CommitRecordHandler handler,
        final boolean repair,
        final boolean lastOnly)
    {
        final List<Segment> segments = listSegments(dir);
        if (segments.isEmpty())
        {
            return new Result(-1, -1, 0, null, 0, 0);
        }
        final long firstTxOffset = segments.get(0).firstTxOffset();
        if (fromTxOffset != Long.MIN_VALUE && fromTxOffset < firstTxOffset)
        {
            throw new CommitLogException(segments.get(0).file(), 0, "the log starts at tx offset " +
                firstTxOffset + " but records from " + fromTxOffset + " were asked for (missing or deleted segments)",
                null);
        }
        int start = lastOnly ? segments.size() - 1 : 0;
        if (!lastOnly && fromTxOffset != Long.MIN_VALUE)
        {
            while (start + 1 < segments.size() && segments.get(start + 1).firstTxOffset() <= fromTxOffset)
            {
                start++;
            }
        }
        long expected = segments.get(start).firstTxOffset();
        long records = 0;
        long lastTxOffset = expected - 1;
        long lastEnd = 0;
        long truncated = 0;
        Segment lastRead = segments.get(segments.size() - 1);
        for (int i = start; i < segments.size() && expected <= toTxOffset; i++)
        {
            final Segment segment = segments.get(i);
            lastRead = segment;
            if (segment.firstTxOffset() != expected)
            {
                throw new CommitLogException(segment.file(), 0, "offset gap: the previous segment ends at tx offset " +
                    (expected - 1) + " but this one starts at " + segment.firstTxOffset(), null);
            }
            final boolean last = i == segments.size() - 1;
            final long[] state = readSegment(segment, expected, fromTxOffset, toTxOffset, handler, last, repair);
            records += state[0];
            expected += state[0];
            lastTxOffset = expected - 1;
            lastEnd = state[1];
            truncated += state[2];
        }
        return new Result(firstTxOffset, lastTxOffset, records, lastRead, lastEnd, truncated);
    }

    /**
     * Reads one segment.
     *
     * @return {records, valid end, torn bytes}.
     */
    private static long[] readSegment(
        final Segment segment,
        final long firstExpected,
        final long fromTxOffset,
        final long toTxOffset,
        final CommitRecordHandler handler,
        final boolean last,
        final boolean repair)
    {
        final Path file = segment.file();
        long records = 0;
        int position = LogFormat.HEADER_LENGTH;
        long tornBytes = 0;
        final long size;
        MappedByteBuffer mapped = null;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            size = channel.size();
            if (size < LogFormat.HEADER_LENGTH)
            {
                throw new CommitLogException(file, 0, "segment is " + size + " bytes, shorter than its header", null);
            }
            if (size > Integer.MAX_VALUE)
            {
                throw new CommitLogException(file, 0, "segment is larger than 2 GiB: " + size, null);
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            final String headerProblem = LogFormat.checkHeader(buffer, 0);
            if (null != headerProblem)
            {
                final int at = headerProblem.lastIndexOf('@');
                throw new CommitLogException(file, Long.parseLong(headerProblem.substring(at + 1)),
                    headerProblem.substring(0, at), null);
            }
            final long headerFirst = buffer.getLong(LogFormat.FIRST_TX_OFFSET_OFFSET, LITTLE_ENDIAN);
            if (headerFirst != segment.firstTxOffset())
            {
                throw new CommitLogException(file, LogFormat.FIRST_TX_OFFSET_OFFSET, "header says first tx offset " +
                    headerFirst + " but the file name says " + segment.firstTxOffset(), null);
            }
            final int end = (int)size;
            long expected = firstExpected;
            while (position < end && expected <= toTxOffset)
            {
                final String problem = checkRecord(buffer, position, end, expected);
                if (null != problem)
                {
                    final boolean intact = problem.startsWith(GAP);
                    if (last && !intact && !validRecordAfter(buffer, position + 1, end))
                    {
                        tornBytes = end - position;
                        break;
                    }
                    throw new CommitLogException(file, position, problem + (last ?
                        " (valid records follow, so this is not a torn tail)" : " (not the last segment)"), null);
                }
                final int length = buffer.getInt(position + LogFormat.LENGTH_OFFSET, LITTLE_ENDIAN);
                if (null != handler && expected >= fromTxOffset)
                {
                    handler.onRecord(expected, buffer, position + LogFormat.RECORD_HEADER_LENGTH, length);
                }
                position += LogFormat.RECORD_HEADER_LENGTH + length;
                expected++;
                records++;
            }
        }
        catch (final IOException ex)
        {
            throw new CommitLogException(file, -1, "cannot read: " + ex.getMessage(), ex);
        }
        finally
        {
            if (null != mapped)
            {
                IoUtil.unmap(mapped);
            }
        }
        if (tornBytes > 0 && repair)
        {
            truncate(file, position);
        }
        return new long[]{ records, position, tornBytes };
    }

    private static String checkRecord(final UnsafeBuffer buffer, final int position, final int end, final long expected)
    {
        if (end - position < LogFormat.RECORD_HEADER_LENGTH)
        {
            return "incomplete record header (" + (end - position) + " bytes)";
        }
        final int length = buffer.getInt(position + LogFormat.LENGTH_OFFSET, LITTLE_ENDIAN);
        if (length < 0 || length > end - position - LogFormat.RECORD_HEADER_LENGTH)
        {
            return "record length " + (length & 0xFFFF_FFFFL) + " runs past the end of the segment";
        }
        final int crc = LogFormat.crc(buffer, position + LogFormat.TX_OFFSET_OFFSET, 8 + length);
        if (crc != buffer.getInt(position + LogFormat.CRC_OFFSET, LITTLE_ENDIAN))
        {
            return "record checksum mismatch";
        }
        final long txOffset = buffer.getLong(position + LogFormat.TX_OFFSET_OFFSET, LITTLE_ENDIAN);
        if (txOffset != expected)
        {
            return GAP + ": expected tx offset " + expected + " but the record has " + txOffset;
        }
        return null;
    }

    /**
     * Whether any position in [from, end) holds a complete record with a valid checksum: if so, the damage before it
     * is not a torn tail (a write that did not complete leaves nothing valid after it).
     */
    private static boolean validRecordAfter(final UnsafeBuffer buffer, final int from, final int end)
    {
        for (int q = from; q + LogFormat.RECORD_HEADER_LENGTH <= end; q++)
        {
            final int length = buffer.getInt(q + LogFormat.LENGTH_OFFSET, LITTLE_ENDIAN);
            if (length >= 0 && length <= end - q - LogFormat.RECORD_HEADER_LENGTH &&
                LogFormat.crc(buffer, q + LogFormat.TX_OFFSET_OFFSET, 8 + length) ==
                buffer.getInt(q + LogFormat.CRC_OFFSET, LITTLE_ENDIAN))
            {
                return true;
            }
        }
        return false;
    }

    private static void truncate(final Path file, final long size)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new CommitLogException(file, size, "cannot truncate the torn tail: " + ex.getMessage(), ex);
        }
    }
}
