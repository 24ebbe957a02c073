package io.lightcone.wire;

import io.aeron.Publication;
import io.aeron.logbuffer.BufferClaim;
import io.lightcone.wire.sbe.BooleanType;
import io.lightcone.wire.sbe.ConnectionIdEncoder;
import io.lightcone.wire.sbe.FragmentEncoder;
import io.lightcone.wire.sbe.IdentityEncoder;
import io.lightcone.wire.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Encoding and sending shared by {@link CoreIngressProxy} and {@link CoreEgressProxy}.
 * <p>
 * A message no longer than {@link #maxMessageLength()} is encoded straight into a {@code tryClaim}ed range of the
 * log. A longer one, up to {@link #maxReassemblyLength()}, is encoded into a scratch buffer and sent as Fragment
 * envelopes; once its encoding is accepted the send method returns {@code true} and the fragments still to go are
 * <em>pending</em>: {@link #flushPending()} (called by the owner's duty cycle, and first thing by every send method)
 * sends them. While fragments are pending every other send returns {@code false} with {@link #PENDING_FRAGMENTS},
 * so messages leave in the order they were accepted.
 * <p>
 * Never blocks and never logs: a failed send returns {@code false}, records the reason in {@link #lastResult()} and
 * counts it; the caller retries the same call later. A claim refused with {@link Publication#ADMIN_ACTION} (the log
 * rotating to its next term) is retried at once and does not fail the send: with callers that refuse a request on
 * a failed send (the edge answering "core unavailable (back pressure)") it would otherwise fail one request per
 * term of the log even when nothing is queued. Not thread safe: one proxy per sending thread.
 */
public abstract class AbstractWireProxy
{
    /**
     * {@link #lastResult()} when the send was refused because an earlier long message still has fragments to send.
     */
    public static final long PENDING_FRAGMENTS = -100;

    /**
     * {@link #lastResult()} when the message is longer than {@link #maxReassemblyLength()}; retrying will not help.
     */
    public static final long MESSAGE_TOO_LONG = -101;

    /**
     * How many times a claim refused with {@link Publication#ADMIN_ACTION} is retried at once. Aeron returns it when
     * the claim does not fit in what is left of the current term: the publication pads the term out, rotates to the
     * next one and asks for a retry, which then succeeds unless the log is back pressured for real.
     */
    static final int ADMIN_ACTION_RETRIES = 3;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /**
     * Header encoder for subclasses.
     */
    protected final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

    private final FragmentEncoder fragmentEncoder = new FragmentEncoder();
    private final BufferClaim bufferClaim = new BufferClaim();
    private final WirePublication publication;
    private final int maxMessageLength;
    private final int maxReassemblyLength;
    private final int maxFragmentPayload;
    private final ExpandableDirectByteBuffer scratch;

    private MutableDirectBuffer claimedBuffer;
    private boolean claimedScratch;
    private int scratchLength;

    private boolean pending;
    private int pendingPosition;
    private int pendingFragmentIndex;
    private int pendingTemplateId;
    private long messageSequence;

    private long lastResult;
    private long messagesSent;
    private long fragmentsSent;
    private long backPressureCount;
    private long notConnectedCount;
    private long pendingRefusedCount;
    private long tooLongCount;
    private long otherFailureCount;

    AbstractWireProxy(final WirePublication publication, final int maxMessageLength, final int maxReassemblyLength)
    {
        WireConfiguration.validate(maxMessageLength, maxReassemblyLength);
        this.publication = publication;
        this.maxMessageLength = Math.min(maxMessageLength, publication.maxPayloadLength());
        if (this.maxMessageLength < WireConstants.MIN_MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException("publication maxPayloadLength too small: " + this.maxMessageLength);
        }
        this.maxReassemblyLength = maxReassemblyLength;
        this.maxFragmentPayload = this.maxMessageLength - WireConstants.FRAGMENT_OVERHEAD;
        this.scratch = new ExpandableDirectByteBuffer(Math.min(maxReassemblyLength, 2 * this.maxMessageLength));
    }

    /**
     * Claim space for a message of the given length and point {@link #claimedBuffer()} at it.
     *
     * @param length of the whole message, header included.
     * @return the offset in {@link #claimedBuffer()} at which to encode, or -1 when the send must fail.
     */
    protected final int claim(final long length)
    {
        if (pending && !sendPendingFragments())
        {
            pendingRefusedCount++;
            lastResult = PENDING_FRAGMENTS;
            return -1;
        }

        if (length <= maxMessageLength)
        {
            final long result = tryClaim((int)length);
            if (result < 0)
            {
                countFailure(result);
                return -1;
            }
            claimedScratch = false;
            claimedBuffer = bufferClaim.buffer();
            return bufferClaim.offset();
        }

        if (length > maxReassemblyLength)
        {
            tooLongCount++;
            lastResult = MESSAGE_TOO_LONG;
            return -1;
        }

        scratch.checkLimit((int)length);
        claimedScratch = true;
        claimedBuffer = scratch;
        scratchLength = (int)length;
        return 0;
    }

    /**
     * The buffer that {@link #claim(long)} pointed at.
     *
     * @return the buffer to encode into.
     */
    protected final MutableDirectBuffer claimedBuffer()
    {
        return claimedBuffer;
    }

    /**
     * Publish the message encoded after a successful {@link #claim(long)}.
     *
     * @return true: the message is on the log or, if fragmented, accepted and pending.
     */
    protected final boolean commit()
    {
        messagesSent++;
        if (!claimedScratch)
        {
            bufferClaim.commit();
            lastResult = 1;
            return true;
        }

        pending = true;
        pendingPosition = 0;
        pendingFragmentIndex = 0;
        pendingTemplateId = scratch.getShort(MessageHeaderEncoder.templateIdEncodingOffset(), LE) & 0xFFFF;
        messageSequence++;
        sendPendingFragments();
        lastResult = 1;
        return true;
    }

    /**
     * Sends a message that a proxy of the same protocol already encoded (message header and body): its bytes are
     * copied into the publication, in one frame or, when longer than {@link #maxMessageLength()}, as fragments,
     * exactly as if it had been encoded here. Lets a sender encode once and both keep and send the same bytes.
     *
     * @param buffer holding the encoded message.
     * @param offset of its message header.
     * @param length of header and body.
     * @return true if accepted (fragments not yet sent stay pending), false on back pressure, pending fragments or
     * a message too long; {@link #lastResult()} says which.
     */
    public final boolean offerEncoded(final DirectBuffer buffer, final int offset, final int length)
    {
        final int claimed = claim(length);
        if (claimed < 0)
        {
            return false;
        }
        claimedBuffer.putBytes(claimed, buffer, offset, length);
        return commit();
    }

    /**
     * Send fragments of an accepted long message that could not be sent yet.
     *
     * @return the number of fragments sent, for a duty cycle's work count.
     */
    public final int flushPending()
    {
        final long before = fragmentsSent;
        if (pending)
        {
            sendPendingFragments();
        }
        return (int)(fragmentsSent - before);
    }

    /**
     * Whether an accepted long message still has fragments to send.
     *
     * @return true while fragments are pending.
     */
    public final boolean hasPending()
    {
        return pending;
    }

    private boolean sendPendingFragments()
    {
        while (pendingPosition < scratchLength)
        {
            final int payloadLength = Math.min(maxFragmentPayload, scratchLength - pendingPosition);
            final long result = tryClaim(WireConstants.FRAGMENT_OVERHEAD + payloadLength);
            if (result < 0)
            {
                countFailure(result);
                return false;
            }
            final boolean last = pendingPosition + payloadLength == scratchLength;
            fragmentEncoder.wrapAndApplyHeader(bufferClaim.buffer(), bufferClaim.offset(), headerEncoder)
                .messageSequence(messageSequence)
                .totalLength(scratchLength)
                .fragmentIndex(pendingFragmentIndex)
                .innerTemplateId(pendingTemplateId)
                .last(last ? BooleanType.TRUE : BooleanType.FALSE)
                .putPayload(scratch, pendingPosition, payloadLength);
            bufferClaim.commit();
            fragmentsSent++;
            pendingFragmentIndex++;
            pendingPosition += payloadLength;
        }
        pending = false;
        return true;
    }

    private long tryClaim(final int length)
    {
        long result = publication.tryClaim(length, bufferClaim);
        for (int i = 0; Publication.ADMIN_ACTION == result && i < ADMIN_ACTION_RETRIES; i++)
        {
            result = publication.tryClaim(length, bufferClaim);
        }
        return result;
    }

    private void countFailure(final long result)
    {
        lastResult = result;
        if (Publication.BACK_PRESSURED == result || Publication.ADMIN_ACTION == result)
        {
            backPressureCount++;
        }
        else if (Publication.NOT_CONNECTED == result)
        {
            notConnectedCount++;
        }
        else
        {
            otherFailureCount++;
        }
    }

    /**
     * Copy a 32 byte little-endian Identity into an encoder.
     *
     * @param encoder  of the Identity field.
     * @param identity buffer holding the Identity.
     * @param offset   of the Identity in the buffer.
     */
    protected static void putIdentity(final IdentityEncoder encoder, final DirectBuffer identity, final int offset)
    {
        encoder
            .w0(identity.getLong(offset, LE))
            .w1(identity.getLong(offset + 8, LE))
            .w2(identity.getLong(offset + 16, LE))
            .w3(identity.getLong(offset + 24, LE));
    }

    /**
     * Set a ConnectionId.
     *
     * @param encoder of the ConnectionId field.
     * @param lo      low 64 bits.
     * @param hi      high 64 bits.
     */
    protected static void putConnectionId(final ConnectionIdEncoder encoder, final long lo, final long hi)
    {
        encoder.lo(lo).hi(hi);
    }

    /**
     * A u32 field value from a Java int holding it.
     *
     * @param value the 32 bits.
     * @return the value as an unsigned long.
     */
    protected static long u32(final int value)
    {
        return value & 0xFFFF_FFFFL;
    }

    /**
     * The largest message sent in one piece: the configured maximum capped by the publication's max payload.
     *
     * @return the effective maximum message length.
     */
    public final int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * The largest message this proxy sends, as fragments.
     *
     * @return the maximum reassembly length.
     */
    public final int maxReassemblyLength()
    {
        return maxReassemblyLength;
    }

    /**
     * The result of the last send: 1 on success, else a negative {@link Publication} code, {@link #PENDING_FRAGMENTS}
     * or {@link #MESSAGE_TOO_LONG}.
     *
     * @return the last result.
     */
    public final long lastResult()
    {
        return lastResult;
    }

    /**
     * Messages accepted.
     *
     * @return the count.
     */
    public final long messagesSent()
    {
        return messagesSent;
    }

    /**
     * Fragment envelopes sent.
     *
     * @return the count.
     */
    public final long fragmentsSent()
    {
        return fragmentsSent;
    }

    /**
     * Claims refused with BACK_PRESSURED or ADMIN_ACTION.
     *
     * @return the count.
     */
    public final long backPressureCount()
    {
        return backPressureCount;
    }

    /**
     * Claims refused with NOT_CONNECTED.
     *
     * @return the count.
     */
    public final long notConnectedCount()
    {
        return notConnectedCount;
    }

    /**
     * Sends refused because fragments were pending.
     *
     * @return the count.
     */
    public final long pendingRefusedCount()
    {
        return pendingRefusedCount;
    }

    /**
     * Sends refused as longer than {@link #maxReassemblyLength()}.
     *
     * @return the count.
     */
    public final long tooLongCount()
    {
        return tooLongCount;
    }

    /**
     * Claims refused with CLOSED, MAX_POSITION_EXCEEDED or another code.
     *
     * @return the count.
     */
    public final long otherFailureCount()
    {
        return otherFailureCount;
    }
}
