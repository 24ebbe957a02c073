package io.lightcone.txn.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.lightcone.txn.log.LogTestSupport.appendOrWait;
import static io.lightcone.txn.log.LogTestSupport.awaitDurable;
import static io.lightcone.txn.log.LogTestSupport.context;
import static io.lightcone.txn.log.LogTestSupport.copyDir;
import static io.lightcone.txn.log.LogTestSupport.payload;
import static io.lightcone.txn.log.LogTestSupport.readAll;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

class CommitLogDamageTest
{
    private static final int RECORDS = 600;
    private static final int MAX_PAYLOAD = 60;

    @TempDir
    Path temp;
    private Path original;
    private List<CommitLogReader.Segment> segments;

    @BeforeEach
    void writeLog()
    {
        original = temp.resolve("original");
        try (CommitLog log = CommitLog.open(context(original).segmentSize(8 * 1024)))
        {
            for (long tx = 0; tx < RECORDS; tx++)
            {
                appendOrWait(log, tx, payload(tx, MAX_PAYLOAD));
            }
            awaitDurable(log, RECORDS - 1);
        }
        segments = CommitLogReader.listSegments(original);
        assertTrue(segments.size() >= 3, "segments: " + segments.size());
    }

    /** Invariant: a log cut at any byte of its last record loses just that record, and appending goes on. */
    @Test
    void shouldTruncateATornTailAtEveryByteOfTheLastRecordAndContinue() throws IOException
    {
        final Path lastFile = segments.get(segments.size() - 1).file();
        final long size = Files.size(lastFile);
        final int lastLength = LogFormat.RECORD_HEADER_LENGTH + payload(RECORDS - 1, MAX_PAYLOAD).length;
        final long lastStart = size - lastLength;
        for (long cut = lastStart; cut < size; cut++)
        {
            for (final boolean zeroFill : new boolean[] { false, true })
            {
                final Path dir = temp.resolve("cut-" + cut + "-" + zeroFill);
                copyDir(original, dir);
                final Path file = dir.resolve(lastFile.getFileName());
                if (zeroFill)
                {
                    zero(file, cut, size + 100);
                }
                else
                {
                    truncate(file, cut);
                }
                try (CommitLog log = CommitLog.open(context(dir).segmentSize(8 * 1024)))
                {
                    assertEquals(RECORDS - 1, log.nextTxOffset(), "cut at " + cut);
                    assertEquals(RECORDS - 2, log.durableTxOffset());
                    assertEquals((zeroFill ? size + 100 : cut) - lastStart, log.truncatedBytesOnOpen());
                    for (long tx = RECORDS - 1; tx < RECORDS + 5; tx++)
                    {
                        appendOrWait(log, tx, payload(tx, MAX_PAYLOAD));
                    }
                    awaitDurable(log, RECORDS + 4);
                }
                final List<LogTestSupport.Read> records = readAll(dir, 0);
                assertEquals(RECORDS + 5, records.size());
                for (int i = 0; i < records.size(); i++)
                {
                    assertArrayEquals(payload(i, MAX_PAYLOAD), records.get(i).payload());
                }
            }
        }
    }

    /**
     * Invariant: a flipped bit anywhere is either reported (naming file and offset) or, in the last segment's torn
     * tail zone, truncated; the records that are returned are always exactly the original ones.
     */
    @Test
    void shouldNeverReturnDamagedDataWhenBitsFlip() throws IOException
    {
        final Random random = new Random(0x5EED);
        int detected = 0;
        int truncated = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            final Path dir = temp.resolve("flip-" + trial);
            copyDir(original, dir);
            final int segmentIndex = random.nextInt(segments.size());
            final Path file = dir.resolve(segments.get(segmentIndex).file().getFileName());
            final long bytePosition = (long)(random.nextDouble() * Files.size(file));
            flip(file, bytePosition, random.nextInt(8));
            final List<LogTestSupport.Read> records = new java.util.ArrayList<>();
            try
            {
                final CommitLogReader.Result result = new CommitLogReader(dir).replay(0,
                    (txOffset, buffer, offset, length) ->
                    {
                        final byte[] bytes = new byte[length];
                        buffer.getBytes(offset, bytes);
                        records.add(new LogTestSupport.Read(txOffset, bytes));
                    }, true);
                assertEquals(segments.size() - 1, segmentIndex, "only the last segment has a torn tail zone; flip at " +
                    bytePosition + " of segment " + segmentIndex + " went unnoticed");
                assertTrue(result.truncatedBytes() > 0, "a flipped bit must be noticed");
                assertEquals(result.lastTxOffset() + 1, records.size());
                truncated++;
            }
            catch (final CommitLogException ex)
            {
                assertEquals(file.getFileName(), ex.file().getFileName(), ex.getMessage());
                assertTrue(ex.fileOffset() >= 0 && ex.fileOffset() <= bytePosition, ex.getMessage());
                assertTrue(ex.getMessage().contains(file.getFileName().toString()));
                detected++;
            }
            for (int i = 0; i < records.size(); i++)
            {
                assertEquals(i, records.get(i).txOffset());
                assertArrayEquals(payload(i, MAX_PAYLOAD), records.get(i).payload(), "tx " + i + " trial " + trial);
            }
        }
        assertTrue(detected > 300, "detected " + detected);
        assertTrue(truncated > 0, "truncated " + truncated);
    }

    /** Invariant: a missing segment between two others is an offset gap, reported with the file after it. */
    @Test
    void shouldDetectAMissingMiddleSegment() throws IOException
    {
        final Path dir = temp.resolve("missing");
        copyDir(original, dir);
        Files.delete(dir.resolve(segments.get(1).file().getFileName()));
        final CommitLogException ex = assertThrows(CommitLogException.class, () -> readAll(dir, 0));
        assertEquals(segments.get(2).file().getFileName(), ex.file().getFileName());
        assertTrue(ex.getMessage().contains("offset gap"), ex.getMessage());
        assertThrows(CommitLogException.class, () -> new CommitLogReader(dir).scan(true));
    }

    /** Invariant: records whose checksums are valid but whose offsets skip one are damage, even at the tail. */
    @Test
    void shouldDetectAnOffsetGapInsideASegment() throws IOException
    {
        final Path dir = temp.resolve("gap");
        Files.createDirectories(dir);
        final Path file = dir.resolve(LogFormat.segmentFileName(5));
        writeSegment(file, 5, new long[] { 5, 6, 8 });
        final CommitLogException ex = assertThrows(CommitLogException.class, () -> readAll(dir, 5));
        assertEquals(LogFormat.HEADER_LENGTH + 2L * (LogFormat.RECORD_HEADER_LENGTH + 3), ex.fileOffset());
        assertTrue(ex.getMessage().contains("offset gap"), ex.getMessage());
        assertThrows(CommitLogException.class, () -> CommitLog.open(context(dir)));

        final Path named = temp.resolve("misnamed");
        Files.createDirectories(named);
        writeSegment(named.resolve(LogFormat.segmentFileName(4)), 5, new long[] { 5 });
        final CommitLogException header = assertThrows(CommitLogException.class, () -> readAll(named, 4));
        assertEquals(LogFormat.FIRST_TX_OFFSET_OFFSET, header.fileOffset());
    }

    /** Invariant: a segment shorter than its header, or with a bad header, is refused (segments are created whole). */
    @Test
    void shouldRefuseAShortOrBadHeader() throws IOException
    {
        final Path dir = temp.resolve("header");
        copyDir(original, dir);
        final Path last = dir.resolve(segments.get(segments.size() - 1).file().getFileName());
        truncate(last, 20);
        final CommitLogException ex = assertThrows(CommitLogException.class, () -> CommitLog.open(context(dir)));
        assertEquals(last, ex.file());
        flip(dir.resolve(segments.get(0).file().getFileName()), 3, 1);
        final CommitLogException first = assertThrows(CommitLogException.class, () -> readAll(dir, 0));
        assertEquals(0, first.fileOffset());
    }

    private static void writeSegment(final Path file, final long first, final long[] txOffsets) throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(4096));
        LogFormat.writeHeader(buffer, 0, first);
        int at = LogFormat.HEADER_LENGTH;
        for (final long tx : txOffsets)
        {
            buffer.putInt(at, 3, LITTLE_ENDIAN);
            buffer.putLong(at + LogFormat.TX_OFFSET_OFFSET, tx, LITTLE_ENDIAN);
            buffer.putBytes(at + LogFormat.RECORD_HEADER_LENGTH, new byte[] { 1, 2, 3 });
            buffer.putInt(at + LogFormat.CRC_OFFSET, LogFormat.crc(buffer, at + LogFormat.TX_OFFSET_OFFSET, 11),
                LITTLE_ENDIAN);
            at += LogFormat.RECORD_HEADER_LENGTH + 3;
        }
        Files.write(file, Arrays.copyOf(buffer.byteArray(), at));
    }

    private static void truncate(final Path file, final long size) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }

    private static void zero(final Path file, final long from, final long to) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer zeros = ByteBuffer.allocate((int)(to - from));
            while (zeros.hasRemaining())
            {
                channel.write(zeros, from + zeros.position());
            }
        }
    }

    private static void flip(final Path file, final long position, final int bit) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            if (channel.read(one, position) != 1)
            {
                fail("no byte at " + position);
            }
            one.put(0, (byte)(one.get(0) ^ (1 << bit))).position(0);
            channel.write(one, position);
        }
    }
}
