package io.lightcone.bench.fanout;

/**
 * What one fan-out run does. {@code entities} rows of {@code position(id, zone, seq, sent_ns)} are seeded with
 * {@code zone = id % zones}; subscriber {@code i} subscribes to zone {@code i % zones}; a writer sends
 * {@code commitsPerSecond} commits per second, commit {@code seq} (from 1) rewriting the {@code rowsPerCommit}
 * consecutive rows starting at {@link #firstId(long)}, so every commit touches many zones.
 *
 * @param subscribers      subscriber connections.
 * @param zones            zones (channels).
 * @param entities         rows seeded; a multiple of {@code rowsPerCommit}.
 * @param rowsPerCommit    rows each commit rewrites.
 * @param commitsPerSecond the writer's fixed rate.
 * @param warmupSeconds    seconds excluded from the statistics.
 * @param seconds          seconds measured after the warm-up.
 * @param drainSeconds     longest wait, after the writer stops, for every expected row to arrive.
 * @param clientThreads    event-loop threads shared by all subscriber connections.
 */
public record FanoutWorkload(
    int subscribers,
    int zones,
    int entities,
    int rowsPerCommit,
    int commitsPerSecond,
    int warmupSeconds,
    int seconds,
    int drainSeconds,
    int clientThreads)
{
    /** Bytes of one row as BSATN (and of one row in a Redis message): u32 id, u32 zone, u64 seq, i64 sent_ns. */
    public static final int ROW_BYTES = 24;

    /**
     * Checks the parameters.
     */
    public FanoutWorkload
    {
        if (subscribers <= 0 || zones <= 0 || rowsPerCommit <= 0 || commitsPerSecond <= 0 || seconds <= 0 ||
            warmupSeconds < 0 || drainSeconds <= 0 || clientThreads <= 0)
        {
            throw new IllegalArgumentException("fan-out parameters must be positive: " + this);
        }
        if (entities < rowsPerCommit || entities % rowsPerCommit != 0)
        {
            throw new IllegalArgumentException("entities (" + entities + ") must be a positive multiple of " +
                "rows per commit (" + rowsPerCommit + ")");
        }
    }

    /**
     * @param subscriber subscriber index.
     * @return the zone it subscribes to.
     */
    public int zoneOf(final int subscriber)
    {
        return subscriber % zones;
    }

    /**
     * @param seq commit number, from 1.
     * @return the first id that commit rewrites.
     */
    public int firstId(final long seq)
    {
        return (int)(((seq - 1) * rowsPerCommit) % entities);
    }

    /**
     * @param seq  commit number.
     * @param zone a zone.
     * @return how many of the commit's rows are in that zone.
     */
    public int rowsInZone(final long seq, final int zone)
    {
        final int first = firstId(seq);
        final int offset = Math.floorMod(zone - first, zones);
        return rowsPerCommit / zones + (offset < rowsPerCommit % zones ? 1 : 0);
    }

    /**
     * @param subscribers another subscriber count.
     * @return this workload with that many subscribers.
     */
    public FanoutWorkload withSubscribers(final int subscribers)
    {
        return new FanoutWorkload(subscribers, zones, entities, rowsPerCommit, commitsPerSecond, warmupSeconds,
            seconds, drainSeconds, clientThreads);
    }
}
