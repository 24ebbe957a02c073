package io.lightcone.wasm.host;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded buffer of a module's log records: the newest {@code capacity} are kept, older ones are dropped and
 * counted. Written by the thread running the module, read by anyone (the {@code logs} command), so the records
 * are read and written under a lock, uncontended in the common case; the count is volatile.
 */
public final class ModuleLog
{
    private final LogRecord[] ring;
    /** Volatile so {@link #writtenCount()}, asked after every call, needs no lock. */
    private volatile long written;

    /**
     * A log.
     *
     * @param capacity how many records to keep; at least 1.
     */
    public ModuleLog(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        ring = new LogRecord[capacity];
    }

    /**
     * Appends a record, dropping the oldest when full.
     *
     * @param record the record.
     */
    public synchronized void append(final LogRecord record)
    {
        ring[(int)(written % ring.length)] = record;
        written++;
    }

    /**
     * The kept records, oldest first.
     *
     * @return a copy.
     */
    public synchronized List<LogRecord> records()
    {
        final int size = (int)Math.min(written, ring.length);
        final List<LogRecord> out = new ArrayList<>(size);
        for (long i = written - size; i < written; i++)
        {
            out.add(ring[(int)(i % ring.length)]);
        }
        return out;
    }

    /**
     * Total records ever appended.
     *
     * @return the count.
     */
    public long writtenCount()
    {
        return written;
    }

    /**
     * Records dropped because the buffer was full.
     *
     * @return the count.
     */
    public synchronized long droppedCount()
    {
        return Math.max(0, written - ring.length);
    }
}
