package io.lightcone.txn.log;

import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.concurrent.locks.LockSupport;

/**
 * Run in a child JVM by {@link CommitLogCrashTest}: opens the log in {@code args[0]} (recovering it), appends
 * records whose payload is {@link LogTestSupport#payload} of their offset as fast as it can, and prints
 * {@code durable <offset>} each time the durable offset advances, until it is killed.
 */
public final class CrashChild
{
    private CrashChild()
    {
    }

    /**
     * Entry point.
     *
     * @param args the log directory.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = System.out;
        final CommitLogContext ctx = new CommitLogContext().dir(Paths.get(args[0]))
            .segmentSize(256 * 1024).idleStrategy(new SleepingIdleStrategy(50_000));
        try (CommitLog log = CommitLog.open(ctx))
        {
            long tx = Math.max(0, log.nextTxOffset());
            long reported = log.durableTxOffset();
            out.println("open " + tx + " truncated " + log.truncatedBytesOnOpen());
            out.flush();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            while (!log.isFailed())
            {
                final byte[] payload = LogTestSupport.payload(tx, 200);
                buffer.wrap(payload);
                if (log.append(tx, buffer, 0, payload.length))
                {
                    tx++;
                }
                else
                {
                    LockSupport.parkNanos(50_000);
                }
                final long durable = log.durableTxOffset();
                if (durable > reported)
                {
                    reported = durable;
                    out.println("durable " + durable);
                    out.flush();
                }
            }
        }
    }
}
