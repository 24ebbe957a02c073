package io.lightcone.bench.fanout;

import io.lightcone.edge.protocol.ClientMessageEncoder;
import io.lightcone.edge.protocol.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import org.agrona.ExpandableArrayBuffer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many light WebSocket subscribers to a Lightcone database on one shared Netty event-loop group: each connects
 * anonymously (v3 BSATN, no compression), sends one Subscribe with its zone's query once the server's
 * InitialConnection arrived, and then only walks the server frames: the initial snapshot is counted, each
 * TransactionUpdate's inserted rows are decoded just enough (zone, seq, sent_ns) to be checked and timed, deletes are
 * counted, and nothing is kept. Walking a frame allocates nothing.
 */
final class SubscriberSockets implements AutoCloseable
{
    private static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    private static final int CONCURRENT_HANDSHAKES = 64;
    private static final String TABLE = "position";

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final FanoutRecorder recorder;
    private final AtomicReference<String> firstError = new AtomicReference<>();

    /**
     * @param recorder where rows go.
     * @param threads  event-loop threads for all connections.
     */
    SubscriberSockets(final FanoutRecorder recorder, final int threads)
    {
        this.recorder = recorder;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    /**
     * Connects every subscriber and waits until each one's subscription is applied.
     *
     * @param baseUrl   {@code http://host:port}.
     * @param database  database name.
     * @param confirmed confirmed reads ({@code confirmed=} on the subscribe URL).
     * @param timeoutMs longest wait for all of them.
     * @throws InterruptedException if interrupted.
     */
    void connectAll(final String baseUrl, final String database, final boolean confirmed, final long timeoutMs)
        throws InterruptedException
    {
        final URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/v1/database/" + database +
            "/subscribe?compression=None&confirmed=" + confirmed);
        final int n = recorder.workload().subscribers();
        final CountDownLatch applied = new CountDownLatch(n);
        final Semaphore handshakes = new Semaphore(CONCURRENT_HANDSHAKES);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (int i = 0; i < n; i++)
        {
            if (!handshakes.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
            {
                throw new IllegalStateException("timed out connecting subscriber " + i + " of " + n + failure());
            }
            final Subscriber subscriber = new Subscriber(i, applied, handshakes);
            channels.add(connect(uri, subscriber, timeoutMs));
        }
        if (!applied.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
        {
            throw new IllegalStateException(applied.getCount() + " of " + n + " subscriptions not applied within " +
                timeoutMs + " ms" + failure());
        }
        if (null != firstError.get())
        {
            throw new IllegalStateException("a subscriber failed" + failure());
        }
    }

    /**
     * @return the first error a subscriber saw, or null.
     */
    String firstError()
    {
        return firstError.get();
    }

    @Override
    public void close()
    {
        for (final Channel channel : channels)
        {
            channel.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private String failure()
    {
        final String error = firstError.get();
        return null == error ? "" : ": " + error;
    }

    private Channel connect(final URI uri, final Subscriber subscriber, final long timeoutMs)
    {
        final WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .subprotocol(Protocol.SUBPROTOCOL_V3)
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
                        subscriber);
                }
            });
        final int port = uri.getPort() > 0 ? uri.getPort() : 80;
        final Channel channel = bootstrap.connect(uri.getHost(), port).channel();
        channel.closeFuture().addListener((f) -> subscriber.closed());
        return channel;
    }

    private void error(final int subscriber, final String message)
    {
        firstError.compareAndSet(null, "subscriber " + subscriber + ": " + message);
    }

    /** One connection's handler, on its event loop. */
    private final class Subscriber extends SimpleChannelInboundHandler<BinaryWebSocketFrame>
    {
        private final int index;
        private final CountDownLatch applied;
        private final Semaphore handshakes;
        private boolean subscribed;
        private boolean done;

        Subscriber(final int index, final CountDownLatch applied, final Semaphore handshakes)
        {
            this.index = index;
            this.applied = applied;
            this.handshakes = handshakes;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final BinaryWebSocketFrame frame)
        {
            final long nowNs = System.nanoTime();
            final ByteBuf in = frame.content();
            if (in.readableBytes() < 1 || in.readByte() != Protocol.COMPRESSION_TAG_NONE)
            {
                error(index, "frame without the uncompressed tag");
                return;
            }
            try
            {
                while (in.isReadable())
                {
                    message(ctx, in, nowNs);
                }
            }
            catch (final IndexOutOfBoundsException | IllegalStateException ex)
            {
                error(index, "malformed server message: " + ex.getMessage());
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            error(index, String.valueOf(cause));
            ctx.close();
        }

        void closed()
        {
            if (!subscribed)
            {
                error(index, "connection closed before the subscription was applied");
                release();
            }
        }

        private void release()
        {
            if (!done)
            {
                done = true;
                handshakes.release();
            }
        }

        private void message(final ChannelHandlerContext ctx, final ByteBuf in, final long nowNs)
        {
            final int tag = in.readUnsignedByte();
            switch (tag)
            {
                case Protocol.SERVER_INITIAL_CONNECTION:
                    in.skipBytes(Protocol.IDENTITY_BYTES + Protocol.CONNECTION_ID_BYTES);
                    skipString(in);
                    subscribe(ctx);
                    break;
                case Protocol.SERVER_SUBSCRIBE_APPLIED:
                    in.skipBytes(8);
                    final int tables = in.readIntLE();
                    long rows = 0;
                    for (int t = 0; t < tables; t++)
                    {
                        skipString(in);
                        rows += rowList(in, false, nowNs);
                    }
                    recorder.snapshot(index, rows);
                    subscribed = true;
                    release();
                    applied.countDown();
                    break;
                case Protocol.SERVER_SUBSCRIPTION_ERROR:
                    if (in.readUnsignedByte() == Protocol.OPTION_SOME)
                    {
                        in.skipBytes(4);
                    }
                    in.skipBytes(4);
                    final int length = in.readIntLE();
                    error(index, "subscription error: " + in.readCharSequence(length, StandardCharsets.UTF_8));
                    release();
                    break;
                case Protocol.SERVER_TRANSACTION_UPDATE:
                    transactionUpdate(in, nowNs);
                    break;
                default:
                    throw new IllegalStateException("unexpected ServerMessage tag " + tag);
            }
        }

        private void transactionUpdate(final ByteBuf in, final long nowNs)
        {
            recorder.message(nowNs);
            final int sets = in.readIntLE();
            for (int s = 0; s < sets; s++)
            {
                in.skipBytes(4);
                final int tables = in.readIntLE();
                for (int t = 0; t < tables; t++)
                {
                    final int nameLength = in.readIntLE();
                    if (nameLength != TABLE.length())
                    {
                        throw new IllegalStateException("update of a table other than " + TABLE);
                    }
                    in.skipBytes(nameLength);
                    final int updates = in.readIntLE();
                    for (int u = 0; u < updates; u++)
                    {
                        final int kind = in.readUnsignedByte();
                        if (kind != Protocol.ROWS_PERSISTENT)
                        {
                            throw new IllegalStateException("TableUpdateRows tag " + kind);
                        }
                        rowList(in, true, nowNs);
                        recorder.deleted(rowList(in, false, nowNs));
                    }
                }
            }
        }

        /** Walks a BsatnRowList; records its rows as inserts when asked; returns the row count. */
        private long rowList(final ByteBuf in, final boolean inserts, final long nowNs)
        {
            final int hint = in.readUnsignedByte();
            int rowSize = FanoutWorkload.ROW_BYTES;
            if (hint == Protocol.HINT_FIXED_SIZE)
            {
                rowSize = in.readUnsignedShortLE();
            }
            else if (hint == Protocol.HINT_ROW_OFFSETS)
            {
                in.skipBytes(8 * in.readIntLE());
            }
            else
            {
                throw new IllegalStateException("RowSizeHint tag " + hint);
            }
            final int length = in.readIntLE();
            if (rowSize != FanoutWorkload.ROW_BYTES || length % rowSize != 0)
            {
                throw new IllegalStateException(length + " bytes of rows of " + rowSize + " bytes");
            }
            final int start = in.readerIndex();
            if (inserts)
            {
                for (int at = start; at < start + length; at += rowSize)
                {
                    recorder.row(index, in.getIntLE(at + 4), in.getLongLE(at + 8), in.getLongLE(at + 16), nowNs);
                }
            }
            in.skipBytes(length);
            return length / rowSize;
        }

        private void subscribe(final ChannelHandlerContext ctx)
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128);
            final ClientMessageEncoder encoder = new ClientMessageEncoder().wrap(buffer, 0);
            encoder.subscribe(1, 1, List.of("SELECT * FROM " + TABLE + " WHERE zone = " +
                recorder.workload().zoneOf(index)));
            ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(buffer.byteArray(), 0,
                encoder.length())));
        }

        private void skipString(final ByteBuf in)
        {
            in.skipBytes(in.readIntLE());
        }
    }
}
