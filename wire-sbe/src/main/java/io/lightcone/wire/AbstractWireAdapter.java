package io.lightcone.wire;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.lightcone.wire.sbe.BooleanType;
import io.lightcone.wire.sbe.FragmentDecoder;
import io.lightcone.wire.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Int2ObjectHashMap;

import java.nio.ByteOrder;
import java.util.function.IntPredicate;

/**
 * Decoding shared by {@link CoreIngressAdapter} and {@link CoreEgressAdapter}: the header checks, the counters and
 * the reassembly of Fragment envelopes.
 * <p>
 * Every message is checked before a listener sees it: the schema id must be {@link WireConstants#SCHEMA_ID}, the
 * version at least {@link WireConstants#MIN_SUPPORTED_VERSION}, the block and every var-data length must lie inside
 * the fragment. A message that fails is counted and dropped, and so is an unknown template; nothing throws, whatever
 * the bytes. Fields are decoded with the header's block length and version, so a newer sender's appended fields are
 * skipped (see {@link WireConstants}).
 * <p>
 * Fragments are reassembled per Aeron session id (one publication each) into a buffer of at most {@link
 * #maxReassemblyLength()} bytes; a fragment out of sequence abandons the message in progress (the rest of that message
 * is skipped) and a message announcing more than the maximum is skipped whole, each counted once. The listener then
 * sees the message exactly as if it had arrived whole, with its buffer being the reassembly buffer.
 * <p>
 * Listener arguments that are (offset, length) pairs or flyweights point into the buffer passed alongside them and
 * are valid only during the callback; copy what must outlive it. Single threaded: the polling thread only.
 */
public abstract class AbstractWireAdapter implements FragmentHandler
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int VAR = 4;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final FragmentDecoder fragmentDecoder = new FragmentDecoder();
    private final Int2ObjectHashMap<Reassembly> reassemblies = new Int2ObjectHashMap<>();
    private final int maxReassemblyLength;

    private int varOffset;
    private int varLength;

    private long messagesReceived;
    private long unknownSchemaCount;
    private long unsupportedVersionCount;
    private long unknownTemplateCount;
    private long malformedCount;
    private long reassembledCount;
    private long reassemblyOverflowCount;
    private long reassemblyOutOfOrderCount;

    AbstractWireAdapter(final int maxReassemblyLength)
    {
        if (maxReassemblyLength < WireConstants.MIN_MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException("maxReassemblyLength too small: " + maxReassemblyLength);
        }
        this.maxReassemblyLength = maxReassemblyLength;
    }

    /**
     * Decode one Aeron fragment (one whole message, or one Fragment envelope).
     *
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @param header Aeron frame header, for the session id; null is taken as session 0.
     */
    public final void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        onMessage(buffer, offset, length, null == header ? 0 : header.sessionId(), true);
    }

    /**
     * Forget a partly reassembled message of a session, e.g. when its image goes away.
     *
     * @param sessionId Aeron session id of the publication.
     */
    public final void clearSession(final int sessionId)
    {
        reassemblies.remove(sessionId);
    }

    /**
     * Forgets the reassembly state of every session that is gone (its publication closed, or its process died,
     * perhaps mid-message): a session keeps its reassembly buffer, as large as its largest message, between
     * messages for reuse, so a gone session's would otherwise be held for good. Call it now and then from the
     * polling thread.
     *
     * @param present whether a session id still has an image.
     * @return the number of sessions forgotten.
     */
    public final int clearGoneSessions(final IntPredicate present)
    {
        if (reassemblies.isEmpty())
        {
            return 0;
        }
        int cleared = 0;
        final Int2ObjectHashMap<Reassembly>.KeyIterator sessions = reassemblies.keySet().iterator();
        while (sessions.hasNext())
        {
            if (!present.test(sessions.nextInt()))
            {
                sessions.remove();
                cleared++;
            }
        }
        return cleared;
    }

    /**
     * Sessions holding reassembly state (and a buffer, once they sent a fragmented message).
     *
     * @return the count.
     */
    public final int reassemblySessions()
    {
        return reassemblies.size();
    }

    private void onMessage(
        final DirectBuffer buffer, final int offset, final int length, final int sessionId, final boolean outer)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH || offset < 0 || offset + length > buffer.capacity())
        {
            malformedCount++;
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != WireConstants.SCHEMA_ID)
        {
            unknownSchemaCount++;
            return;
        }
        final int version = headerDecoder.version();
        if (version < WireConstants.MIN_SUPPORTED_VERSION)
        {
            unsupportedVersionCount++;
            return;
        }
        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int end = offset + length;
        if (bodyOffset + blockLength > end)
        {
            malformedCount++;
            return;
        }

        if (FragmentDecoder.TEMPLATE_ID == templateId)
        {
            if (outer)
            {
                onFragmentEnvelope(buffer, bodyOffset, blockLength, version, end, sessionId);
            }
            else
            {
                malformedCount++;
            }
            return;
        }

        messagesReceived++;
        if (!dispatch(templateId, buffer, bodyOffset, blockLength, version, end))
        {
            messagesReceived--;
            unknownTemplateCount++;
        }
    }

    private void onFragmentEnvelope(
        final DirectBuffer buffer,
        final int offset,
        final int blockLength,
        final int version,
        final int end,
        final int sessionId)
    {
        if (blockLength < FragmentDecoder.BLOCK_LENGTH)
        {
            malformedCount++;
            return;
        }
        final FragmentDecoder decoder = fragmentDecoder.wrap(buffer, offset, blockLength, version);
        final long sequence = decoder.messageSequence();
        final long totalLength = decoder.totalLength();
        final long fragmentIndex = decoder.fragmentIndex();
        final boolean last = decoder.last() == BooleanType.TRUE;
        if (!readVar(buffer, decoder.limit(), end))
        {
            malformedCount++;
            return;
        }
        final int payloadOffset = varOffset;
        final int payloadLength = varLength;
        decoder.skipPayload();

        Reassembly reassembly = reassemblies.get(sessionId);
        if (null == reassembly)
        {
            reassembly = new Reassembly();
            reassemblies.put(sessionId, reassembly);
        }

        if (0 == fragmentIndex)
        {
            if (Reassembly.ACTIVE == reassembly.state)
            {
                reassemblyOutOfOrderCount++;
            }
            reassembly.sequence = sequence;
            if (totalLength > maxReassemblyLength)
            {
                reassemblyOverflowCount++;
                reassembly.state = Reassembly.SKIPPING;
                return;
            }
            reassembly.state = Reassembly.ACTIVE;
            reassembly.totalLength = (int)totalLength;
            reassembly.filled = 0;
            reassembly.nextIndex = 0;
            if (null == reassembly.buffer)
            {
                reassembly.buffer = new ExpandableDirectByteBuffer(Math.max(VAR, Math.min(1 << 16, (int)totalLength)));
            }
        }
        else if (Reassembly.SKIPPING == reassembly.state && reassembly.sequence == sequence)
        {
            if (last)
            {
                reassembly.state = Reassembly.IDLE;
            }
            return;
        }
        else if (Reassembly.ACTIVE != reassembly.state ||
            reassembly.sequence != sequence ||
            reassembly.nextIndex != fragmentIndex)
        {
            reassemblyOutOfOrderCount++;
            reassembly.sequence = sequence;
            reassembly.state = last ? Reassembly.IDLE : Reassembly.SKIPPING;
            return;
        }

        if (payloadLength > reassembly.totalLength - reassembly.filled ||
            (last && reassembly.filled + payloadLength != reassembly.totalLength))
        {
            malformedCount++;
            reassembly.state = Reassembly.IDLE;
            return;
        }
        reassembly.buffer.putBytes(reassembly.filled, buffer, payloadOffset, payloadLength);
        reassembly.filled += payloadLength;
        reassembly.nextIndex++;
        if (last)
        {
            reassembly.state = Reassembly.IDLE;
            reassembledCount++;
            onMessage(reassembly.buffer, 0, reassembly.totalLength, sessionId, false);
        }
    }

    /**
     * Decode and deliver one whole message whose header has been checked.
     *
     * @param templateId  from the header.
     * @param buffer      holding the message.
     * @param offset      of the block (after the header).
     * @param blockLength from the header, at least the block and inside the message.
     * @param version     from the header.
     * @param end         offset just past the message.
     * @return false if the template is unknown (counted by the caller).
     */
    abstract boolean dispatch(int templateId, DirectBuffer buffer, int offset, int blockLength, int version, int end);

    /**
     * Count a message that failed a check.
     */
    final void malformed()
    {
        malformedCount++;
    }

    /**
     * Check the var-data field at limit lies inside the message and remember it.
     *
     * @param buffer holding the message.
     * @param limit  offset of the var-data length.
     * @param end    offset just past the message.
     * @return true if it fits; then {@link #varOffset()} and {@link #varLength()} describe its bytes.
     */
    final boolean readVar(final DirectBuffer buffer, final int limit, final int end)
    {
        if (limit > end - VAR)
        {
            return false;
        }
        final long length = buffer.getInt(limit, LE) & 0xFFFF_FFFFL;
        if (length > end - limit - VAR)
        {
            return false;
        }
        varOffset = limit + VAR;
        varLength = (int)length;
        return true;
    }

    final int varOffset()
    {
        return varOffset;
    }

    final int varLength()
    {
        return varLength;
    }

    /**
     * The largest message reassembled from fragments.
     *
     * @return the maximum reassembly length.
     */
    public final int maxReassemblyLength()
    {
        return maxReassemblyLength;
    }

    /**
     * Messages delivered to the listener.
     *
     * @return the count.
     */
    public final long messagesReceived()
    {
        return messagesReceived;
    }

    /**
     * Messages dropped for a schema id other than {@link WireConstants#SCHEMA_ID}.
     *
     * @return the count.
     */
    public final long unknownSchemaCount()
    {
        return unknownSchemaCount;
    }

    /**
     * Messages dropped for a version below {@link WireConstants#MIN_SUPPORTED_VERSION}.
     *
     * @return the count.
     */
    public final long unsupportedVersionCount()
    {
        return unsupportedVersionCount;
    }

    /**
     * Messages dropped for a template id this adapter does not handle.
     *
     * @return the count.
     */
    public final long unknownTemplateCount()
    {
        return unknownTemplateCount;
    }

    /**
     * Messages dropped as truncated or inconsistent.
     *
     * @return the count.
     */
    public final long malformedCount()
    {
        return malformedCount;
    }

    /**
     * Messages reassembled from fragments.
     *
     * @return the count.
     */
    public final long reassembledCount()
    {
        return reassembledCount;
    }

    /**
     * Fragmented messages skipped for announcing more than {@link #maxReassemblyLength()}.
     *
     * @return the count.
     */
    public final long reassemblyOverflowCount()
    {
        return reassemblyOverflowCount;
    }

    /**
     * Fragments dropped, or partial messages abandoned, because a fragment arrived out of sequence.
     *
     * @return the count.
     */
    public final long reassemblyOutOfOrderCount()
    {
        return reassemblyOutOfOrderCount;
    }

    /**
     * Everything dropped: unknown schema, unsupported version, unknown template, malformed, overflow, out of order.
     *
     * @return the sum.
     */
    public final long droppedCount()
    {
        return unknownSchemaCount + unsupportedVersionCount + unknownTemplateCount + malformedCount +
            reassemblyOverflowCount + reassemblyOutOfOrderCount;
    }

    private static final class Reassembly
    {
        static final int IDLE = 0;
        static final int ACTIVE = 1;
        static final int SKIPPING = 2;

        int state = IDLE;
        long sequence;
        long nextIndex;
        int totalLength;
        int filled;
        ExpandableDirectByteBuffer buffer;
    }
}
