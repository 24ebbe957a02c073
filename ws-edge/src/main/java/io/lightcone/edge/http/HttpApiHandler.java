package io.lightcone.edge.http;

import io.lightcone.edge.EdgeAgent;
import io.lightcone.edge.EdgeContext;
import io.lightcone.edge.EdgeCounter;
import io.lightcone.edge.auth.AuthException;
import io.lightcone.edge.auth.Claims;
import io.lightcone.edge.auth.ConnectionId;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.auth.MintedIdentity;
import io.lightcone.edge.auth.TokenIssuer;
import io.lightcone.edge.auth.TokenValidator;
import io.lightcone.edge.protocol.Compression;
import io.lightcone.edge.protocol.ProtocolVersion;
import io.lightcone.edge.ws.ClientSession;
import io.lightcone.edge.ws.WebSocketSessionHandler;
import io.lightcone.wire.metrics.PrometheusExposition;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP API under {@code /v1} (reference/spacetimedb-contracts.md §3) and the WebSocket upgrade of
 * {@code /v1/database/:name/subscribe} (§2.2). One instance per channel, on its event loop.
 * <p>
 * Served: ping, health, identity (create, websocket-token, public-key, verify, databases), subscribe and the database
 * routes (publish, get, delete, names, identity, call, schema, logs, sql; see {@link DatabaseApi} and
 * docs/http-api.md); CORS on every response and OPTIONS preflight. Database routes never wait on the event loop: their
 * work runs on the edge agent and is answered through an {@link HttpResponder}.
 * <p>
 * Tokens are never validated on the event loop: a request that carries one (an {@code Authorization: Bearer}
 * header, or {@code ?token=} on subscribe and the database routes), and an anonymous subscribe (which mints one),
 * first goes to the context's auth executor (signature checks, maybe a JWKS fetch over HTTP); the request is routed
 * on the channel's event loop once that is done, with reads paused and later pipelined requests held meanwhile so
 * responses keep their order. A full auth executor answers 503.
 */
public final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    /** Response header naming the identity of an anonymous client. */
    public static final String IDENTITY_HEADER = "spacetime-identity";
    /** Response header carrying the token minted for an anonymous client. */
    public static final String TOKEN_HEADER = "spacetime-identity-token";

    private static final String SUBSCRIBE_PREFIX = "/v1/database/";
    private static final String DATABASE_PATH = "/v1/database";
    private static final String SUBSCRIBE_SUFFIX = "/subscribe";
    private static final String IDENTITY_PREFIX = "/v1/identity/";
    private static final String VERIFY_SUFFIX = "/verify";
    private static final String DATABASES_SUFFIX = "/databases";

    private final EdgeContext ctx;
    private final EdgeAgent agent;
    private final TokenIssuer issuer;
    private final TokenValidator validator;
    private final AtomicLong sessionIds;
    private final ArrayDeque<FullHttpRequest> held = new ArrayDeque<>();
    private boolean authenticating;
    private Credentials credentials = Credentials.NONE;

    /**
     * What validating the token of one request found: its claims or why it was refused; for an anonymous subscribe,
     * the minted identity as well.
     */
    private record Credentials(String token, Claims claims, AuthException error, MintedIdentity minted)
    {
        static final Credentials NONE = new Credentials(null, null, null, null);
    }

    /**
     * A handler.
     *
     * @param ctx        the concluded context.
     * @param agent      the edge agent.
     * @param issuer     mints tokens.
     * @param validator  validates tokens.
     * @param sessionIds session id source.
     */
    public HttpApiHandler(
        final EdgeContext ctx,
        final EdgeAgent agent,
        final TokenIssuer issuer,
        final TokenValidator validator,
        final AtomicLong sessionIds)
    {
        this.ctx = ctx;
        this.agent = agent;
        this.issuer = issuer;
        this.validator = validator;
        this.sessionIds = sessionIds;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    protected void channelRead0(final ChannelHandlerContext channelCtx, final FullHttpRequest request)
    {
        if (authenticating)
        {
            held.addLast(request.retain());
            return;
        }
        handle(channelCtx, request);
    }

    private void handle(final ChannelHandlerContext channelCtx, final FullHttpRequest request)
    {
        final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        final String path = uri.path();
        final boolean subscribe = HttpMethod.GET.equals(request.method()) && path.startsWith(SUBSCRIBE_PREFIX) &&
            path.endsWith(SUBSCRIBE_SUFFIX);
        final String bearer = bearer(request);
        final String token = null == bearer && (subscribe || isDatabaseRoute(path)) ?
            param(uri, "token") : bearer;
        if (null == token && !subscribe)
        {
            route(channelCtx, request, uri, Credentials.NONE);
            return;
        }
        authenticating = true;
        channelCtx.channel().config().setAutoRead(false);
        request.retain();
        try
        {
            ctx.authExecutor().execute(() -> validateThenRoute(channelCtx, request, uri, token));
        }
        catch (final RejectedExecutionException ex)
        {
            ctx.counter(EdgeCounter.AUTH_REJECTED_BUSY).increment();
            respond(channelCtx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain",
                "server busy validating tokens, try again later");
            resumed(channelCtx, request);
        }
    }

    /** On the auth executor: validate (or mint, for an anonymous subscribe), then route on the event loop. */
    private void validateThenRoute(
        final ChannelHandlerContext channelCtx, final FullHttpRequest request, final QueryStringDecoder uri,
        final String token)
    {
        Credentials found;
        try
        {
            if (null == token)
            {
                final MintedIdentity minted = issuer.mintIdentity();
                found = new Credentials(minted.token(), validator.validate(minted.token()), null, minted);
            }
            else
            {
                found = new Credentials(token, validator.validate(token), null, null);
            }
        }
        catch (final AuthException ex)
        {
            found = new Credentials(token, null, ex, null);
        }
        catch (final RuntimeException ex)
        {
            found = new Credentials(token, null, new AuthException(
                AuthException.Reason.MALFORMED, "token could not be validated: " + ex.getMessage(), ex), null);
        }
        final Credentials result = found;
        try
        {
            channelCtx.executor().execute(() ->
            {
                route(channelCtx, request, uri, result);
                resumed(channelCtx, request);
            });
        }
        catch (final RejectedExecutionException ex)
        {
            request.release();
        }
    }

    /** The request that waited for validation is answered: release it, read again and handle any held requests. */
    private void resumed(final ChannelHandlerContext channelCtx, final FullHttpRequest request)
    {
        request.release();
        authenticating = false;
        final boolean stillHttp = null != channelCtx.pipeline().context(this);
        if (stillHttp)
        {
            channelCtx.channel().config().setAutoRead(true);
        }
        FullHttpRequest next;
        while (!authenticating && null != (next = held.pollFirst()))
        {
            try
            {
                if (stillHttp && channelCtx.channel().isActive())
                {
                    handle(channelCtx, next);
                }
            }
            finally
            {
                next.release();
            }
        }
    }

    private void route(
        final ChannelHandlerContext channelCtx, final FullHttpRequest request, final QueryStringDecoder uri,
        final Credentials credentials)
    {
        final String path = uri.path();
        final HttpMethod method = request.method();
        this.credentials = credentials;
        try
        {
            if (HttpMethod.OPTIONS.equals(method))
            {
                respond(channelCtx, request, HttpResponseStatus.OK, null, "");
            }
            else if (HttpMethod.GET.equals(method) && "/v1/ping".equals(path))
            {
                respond(channelCtx, request, HttpResponseStatus.OK, null, "");
            }
            else if (HttpMethod.GET.equals(method) && "/metrics".equals(path))
            {
                respond(channelCtx, request, HttpResponseStatus.OK, PrometheusExposition.CONTENT_TYPE,
                    PrometheusExposition.render(ctx.allMetricsReaders()));
            }
            else if (HttpMethod.GET.equals(method) && "/v1/health".equals(path))
            {
                respond(channelCtx, request, HttpResponseStatus.OK, "application/json",
                    "{\"status\":\"ok\",\"databases\":" + agent.databaseCount() + ",\"connections\":" +
                    agent.sessionCount() + "}");
            }
            else if (HttpMethod.POST.equals(method) && "/v1/identity".equals(path))
            {
                final MintedIdentity minted = issuer.mintIdentity();
                respond(channelCtx, request, HttpResponseStatus.OK, "application/json",
                    "{\"identity\":\"" + minted.identity().toHex() + "\",\"token\":\"" + minted.token() + "\"}");
            }
            else if (HttpMethod.POST.equals(method) && "/v1/identity/websocket-token".equals(path))
            {
                final Claims claims = requireBearer(request);
                respond(channelCtx, request, HttpResponseStatus.OK, "application/json",
                    "{\"token\":\"" + issuer.websocketToken(claims) + "\"}");
            }
            else if (HttpMethod.GET.equals(method) && "/v1/identity/public-key".equals(path))
            {
                respond(channelCtx, request, HttpResponseStatus.OK, "application/pem-certificate-chain",
                    issuer.publicKeyPem());
            }
            else if (HttpMethod.GET.equals(method) && path.startsWith(IDENTITY_PREFIX) && path.endsWith(VERIFY_SUFFIX))
            {
                verify(channelCtx, request, path.substring(IDENTITY_PREFIX.length(),
                    path.length() - VERIFY_SUFFIX.length()));
            }
            else if (HttpMethod.GET.equals(method) && path.startsWith(SUBSCRIBE_PREFIX) &&
                path.endsWith(SUBSCRIBE_SUFFIX))
            {
                subscribe(channelCtx, request, uri,
                    path.substring(SUBSCRIBE_PREFIX.length(), path.length() - SUBSCRIBE_SUFFIX.length()));
            }
            else if (HttpMethod.GET.equals(method) && path.startsWith(IDENTITY_PREFIX) &&
                path.endsWith(DATABASES_SUFFIX))
            {
                ownedBy(channelCtx, request, path.substring(IDENTITY_PREFIX.length(),
                    path.length() - DATABASES_SUFFIX.length()));
            }
            else if (isDatabaseRoute(path))
            {
                database(channelCtx, request, uri, path);
            }
            else
            {
                respond(channelCtx, request, HttpResponseStatus.NOT_FOUND, "text/plain", "not found: " + path);
            }
        }
        catch (final AuthException ex)
        {
            respond(channelCtx, request, HttpResponseStatus.UNAUTHORIZED, "text/plain", ex.httpMessage());
        }
        finally
        {
            this.credentials = Credentials.NONE;
        }
    }

    private void ownedBy(final ChannelHandlerContext channelCtx, final FullHttpRequest request, final String hex)
    {
        final Identity owner = identityOrBadRequest(channelCtx, request, hex);
        if (null == owner)
        {
            return;
        }
        final HttpResponder responder = new HttpResponder(channelCtx.channel(), HttpUtil.isKeepAlive(request),
            HttpResponder.corsHeaders());
        submit(responder, () -> agent.databaseApi().ownedBy(responder, owner));
    }

    /**
     * The {@code /v1/database} routes: the caller is authenticated (or minted an identity, announced in the
     * response headers), the request is checked as far as it can be without the database, and the rest runs on the
     * edge agent ({@link DatabaseApi}), which answers through an {@link HttpResponder}.
     */
    private void database(
        final ChannelHandlerContext channelCtx,
        final FullHttpRequest request,
        final QueryStringDecoder uri,
        final String path) throws AuthException
    {
        final String[] parts = path.split("/", -1);
        // "", "v1", "database", name, sub, function
        final HttpMethod method = request.method();
        final String name = parts.length > 3 ? decode(parts[3]) : null;
        final String sub = parts.length > 4 ? parts[4] : null;
        if ((parts.length > 3 && name.isEmpty()) || parts.length > 6 ||
            (parts.length == 6 && !"call".equals(sub)) || (parts.length == 5 && "call".equals(sub)))
        {
            respond(channelCtx, request, HttpResponseStatus.NOT_FOUND, "text/plain", "not found: " + path);
            return;
        }
        final HttpHeaders headers = HttpResponder.corsHeaders();
        final Identity caller = caller(request, uri, headers);
        final HttpResponder r = new HttpResponder(channelCtx.channel(), HttpUtil.isKeepAlive(request), headers);
        final DatabaseApi api = agent.databaseApi();
        final String route = method.name() + " " + (null == name ? "" : null == sub ? ":name" : sub);
        switch (route)
        {
            case "POST " -> publish(request, uri, r, caller, null);
            case "PUT :name" -> publish(request, uri, r, caller, name);
            case "GET :name" -> submit(r, () -> api.describe(r, name));
            case "DELETE :name" -> submit(r, () -> api.delete(r, caller, name));
            case "GET names" -> submit(r, () -> api.names(r, name));
            case "POST names" ->
            {
                final String newName = request.content().toString(StandardCharsets.UTF_8);
                submit(r, () -> api.addName(r, caller, name, newName));
            }
            case "PUT names" ->
            {
                final String json = request.content().toString(StandardCharsets.UTF_8);
                submit(r, () -> api.replaceNames(r, caller, name, json));
            }
            case "GET identity" -> submit(r, () -> api.identity(r, name));
            case "GET schema" -> submit(r, () -> api.schema(r, name, param(uri, "version")));
            case "GET logs" -> logs(uri, r, caller, name);
            case "POST sql" ->
            {
                final String sql = request.content().toString(StandardCharsets.UTF_8);
                submit(r, () -> api.sql(r, caller, name, sql));
            }
            case "POST call" ->
            {
                final String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
                if (null == contentType || !contentType.toLowerCase(java.util.Locale.ROOT)
                    .startsWith("application/json"))
                {
                    r.respond(HttpResponseStatus.BAD_REQUEST, "text/plain",
                        "Content-Type: application/json is required");
                    return;
                }
                final String function = decode(parts[5]);
                final String json = request.content().toString(StandardCharsets.UTF_8);
                submit(r, () -> api.call(r, caller, name, function, json));
            }
            default -> r.respond(HttpResponseStatus.NOT_FOUND, "text/plain", "not found: " + method + " " + path);
        }
    }

    private void publish(
        final FullHttpRequest request,
        final QueryStringDecoder uri,
        final HttpResponder r,
        final Identity caller,
        final String name)
    {
        final byte[] wasm = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), wasm);
        if (wasm.length == 0)
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, "text/plain", "the request body must be the module (wasm)");
            return;
        }
        final String hostType = param(uri, "host_type");
        if (null != hostType && !"wasm".equalsIgnoreCase(hostType))
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, "text/plain", "host_type " + hostType +
                " is not supported: only wasm modules");
            return;
        }
        final boolean clear = Boolean.parseBoolean(param(uri, "clear"));
        submit(r, () -> agent.databaseApi().publish(r, caller, name, wasm, clear));
    }

    private void logs(final QueryStringDecoder uri, final HttpResponder r, final Identity caller, final String name)
    {
        final String numLines = param(uri, "num_lines");
        final int lines;
        try
        {
            lines = null == numLines ? -1 : Integer.parseInt(numLines);
            if (lines < -1)
            {
                throw new NumberFormatException(numLines);
            }
        }
        catch (final NumberFormatException ex)
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, "text/plain", "num_lines must be a non-negative integer: " +
                numLines);
            return;
        }
        final boolean follow = Boolean.parseBoolean(param(uri, "follow"));
        submit(r, () -> agent.databaseApi().logs(r, caller, name, lines, follow));
    }

    private void submit(final HttpResponder r, final Runnable work)
    {
        if (!agent.submit(work))
        {
            r.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "edge busy, try again later");
        }
    }

    /**
     * The caller of a database route: from {@code Authorization: Bearer} or {@code ?token=}, or, with neither, a
     * freshly minted identity whose identity and token are added to the response headers.
     */
    private Identity caller(final FullHttpRequest request, final QueryStringDecoder uri, final HttpHeaders headers)
        throws AuthException
    {
        String token = bearer(request);
        if (null == token)
        {
            token = param(uri, "token");
        }
        if (null != token)
        {
            // Checked off the event loop before routing (see handle); validate here only if it somehow was not.
            return token.equals(credentials.token()) ? claims(credentials).identity() :
                validator.validate(token).identity();
        }
        final MintedIdentity minted = issuer.mintIdentity();
        headers.set(IDENTITY_HEADER, minted.identity().toHex());
        headers.set(TOKEN_HEADER, minted.token());
        return minted.identity();
    }

    private static boolean isDatabaseRoute(final String path)
    {
        return DATABASE_PATH.equals(path) || path.startsWith(SUBSCRIBE_PREFIX);
    }

    private static String decode(final String segment)
    {
        return QueryStringDecoder.decodeComponent(segment);
    }

    private static Identity identityOrBadRequest(
        final ChannelHandlerContext channelCtx, final FullHttpRequest request, final String hex)
    {
        try
        {
            return Identity.fromHex(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            respond(channelCtx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", "invalid identity: " + hex);
            return null;
        }
    }

    private void verify(final ChannelHandlerContext channelCtx, final FullHttpRequest request, final String hex)
        throws AuthException
    {
        final Identity identity = identityOrBadRequest(channelCtx, request, hex);
        if (null == identity)
        {
            return;
        }
        final Claims claims = requireBearer(request);
        respond(channelCtx, request, claims.identity().equals(identity) ?
            HttpResponseStatus.NO_CONTENT : HttpResponseStatus.BAD_REQUEST, null, "");
    }

    /**
     * The claims of the request's bearer token, validated off the event loop before routing.
     *
     * @param request the request being routed.
     * @return the claims.
     * @throws AuthException if there is no bearer token or it was refused.
     */
    private Claims requireBearer(final FullHttpRequest request) throws AuthException
    {
        final String token = bearer(request);
        if (null == token || !token.equals(credentials.token()))
        {
            throw new AuthException(AuthException.Reason.MALFORMED, "Authorization required");
        }
        return claims(credentials);
    }

    private static Claims claims(final Credentials credentials) throws AuthException
    {
        if (null != credentials.error())
        {
            throw credentials.error();
        }
        return credentials.claims();
    }

    private static String bearer(final FullHttpRequest request)
    {
        final String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (null != header && header.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return header.substring(7).trim();
        }
        return null;
    }

    private void subscribe(
        final ChannelHandlerContext channelCtx,
        final FullHttpRequest request,
        final QueryStringDecoder uri,
        final String databaseName) throws AuthException
    {
        final ProtocolVersion version = negotiate(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
        if (null == version)
        {
            respond(channelCtx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", "no valid protocol selected");
            return;
        }
        final Compression compression;
        final ConnectionId connectionId;
        try
        {
            final Compression asked = Compression.fromQueryParameter(param(uri, "compression"));
            // No maintained pure-Java brotli encoder: Brotli clients get uncompressed frames (tag 0 is always valid).
            compression = asked == Compression.BROTLI ? Compression.NONE : asked;
            final String connectionHex = param(uri, "connection_id");
            connectionId = null == connectionHex ? randomConnectionId() : ConnectionId.fromHex(connectionHex);
            if (connectionId.isZero())
            {
                throw new IllegalArgumentException("connection_id must not be zero");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            respond(channelCtx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", ex.getMessage());
            return;
        }
        final String confirmedParam = param(uri, "confirmed");
        final boolean confirmed = null == confirmedParam ? ctx.confirmedReadsDefault() :
            Boolean.parseBoolean(confirmedParam);

        final String token = credentials.token();
        final Claims claims = claims(credentials);
        final HttpHeaders extraHeaders = new DefaultHttpHeaders();
        if (null != credentials.minted())
        {
            extraHeaders.set(IDENTITY_HEADER, credentials.minted().identity().toHex());
            extraHeaders.set(TOKEN_HEADER, token);
        }
        if (!agent.knowsDatabase(databaseName))
        {
            respond(channelCtx, request, HttpResponseStatus.NOT_FOUND, "text/plain",
                "database not found: " + databaseName);
            return;
        }
        addCors(extraHeaders);
        final WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
            "ws://" + request.headers().get(HttpHeaderNames.HOST) + uri.path(), version.subprotocol(), false,
            ctx.maxInboundMessageLength()).newHandshaker(request);
        if (null == handshaker)
        {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channelCtx.channel());
            return;
        }
        final ClientSession session = new ClientSession(
            sessionIds.incrementAndGet(), channelCtx.channel(), databaseName, claims.identity(), connectionId,
            token, claims.payloadJson(), version, compression, confirmed, ctx.outboundQueueMaxBytes(),
            ctx.counter(EdgeCounter.SLOW_CLIENT_CLOSES));
        handshaker.handshake(channelCtx.channel(), request, extraHeaders, channelCtx.newPromise());
        final ChannelPipeline pipeline = channelCtx.pipeline();
        WebSocketSessionHandler.addTo(pipeline, agent, session, ctx);
        pipeline.remove(this);
        channelCtx.channel().config().setAutoRead(true);
        if (!agent.submit(() -> agent.onSessionOpened(session)))
        {
            ClientSession.closeChannel(channelCtx.channel(), WebSocketSessionHandler.CLOSE_TRY_AGAIN_LATER,
                "edge busy, try again later");
        }
    }

    private static ConnectionId randomConnectionId()
    {
        ConnectionId id = ConnectionId.random();
        while (id.isZero())
        {
            id = ConnectionId.random();
        }
        return id;
    }

    /**
     * The server's preference: v3, then v2, among what the client offered.
     *
     * @param headers values of {@code Sec-WebSocket-Protocol}.
     * @return the chosen version, or null.
     */
    static ProtocolVersion negotiate(final List<String> headers)
    {
        boolean v2 = false;
        boolean v3 = false;
        for (final String header : headers)
        {
            for (final String offered : header.split(","))
            {
                v3 |= ProtocolVersion.V3.subprotocol().equals(offered.trim());
                v2 |= ProtocolVersion.V2.subprotocol().equals(offered.trim());
            }
        }
        return v3 ? ProtocolVersion.V3 : v2 ? ProtocolVersion.V2 : null;
    }

    private static String param(final QueryStringDecoder uri, final String name)
    {
        final List<String> values = uri.parameters().get(name);
        return null == values || values.isEmpty() ? null : values.get(0);
    }

    private static void addCors(final HttpHeaders headers)
    {
        headers.add(HttpResponder.corsHeaders());
    }

    private static void respond(
        final ChannelHandlerContext channelCtx,
        final FullHttpRequest request,
        final HttpResponseStatus status,
        final String contentType,
        final String body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (null != contentType)
        {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        addCors(response.headers());
        HttpUtil.setContentLength(response, response.content().readableBytes());
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive)
        {
            channelCtx.writeAndFlush(response);
        }
        else
        {
            channelCtx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
