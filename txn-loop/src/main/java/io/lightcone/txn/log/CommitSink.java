package io.lightcone.txn.log;

import org.agrona.DirectBuffer;

/**
 * Where the transaction loop appends each committed transaction's record, in tx offset order. Durability happens
 * behind it (group commit: many records per fsync); the loop learns how far the log is durable from
 * {@link #durableTxOffset()} and never waits for it.
 */
public interface CommitSink
{
    /**
     * Appends one record. Never blocks.
     *
     * @param txOffset the transaction's offset: one more than the previous record's.
     * @param buffer   holding the record's payload.
     * @param offset   of the payload.
     * @param length   of the payload.
     * @return true when accepted; false when the log is back-pressured and the caller must retry later (the
     * loop then slows its ingress; a commit is never dropped).
     */
    boolean append(long txOffset, DirectBuffer buffer, int offset, int length);

    /**
     * The longest record payload {@link #append} takes: the loop refuses (rolls back) a transaction whose record
     * would be longer, before it commits.
     *
     * @return bytes.
     */
    default int maxPayloadLength()
    {
        return Integer.MAX_VALUE;
    }

    /**
     * The highest tx offset whose record is durable on disk.
     *
     * @return the offset, or -1 when nothing is durable yet.
     */
    long durableTxOffset();

    /**
     * Retention: removes (deletes or archives, as the sink is configured) stored records that all have tx offsets
     * at or below {@code txOffset}, whole segments at a time. A sink that keeps nothing removes nothing.
     *
     * @param txOffset the highest tx offset no longer needed.
     * @return the number of segments removed.
     */
    default int truncateBefore(final long txOffset)
    {
        return 0;
    }
}
