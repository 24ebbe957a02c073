package io.lightcone.txn.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.lightcone.txn.log.LogTestSupport.appendOrWait;
import static io.lightcone.txn.log.LogTestSupport.awaitDurable;
import static io.lightcone.txn.log.LogTestSupport.context;
import static io.lightcone.txn.log.LogTestSupport.payload;
import static io.lightcone.txn.log.LogTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitLogTest
{
    @TempDir
    Path dir;

    /** Invariant: every appended record reads back identical and in order, across many segments and a reopen. */
    @Test
    void shouldReadBackEveryRecordAcrossSegmentsAndAfterReopen()
    {
        final int count = 5_000;
        try (CommitLog log = CommitLog.open(context(dir).segmentSize(64 * 1024)))
        {
            for (long tx = 0; tx < count; tx++)
            {
                appendOrWait(log, tx, payload(tx, 300));
            }
            awaitDurable(log, count - 1);
            assertTrue(log.segmentsCreated() >= 5, "segments: " + log.segmentsCreated());
        }
        assertTrue(CommitLogReader.listSegments(dir).size() >= 5);
        try (CommitLog log = CommitLog.open(context(dir).segmentSize(64 * 1024)))
        {
            assertEquals(count - 1, log.durableTxOffset());
            assertEquals(count, log.nextTxOffset());
            assertEquals(0, log.truncatedBytesOnOpen());
            for (long tx = count; tx < count + 500; tx++)
            {
                appendOrWait(log, tx, payload(tx, 300));
            }
            awaitDurable(log, count + 499);
        }
        final List<LogTestSupport.Read> records = readAll(dir, 0);
        assertEquals(count + 500, records.size());
        for (int i = 0; i < records.size(); i++)
        {
            assertEquals(i, records.get(i).txOffset());
            assertArrayEquals(payload(i, 300), records.get(i).payload(), "tx " + i);
        }
        final CommitLogReader.Result scan = new CommitLogReader(dir).scan(false);
        assertEquals(count + 499, scan.lastTxOffset());
        assertEquals(count + 500, scan.records());
        assertEquals(1_234, readAll(dir, count + 500 - 1_234).size());
    }

    /** Invariant: under load, one fsync covers many records (group commit), and only one fsync per batch. */
    @Test
    void shouldCommitManyRecordsPerFsync()
    {
        final int count = 20_000;
        try (CommitLog log = CommitLog.open(context(dir)))
        {
            final byte[] bytes = new byte[64];
            for (long tx = 0; tx < count; tx++)
            {
                appendOrWait(log, tx, bytes);
            }
            awaitDurable(log, count - 1);
            assertEquals(count, log.recordCount());
            assertEquals(log.batchCount(), log.fsyncCount());
            assertTrue(log.batchCount() < count / 2, "batches " + log.batchCount() + " for " + count + " records");
            assertTrue(log.maxRecordsPerBatch() > 1);
            long histogramTotal = 0;
            for (final long bucket : log.recordsPerBatchHistogram())
            {
                histogramTotal += bucket;
            }
            assertEquals(log.batchCount(), histogramTotal);
        }
    }

    /** Invariant: the durable offset never goes back and never passes what has been forced. */
    @Test
    void shouldPublishDurabilityMonotonicallyAndOnlyAfterFsync()
    {
        final AtomicLong forced = new AtomicLong(-1);
        final AtomicReference<String> violation = new AtomicReference<>();
        final AtomicReference<CommitLog> self = new AtomicReference<>();
        final CommitLogContext ctx = context(dir).forcedHook((txOffset) ->
        {
            final CommitLog log = self.get();
            if (null != log && log.durableTxOffset() >= txOffset)
            {
                violation.set("tx " + txOffset + " was published before its fsync returned");
            }
            forced.set(txOffset);
        });
        try (CommitLog log = CommitLog.open(ctx))
        {
            self.set(log);
            long lastSeen = -1;
            final byte[] bytes = new byte[100];
            for (long tx = 0; tx < 10_000; tx++)
            {
                appendOrWait(log, tx, bytes);
                final long durable = log.durableTxOffset();
                assertTrue(durable >= lastSeen, "durable went back from " + lastSeen + " to " + durable);
                assertTrue(durable <= forced.get(), "durable " + durable + " passed forced " + forced.get());
                lastSeen = durable;
            }
            awaitDurable(log, 9_999);
            assertEquals(9_999, forced.get());
        }
        assertEquals(null, violation.get());
    }

    /** Invariant: with fsync off the log still writes every record and reports it durable after the write. */
    @Test
    void shouldWriteWithoutFsyncWhenNotDurable()
    {
        try (CommitLog log = CommitLog.open(context(dir).durable(false).segmentSize(16 * 1024)))
        {
            for (long tx = 7; tx < 2_007; tx++)
            {
                appendOrWait(log, tx, payload(tx, 50));
            }
            awaitDurable(log, 2_006);
            assertEquals(0, log.fsyncCount());
        }
        assertEquals(2_000, readAll(dir, 7).size());
    }

    /** Invariant: appends must be contiguous; a payload larger than the ring allows is refused loudly. */
    @Test
    void shouldRefuseANonContiguousOffsetOrAnOversizedPayload()
    {
        try (CommitLog log = CommitLog.open(context(dir)))
        {
            appendOrWait(log, 10, new byte[1]);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
            assertThrows(IllegalArgumentException.class, () -> log.append(12, buffer, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> log.append(11, new UnsafeBuffer(
                new byte[log.maxPayloadLength() + 1]), 0, log.maxPayloadLength() + 1));
            appendOrWait(log, 11, new byte[2]);
            awaitDurable(log, 11);
        }
    }

    /** Invariant: retention removes only whole segments all of whose records are at or below the offset. */
    @Test
    void shouldRemoveOnlyWholeOldSegments()
    {
        try (CommitLog log = CommitLog.open(context(dir).segmentSize(4 * 1024)))
        {
            for (long tx = 0; tx < 1_000; tx++)
            {
                appendOrWait(log, tx, payload(tx, 40));
            }
            awaitDurable(log, 999);
            final List<CommitLogReader.Segment> before = CommitLogReader.listSegments(dir);
            assertTrue(before.size() > 4);
            final long keepFrom = before.get(3).firstTxOffset();
            assertEquals(0, log.truncateBefore(before.get(1).firstTxOffset() - 2), "segment 0 still holds a needed tx");
            assertEquals(3, log.truncateBefore(keepFrom - 1));
            assertEquals(before.subList(3, before.size()), CommitLogReader.listSegments(dir));
            assertEquals(0, log.truncateBefore(keepFrom + 1));
            assertEquals(before.size() - 4, log.truncateBefore(Long.MAX_VALUE), "all but the last");
        }
        final List<CommitLogReader.Segment> after = CommitLogReader.listSegments(dir);
        assertEquals(1, after.size());
        final List<LogTestSupport.Read> tail = readAll(dir, after.get(0).firstTxOffset());
        assertEquals(999, tail.get(tail.size() - 1).txOffset());
        final CommitLogException ex = assertThrows(CommitLogException.class, () -> readAll(dir, 0));
        assertTrue(ex.getMessage().contains("starts at tx offset"), ex.getMessage());
    }

    /** Invariant: archive retention moves the segments into archive/ instead of deleting them. */
    @Test
    void shouldArchiveOldSegments() throws IOException
    {
        try (CommitLog log = CommitLog.open(context(dir).segmentSize(4 * 1024).archiveOnRetention(true)))
        {
            for (long tx = 0; tx < 500; tx++)
            {
                appendOrWait(log, tx, payload(tx, 40));
            }
            awaitDurable(log, 499);
            final int segments = CommitLogReader.listSegments(dir).size();
            assertEquals(segments - 1, log.truncateBefore(499));
            final Path archive = dir.resolve(CommitLogConfiguration.ARCHIVE_DIR_NAME);
            assertEquals(segments - 1, CommitLogReader.listSegments(archive).size());
            assertEquals(0, new CommitLogReader(archive).scan(false).firstTxOffset());
            assertTrue(Files.isDirectory(archive));
        }
    }

    /** Invariant: an I/O error in the writer stops durability for good and makes append fail (fail closed). */
    @Test
    void shouldFailClosedWhenTheDiskFails()
    {
        final AtomicBoolean broken = new AtomicBoolean();
        final AtomicReference<Throwable> reported = new AtomicReference<>();
        final CommitLogContext ctx = context(dir)
            .fileChannelFactory((path, options) ->
                new FaultyFileChannel(java.nio.channels.FileChannel.open(path, options), broken::get))
            .errorHandler(reported::set);
        try (CommitLog log = CommitLog.open(ctx))
        {
            for (long tx = 0; tx < 100; tx++)
            {
                appendOrWait(log, tx, payload(tx, 100));
            }
            awaitDurable(log, 99);
            broken.set(true);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[10]);
            assertTrue(log.append(100, buffer, 0, 10), "accepted into the ring before the writer notices");
            final long deadline = System.nanoTime() + LogTestSupport.TIMEOUT_NS;
            while (!log.isFailed() && System.nanoTime() - deadline < 0)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertTrue(log.isFailed());
            assertInstanceOf(IOException.class, log.failure());
            assertNotNull(reported.get(), "the error handler heard of it");
            assertEquals(99, log.durableTxOffset(), "nothing after the failure is durable");
            assertFalse(log.append(101, buffer, 0, 10), "append fails closed");
            broken.set(false);
            assertFalse(log.append(101, buffer, 0, 10), "and stays failed");
            assertEquals(99, log.durableTxOffset());
        }
        try (CommitLog log = CommitLog.open(context(dir)))
        {
            assertTrue(log.nextTxOffset() == 100 || log.nextTxOffset() == 101, "reopen recovers");
            final long next = log.nextTxOffset();
            appendOrWait(log, next, new byte[3]);
            awaitDurable(log, next);
        }
    }
}
