package io.lightcone.edge.ws;

import io.lightcone.edge.auth.ConnectionId;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.protocol.Compression;
import io.lightcone.edge.protocol.ProtocolVersion;
import io.lightcone.edge.protocol.ServerFrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket client. Created on a Netty event loop at upgrade; afterwards owned by the edge agent thread, which
 * alone reads and writes its state. The only cross-thread parts are the channel (Netty writes are thread-safe) and
 * the count of inbound messages received but not yet processed (incremented on the event loop, decremented by the
 * agent).
 * <p>
 * Outbound path: messages are encoded on the agent thread and copied into the outbox (a byte ring, with the tx
 * offsets they depend on in a parallel queue, so queuing and writing a message allocates no array), or, when the
 * outbox is empty, the channel writable and reads not confirmed, straight into the frame writer;
 * {@link #drain(long)} releases them in FIFO order up to the durable offset (confirmed reads) or all of them, through
 * a {@link ServerFrameWriter} (v3 batching, gzip), and only while the channel is writable (Netty's write buffer below
 * its high water mark); when it turns writable again the agent is told and drains on. So per client at most the high
 * water mark (plus one frame) sits in Netty and at most the outbound byte limit in the outbox: a message that would
 * take the outbox over that limit closes the client with 1008 instead, never blocking or slowing anyone else.
 * <p>
 * Invariants: {@code outboxBytes} is the sum of the lengths of the messages in the outbox and never exceeds the
 * limit; nothing is written to the channel after the session is {@link State#CLOSED}.
 */
public final class ClientSession
{
    /** Close code for a client that cannot keep up. */
    public static final int CLOSE_POLICY_VIOLATION = 1008;
    /** Start of the close reason for a client that cannot keep up. */
    public static final String TOO_SLOW_REASON = "client too slow: outbound queue exceeded ";
    /** How long a close frame may take to reach the client before the socket is closed anyway, as SpacetimeDB. */
    public static final long CLOSE_DRAIN_TIMEOUT_MS = 250;

    /** Life cycle, agent side. */
    public enum State
    {
        /** Upgraded; ClientConnected sent, waiting for the core's answer. */
        CONNECTING,
        /** InitialConnection sent; messages flow. */
        OPEN,
        /** Closed or closing. */
        CLOSED
    }

    /** Initial bytes of a session's outbox ring; it grows with a burst and shrinks back once empty. */
    private static final int OUTBOX_INITIAL_BYTES = 1024;
    /** An empty outbox ring larger than this is shrunk back to {@link #OUTBOX_INITIAL_BYTES}. */
    private static final int OUTBOX_RETAINED_BYTES = 1024 * 1024;

    private final long sessionId;
    private final Channel channel;
    private final String databaseName;
    private final Identity identity;
    private final ConnectionId connectionId;
    private final long connectionIdLo;
    private final long connectionIdHi;
    private final String token;
    private final String jwtPayload;
    private final ProtocolVersion version;
    private final boolean confirmedReads;
    private final int outboundMaxBytes;
    private final AtomicCounter slowClientCloses;
    private final ServerFrameWriter writer;
    private final AtomicInteger inboundPending = new AtomicInteger();
    private final ExpandableRingBuffer outbox =
        new ExpandableRingBuffer(OUTBOX_INITIAL_BYTES, ExpandableRingBuffer.MAX_CAPACITY, false);
    private final LongArrayQueue outboxTxOffsets = new LongArrayQueue(Long.MIN_VALUE);
    private final ExpandableRingBuffer.MessageConsumer drainOne = this::drainOne;
    private final List<byte[]> backlog = new ArrayList<>();
    private final UnsafeBuffer identityBuffer;
    private long outboxBytes;
    private State state = State.CONNECTING;
    private boolean connectedSent;
    private boolean queuedForDrain;
    private long drainDurableTxOffset;
    private int drained;

    /**
     * A session.
     *
     * @param sessionId      unique in this edge.
     * @param channel        the upgraded channel.
     * @param databaseName   name or identity from the URL.
     * @param identity       the client identity.
     * @param connectionId   random, non-zero.
     * @param token          the token it authenticated with (or was minted).
     * @param jwtPayload     the token's payload JSON, for the core.
     * @param version        negotiated subprotocol.
     * @param compression    requested compression.
     * @param confirmedReads   hold messages until durable.
     * @param outboundMaxBytes most bytes of messages queued and not yet written.
     * @param slowClientCloses counts closes for exceeding {@code outboundMaxBytes}.
     */
    public ClientSession(
        final long sessionId,
        final Channel channel,
        final String databaseName,
        final Identity identity,
        final ConnectionId connectionId,
        final String token,
        final String jwtPayload,
        final ProtocolVersion version,
        final Compression compression,
        final boolean confirmedReads,
        final int outboundMaxBytes,
        final AtomicCounter slowClientCloses)
    {
        this.sessionId = sessionId;
        this.channel = channel;
        this.databaseName = databaseName;
        this.identity = identity;
        this.connectionId = connectionId;
        final UnsafeBuffer conn = new UnsafeBuffer(connectionId.toLittleEndian());
        this.connectionIdLo = conn.getLong(0, ByteOrder.LITTLE_ENDIAN);
        this.connectionIdHi = conn.getLong(8, ByteOrder.LITTLE_ENDIAN);
        this.token = token;
        this.jwtPayload = jwtPayload;
        this.version = version;
        this.confirmedReads = confirmedReads;
        this.outboundMaxBytes = outboundMaxBytes;
        this.slowClientCloses = slowClientCloses;
        this.identityBuffer = new UnsafeBuffer(identity.toLittleEndian());
        this.writer = new ServerFrameWriter(version, compression, this::sendFrame);
    }

    /**
     * Queue an encoded server message, copying it into the outbox (no allocation once the outbox has grown to the
     * client's usual backlog).
     *
     * @param txOffset the tx offset it depends on (0 for none).
     * @param buffer   holding the BSATN ServerMessage.
     * @param offset   of the message in {@code buffer}.
     * @param length   of the message.
     * @return false if the session is closed, or the message would take the queue over its byte limit and the
     * client is being closed as too slow.
     */
    public boolean enqueue(final long txOffset, final DirectBuffer buffer, final int offset, final int length)
    {
        if (state == State.CLOSED)
        {
            return false;
        }
        if (!confirmedReads && outbox.isEmpty() && channel.isWritable())
        {
            // Nothing waits before it and nothing holds it: straight into the frame writer (what drain would do at
            // the end of this duty cycle), skipping the outbox copy; the drain then flushes the batch.
            writer.write(buffer, offset, length);
            return true;
        }
        if (outboxBytes + length > outboundMaxBytes || !outbox.append(buffer, offset, length))
        {
            slowClientCloses.increment();
            close(CLOSE_POLICY_VIOLATION, TOO_SLOW_REASON + outboundMaxBytes + " bytes");
            return false;
        }
        outboxTxOffsets.addLong(txOffset);
        outboxBytes += length;
        return true;
    }

    /**
     * Write queued messages whose tx offset is covered, in order, while the channel is writable, then flush the
     * frame writer. Messages left behind wait for {@link #onWritable()} or the next durable offset.
     *
     * @param durableTxOffset the database's durable offset.
     * @return messages written.
     */
    public int drain(final long durableTxOffset)
    {
        drainDurableTxOffset = durableTxOffset;
        drained = 0;
        outbox.consume(drainOne, Integer.MAX_VALUE);
        if (outbox.isEmpty() && outbox.capacity() > OUTBOX_RETAINED_BYTES)
        {
            outbox.reset(OUTBOX_INITIAL_BYTES);
        }
        if (state != State.CLOSED)
        {
            writer.flush();
        }
        return drained;
    }

    private boolean drainOne(
        final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        if (state == State.CLOSED || !channel.isWritable() ||
            (confirmedReads && outboxTxOffsets.peekLong() > drainDurableTxOffset))
        {
            return false;
        }
        outboxTxOffsets.pollLong();
        outboxBytes -= length;
        writer.write(buffer, offset, length);
        drained++;
        return true;
    }

    private void sendFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuf frame = channel.alloc().directBuffer(length);
        buffer.getBytes(offset, frame.internalNioBuffer(0, length), length);
        frame.writerIndex(length);
        channel.writeAndFlush(new BinaryWebSocketFrame(frame), channel.voidPromise());
    }

    /**
     * The channel became writable again (agent thread): messages left in the outbox may go.
     *
     * @return true if there is something to drain.
     */
    public boolean onWritable()
    {
        return state != State.CLOSED && !outbox.isEmpty();
    }

    /**
     * Send a close frame and close the channel; the session is closed for the agent at once.
     *
     * @param code   WebSocket close code.
     * @param reason at most 123 bytes.
     */
    public void close(final int code, final String reason)
    {
        if (state == State.CLOSED)
        {
            return;
        }
        state = State.CLOSED;
        outbox.reset(OUTBOX_INITIAL_BYTES);
        outboxTxOffsets.clear();
        outboxBytes = 0;
        backlog.clear();
        closeChannel(channel, code, reason);
    }

    /**
     * Send a close frame and close a channel (thread-safe). If the close frame is not written within
     * {@link #CLOSE_DRAIN_TIMEOUT_MS} (a client that does not read), the channel is closed anyway, discarding what
     * it had not yet written.
     *
     * @param channel the channel.
     * @param code    WebSocket close code.
     * @param reason  at most 123 bytes.
     */
    public static void closeChannel(final Channel channel, final int code, final String reason)
    {
        if (channel.isActive())
        {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
            try
            {
                channel.eventLoop().schedule(() -> channel.close(), CLOSE_DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final RejectedExecutionException ex)
            {
                channel.close();
            }
        }
    }

    /**
     * @return unique id in this edge.
     */
    public long sessionId()
    {
        return sessionId;
    }

    /**
     * @return the channel.
     */
    public Channel channel()
    {
        return channel;
    }

    /**
     * @return the database name or identity from the URL.
     */
    public String databaseName()
    {
        return databaseName;
    }

    /**
     * @return the client identity.
     */
    public Identity identity()
    {
        return identity;
    }

    /**
     * @return the identity, 32 bytes little-endian, as the wire carries it.
     */
    public UnsafeBuffer identityBuffer()
    {
        return identityBuffer;
    }

    /**
     * @return the connection id.
     */
    public ConnectionId connectionId()
    {
        return connectionId;
    }

    /**
     * @return low 64 bits of the connection id.
     */
    public long connectionIdLo()
    {
        return connectionIdLo;
    }

    /**
     * @return high 64 bits of the connection id.
     */
    public long connectionIdHi()
    {
        return connectionIdHi;
    }

    /**
     * @return the token for InitialConnection.
     */
    public String token()
    {
        return token;
    }

    /**
     * @return the JWT payload JSON.
     */
    public String jwtPayload()
    {
        return jwtPayload;
    }

    /**
     * @return the negotiated protocol.
     */
    public ProtocolVersion version()
    {
        return version;
    }

    /**
     * @return whether reads are confirmed.
     */
    public boolean confirmedReads()
    {
        return confirmedReads;
    }

    /**
     * @return the agent-side state.
     */
    public State state()
    {
        return state;
    }

    /**
     * @param state the new state.
     */
    public void state(final State state)
    {
        this.state = state;
    }

    /**
     * @return whether ClientConnected was sent to the core (so ClientDisconnected is owed).
     */
    public boolean connectedSent()
    {
        return connectedSent;
    }

    /**
     * @param connectedSent whether ClientConnected was sent.
     */
    public void connectedSent(final boolean connectedSent)
    {
        this.connectedSent = connectedSent;
    }

    /**
     * Whether the agent has this session in its list to drain at the end of the duty cycle (agent thread only), so
     * that a client touched by several commits in one cycle is drained, and its v3 frame flushed, once.
     *
     * @return true while listed.
     */
    public boolean queuedForDrain()
    {
        return queuedForDrain;
    }

    /**
     * @param queued whether the agent lists this session for draining.
     */
    public void queuedForDrain(final boolean queued)
    {
        this.queuedForDrain = queued;
    }

    /**
     * Client frames received before InitialConnection was sent, replayed once the core accepts the client.
     *
     * @return the backlog.
     */
    public List<byte[]> backlog()
    {
        return backlog;
    }

    /**
     * @return messages queued, not yet written.
     */
    public int outboxSize()
    {
        return outboxTxOffsets.size();
    }

    /**
     * @return bytes of the messages queued, not yet written.
     */
    public long outboxBytes()
    {
        return outboxBytes;
    }

    /**
     * A client message was received (event loop): count it as pending until the agent processes it.
     *
     * @param limit most messages pending.
     * @return false if that makes more than {@code limit} pending (the caller closes the client).
     */
    public boolean inboundReceived(final int limit)
    {
        return inboundPending.incrementAndGet() <= limit;
    }

    /**
     * A client message was processed or dropped (agent thread), or could not be handed to the agent.
     */
    public void inboundDone()
    {
        inboundPending.decrementAndGet();
    }

    /**
     * @return client messages received and not yet processed.
     */
    public int inboundPending()
    {
        return inboundPending.get();
    }

    /**
     * Release the frame writer.
     */
    public void release()
    {
        writer.close();
    }
}
