package io.lightcone.txn.loop;

import io.lightcone.txn.log.CommitSink;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory commit sink for tests: keeps a copy of every record, can refuse appends (back pressure) and can hold
 * durability back. Thread safe: the loop appends, the test reads.
 */
final class RecordingCommitSink implements CommitSink
{
    record Record(long txOffset, byte[] payload)
    {
    }

    private final List<Record> records = new ArrayList<>();
    private boolean refuse;
    private boolean holdDurable;
    private long durable = -1;
    private long refused;

    public synchronized boolean append(final long txOffset, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (refuse)
        {
            refused++;
            return false;
        }
        if (!records.isEmpty() && records.get(records.size() - 1).txOffset() + 1 != txOffset)
        {
            throw new IllegalStateException("gap: " + records.get(records.size() - 1).txOffset() + " -> " +
                txOffset);
        }
        records.add(new Record(txOffset, Recorder.bytes(buffer, offset, length)));
        if (!holdDurable)
        {
            durable = txOffset;
        }
        return true;
    }

    public synchronized long durableTxOffset()
    {
        return durable;
    }

    synchronized void refuse(final boolean refuse)
    {
        this.refuse = refuse;
    }

    synchronized void holdDurable(final boolean hold)
    {
        this.holdDurable = hold;
        if (!hold && !records.isEmpty())
        {
            durable = records.get(records.size() - 1).txOffset();
        }
    }

    synchronized List<Record> records()
    {
        return new ArrayList<>(records);
    }

    synchronized long refused()
    {
        return refused;
    }
}
