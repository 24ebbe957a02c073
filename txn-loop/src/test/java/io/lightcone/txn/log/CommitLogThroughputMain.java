package io.lightcone.txn.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.locks.LockSupport;

/**
 * A quick group commit measurement (not a test): appends {@code records} records of {@code size} bytes as fast as
 * the ring takes them and prints records/s, records per fsync and fsync latency.
 * Arguments: directory, records (default 1000000), payload size (default 100), durable (default true).
 */
public final class CommitLogThroughputMain
{
    private CommitLogThroughputMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args directory, records, size, durable.
     * @throws Exception on an I/O error.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory(Paths.get(args[0]), "bench");
        final int records = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        final int size = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        final boolean durable = args.length <= 3 || Boolean.parseBoolean(args[3]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[size]);
        try (CommitLog log = CommitLog.open(new CommitLogContext().dir(dir).durable(durable)))
        {
            final long start = System.nanoTime();
            for (long tx = 0; tx < records; tx++)
            {
                payload.putLong(0, tx);
                while (!log.append(tx, payload, 0, size))
                {
                    LockSupport.parkNanos(10_000);
                }
            }
            while (log.durableTxOffset() < records - 1)
            {
                LockSupport.parkNanos(100_000);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("durable=%b records=%d size=%d: %.0f records/s, %d batches, %.1f records/batch " +
                "(min %d, max %d), fsyncs=%d avg %.1f us max %.1f us, back-pressured appends=%d%n",
                durable, records, size, records / seconds, log.batchCount(),
                (double)log.recordCount() / log.batchCount(), log.minRecordsPerBatch(), log.maxRecordsPerBatch(),
                log.fsyncCount(), log.fsyncCount() == 0 ? 0.0 : log.fsyncTotalNs() / 1e3 / log.fsyncCount(),
                log.fsyncMaxNs() / 1e3, log.backPressureCount());
        }
    }
}
