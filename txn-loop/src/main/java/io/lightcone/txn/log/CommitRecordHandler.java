package io.lightcone.txn.log;

import org.agrona.DirectBuffer;

/**
 * Receives the records of a commit log in tx offset order, as during recovery.
 */
@FunctionalInterface
public interface CommitRecordHandler
{
    /**
     * One record.
     *
     * @param txOffset the record's tx offset.
     * @param buffer   holding the payload; valid only during the call.
     * @param offset   of the payload.
     * @param length   of the payload.
     */
    void onRecord(long txOffset, DirectBuffer buffer, int offset, int length);
}
