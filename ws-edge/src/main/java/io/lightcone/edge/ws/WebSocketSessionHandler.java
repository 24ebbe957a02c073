package io.lightcone.edge.ws;

import io.lightcone.edge.EdgeAgent;
import io.lightcone.edge.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The Netty side of one WebSocket client, on its event loop: copies binary messages to the edge agent, answers
 * pings, sends a ping every interval (skipped while the last one is unanswered), closes an idle connection, refuses
 * text frames (1011) and oversized messages (1009), and tells the agent when the channel closes.
 */
public final class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame>
{
    /** Close code for errors. */
    public static final int CLOSE_ERROR = 1011;
    /** Close code for a message over the limit. */
    public static final int CLOSE_TOO_BIG = 1009;
    /** Close code when the agent's queue is full. */
    public static final int CLOSE_TRY_AGAIN_LATER = 1013;

    private final EdgeAgent agent;
    private final ClientSession session;
    private final long pingIntervalNs;
    private final int maxInboundMessageLength;
    private ScheduledFuture<?> pingTask;
    private boolean pongOutstanding;

    /**
     * A handler.
     *
     * @param agent                   the edge agent.
     * @param session                 the client.
     * @param pingIntervalNs          between pings.
     * @param maxInboundMessageLength largest message.
     */
    public WebSocketSessionHandler(
        final EdgeAgent agent, final ClientSession session, final long pingIntervalNs,
        final int maxInboundMessageLength)
    {
        this.agent = agent;
        this.session = session;
        this.pingIntervalNs = pingIntervalNs;
        this.maxInboundMessageLength = maxInboundMessageLength;
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
            final ByteBuf content = frame.content();
            final byte[] bytes = ByteBufUtil.getBytes(content);
            if (!agent.submit(() -> agent.onFrame(session, bytes)))
            {
                ClientSession.closeChannel(ctx.channel(), CLOSE_TRY_AGAIN_LATER, "too many requests");
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
            ClientSession.closeChannel(ctx.channel(), 1000, "idle timeout");
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
            ClientSession.closeChannel(ctx.channel(), CLOSE_TOO_BIG,
                "message too long: the limit is " + maxInboundMessageLength + " bytes");
        }
        else if (cause instanceof CorruptedWebSocketFrameException)
        {
            ClientSession.closeChannel(ctx.channel(), CLOSE_TOO_BIG == closeCode(cause) ? CLOSE_TOO_BIG : 1002,
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
