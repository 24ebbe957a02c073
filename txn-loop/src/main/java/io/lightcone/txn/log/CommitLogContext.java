package io.lightcone.txn.log;

import io.lightcone.wire.metrics.Metrics;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.LongConsumer;

/**
 * Settings of a {@link CommitLog}: fluent same-name accessors, initial values from {@link CommitLogConfiguration},
 * one validating {@link #conclude()}.
 */
public final class CommitLogContext
{
    private Path dir;
    private long segmentSize = CommitLogConfiguration.segmentSize();
    private int ringCapacity = CommitLogConfiguration.ringCapacity();
    private int maxBatchBytes = CommitLogConfiguration.maxBatchBytes();
    private int maxBatchRecords = CommitLogConfiguration.maxBatchRecords();
    private boolean durable = CommitLogConfiguration.durable();
    private boolean archiveOnRetention = CommitLogConfiguration.archiveOnRetention();
    private IdleStrategy idleStrategy;
    private ErrorHandler errorHandler;
    private Metrics metrics;
    private FileChannelFactory fileChannelFactory = FileChannelFactory.DEFAULT;
    private LongConsumer forcedHook;
    private boolean concluded;

    /**
     * Creates a context with the configured values.
     */
    public CommitLogContext()
    {
        final String configuredDir = CommitLogConfiguration.dir();
        dir = null == configuredDir ? null : Paths.get(configuredDir);
    }

    /**
     * Validates the settings and fills in defaults. Call once, before {@link CommitLog#open(CommitLogContext)}.
     *
     * @return this.
     */
    public CommitLogContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("already concluded");
        }
        if (null == dir)
        {
            throw new IllegalStateException("the commit log directory is not set (" +
                CommitLogConfiguration.DIR_PROP_NAME + ")");
        }
        if (segmentSize < LogFormat.HEADER_LENGTH + LogFormat.RECORD_HEADER_LENGTH ||
            segmentSize > CommitLogConfiguration.SEGMENT_SIZE_MAX)
        {
            throw new IllegalStateException("segmentSize must be in [48, " + CommitLogConfiguration.SEGMENT_SIZE_MAX +
                "]: " + segmentSize);
        }
        if (!BitUtil.isPowerOfTwo(ringCapacity) || ringCapacity < 1024)
        {
            throw new IllegalStateException("ringCapacity must be a power of two >= 1024: " + ringCapacity);
        }
        if (maxBatchBytes < 1 || maxBatchRecords < 1)
        {
            throw new IllegalStateException("maxBatchBytes and maxBatchRecords must be >= 1: " + maxBatchBytes +
                ", " + maxBatchRecords);
        }
        if (null == idleStrategy)
        {
            idleStrategy = CommitLogConfiguration.idleStrategy(CommitLogConfiguration.idleStrategyName());
        }
        if (null == errorHandler)
        {
            errorHandler = (throwable) -> throwable.printStackTrace(System.err);
        }
        concluded = true;
        return this;
    }

    /**
     * Whether {@link #conclude()} ran.
     *
     * @return true once concluded.
     */
    public boolean isConcluded()
    {
        return concluded;
    }

    /**
     * The segment directory.
     *
     * @return the path.
     */
    public Path dir()
    {
        return dir;
    }

    /**
     * Sets the segment directory (created if missing).
     *
     * @param dir the path.
     * @return this.
     */
    public CommitLogContext dir(final Path dir)
    {
        this.dir = dir;
        return this;
    }

    /**
     * The segment size limit.
     *
     * @return bytes.
     */
    public long segmentSize()
    {
        return segmentSize;
    }

    /**
     * Sets the segment size limit.
     *
     * @param segmentSize bytes.
     * @return this.
     */
    public CommitLogContext segmentSize(final long segmentSize)
    {
        this.segmentSize = segmentSize;
        return this;
    }

    /**
     * The ring capacity.
     *
     * @return bytes, a power of two.
     */
    public int ringCapacity()
    {
        return ringCapacity;
    }

    /**
     * Sets the ring capacity.
     *
     * @param ringCapacity bytes, a power of two.
     * @return this.
     */
    public CommitLogContext ringCapacity(final int ringCapacity)
    {
        this.ringCapacity = ringCapacity;
        return this;
    }

    /**
     * Length of the ring's backing buffer: the capacity plus Agrona's trailer.
     *
     * @return bytes.
     */
    public int ringBufferLength()
    {
        return ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * The max bytes per batch.
     *
     * @return bytes.
     */
    public int maxBatchBytes()
    {
        return maxBatchBytes;
    }

    /**
     * Sets the max bytes per batch.
     *
     * @param maxBatchBytes bytes.
     * @return this.
     */
    public CommitLogContext maxBatchBytes(final int maxBatchBytes)
    {
        this.maxBatchBytes = maxBatchBytes;
        return this;
    }

    /**
     * The max records per batch.
     *
     * @return records.
     */
    public int maxBatchRecords()
    {
        return maxBatchRecords;
    }

    /**
     * Sets the max records per batch.
     *
     * @param maxBatchRecords records.
     * @return this.
     */
    public CommitLogContext maxBatchRecords(final int maxBatchRecords)
    {
        this.maxBatchRecords = maxBatchRecords;
        return this;
    }

    /**
     * Whether the writer fsyncs; see {@link CommitLogConfiguration#DURABLE_PROP_NAME}.
     *
     * @return true when durable.
     */
    public boolean durable()
    {
        return durable;
    }

    /**
     * Turns fsync on or off (off only for benchmarks).
     *
     * @param durable whether to fsync.
     * @return this.
     */
    public CommitLogContext durable(final boolean durable)
    {
        this.durable = durable;
        return this;
    }

    /**
     * Whether retention moves old segments to {@code archive/} instead of deleting them.
     *
     * @return true to archive.
     */
    public boolean archiveOnRetention()
    {
        return archiveOnRetention;
    }

    /**
     * Sets what retention does with old segments.
     *
     * @param archiveOnRetention true to archive, false to delete.
     * @return this.
     */
    public CommitLogContext archiveOnRetention(final boolean archiveOnRetention)
    {
        this.archiveOnRetention = archiveOnRetention;
        return this;
    }

    /**
     * The writer thread's idle strategy.
     *
     * @return the strategy.
     */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * Sets the writer thread's idle strategy.
     *
     * @param idleStrategy the strategy.
     * @return this.
     */
    public CommitLogContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * Where the log allocates its fsync-duration and batch-size histograms when it opens; null for none.
     *
     * @return the metrics, or null.
     */
    public Metrics metrics()
    {
        return metrics;
    }

    /**
     * @param metrics where the log allocates its histograms; null for none.
     * @return this.
     */
    public CommitLogContext metrics(final Metrics metrics)
    {
        this.metrics = metrics;
        return this;
    }

    /**
     * Where the writer reports the exception that stopped it.
     *
     * @return the handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * Sets the error handler.
     *
     * @param errorHandler the handler.
     * @return this.
     */
    public CommitLogContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * How segment and directory channels are opened.
     *
     * @return the factory.
     */
    public FileChannelFactory fileChannelFactory()
    {
        return fileChannelFactory;
    }

    /**
     * Sets how segment and directory channels are opened (tests inject failures here).
     *
     * @param fileChannelFactory the factory.
     * @return this.
     */
    public CommitLogContext fileChannelFactory(final FileChannelFactory fileChannelFactory)
    {
        this.fileChannelFactory = fileChannelFactory;
        return this;
    }

    /**
     * Test hook called on the writer thread after a batch was forced and before its last tx offset is published.
     *
     * @return the hook, or null.
     */
    public LongConsumer forcedHook()
    {
        return forcedHook;
    }

    /**
     * Sets the hook called with a batch's last tx offset after its fsync, before the offset is published durable.
     *
     * @param forcedHook the hook, or null.
     * @return this.
     */
    public CommitLogContext forcedHook(final LongConsumer forcedHook)
    {
        this.forcedHook = forcedHook;
        return this;
    }
}
