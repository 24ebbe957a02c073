package io.lightcone.txn.loop;

import io.lightcone.wire.CoreEgressProxy;
import io.lightcone.wire.WirePublication;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Every message the loop sends to the edges, in order, through a FIFO that survives back pressure.
 * <p>
 * The loop encodes a message once with {@link #encoder()} (a {@link CoreEgressProxy} over a
 * {@link CapturePublication}), then calls {@link #enqueueCaptured()}: when nothing is queued the encoded bytes are
 * copied straight into the publication ({@link CoreEgressProxy#offerEncoded}); otherwise, or when refused, they go
 * to the tail of a ring. {@link #drain(int)} sends from the head, copying the same bytes, and stops at the first
 * refusal, leaving that message at the head. Nothing is ever dropped; while the queue is not empty the loop stops
 * reading ingress, so back pressure slows the edges instead.
 * <p>
 * The encoded TxCommitted bytes are also the commit-log record ({@link #capturedBuffer()}), so the log holds exactly
 * what the edges receive.
 */
final class EgressQueue
{
    private final CoreEgressProxy proxy;
    private final CapturePublication capture;
    private final CoreEgressProxy encoder;
    private final ExpandableRingBuffer queue = new ExpandableRingBuffer(64 * 1024, ExpandableRingBuffer.MAX_CAPACITY,
        true);
    private final AtomicCounter backPressure;
    private final ExpandableRingBuffer.MessageConsumer sender = this::send;

    /**
     * @param publication         where messages go.
     * @param maxMessageLength    longest message sent in one frame.
     * @param maxReassemblyLength longest message.
     * @param backPressure        counts refusals.
     */
    EgressQueue(
        final WirePublication publication,
        final int maxMessageLength,
        final int maxReassemblyLength,
        final AtomicCounter backPressure)
    {
        this.proxy = new CoreEgressProxy(publication, maxMessageLength, maxReassemblyLength);
        this.capture = new CapturePublication(maxReassemblyLength);
        this.encoder = new CoreEgressProxy(capture, maxReassemblyLength, maxReassemblyLength);
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
     * Sends the message just encoded, or, when others wait or the publication refuses it, puts it at the tail of
     * the queue.
     */
    void enqueueCaptured()
    {
        if (queue.isEmpty() && !proxy.hasPending())
        {
            if (proxy.offerEncoded(capture.buffer(), capture.messageOffset(), capture.messageLength()))
            {
                return;
            }
            backPressure.incrementRelease();
        }
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

    private boolean send(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final boolean sent = proxy.offerEncoded(buffer, offset, length);
        if (!sent)
        {
            backPressure.incrementRelease();
        }
        return sent;
    }
}
