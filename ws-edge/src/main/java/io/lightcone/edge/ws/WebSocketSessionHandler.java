package io.lightcone.edge.ws;

import io.lightcone.edge.EdgeAgent;
import io.lightcone.edge.EdgeContext;
import io.lightcone.edge.EdgeCounter;
import io.lightcone.edge.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.concurrent.TimeUnit;

/**
 * The Netty side of one WebSocket client, on its event loop: copies binary messages to the edge agent (at most the
 * inbound queue limit of them waiting to be processed, else 1013 "too many requests"), answers pings, sends a ping
 * every interval (skipped while the last one is unanswered), closes a connection idle for the idle timeout (an
 * {@link IdleStateHandler} before the frame aggregator sees every frame, Pong included), refuses text frames (1011)
 * and oversized messages (1009), tells the agent when the channel turns writable again and when it closes.
 */
public final class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame>
{
    /** Close code for errors. */
    public static final int CLOSE_ERROR = 1011;
    /** Close code for a message over the limit. */
    public static final int CLOSE_TOO_BIG = 1009;
    /** Close code when the agent's queue is full. */
    public static final int CLOSE_TRY_AGAIN_LATER = 1013;
    /** Close code of a normal closure (idle timeout). */
    public static final int CLOSE_NORMAL = 1000;
    /** Close reason when a client has too many messages waiting, as SpacetimeDB. */
    public static final String TOO_MANY_REQUESTS = "too many requests";

    private final EdgeAgent agent;
    private final ClientSession session;
    private final long pingIntervalNs;
    private final long idleTimeoutNs;
    private final int maxInboundMessageLength;
    private final int inboundQueueLimit;
    private final AtomicCounter pingsSent;
    private final AtomicCounter idleCloses;
    private final AtomicCounter oversizeCloses;
    private final AtomicCounter inboundOverflowCloses;
    private ScheduledFuture<?> pingTask;
    private boolean pongOutstanding;

    /**
     * A handler.
     *
     * @param agent   the edge agent.
     * @param session the client.
     * @param ctx     the concluded context (ping interval, idle timeout, inbound limits, counters).
     */
    public WebSocketSessionHandler(final EdgeAgent agent, final ClientSession session, final EdgeContext ctx)
    {
        this.agent = agent;
        this.session = session;
        this.pingIntervalNs = ctx.pingIntervalNs();
        this.idleTimeoutNs = ctx.idleTimeoutNs();
        this.maxInboundMessageLength = ctx.maxInboundMessageLength();
        this.inboundQueueLimit = ctx.inboundQueueLimit();
        this.pingsSent = ctx.counter(EdgeCounter.PINGS_SENT);
        this.idleCloses = ctx.counter(EdgeCounter.IDLE_CLOSES);
        this.oversizeCloses = ctx.counter(EdgeCounter.OVERSIZE_CLOSES);
        this.inboundOverflowCloses = ctx.counter(EdgeCounter.INBOUND_OVERFLOW_CLOSES);
    }

    /**
     * The handlers of an upgraded channel, in pipeline order: idle detection on every frame, reassembly of
     * fragmented messages up to the limit, then this handler.
     *
     * @param pipeline the upgraded channel's pipeline.
     * @param agent    the edge agent.
     * @param session  the client.
     * @param ctx      the concluded context.
     */
    public static void addTo(
        final ChannelPipeline pipeline, final EdgeAgent agent, final ClientSession session, final EdgeContext ctx)
    {
        pipeline.addLast(new IdleStateHandler(ctx.idleTimeoutNs(), 0, 0, TimeUnit.NANOSECONDS));
        pipeline.addLast(new WebSocketFrameAggregator(ctx.maxInboundMessageLength()));
        pipeline.addLast(new WebSocketSessionHandler(agent, session, ctx));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        pingTask = ctx.executor().scheduleAtFixedRate(
            () -> ping(ctx), pingIntervalNs, pingIntervalNs, TimeUnit.NANOSECONDS);
    }

    private void ping(final ChannelHandlerContext ctx)
    {
        if (!pongOutstanding && ctx.channel().isActive())
        {
            pongOutstanding = true;
            pingsSent.increment();
            ctx.writeAndFlush(new PingWebSocketFrame());
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
    {
        if (frame instanceof BinaryWebSocketFrame)
        {
            if (!session.inboundReceived(inboundQueueLimit))
            {
                inboundOverflowCloses.increment();
                ClientSession.closeChannel(ctx.channel(), CLOSE_TRY_AGAIN_LATER, TOO_MANY_REQUESTS);
                return;
            }
            final ByteBuf content = frame.content();
            final byte[] bytes = ByteBufUtil.getBytes(content);
            if (!agent.submit(() -> agent.onFrame(session, bytes)))
            {
                session.inboundDone();
                ClientSession.closeChannel(ctx.channel(), CLOSE_TRY_AGAIN_LATER, TOO_MANY_REQUESTS);
            }
        }
        else if (frame instanceof TextWebSocketFrame)
        {
            ClientSession.closeChannel(ctx.channel(), CLOSE_ERROR,
                new ProtocolException(0, "text frames are not supported: v2/v3 clients send binary BSATN frames")
                .closeReason());
        }
        else if (frame instanceof PingWebSocketFrame)
        {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
        else if (frame instanceof PongWebSocketFrame)
        {
            pongOutstanding = false;
        }
        else if (frame instanceof CloseWebSocketFrame)
        {
            final CloseWebSocketFrame close = (CloseWebSocketFrame)frame;
            ClientSession.closeChannel(ctx.channel(), close.statusCode() < 0 ? 1000 : close.statusCode(), "");
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt instanceof IdleStateEvent)
        {
            idleCloses.increment();
            ClientSession.closeChannel(ctx.channel(), CLOSE_NORMAL,
                "idle timeout: no frame for " + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNs) + " ms");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof TooLongFrameException)
        {
            oversizeCloses.increment();
            ClientSession.closeChannel(ctx.channel(), CLOSE_TOO_BIG,
                "message too long: the limit is " + maxInboundMessageLength + " bytes");
        }
        else if (cause instanceof CorruptedWebSocketFrameException)
        {
            final boolean tooBig = CLOSE_TOO_BIG == closeCode(cause);
            if (tooBig)
            {
                oversizeCloses.increment();
            }
            ClientSession.closeChannel(ctx.channel(), tooBig ? CLOSE_TOO_BIG : 1002,
                new ProtocolException(0, String.valueOf(cause.getMessage())).closeReason());
        }
        else
        {
            ClientSession.closeChannel(ctx.channel(), CLOSE_ERROR,
                new ProtocolException(0, "internal error: " + cause).closeReason());
        }
    }

    private static int closeCode(final Throwable cause)
    {
        final CorruptedWebSocketFrameException ex = (CorruptedWebSocketFrameException)cause;
        return null == ex.closeStatus() ? 1002 : ex.closeStatus().code();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
    {
        if (ctx.channel().isWritable())
        {
            submitWritable(ctx);
        }
        super.channelWritabilityChanged(ctx);
    }

    private void submitWritable(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isActive() && !agent.submit(() -> agent.onWritable(session)))
        {
            ctx.executor().schedule(() -> submitWritable(ctx), 1, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (null != pingTask)
        {
            pingTask.cancel(false);
        }
        submitClosed(ctx);
        super.channelInactive(ctx);
    }

    private void submitClosed(final ChannelHandlerContext ctx)
    {
        if (!agent.submit(() -> agent.onSessionClosed(session)))
        {
            ctx.executor().schedule(() -> submitClosed(ctx), 1, TimeUnit.MILLISECONDS);
        }
    }
}
