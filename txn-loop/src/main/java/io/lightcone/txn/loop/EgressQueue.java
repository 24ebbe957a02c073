package io.lightcone.txn.loop;

import io.lightcone.wire.CoreEgressAdapter;
import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.CoreEgressProxy;
import io.lightcone.wire.TxCommittedBuilder;
import io.lightcone.wire.TxCommittedView;
import io.lightcone.wire.WirePublication;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Every message the loop sends to the edges, in order, through a FIFO that survives back pressure.
 * <p>
 * The loop encodes a message once with {@link #encoder()} (a {@link CoreEgressProxy} over a
 * {@link CapturePublication}), then calls {@link #enqueueCaptured()}: the encoded bytes go to the tail of a ring.
 * {@link #drain(int)} sends from the head through the real proxy (decode with a {@link CoreEgressAdapter}, re-send
 * with the same proxy method) and stops at the first refusal, leaving that message at the head. Nothing is ever
 * dropped; while the queue is not empty the loop stops reading ingress, so back pressure slows the edges instead.
 * <p>
 * The encoded TxCommitted bytes are also the commit-log record ({@link #capturedBuffer()}), so the log holds exactly
 * what the edges receive.
 */
final class EgressQueue implements CoreEgressListener
{
    private final CoreEgressProxy proxy;
    private final CapturePublication capture;
    private final CoreEgressProxy encoder;
    private final ExpandableRingBuffer queue = new ExpandableRingBuffer(64 * 1024, ExpandableRingBuffer.MAX_CAPACITY,
        true);
    private final CoreEgressAdapter decoder;
    private final TxCommittedBuilder builder = new TxCommittedBuilder();
    private final AtomicCounter backPressure;
    private final ExpandableRingBuffer.MessageConsumer sender = this::send;
    private boolean delivered;
    private boolean sent;
    private long undecodable;

    EgressQueue(
        final WirePublication publication,
        final int maxMessageLength,
        final int maxReassemblyLength,
        final AtomicCounter backPressure)
    {
        this.proxy = new CoreEgressProxy(publication, maxMessageLength, maxReassemblyLength);
        this.capture = new CapturePublication(maxReassemblyLength);
        this.encoder = new CoreEgressProxy(capture, maxReassemblyLength, maxReassemblyLength);
        this.decoder = new CoreEgressAdapter(this, maxReassemblyLength);
        this.backPressure = backPressure;
    }

    /**
     * @return the proxy to encode the next message with; follow each successful call by {@link #enqueueCaptured()}.
     */
    CoreEgressProxy encoder()
    {
        return encoder;
    }

    /**
     * @return the buffer holding the message just encoded.
     */
    DirectBuffer capturedBuffer()
    {
        return capture.buffer();
    }

    /**
     * @return offset of the message just encoded.
     */
    int capturedOffset()
    {
        return capture.messageOffset();
    }

    /**
     * @return length of the message just encoded.
     */
    int capturedLength()
    {
        return capture.messageLength();
    }

    /**
     * Puts the message just encoded at the tail of the queue.
     */
    void enqueueCaptured()
    {
        if (!queue.append(capture.buffer(), capture.messageOffset(), capture.messageLength()))
        {
            throw new IllegalStateException("egress queue full: " + queue.size() + " bytes");
        }
    }

    /**
     * Sends queued messages until one is refused.
     *
     * @param limit most messages to send.
     * @return messages and fragments sent.
     */
    int drain(final int limit)
    {
        int work = proxy.flushPending();
        if (proxy.hasPending())
        {
            backPressure.incrementRelease();
            return work;
        }
        work += queue.consume(sender, limit);
        return work;
    }

    /**
     * @return true when nothing waits to be sent.
     */
    boolean isEmpty()
    {
        return queue.isEmpty() && !proxy.hasPending();
    }

    /**
     * @return bytes waiting in the queue.
     */
    int queuedBytes()
    {
        return queue.size();
    }

    /**
     * @return the proxy on the real publication.
     */
    CoreEgressProxy proxy()
    {
        return proxy;
    }

    /**
     * @return queued messages that did not decode and were dropped (a bug if ever non-zero).
     */
    long undecodable()
    {
        return undecodable;
    }

    private boolean send(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        delivered = false;
        sent = false;
        decoder.onFragment(buffer, offset, length, null);
        if (!delivered)
        {
            undecodable++;
            return true;
        }
        if (!sent)
        {
            backPressure.incrementRelease();
        }
        return sent;
    }

    public void onTxCommitted(final TxCommittedView tx)
    {
        delivered = true;
        final DirectBuffer buffer = tx.buffer();
        builder.reset()
            .databaseId(tx.databaseId())
            .txOffset(tx.txOffset())
            .timestampMicros(tx.timestampMicros())
            .caller(tx.callerConnectionIdLo(), tx.callerConnectionIdHi(), tx.requestId(), buffer,
                tx.callerIdentityOffset())
            .outcome(tx.outcome())
            .energyUsed(tx.energyUsed())
            .durationMicros(tx.durationMicros())
            .reducerName(buffer, tx.reducerNameOffset(), tx.reducerNameLength())
            .errorMessage(buffer, tx.errorMessageOffset(), tx.errorMessageLength());
        for (int i = 0; i < tx.tableCount(); i++)
        {
            builder.addTable(tx.tableId(i), buffer, tx.tableNameOffset(i), tx.tableNameLength(i),
                buffer, tx.insertedOffset(i), tx.insertedLength(i), buffer, tx.deletedOffset(i), tx.deletedLength(i));
        }
        sent = proxy.txCommitted(builder);
    }

    public void onTxFailed(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long timestampMicros,
        final long energyUsed,
        final long durationMicros,
        final Outcome outcome,
        final int nameOffset,
        final int nameLength,
        final int messageOffset,
        final int messageLength)
    {
        delivered = true;
        sent = proxy.txFailed(databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, timestampMicros,
            energyUsed, durationMicros, outcome, buffer, nameOffset, nameLength, buffer, messageOffset, messageLength);
    }

    public void onDurable(final long databaseId, final long upToTxOffset)
    {
        delivered = true;
        sent = proxy.durable(databaseId, upToTxOffset);
    }

    public void onSchemaChanged(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int databaseIdentityOffset,
        final int nameOffset,
        final int nameLength,
        final int schemaOffset,
        final int schemaLength)
    {
        delivered = true;
        sent = proxy.schemaChanged(databaseId, txOffset, buffer, databaseIdentityOffset, buffer, nameOffset,
            nameLength, buffer, schemaOffset, schemaLength);
    }

    public void onSnapshotChunk(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int chunkIndex,
        final boolean last,
        final int bytesOffset,
        final int bytesLength)
    {
        delivered = true;
        sent = proxy.snapshotChunk(databaseId, txOffset, edgeId, chunkIndex, last, buffer, bytesOffset, bytesLength);
    }

    public void onModuleLog(
        final DirectBuffer buffer,
        final long databaseId,
        final long timestampMicros,
        final LogLevel level,
        final int messageOffset,
        final int messageLength)
    {
        delivered = true;
        sent = proxy.moduleLog(databaseId, timestampMicros, level, buffer, messageOffset, messageLength);
    }

    public void onRequestCompleted(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final Outcome outcome,
        final int messageOffset,
        final int messageLength)
    {
        delivered = true;
        sent = proxy.requestCompleted(databaseId, txOffset, edgeId, requestId, outcome, buffer, messageOffset,
            messageLength);
    }
}
