package io.lightcone.client;

import io.lightcone.edge.protocol.ProtocolVersion;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Netty side of a {@link LightconeClient}: one I/O thread, one WebSocket at a time.
 * <pre>
 *   caller threads --encode--&gt; outbound ring (ManyToOneRingBuffer) --flush on the I/O thread--&gt; frames
 *   I/O thread: binary frames (retained ByteBufs, not copied) --&gt; inbound queue --poll()--&gt; polling thread
 * </pre>
 * The I/O thread never decodes and never runs user code. Outbound messages are batched: with v3 every message
 * waiting in the ring when the flush runs goes into one frame (up to {@link #MAX_V3_FRAME_BYTES}); with v2 each is
 * its own frame, all written before one flush of the socket. Inbound frames wait in a bounded queue; when it is
 * full the socket stops reading (TCP back-pressure) until the polling thread catches up.
 */
final class WebSocketTransport implements AutoCloseable
{
    /** Client v3 frames are capped like the TypeScript SDK's. */
    static final int MAX_V3_FRAME_BYTES = 256 * 1024;
    /** The server's maximum message size. */
    static final int MAX_FRAME_BYTES = 32 * 1024 * 1024;
    static final int MESSAGE_TYPE = 1;

    /** An inbound event other than a frame. */
    record Opened(ProtocolVersion version)
    {
    }

    /** The socket closed (or never opened). */
    record Closed(Throwable cause)
    {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ManyToOneConcurrentArrayQueue<Object> inbound;
    private final ArrayDeque<Object> overflow = new ArrayDeque<>();
    private final ManyToOneRingBuffer outbound;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean refillScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private final Runnable refillTask = this::refill;
    private final Runnable onInbound;
    private final Runnable onClosed;
    private final MessageHandler batchHandler = this::batch;
    private final MessageHandler discardHandler = (type, buffer, index, length) ->
    {
    };
    private final UnsafeBuffer frameWriter = new UnsafeBuffer(0, 0);
    private volatile Channel channel;
    private volatile ProtocolVersion version;
    private ByteBuf batch;

    WebSocketTransport(
        final int inboundFrames, final int outboundBytes, final Runnable onInbound, final Runnable onClosed)
    {
        this.inbound = new ManyToOneConcurrentArrayQueue<>(inboundFrames);
        this.outbound = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(outboundBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.onInbound = onInbound;
        this.onClosed = onClosed;
    }

    /**
     * Opens the WebSocket.
     *
     * @param uri          {@code ws://host:port/v1/database/NAME/subscribe?...}.
     * @param subprotocols offered, comma separated, preferred first.
     * @param timeoutMs    handshake timeout.
     * @return completes with the negotiated version once the handshake is done.
     */
    CompletableFuture<ProtocolVersion> open(final URI uri, final String subprotocols, final long timeoutMs)
    {
        final CompletableFuture<ProtocolVersion> opened = new CompletableFuture<>();
        if ("wss".equals(uri.getScheme()))
        {
            opened.completeExceptionally(new UnsupportedOperationException("wss:// is not supported yet"));
            return opened;
        }
        final WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .subprotocol(subprotocols)
            .version(WebSocketVersion.V13)
            .allowExtensions(false)
            .customHeaders(new DefaultHttpHeaders())
            .maxFramePayloadLength(MAX_FRAME_BYTES)
            .handshakeTimeoutMillis(timeoutMs)
            .dropPongFrames(true)
            .build();
        final Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.min(Integer.MAX_VALUE, timeoutMs))
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(64 * 1024),
                        new WebSocketClientProtocolHandler(config),
                        new WebSocketFrameAggregator(MAX_FRAME_BYTES),
                        new FrameHandler(opened));
                }
            });
        final int port = uri.getPort() > 0 ? uri.getPort() : 80;
        bootstrap.connect(uri.getHost(), port).addListener((f) ->
        {
            if (!f.isSuccess())
            {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    boolean isOpen()
    {
        return null != channel;
    }

    ProtocolVersion version()
    {
        return version;
    }

    /**
     * Queues one encoded ClientMessage; any thread.
     *
     * @param buffer holding it.
     * @param offset of it.
     * @param length of it.
     * @return false when the outbound ring is full.
     */
    boolean send(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (!outbound.write(MESSAGE_TYPE, buffer, offset, length))
        {
            return false;
        }
        if (flushScheduled.compareAndSet(false, true))
        {
            group.execute(flushTask);
        }
        return true;
    }

    /**
     * The next inbound frame ({@link ByteBuf}, which the caller must release) or event; polling thread only.
     *
     * @return the item, or null.
     */
    Object poll()
    {
        return inbound.poll();
    }

    /** Polling thread: re-enables reading if frames overflowed the queue. */
    void afterPoll()
    {
        if (!overflowEmpty() && refillScheduled.compareAndSet(false, true))
        {
            group.execute(refillTask);
        }
    }

    boolean hasInbound()
    {
        return !inbound.isEmpty();
    }

    void schedule(final Runnable task, final long delayMs)
    {
        if (!group.isShuttingDown())
        {
            group.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    void closeChannel()
    {
        final Channel current = channel;
        if (null != current)
        {
            current.close();
        }
    }

    @Override
    public void close()
    {
        closeChannel();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        Object item;
        while (null != (item = inbound.poll()))
        {
            ReferenceCountUtil.release(item);
        }
        for (final Object o : overflow)
        {
            ReferenceCountUtil.release(o);
        }
        overflow.clear();
    }

    private synchronized boolean overflowEmpty()
    {
        return overflow.isEmpty();
    }

    private void enqueue(final Object item)
    {
        synchronized (this)
        {
            if (!overflow.isEmpty() || !inbound.offer(item))
            {
                overflow.addLast(item);
                final Channel current = channel;
                if (null != current)
                {
                    current.config().setAutoRead(false);
                }
            }
        }
        onInbound.run();
    }

    private void refill()
    {
        refillScheduled.set(false);
        synchronized (this)
        {
            while (!overflow.isEmpty() && inbound.offer(overflow.peekFirst()))
            {
                overflow.pollFirst();
            }
            final Channel current = channel;
            if (overflow.isEmpty() && null != current)
            {
                current.config().setAutoRead(true);
            }
        }
        onInbound.run();
    }

    private void flush()
    {
        flushScheduled.set(false);
        final Channel current = channel;
        if (null == current)
        {
            return;
        }
        // Loop while the ring's consumer position moves, not while read() returns messages: a read that reaches the
        // padding record at the end of the ring consumes it but returns 0 messages, and the messages already waiting
        // at the start of the ring would otherwise stay there until some later send schedules another flush (with
        // one call in flight, never).
        long consumed;
        do
        {
            consumed = outbound.consumerPosition();
            outbound.read(batchHandler, 4096);
            if (version == ProtocolVersion.V3)
            {
                writeBatch(current);
            }
        }
        while (outbound.consumerPosition() != consumed);
        writeBatch(current);
        current.flush();
    }

    private void batch(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final Channel current = channel;
        if (null != batch && (version == ProtocolVersion.V2 || batch.readableBytes() + length > MAX_V3_FRAME_BYTES))
        {
            writeBatch(current);
        }
        if (null == batch)
        {
            batch = current.alloc().directBuffer(version == ProtocolVersion.V2 ? length :
                Math.max(length, Math.min(MAX_V3_FRAME_BYTES, 16 * 1024)));
        }
        batch.ensureWritable(length);
        if (batch.hasMemoryAddress())
        {
            frameWriter.wrap(batch.memoryAddress(), batch.capacity());
            frameWriter.putBytes(batch.writerIndex(), buffer, index, length);
            batch.writerIndex(batch.writerIndex() + length);
        }
        else
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(index, bytes);
            batch.writeBytes(bytes);
        }
    }

    private void writeBatch(final Channel current)
    {
        if (null != batch)
        {
            current.write(new BinaryWebSocketFrame(batch), current.voidPromise());
            batch = null;
        }
    }

    private final class FrameHandler extends ChannelInboundHandlerAdapter
    {
        private final CompletableFuture<ProtocolVersion> opened;
        private Throwable cause;

        FrameHandler(final CompletableFuture<ProtocolVersion> opened)
        {
            this.opened = opened;
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
            {
                final String negotiated = ctx.pipeline().get(WebSocketClientProtocolHandler.class).handshaker()
                    .actualSubprotocol();
                final ProtocolVersion negotiatedVersion = null == negotiated || negotiated.isEmpty() ?
                    ProtocolVersion.V2 : ProtocolVersion.fromSubprotocol(negotiated);
                if (null == negotiatedVersion)
                {
                    opened.completeExceptionally(new IllegalStateException("server chose subprotocol " + negotiated));
                    ctx.close();
                    return;
                }
                version = negotiatedVersion;
                channel = ctx.channel();
                enqueue(new Opened(negotiatedVersion));
                opened.complete(negotiatedVersion);
                flush();
            }
            else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT)
            {
                cause = new IllegalStateException("WebSocket handshake timed out");
                opened.completeExceptionally(cause);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof BinaryWebSocketFrame frame)
            {
                enqueue(frame.content());
            }
            else
            {
                if (msg instanceof WebSocketFrame)
                {
                    cause = new IllegalStateException("server sent a " + msg.getClass().getSimpleName() +
                        " (v2/v3 use binary frames only)");
                    ctx.close();
                }
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable error)
        {
            if (null == cause)
            {
                cause = error;
            }
            opened.completeExceptionally(error);
            ctx.close();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            final boolean wasOpen = channel == ctx.channel();
            if (wasOpen)
            {
                channel = null;
                if (null != batch)
                {
                    batch.release();
                    batch = null;
                }
                outbound.read(discardHandler, Integer.MAX_VALUE);
                enqueue(new Closed(null == cause ? new ConnectionLostException("connection closed") : cause));
            }
            opened.completeExceptionally(null == cause ? new ConnectionLostException("connection closed") : cause);
            if (wasOpen)
            {
                onClosed.run();
            }
            super.channelInactive(ctx);
        }
    }
}
