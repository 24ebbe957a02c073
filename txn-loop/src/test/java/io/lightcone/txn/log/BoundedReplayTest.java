package io.lightcone.txn.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.lightcone.txn.log.LogTestSupport.appendOrWait;
import static io.lightcone.txn.log.LogTestSupport.awaitDurable;
import static io.lightcone.txn.log.LogTestSupport.context;
import static io.lightcone.txn.log.LogTestSupport.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Invariant of {@link CommitLogReader#replay(long, long, CommitRecordHandler)}: it hands over exactly the records of
 * [from, to] and reports the segment holding {@code to} and the byte just after it, so that the segments up to it,
 * the last one cut there, form a log that ends exactly at {@code to}; bytes after {@code to} (a record being written)
 * are never read.
 */
final class BoundedReplayTest
{
    private static final int RECORDS = 300;

    @TempDir
    Path temp;

    @Test
    void shouldReadExactlyTheRangeAndGiveTheEndOfItsLastRecord() throws IOException
    {
        final Path dir = temp.resolve("log");
        try (CommitLog log = CommitLog.open(context(dir).segmentSize(8 * 1024)))
        {
            for (long tx = 0; tx < RECORDS; tx++)
            {
                appendOrWait(log, tx, payload(tx, 200));
            }
            awaitDurable(log, RECORDS - 1);
        }
        final Random random = new Random(11);
        for (int round = 0; round < 20; round++)
        {
            final long to = random.nextInt(RECORDS);
            final long from = random.nextInt((int)to + 1);
            final List<Long> seen = new ArrayList<>();
            final CommitLogReader.Result result = new CommitLogReader(dir).replay(from, to,
                (txOffset, buffer, offset, length) ->
                {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    assertArrayEquals(payload(txOffset, 200), bytes);
                    seen.add(txOffset);
                });
            assertEquals(to - from + 1, seen.size());
            assertEquals(from, seen.get(0));
            assertEquals(to, seen.get(seen.size() - 1));
            assertEquals(to, result.lastTxOffset());

            final Path cut = temp.resolve("cut-" + round);
            Files.createDirectories(cut);
            for (final CommitLogReader.Segment segment : CommitLogReader.listSegments(dir))
            {
                if (segment.firstTxOffset() > result.lastSegment().firstTxOffset())
                {
                    break;
                }
                final Path copy = cut.resolve(segment.file().getFileName());
                Files.copy(segment.file(), copy);
                if (segment.firstTxOffset() == result.lastSegment().firstTxOffset())
                {
                    try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE))
                    {
                        channel.truncate(result.lastSegmentEnd());
                    }
                }
            }
            final CommitLogReader.Result scanned = new CommitLogReader(cut).scan(false);
            assertEquals(to, scanned.lastTxOffset());
            assertEquals(0, scanned.truncatedBytes());
        }
        final CommitLogException beyond = assertThrows(CommitLogException.class,
            () -> new CommitLogReader(dir).replay(0, RECORDS, null));
        assertEquals(true, beyond.getMessage().contains("ends at tx offset " + (RECORDS - 1)), beyond.getMessage());
    }
}
