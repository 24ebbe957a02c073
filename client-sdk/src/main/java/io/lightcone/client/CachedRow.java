package io.lightcone.client;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One distinct row of a {@link TableCache}: its bytes (owned, rewritten in place on update when they fit), its key
 * (a region of those bytes) and how many times the server has sent it (overlapping query sets each count once).
 * Recycled after it is deleted and its listeners ran.
 */
final class CachedRow
{
    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    final RowKey key = new RowKey();
    int length;
    int count;
    /** The table the row belongs to. */
    TableCache table;
    /** Set while the row waits in a message's pending-delete list. */
    boolean pending;

    void copyFrom(final DirectBuffer source, final int offset, final int rowLength)
    {
        if (buffer.capacity() < rowLength)
        {
            buffer.wrap(new byte[Math.max(rowLength, buffer.capacity() * 2)]);
        }
        source.getBytes(offset, buffer, 0, rowLength);
        length = rowLength;
    }
}
