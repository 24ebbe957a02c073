package io.lightcone.txn.loop;

import io.lightcone.txn.log.CommitSink;
import org.agrona.DirectBuffer;

/**
 * A commit sink with durability off: it keeps nothing and reports every accepted record as durable at once, so the
 * loop's {@code Durable} messages mean "accepted" rather than "fsynced". For benchmarks of the loop alone and for
 * embedded use before the commit log is wired in; never for data anyone wants back.
 */
public final class VolatileCommitSink implements CommitSink
{
    private long lastTxOffset = -1;
    private long records;

    /**
     * {@inheritDoc}
     */
    public boolean append(final long txOffset, final DirectBuffer buffer, final int offset, final int length)
    {
        lastTxOffset = txOffset;
        records++;
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public long durableTxOffset()
    {
        return lastTxOffset;
    }

    /**
     * @return records accepted.
     */
    public long records()
    {
        return records;
    }
}
