package io.lightcone.txn.log;

import io.lightcone.wire.metrics.Histogram;
import io.lightcone.wire.metrics.MetricFamily;
import io.lightcone.wire.metrics.Metrics;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The commit log with group commit. The appending thread (the transaction loop) copies each record into a
 * single-producer ring and never blocks; a writer thread (an {@link Agent} on its own {@link AgentRunner}) drains a
 * batch of records, formats them ({@link LogFormat}), writes the batch with one write, forces it with one
 * {@code force(false)} (fdatasync: data and the file size), and only then publishes the batch's last tx offset as
 * {@link #durableTxOffset()}. A new segment is created under a temporary name, forced, renamed, and its directory
 * forced before any record in it is reported durable.
 * <p>
 * Fail closed: an I/O error in the writer is passed to the error handler, stops the writer and durability for good,
 * and makes {@link #append} return false; {@link #isFailed()} and {@link #failure()} say why. The log must then be
 * closed and reopened (which runs recovery).
 * <p>
 * With {@code durable(false)} (benchmarks only) records are written but never forced, and a batch is reported
 * durable as soon as its write returned: it survives a crash of the process, not of the machine.
 * <p>
 * Opening runs recovery on the last segment (a torn tail is truncated, other damage throws
 * {@link CommitLogException}), forces what is already on disk, and continues after the last valid record.
 * Threads: {@link #append} from one thread at a time; the getters and {@link #truncateBefore} from any thread.
 */
public final class CommitLog implements CommitSink, AutoCloseable
{
    private static final int RECORD_MSG_TYPE = 1;
    private static final int HISTOGRAM_BUCKETS = 32;

    private final CommitLogContext ctx;
    private final OneToOneRingBuffer ring;
    private final int maxPayloadLength;
    private final AtomicLong durableTxOffset;
    private final WriterAgent writer;
    private final Histogram fsyncDuration;
    private final Histogram batchRecordsHistogram;
    private final AtomicCounter queueBytes;
    private final AgentRunner runner;
    private final long truncatedBytesOnOpen;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile long backPressureCount;
    private long nextTxOffset;

    private CommitLog(final CommitLogContext ctx)
    {
        this.ctx = ctx;
        final Path dir = ctx.dir();
        try
        {
            Files.createDirectories(dir);
            deleteTemporaryFiles(dir);
        }
        catch (final IOException ex)
        {
            throw new CommitLogException(dir, -1, "cannot prepare the directory: " + ex.getMessage(), ex);
        }
        final CommitLogReader.Result recovered = new CommitLogReader(dir).scanLastSegment(true);
        truncatedBytesOnOpen = recovered.truncatedBytes();
        durableTxOffset = new AtomicLong(recovered.lastTxOffset());
        nextTxOffset = null == recovered.lastSegment() ? -1 : recovered.lastTxOffset() + 1;

        ring = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(ctx.ringBufferLength(), 64)));
        maxPayloadLength = ring.maxMsgLength() - 8;
        Histogram fsyncs = null;
        Histogram batches = null;
        AtomicCounter queue = null;
        if (null != ctx.metrics())
        {
            try
            {
                fsyncs = ctx.metrics().latencyHistogram(MetricFamily.COMMITLOG_FSYNC_DURATION, "");
                batches = ctx.metrics().histogram(
                    MetricFamily.COMMITLOG_BATCH_RECORDS, "", Metrics.BATCH_BOUNDS, false);
                queue = ctx.metrics().counter(MetricFamily.COMMITLOG_QUEUE_BYTES, "");
            }
            catch (final IllegalStateException ex)
            {
                CloseHelper.closeAll(fsyncs, batches);
                fsyncs = null;
                batches = null;
                if (null != ctx.errorHandler())
                {
                    ctx.errorHandler().onError(new IllegalStateException("no commit log metrics: " + ex.getMessage()));
                }
            }
        }
        fsyncDuration = fsyncs;
        batchRecordsHistogram = batches;
        queueBytes = queue;
        writer = new WriterAgent(recovered);
        runner = new AgentRunner(ctx.idleStrategy(), ctx.errorHandler(), null, writer);
        AgentRunner.startOnThread(runner);
    }

    /**
     * Opens (creating if needed) the log in the context's directory, recovers its tail and starts the writer.
     *
     * @param ctx the settings; concluded here if not yet.
     * @return the open log.
     * @throws CommitLogException when the last segment is damaged other than by a torn tail, or on an I/O error.
     */
    public static CommitLog open(final CommitLogContext ctx)
    {
        if (!ctx.isConcluded())
        {
            ctx.conclude();
        }
        return new CommitLog(ctx);
    }

    /**
     * {@inheritDoc}
     * <p>
     * The first record appended to an empty log may have any tx offset; every later one must be the previous plus
     * one. Returns false when the ring is full (back pressure), after a writer failure, or once closed.
     *
     * @throws IllegalArgumentException when the tx offset is not the next one, or the payload is longer than
     *                                  {@link #maxPayloadLength()}.
     */
    public boolean append(final long txOffset, final DirectBuffer buffer, final int offset, final int length)
    {
        if (null != failure || closed)
        {
            return false;
        }
        if (nextTxOffset >= 0 && txOffset != nextTxOffset)
        {
            throw new IllegalArgumentException("tx offset " + txOffset + " appended, " + nextTxOffset + " expected");
        }
        if (txOffset < 0)
        {
            throw new IllegalArgumentException("negative tx offset " + txOffset);
        }
        if (length > maxPayloadLength || length < 0)
        {
            throw new IllegalArgumentException("payload of " + length + " bytes; at most " + maxPayloadLength);
        }
        final int index = ring.tryClaim(RECORD_MSG_TYPE, length + 8);
        if (index < 0)
        {
            backPressureCount++;
            return false;
        }
        final MutableDirectBuffer ringBuffer = ring.buffer();
        ringBuffer.putLong(index, txOffset, LITTLE_ENDIAN);
        ringBuffer.putBytes(index + 8, buffer, offset, length);
        ring.commit(index);
        nextTxOffset = txOffset + 1;
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public long durableTxOffset()
    {
        return durableTxOffset.get();
    }

    /**
     * The tx offset the next append must have.
     *
     * @return the offset, or -1 when the log is empty and any offset may come first.
     */
    public long nextTxOffset()
    {
        return nextTxOffset;
    }

    /**
     * {@inheritDoc}
     * <p>
     * An eighth of the ring ({@link CommitLogConfiguration#RING_CAPACITY_PROP_NAME}), less 8 bytes.
     */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * Whether the writer failed; the log then accepts nothing more.
     *
     * @return true after a failure.
     */
    public boolean isFailed()
    {
        return null != failure;
    }

    /**
     * What made the writer fail.
     *
     * @return the exception, or null.
     */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * Bytes of torn tail that recovery cut when this log was opened.
     *
     * @return bytes.
     */
    public long truncatedBytesOnOpen()
    {
        return truncatedBytesOnOpen;
    }

    /**
     * Times {@link #append} returned false because the ring was full.
     *
     * @return the count.
     */
    public long backPressureCount()
    {
        return backPressureCount;
    }

    /**
     * Batches written.
     *
     * @return the count.
     */
    public long batchCount()
    {
        return writer.batches;
    }

    /**
     * Records written.
     *
     * @return the count.
     */
    public long recordCount()
    {
        return writer.records;
    }

    /**
     * Bytes written to segments (records only, not headers).
     *
     * @return the count.
     */
    public long bytesWritten()
    {
        return writer.bytes;
    }

    /**
     * Fewest records in a batch.
     *
     * @return the count, or 0 before the first batch.
     */
    public long minRecordsPerBatch()
    {
        return writer.minRecordsPerBatch == Long.MAX_VALUE ? 0 : writer.minRecordsPerBatch;
    }

    /**
     * Most records in a batch.
     *
     * @return the count.
     */
    public long maxRecordsPerBatch()
    {
        return writer.maxRecordsPerBatch;
    }

    /**
     * Batches by size: bucket {@code i} counts batches of {@code [2^i, 2^(i+1))} records.
     *
     * @return a copy of the histogram.
     */
    public long[] recordsPerBatchHistogram()
    {
        final long[] copy = new long[HISTOGRAM_BUCKETS];
        for (int i = 0; i < HISTOGRAM_BUCKETS; i++)
        {
            copy[i] = writer.histogram.get(i);
        }
        return copy;
    }

    /**
     * fsyncs (data forces) done.
     *
     * @return the count.
     */
    public long fsyncCount()
    {
        return writer.fsyncs;
    }

    /**
     * Total time spent in data fsyncs.
     *
     * @return nanoseconds.
     */
    public long fsyncTotalNs()
    {
        return writer.fsyncTotalNs;
    }

    /**
     * Longest data fsync.
     *
     * @return nanoseconds.
     */
    public long fsyncMaxNs()
    {
        return writer.fsyncMaxNs;
    }

    /**
     * Segments created by this log.
     *
     * @return the count.
     */
    public long segmentsCreated()
    {
        return writer.segmentsCreated;
    }

    /**
     * Retention: removes every whole segment whose records all have tx offsets at or below {@code txOffset}
     * (normally the oldest kept snapshot's offset), deleting it or moving it to {@code archive/} as configured. The
     * last segment is never removed. Safe to call from any thread while appending.
     *
     * @param txOffset the highest tx offset that is no longer needed.
     * @return the number of segments removed.
     * @throws CommitLogException on an I/O error (some segments may already be removed, always oldest first).
     */
    public int truncateBefore(final long txOffset)
    {
        final Path dir = ctx.dir();
        final List<CommitLogReader.Segment> segments = CommitLogReader.listSegments(dir);
        int removed = 0;
        final Path archive = dir.resolve(CommitLogConfiguration.ARCHIVE_DIR_NAME);
        for (int i = 0; i + 1 < segments.size(); i++)
        {
            if (segments.get(i + 1).firstTxOffset() - 1 > txOffset)
            {
                break;
            }
            final Path file = segments.get(i).file();
            try
            {
                if (ctx.archiveOnRetention())
                {
                    Files.createDirectories(archive);
                    Files.move(file, archive.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
                else
                {
                    Files.delete(file);
                }
            }
            catch (final IOException ex)
            {
                throw new CommitLogException(file, -1, "retention failed: " + ex.getMessage(), ex);
            }
            removed++;
        }
        if (removed > 0)
        {
            try
            {
                forceDirectory(ctx.fileChannelFactory(), dir);
                if (ctx.archiveOnRetention())
                {
                    forceDirectory(ctx.fileChannelFactory(), archive);
                }
            }
            catch (final IOException ex)
            {
                throw new CommitLogException(dir, -1, "cannot force the directory: " + ex.getMessage(), ex);
            }
        }
        return removed;
    }

    /**
     * Stops accepting records, writes and forces those already accepted (unless the writer failed), and closes.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            CloseHelper.closeAll(runner, fsyncDuration, batchRecordsHistogram, queueBytes);
        }
    }

    private static void deleteTemporaryFiles(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(LogFormat.SEGMENT_SUFFIX + LogFormat.TEMP_SUFFIX))
                {
                    Files.delete(file);
                }
            }
        }
    }

    static void forceDirectory(final FileChannelFactory factory, final Path dir) throws IOException
    {
        try (FileChannel channel = factory.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private void fail(final Throwable ex)
    {
        if (null == failure)
        {
            failure = ex;
            ctx.errorHandler().onError(ex);
        }
    }

    /**
     * The writer: owns the current segment's channel; everything here runs on the writer thread.
     */
    private final class WriterAgent implements Agent, ControlledMessageHandler
    {
        private final ByteBuffer batch;
        private final ByteBuffer crcView;
        private final UnsafeBuffer batchBuffer;
        private final CRC32C crc = new CRC32C();
        private final AtomicLongArray histogram = new AtomicLongArray(HISTOGRAM_BUCKETS);
        private long lastQueueBytes;
        private final LongConsumer forcedHook = ctx.forcedHook();
        private FileChannel channel;
        private long segmentPosition;
        private int batchBytes;
        private int batchRecords;
        private long batchLastTxOffset;
        private long rotateTo = -1;

        private volatile long batches;
        private volatile long records;
        private volatile long bytes;
        private volatile long fsyncs;
        private volatile long fsyncTotalNs;
        private volatile long fsyncMaxNs;
        private volatile long minRecordsPerBatch = Long.MAX_VALUE;
        private volatile long maxRecordsPerBatch;
        private volatile long segmentsCreated;

        WriterAgent(final CommitLogReader.Result recovered)
        {
            batch = BufferUtil.allocateDirectAligned(
                BitUtil.align(ctx.maxBatchBytes() + LogFormat.RECORD_HEADER_LENGTH + ring.maxMsgLength(), 4096),
                4096).order(LITTLE_ENDIAN);
            crcView = batch.duplicate();
            batchBuffer = new UnsafeBuffer(batch);
            if (null != recovered.lastSegment())
            {
                final Path file = recovered.lastSegment().file();
                try
                {
                    channel = ctx.fileChannelFactory().open(file, StandardOpenOption.WRITE);
                    segmentPosition = recovered.lastSegmentEnd();
                    channel.position(segmentPosition);
                    channel.force(true);
                    forceDirectory(ctx.fileChannelFactory(), ctx.dir());
                }
                catch (final IOException ex)
                {
                    CloseHelper.quietClose(channel);
                    throw new CommitLogException(file, -1, "cannot open for append: " + ex.getMessage(), ex);
                }
            }
        }

        public String roleName()
        {
            return "commit-log-writer";
        }

        public int doWork()
        {
            if (null != failure)
            {
                return 0;
            }
            try
            {
                int workCount = 0;
                for (int attempt = 0; attempt < 2; attempt++)
                {
                    batchBytes = 0;
                    batchRecords = 0;
                    ring.controlledRead(this, ctx.maxBatchRecords());
                    updateQueueBytes();
                    if (batchRecords > 0)
                    {
                        writeBatch();
                        return workCount + batchRecords;
                    }
                    if (rotateTo < 0)
                    {
                        break;
                    }
                    startSegment(rotateTo);
                    rotateTo = -1;
                    workCount++;
                }
                return workCount;
            }
            catch (final IOException | RuntimeException ex)
            {
                fail(ex);
                return 0;
            }
        }

        /**
         * The queue depth gauge: bytes still in the ring behind the batch just taken (written only when it changed).
         */
        private void updateQueueBytes()
        {
            if (null != queueBytes)
            {
                final long waiting = ring.size();
                if (waiting != lastQueueBytes)
                {
                    lastQueueBytes = waiting;
                    queueBytes.setOrdered(waiting);
                }
            }
        }

        public void onClose()
        {
            for (int i = 0; i < 1_000 && null == failure && ring.size() > 0; i++)
            {
                doWork();
            }
            CloseHelper.quietClose(channel);
        }

        public Action onMessage(
            final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            final int payloadLength = length - 8;
            final int recordLength = LogFormat.RECORD_HEADER_LENGTH + payloadLength;
            final long txOffset = buffer.getLong(index, LITTLE_ENDIAN);
            final long inSegment = segmentPosition + batchBytes;
            if (null == channel ||
                (inSegment > LogFormat.HEADER_LENGTH && inSegment + recordLength > ctx.segmentSize()))
            {
                if (0 == batchRecords)
                {
                    rotateTo = txOffset;
                }
                return Action.ABORT;
            }
            if (batchRecords > 0 && batchBytes + recordLength > ctx.maxBatchBytes())
            {
                return Action.ABORT;
            }
            final int at = batchBytes;
            batchBuffer.putInt(at + LogFormat.LENGTH_OFFSET, payloadLength, LITTLE_ENDIAN);
            batchBuffer.putLong(at + LogFormat.TX_OFFSET_OFFSET, txOffset, LITTLE_ENDIAN);
            batchBuffer.putBytes(at + LogFormat.RECORD_HEADER_LENGTH, buffer, index + 8, payloadLength);
            crc.reset();
            crcView.limit(at + recordLength).position(at + LogFormat.TX_OFFSET_OFFSET);
            crc.update(crcView);
            batchBuffer.putInt(at + LogFormat.CRC_OFFSET, (int)crc.getValue(), LITTLE_ENDIAN);
            batchBytes += recordLength;
            batchRecords++;
            batchLastTxOffset = txOffset;
            return Action.CONTINUE;
        }

        private void writeBatch() throws IOException
        {
            batch.limit(batchBytes).position(0);
            while (batch.hasRemaining())
            {
                channel.write(batch);
            }
            batch.clear();
            segmentPosition += batchBytes;
            if (ctx.durable())
            {
                final long startNs = System.nanoTime();
                channel.force(false);
                final long elapsedNs = System.nanoTime() - startNs;
                fsyncs++;
                fsyncTotalNs += elapsedNs;
                if (elapsedNs > fsyncMaxNs)
                {
                    fsyncMaxNs = elapsedNs;
                }
                if (null != fsyncDuration)
                {
                    fsyncDuration.record(elapsedNs / 1000);
                }
                if (null != forcedHook)
                {
                    forcedHook.accept(batchLastTxOffset);
                }
            }
            batches++;
            records += batchRecords;
            if (null != batchRecordsHistogram)
            {
                batchRecordsHistogram.record(batchRecords);
            }
            bytes += batchBytes;
            if (batchRecords < minRecordsPerBatch)
            {
                minRecordsPerBatch = batchRecords;
            }
            if (batchRecords > maxRecordsPerBatch)
            {
                maxRecordsPerBatch = batchRecords;
            }
            final int bucket = 31 - Integer.numberOfLeadingZeros(batchRecords);
            histogram.lazySet(bucket, histogram.get(bucket) + 1);
            // published last: whoever sees this offset durable also sees the batch counted in the statistics
            durableTxOffset.setRelease(batchLastTxOffset);
        }

        private void startSegment(final long firstTxOffset) throws IOException
        {
            final Path dir = ctx.dir();
            final FileChannelFactory factory = ctx.fileChannelFactory();
            if (null != channel)
            {
                channel.close();
                channel = null;
            }
            final String name = LogFormat.segmentFileName(firstTxOffset);
            final Path file = dir.resolve(name);
            final Path tmp = dir.resolve(name + LogFormat.TEMP_SUFFIX);
            LogFormat.writeHeader(batchBuffer, 0, firstTxOffset);
            batch.limit(LogFormat.HEADER_LENGTH).position(0);
            try (FileChannel tmpChannel = factory.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                while (batch.hasRemaining())
                {
                    tmpChannel.write(batch);
                }
                if (ctx.durable())
                {
                    tmpChannel.force(true);
                }
            }
            finally
            {
                batch.clear();
            }
            try
            {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, file);
            }
            if (ctx.durable())
            {
                forceDirectory(factory, dir);
            }
            channel = factory.open(file, StandardOpenOption.WRITE);
            segmentPosition = LogFormat.HEADER_LENGTH;
            channel.position(segmentPosition);
            segmentsCreated++;
        }
    }

    /**
     * The ring, for tests.
     *
     * @return the ring.
     */
    RingBuffer ring()
    {
        return ring;
    }
}
