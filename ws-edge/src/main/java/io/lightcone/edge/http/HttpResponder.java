package io.lightcone.edge.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer to one HTTP request, from any thread: the first {@link #respond} (or {@link #startStream}) wins and later
 * ones are ignored, so a reply from the core and a timeout can race safely. Netty's {@code writeAndFlush} hands the
 * write to the channel's event loop, so the edge agent never blocks on a client.
 */
public final class HttpResponder
{
    private final Channel channel;
    private final boolean keepAlive;
    private final HttpHeaders extraHeaders;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile HttpHeaders answerHeaders;

    /**
     * A responder.
     *
     * @param channel      the client's channel.
     * @param keepAlive    whether the request asked for keep-alive.
     * @param extraHeaders headers for every answer (CORS, minted identity).
     */
    public HttpResponder(final Channel channel, final boolean keepAlive, final HttpHeaders extraHeaders)
    {
        this.channel = channel;
        this.keepAlive = keepAlive;
        this.extraHeaders = extraHeaders;
    }

    /**
     * Sets a header of the coming answer (replacing an earlier value of the same name); call before
     * {@link #respond}.
     *
     * @param name  the header name.
     * @param value its value.
     * @return this.
     */
    public HttpResponder header(final CharSequence name, final Object value)
    {
        HttpHeaders headers = answerHeaders;
        if (null == headers)
        {
            headers = new DefaultHttpHeaders();
            answerHeaders = headers;
        }
        headers.set(name, value);
        return this;
    }

    /**
     * Answers unless already answered.
     *
     * @param status      the status.
     * @param contentType the content type, or null for none.
     * @param body        the body text (UTF-8).
     * @return true if this call answered.
     */
    public boolean respond(final HttpResponseStatus status, final String contentType, final String body)
    {
        if (!answered.compareAndSet(false, true))
        {
            return false;
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (null != contentType)
        {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().add(extraHeaders);
        if (null != answerHeaders)
        {
            response.headers().add(answerHeaders);
        }
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive)
        {
            channel.writeAndFlush(response);
        }
        else
        {
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        return true;
    }

    /**
     * Answers 200 with a chunked body that {@link #chunk} extends until the client goes away.
     *
     * @param contentType the content type.
     * @return true if this call answered.
     */
    public boolean startStream(final String contentType)
    {
        if (!answered.compareAndSet(false, true))
        {
            return false;
        }
        final HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        response.headers().add(extraHeaders);
        channel.writeAndFlush(response);
        return true;
    }

    /**
     * One more piece of a streamed body.
     *
     * @param text the piece (UTF-8).
     * @return false when the client is gone.
     */
    public boolean chunk(final String text)
    {
        if (!channel.isActive())
        {
            return false;
        }
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        return true;
    }

    /**
     * Ends a stream (or drops an unanswered request) by closing the channel.
     */
    public void close()
    {
        answered.set(true);
        channel.close();
    }

    /**
     * Answers 504 after a delay unless answered before.
     *
     * @param timeoutNs the delay.
     * @param onTimeout run (on the event loop) when the timeout answered.
     */
    public void timeoutAfter(final long timeoutNs, final Runnable onTimeout)
    {
        channel.eventLoop().schedule(() ->
        {
            if (respond(HttpResponseStatus.GATEWAY_TIMEOUT, "text/plain",
                "the core did not answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms"))
            {
                onTimeout.run();
            }
        }, timeoutNs, TimeUnit.NANOSECONDS);
    }

    /**
     * Run when the client's channel closes.
     *
     * @param action the action.
     */
    public void onClose(final Runnable action)
    {
        channel.closeFuture().addListener((f) -> action.run());
    }

    /**
     * @return whether an answer was given.
     */
    public boolean isAnswered()
    {
        return answered.get();
    }

    /**
     * Headers for an answer: CORS always.
     *
     * @return new headers with CORS set.
     */
    public static HttpHeaders corsHeaders()
    {
        final HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, DELETE, OPTIONS");
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Accept, Content-Type");
        return headers;
    }
}
