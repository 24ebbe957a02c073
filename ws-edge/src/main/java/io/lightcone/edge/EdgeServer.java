package io.lightcone.edge;

import io.lightcone.edge.auth.TokenIssuer;
import io.lightcone.edge.auth.TokenValidator;
import io.lightcone.edge.http.HttpApiHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An edge: Netty (native epoll when available, else NIO) serving HTTP and WebSocket, and one {@link EdgeAgent} on its
 * own thread linked to the core.
 * <pre>
 *   boss (1) + workers: HTTP routes, WS handshake, frame I/O ──commands──▶ edge-agent thread ◀──egress── core
 *                                                                         └──ingress──▶ core
 *   edge-auth threads: token signature checks and JWKS fetches, off the event loops
 * </pre>
 * Every client is bounded: inbound messages waiting (1013), inbound message size (1009), outbound bytes queued
 * (1008, a client too slow), and liveness (ping, idle timeout); see docs/edge.md.
 */
public final class EdgeServer implements AutoCloseable
{
    private static final int MAX_HTTP_BODY = 16 * 1024 * 1024; // a published module is one request body

    private final EdgeContext ctx;
    private final EdgeAgent agent;
    private final AgentRunner agentRunner;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;
    private final boolean epoll;

    private EdgeServer(final EdgeContext ctx)
    {
        this.ctx = ctx;
        this.agent = new EdgeAgent(ctx);
        final TokenIssuer issuer = new TokenIssuer(ctx.authContext());
        final TokenValidator validator = new TokenValidator(ctx.authContext(), issuer.keys());
        final AtomicLong sessionIds = new AtomicLong();
        this.epoll = ctx.epollEnabled() && Epoll.isAvailable();
        final IoHandlerFactory ioHandlerFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.agentRunner = new AgentRunner(ctx.idleStrategy(), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(agentRunner);
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, ioHandlerFactory);
        this.workerGroup = new MultiThreadIoEventLoopGroup(ctx.workerThreads(), ioHandlerFactory);
        try
        {
            this.serverChannel = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelClass)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(ctx.writeBufferLowWaterMark(), ctx.writeBufferHighWaterMark()))
                .childHandler(new ChannelInitializer<Channel>()
                {
                    @Override
                    protected void initChannel(final Channel ch)
                    {
                        ch.pipeline().addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(MAX_HTTP_BODY),
                            new HttpApiHandler(ctx, agent, issuer, validator, sessionIds));
                    }
                })
                .bind(ctx.listenHost(), ctx.listenPort())
                .syncUninterruptibly()
                .channel();
        }
        catch (final RuntimeException ex)
        {
            shutdown();
            throw ex;
        }
    }

    /**
     * Start an edge.
     *
     * @param ctx the context, concluded here.
     * @return the running edge.
     */
    public static EdgeServer launch(final EdgeContext ctx)
    {
        return new EdgeServer(ctx.conclude());
    }

    /**
     * @return the bound port (useful with port 0).
     */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /**
     * @return whether native epoll is in use.
     */
    public boolean isEpoll()
    {
        return epoll;
    }

    /**
     * @return the agent.
     */
    public EdgeAgent agent()
    {
        return agent;
    }

    /**
     * @return the context.
     */
    public EdgeContext context()
    {
        return ctx;
    }

    /**
     * Stop accepting, close every connection, stop the agent and close the core link.
     */
    public void close()
    {
        if (null != serverChannel)
        {
            serverChannel.close().syncUninterruptibly();
        }
        shutdown();
    }

    private void shutdown()
    {
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        CloseHelper.closeAll(agentRunner, ctx.coreLink(), ctx);
    }
}
