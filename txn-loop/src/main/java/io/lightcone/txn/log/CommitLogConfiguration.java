package io.lightcone.txn.log;

import org.agrona.SystemUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Property names and defaults of the commit log, overridable with {@code -D} or a properties file
 * ({@link SystemUtil#loadPropertiesFiles(String...)}). {@link CommitLogContext} reads them as its initial values.
 */
public final class CommitLogConfiguration
{
    /** Directory of the segment files; no default, it must be given. */
    public static final String DIR_PROP_NAME = "lightcone.commitlog.dir";

    /** Size at which a segment is closed and a new one started (a single larger record still fits alone). */
    public static final String SEGMENT_SIZE_PROP_NAME = "lightcone.commitlog.segment.size";
    /** Default segment size: 256 MiB. */
    public static final long SEGMENT_SIZE_DEFAULT = 256L * 1024 * 1024;
    /** Largest allowed segment size: 1 GiB (segments are mapped whole when read). */
    public static final long SEGMENT_SIZE_MAX = 1L << 30;

    /** Capacity of the ring between the appending thread and the writer; a power of two. */
    public static final String RING_CAPACITY_PROP_NAME = "lightcone.commitlog.ring.capacity";
    /** Default ring capacity: 16 MiB, so a record payload may be up to 2 MiB - 8 bytes. */
    public static final int RING_CAPACITY_DEFAULT = 16 * 1024 * 1024;

    /** Most bytes the writer puts into one batch (one write, one fsync); the first record always fits. */
    public static final String MAX_BATCH_BYTES_PROP_NAME = "lightcone.commitlog.max.batch.bytes";
    /** Default max batch bytes: 4 MiB. */
    public static final int MAX_BATCH_BYTES_DEFAULT = 4 * 1024 * 1024;

    /** Most records in one batch. */
    public static final String MAX_BATCH_RECORDS_PROP_NAME = "lightcone.commitlog.max.batch.records";
    /** Default max batch records. */
    public static final int MAX_BATCH_RECORDS_DEFAULT = 65_536;

    /**
     * Whether the writer fsyncs. {@code false} is for benchmarks only: records are still written, but never forced,
     * and a record is reported durable as soon as its write returned (it survives a process crash, not an OS crash).
     */
    public static final String DURABLE_PROP_NAME = "lightcone.commitlog.durable";
    /** Default: durable. */
    public static final boolean DURABLE_DEFAULT = true;

    /** Writer thread idle strategy: {@code backoff} (default), {@code sleep}, {@code yield} or {@code spin}. */
    public static final String IDLE_STRATEGY_PROP_NAME = "lightcone.commitlog.idle.strategy";
    /** Default idle strategy. */
    public static final String IDLE_STRATEGY_DEFAULT = "backoff";

    /** What retention does with old segments: {@code delete} (default) or {@code archive} (into {@code archive/}). */
    public static final String RETENTION_PROP_NAME = "lightcone.commitlog.retention";
    /** Default retention. */
    public static final String RETENTION_DEFAULT = "delete";

    /** Name of the sub directory archived segments are moved into. */
    public static final String ARCHIVE_DIR_NAME = "archive";

    private CommitLogConfiguration()
    {
    }

    /**
     * The configured directory.
     *
     * @return the path string, or null.
     */
    public static String dir()
    {
        return SystemUtil.getProperty(DIR_PROP_NAME);
    }

    /**
     * The configured segment size.
     *
     * @return bytes.
     */
    public static long segmentSize()
    {
        return SystemUtil.getSizeAsLong(SEGMENT_SIZE_PROP_NAME, SEGMENT_SIZE_DEFAULT);
    }

    /**
     * The configured ring capacity.
     *
     * @return bytes.
     */
    public static int ringCapacity()
    {
        return SystemUtil.getSizeAsInt(RING_CAPACITY_PROP_NAME, RING_CAPACITY_DEFAULT);
    }

    /**
     * The configured max batch bytes.
     *
     * @return bytes.
     */
    public static int maxBatchBytes()
    {
        return SystemUtil.getSizeAsInt(MAX_BATCH_BYTES_PROP_NAME, MAX_BATCH_BYTES_DEFAULT);
    }

    /**
     * The configured max batch records.
     *
     * @return records.
     */
    public static int maxBatchRecords()
    {
        return SystemUtil.getSizeAsInt(MAX_BATCH_RECORDS_PROP_NAME, MAX_BATCH_RECORDS_DEFAULT);
    }

    /**
     * Whether fsync is on.
     *
     * @return true unless configured off.
     */
    public static boolean durable()
    {
        return Boolean.parseBoolean(SystemUtil.getProperty(DURABLE_PROP_NAME, Boolean.toString(DURABLE_DEFAULT)));
    }

    /**
     * The configured idle strategy name.
     *
     * @return the name.
     */
    public static String idleStrategyName()
    {
        return SystemUtil.getProperty(IDLE_STRATEGY_PROP_NAME, IDLE_STRATEGY_DEFAULT);
    }

    /**
     * Whether retention archives instead of deleting.
     *
     * @return true for {@code archive}.
     */
    public static boolean archiveOnRetention()
    {
        final String value = SystemUtil.getProperty(RETENTION_PROP_NAME, RETENTION_DEFAULT);
        if (!"archive".equals(value) && !"delete".equals(value))
        {
            throw new IllegalArgumentException(RETENTION_PROP_NAME + " must be delete or archive: " + value);
        }
        return "archive".equals(value);
    }

    /**
     * Makes an idle strategy from its name.
     *
     * @param name {@code backoff}, {@code sleep}, {@code yield} or {@code spin}.
     * @return a new idle strategy.
     */
    public static IdleStrategy idleStrategy(final String name)
    {
        switch (name)
        {
            case "backoff":
                return new BackoffIdleStrategy(10, 20, 1_000, 100_000);
            case "sleep":
                return new SleepingIdleStrategy(100_000);
            case "yield":
                return new YieldingIdleStrategy();
            case "spin":
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException("unknown idle strategy " + name +
                    ": expected backoff, sleep, yield or spin");
        }
    }
}
