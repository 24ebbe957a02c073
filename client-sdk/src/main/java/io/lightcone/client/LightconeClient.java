package io.lightcone.client;

import io.lightcone.edge.auth.ConnectionId;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.protocol.ClientMessageEncoder;
import io.lightcone.edge.protocol.Compression;
import io.lightcone.edge.protocol.Protocol;
import io.lightcone.edge.protocol.ProtocolVersion;
import io.netty.buffer.ByteBuf;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of one Lightcone (or SpacetimeDB) database over the v3/v2 BSATN WebSocket protocol: identity, SQL
 * subscriptions kept in a local {@link TableCache} per table, reducer and procedure calls with pipelining, and
 * reconnection that keeps the cache.
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>One Netty I/O thread per client reads and writes the socket; it never decodes and never runs user code.</li>
 *   <li>Everything else (decoding, the cache, every listener, future completion) happens on the <b>polling
 *       thread</b>: whoever calls {@link #poll(int)} (e.g. the game loop, Aeron style), or, if a
 *       {@link Builder#callbackExecutor callback executor} was given, a task the client submits to it whenever
 *       frames arrive (use a single-threaded executor; the client never runs two polls at once).</li>
 *   <li>{@link #callReducer}, {@link #callProcedure}, {@link #subscribe} and {@link Subscription#unsubscribe} may be
 *       called from any thread. Read {@link TableCache}s only on the polling thread.</li>
 * </ul>
 *
 * <h2>Allocation</h2>
 * Frames are read in place from Netty's pooled buffers (gzip bodies inflate into a reused buffer), row lists are
 * flyweights, cached rows are updated in place and recycled, and listeners receive reused {@link RowView}s, so a
 * TransactionUpdate or ReducerResult allocates nothing in the SDK except for rows never seen before. Each call
 * allocates its future and outcome; see {@code docs/java-sdk.md} for the full list.
 */
public final class LightconeClient implements AutoCloseable
{
    private static final int MAX_RECONNECT_DELAY_MS = 5_000;

    private final Builder config;
    private final WebSocketTransport transport;
    private final HttpClient http;
    private final ManyToOneConcurrentArrayQueue<PendingCall<?>> callRegistrations;
    private final ManyToOneConcurrentArrayQueue<Subscription> subscriptionCommands;
    private final AtomicInteger nextRequestId = new AtomicInteger();
    private final AtomicInteger nextQuerySetId = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final ThreadLocal<Encoding> encodings = ThreadLocal.withInitial(Encoding::new);
    private volatile boolean closed;
    private volatile boolean open;
    private volatile String token;
    private int reconnectDelayMs;

    // polling thread only
    private final ClientCache cache;
    private final ServerMessageReader reader = new ServerMessageReader();
    private final GzipInflater inflater = new GzipInflater();
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer frameCopy = new ExpandableArrayBuffer(1024);
    private final MessageHandler messageHandler = new MessageHandler();
    private final Int2ObjectHashMap<PendingCall<?>> calls = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Subscription> subscriptions = new Int2ObjectHashMap<>();
    private final ArrayList<Subscription> subscriptionList = new ArrayList<>();
    private Identity identity;
    private ConnectionId connectionId;
    private boolean initialConnectionSeen;
    private boolean everConnected;
    private int outstandingResubscriptions;

    private LightconeClient(final Builder config)
    {
        this.config = config;
        this.token = config.token;
        this.reconnectDelayMs = config.reconnectDelayMs;
        this.cache = new ClientCache(config.primaryKeys, (t) -> config.listener.onError(this, t));
        this.callRegistrations = new ManyToOneConcurrentArrayQueue<>(config.maxInFlight);
        this.subscriptionCommands = new ManyToOneConcurrentArrayQueue<>(config.maxSubscriptionCommands);
        this.transport = new WebSocketTransport(config.inboundFrames, config.outboundBytes, this::onInbound,
            this::onChannelClosed);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.connectTimeoutMs)).build();
    }

    /**
     * A builder with the defaults: anonymous, gzip, v3 preferred then v2, the server's default for confirmed
     * reads, reconnect on.
     *
     * @return the builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Opens the WebSocket (after exchanging the token for a short-lived one when a token is set). InitialConnection
     * then arrives through {@link #poll}.
     *
     * @return completes with the negotiated protocol once the WebSocket is open.
     */
    public CompletableFuture<ProtocolVersion> connect()
    {
        return openConnection();
    }

    /**
     * Handles up to {@code frameLimit} received frames on the calling thread: decodes them, updates the cache,
     * runs listeners and completes futures. Never blocks.
     *
     * @param frameLimit most frames to handle.
     * @return the number of frames and events handled (0 lets the caller's idle strategy act).
     */
    public int poll(final int frameLimit)
    {
        drainRegistrations();
        drainSubscriptionCommands();
        int work = 0;
        while (work < frameLimit)
        {
            final Object item = transport.poll();
            if (null == item)
            {
                break;
            }
            work++;
            if (item instanceof ByteBuf frame)
            {
                try
                {
                    onFrame(frame);
                }
                catch (final RuntimeException ex)
                {
                    config.listener.onError(this, ex);
                    transport.closeChannel();
                }
                finally
                {
                    frame.release();
                }
            }
            else if (item instanceof WebSocketTransport.Opened)
            {
                initialConnectionSeen = false;
            }
            else if (item instanceof WebSocketTransport.Closed closedEvent)
            {
                onClosed(closedEvent.cause());
            }
        }
        transport.afterPoll();
        return work;
    }

    /**
     * Calls a reducer. Any thread.
     *
     * @param reducer the reducer's name.
     * @param args    buffer holding the BSATN of the reducer's parameters (a product: fields back to back).
     * @param offset  of the args.
     * @param length  of the args.
     * @return completes on the polling thread with the outcome, after the caller's deltas were applied to the
     *     cache; completes exceptionally with {@link ConnectionLostException} when not connected or the connection
     *     drops first, or {@link IllegalStateException} when too many calls are in flight or the outbound buffer
     *     is full (then on the calling thread).
     */
    public CompletableFuture<ReducerOutcome> callReducer(
        final String reducer, final DirectBuffer args, final int offset, final int length)
    {
        final PendingCall<ReducerOutcome> call = new PendingCall<>(nextRequestId.getAndIncrement(), false);
        if (register(call))
        {
            final Encoding encoding = encodings.get();
            encoding.encoder.wrap(encoding.buffer, 0).callReducer(call.requestId, reducer, args, offset, length);
            send(call, encoding);
        }
        return call;
    }

    /**
     * Calls a procedure (CallProcedure). Any thread.
     *
     * @param procedure the procedure's name.
     * @param args      buffer holding the BSATN of the parameters.
     * @param offset    of the args.
     * @param length    of the args.
     * @return completes on the polling thread with the ProcedureResult.
     */
    public CompletableFuture<ProcedureOutcome> callProcedure(
        final String procedure, final DirectBuffer args, final int offset, final int length)
    {
        final PendingCall<ProcedureOutcome> call = new PendingCall<>(nextRequestId.getAndIncrement(), true);
        if (register(call))
        {
            final Encoding encoding = encodings.get();
            encoding.encoder.wrap(encoding.buffer, 0).callProcedure(call.requestId, procedure, args, offset, length);
            send(call, encoding);
        }
        return call;
    }

    /**
     * Subscribes to a set of SQL queries (one query set). Sent on the next poll if connected, else on connect. Any
     * thread.
     *
     * @param queries  subscription SQL ({@code SELECT * FROM t [WHERE ...]}).
     * @param listener applied / error / ended callbacks.
     * @return the subscription.
     */
    public Subscription subscribe(final List<String> queries, final SubscriptionListener listener)
    {
        final Subscription subscription = new Subscription(this, nextQuerySetId.getAndIncrement(), queries,
            Objects.requireNonNull(listener, "listener"));
        if (!subscriptionCommands.offer(subscription))
        {
            throw new IllegalStateException("too many subscription commands waiting for a poll");
        }
        return subscription;
    }

    /**
     * The cache of a table (created empty on first use). Polling thread only.
     *
     * @param name of the table.
     * @return its cache.
     */
    public TableCache table(final String name)
    {
        return cache.table(name);
    }

    /**
     * The identity from the last InitialConnection. Polling thread only.
     *
     * @return the identity, or null before the first connection.
     */
    public Identity identity()
    {
        return identity;
    }

    /**
     * The connection id from the last InitialConnection. Polling thread only.
     *
     * @return the connection id, or null.
     */
    public ConnectionId connectionId()
    {
        return connectionId;
    }

    /**
     * The token the client connects with: the one given to the builder, else the one the server minted for this
     * anonymous client on its first connection. Save it to come back as the same identity.
     *
     * @return the token, or null before an anonymous client's first InitialConnection.
     */
    public String token()
    {
        return token;
    }

    /**
     * Whether InitialConnection arrived on the current connection (polling thread view).
     *
     * @return true when connected.
     */
    public boolean isConnected()
    {
        return initialConnectionSeen;
    }

    /**
     * The negotiated protocol of the current connection.
     *
     * @return V3 or V2, or null if never connected.
     */
    public ProtocolVersion protocolVersion()
    {
        return transport.version();
    }

    /**
     * Calls in flight (registered, no result yet).
     *
     * @return the count.
     */
    public int callsInFlight()
    {
        return inFlight.get();
    }

    /**
     * Drops the connection without closing the client, as a network failure would: the client reconnects if
     * reconnect is on. For tests and for forcing a fresh connection.
     */
    public void dropConnection()
    {
        transport.closeChannel();
    }

    /**
     * Closes the socket and the I/O thread; in-flight calls fail with {@link ConnectionLostException}. Call it
     * from the polling thread (or after the executor stopped).
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        open = false;
        transport.close();
        failInFlight(new ConnectionLostException("client closed"));
        inflater.close();
        config.listener.onDisconnect(this, null);
    }

    URI subscribeUri(final String websocketToken)
    {
        final URI base = config.uri;
        final String scheme = "https".equals(base.getScheme()) || "wss".equals(base.getScheme()) ? "wss" : "ws";
        String path = null == base.getPath() ? "" : base.getPath();
        if (!path.endsWith("/"))
        {
            path = path + "/";
        }
        final StringBuilder uri = new StringBuilder()
            .append(scheme).append("://").append(base.getHost());
        if (base.getPort() > 0)
        {
            uri.append(':').append(base.getPort());
        }
        uri.append(path).append("v1/database/").append(URLEncoder.encode(config.database, StandardCharsets.UTF_8))
            .append("/subscribe?compression=").append(config.compression == Compression.GZIP ? "Gzip" : "None");
        if (null != config.confirmedReads)
        {
            uri.append("&confirmed=").append(config.confirmedReads);
        }
        if (null != websocketToken)
        {
            uri.append("&token=").append(URLEncoder.encode(websocketToken, StandardCharsets.UTF_8));
        }
        return URI.create(uri.toString());
    }

    void requestUnsubscribe(final Subscription subscription)
    {
        if (!subscriptionCommands.offer(subscription))
        {
            throw new IllegalStateException("too many subscription commands waiting for a poll");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Connecting
    // ---------------------------------------------------------------------------------------------------------

    private CompletableFuture<ProtocolVersion> openConnection()
    {
        final String current = token;
        final CompletableFuture<String> websocketToken = null == current ?
            CompletableFuture.completedFuture(null) : fetchWebsocketToken(current);
        final String subprotocols = config.preferV3 ?
            Protocol.SUBPROTOCOL_V3 + "," + Protocol.SUBPROTOCOL_V2 : Protocol.SUBPROTOCOL_V2;
        final CompletableFuture<ProtocolVersion> opened = websocketToken.thenCompose(
            (t) -> transport.open(subscribeUri(t), subprotocols, config.connectTimeoutMs));
        opened.whenComplete((version, error) ->
        {
            if (null == error)
            {
                open = true;
                reconnectDelayMs = config.reconnectDelayMs;
            }
            else if (everConnected)
            {
                scheduleReconnect();
            }
        });
        return opened;
    }

    private CompletableFuture<String> fetchWebsocketToken(final String longLivedToken)
    {
        final URI base = config.uri;
        final String scheme = "wss".equals(base.getScheme()) || "https".equals(base.getScheme()) ? "https" : "http";
        final String path = null == base.getPath() || base.getPath().isEmpty() ? "/" :
            base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        final URI uri = URI.create(scheme + "://" + base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "") +
            path + "v1/identity/websocket-token");
        final HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMillis(config.connectTimeoutMs))
            .header("Authorization", "Bearer " + longLivedToken)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply((response) ->
        {
            if (response.statusCode() / 100 != 2)
            {
                throw new IllegalStateException("Failed to verify token: POST " + uri + " answered " +
                    response.statusCode() + " " + response.body());
            }
            return tokenField(response.body());
        });
    }

    static String tokenField(final String json)
    {
        final int key = json.indexOf("\"token\"");
        final int colon = key < 0 ? -1 : json.indexOf(':', key + 7);
        final int open = colon < 0 ? -1 : json.indexOf('"', colon + 1);
        final int close = open < 0 ? -1 : json.indexOf('"', open + 1);
        if (close < 0)
        {
            throw new IllegalStateException("websocket-token response without a token: " + json);
        }
        return json.substring(open + 1, close);
    }

    private void onChannelClosed()
    {
        open = false;
        if (!closed && config.reconnect && everConnected)
        {
            scheduleReconnect();
        }
    }

    private void scheduleReconnect()
    {
        if (closed || !config.reconnect)
        {
            return;
        }
        final int delay = reconnectDelayMs;
        reconnectDelayMs = Math.min(MAX_RECONNECT_DELAY_MS, reconnectDelayMs * 2);
        transport.schedule(this::openConnection, delay);
    }

    private void onInbound()
    {
        final Executor executor = config.callbackExecutor;
        if (null != executor && drainScheduled.compareAndSet(false, true))
        {
            executor.execute(drainTask);
        }
    }

    private void drain()
    {
        do
        {
            while (!closed && poll(256) > 0)
            {
                Thread.onSpinWait();
            }
            drainScheduled.set(false);
        }
        while (!closed && transport.hasInbound() && drainScheduled.compareAndSet(false, true));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Calls
    // ---------------------------------------------------------------------------------------------------------

    private boolean register(final PendingCall<?> call)
    {
        if (!open)
        {
            call.completeExceptionally(new ConnectionLostException("not connected"));
            return false;
        }
        if (inFlight.incrementAndGet() > config.maxInFlight || !callRegistrations.offer(call))
        {
            inFlight.decrementAndGet();
            call.completeExceptionally(new IllegalStateException(
                "too many calls in flight (limit " + config.maxInFlight + "): poll to complete some"));
            return false;
        }
        return true;
    }

    private void send(final PendingCall<?> call, final Encoding encoding)
    {
        if (!transport.send(encoding.buffer, 0, encoding.encoder.length()))
        {
            call.completeExceptionally(new IllegalStateException(
                "outbound buffer full (" + config.outboundBytes + " bytes): the socket is not keeping up"));
        }
    }

    private void sendFromPoller(final Encoding encoding)
    {
        if (!transport.send(encoding.buffer, 0, encoding.encoder.length()))
        {
            config.listener.onError(this, new IllegalStateException("outbound buffer full: subscription message " +
                "dropped"));
        }
    }

    private void drainRegistrations()
    {
        PendingCall<?> call;
        while (null != (call = callRegistrations.poll()))
        {
            if (call.isDone())
            {
                inFlight.decrementAndGet();
            }
            else
            {
                calls.put(call.requestId, call);
            }
        }
    }

    private PendingCall<?> removeCall(final int requestId)
    {
        PendingCall<?> call = calls.remove(requestId);
        if (null == call)
        {
            drainRegistrations();
            call = calls.remove(requestId);
        }
        if (null != call)
        {
            inFlight.decrementAndGet();
        }
        return call;
    }

    private void failInFlight(final RuntimeException cause)
    {
        drainRegistrations();
        for (final PendingCall<?> call : calls.values())
        {
            inFlight.decrementAndGet();
            call.completeExceptionally(cause);
        }
        calls.clear();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Subscriptions
    // ---------------------------------------------------------------------------------------------------------

    private void drainSubscriptionCommands()
    {
        Subscription subscription;
        while (null != (subscription = subscriptionCommands.poll()))
        {
            if (!subscriptions.containsKey(subscription.querySetId()))
            {
                subscriptions.put(subscription.querySetId(), subscription);
                subscriptionList.add(subscription);
            }
            if (subscription.unsubscribeRequested)
            {
                final Subscription.State state = subscription.state();
                if (state == Subscription.State.ACTIVE && initialConnectionSeen)
                {
                    subscription.state(Subscription.State.ENDING);
                    final Encoding encoding = encodings.get();
                    encoding.encoder.wrap(encoding.buffer, 0)
                        .unsubscribe(nextRequestId.getAndIncrement(), subscription.querySetId(), true);
                    sendFromPoller(encoding);
                }
                else if (state == Subscription.State.PENDING && !subscription.subscribeSent)
                {
                    endSubscription(subscription, Subscription.State.ENDED);
                    subscription.listener().onEnded(subscription);
                }
            }
            else if (initialConnectionSeen && !subscription.subscribeSent)
            {
                sendSubscribe(subscription);
            }
        }
    }

    private void sendSubscribe(final Subscription subscription)
    {
        subscription.subscribeSent = true;
        final Encoding encoding = encodings.get();
        encoding.encoder.wrap(encoding.buffer, 0)
            .subscribe(nextRequestId.getAndIncrement(), subscription.querySetId(), subscription.queries());
        sendFromPoller(encoding);
    }

    private void endSubscription(final Subscription subscription, final Subscription.State state)
    {
        subscription.state(state);
        subscriptions.remove(subscription.querySetId());
        subscriptionList.remove(subscription);
        if (subscription.resubscribing)
        {
            subscription.resubscribing = false;
            resubscriptionDone();
        }
    }

    private void resubscriptionDone()
    {
        if (--outstandingResubscriptions == 0)
        {
            cache.endReconcile();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Frames and messages (polling thread)
    // ---------------------------------------------------------------------------------------------------------

    private void onFrame(final ByteBuf frame)
    {
        final int length = frame.readableBytes();
        if (frame.hasMemoryAddress())
        {
            frameView.wrap(frame.memoryAddress() + frame.readerIndex(), length);
        }
        else if (frame.hasArray())
        {
            frameView.wrap(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
        }
        else
        {
            frameCopy.checkLimit(length);
            frame.getBytes(frame.readerIndex(), frameCopy.byteArray(), 0, length);
            frameView.wrap(frameCopy.byteArray(), 0, length);
        }
        if (length < 2)
        {
            throw new io.lightcone.edge.protocol.ProtocolException(0, "server frame of " + length + " bytes");
        }
        final DirectBuffer body;
        final int offset;
        final int limit;
        final int tag = frameView.getByte(0);
        if (tag == Protocol.COMPRESSION_TAG_NONE)
        {
            body = frameView;
            offset = 1;
            limit = length;
        }
        else if (tag == Protocol.COMPRESSION_TAG_GZIP)
        {
            body = inflater.inflate(frameView, 1, length - 1);
            offset = 0;
            limit = body.capacity();
        }
        else
        {
            throw new io.lightcone.edge.protocol.ProtocolException(0, "unsupported server frame compression tag " +
                tag + " (this client asks for " + config.compression + ")");
        }
        int position = offset;
        do
        {
            position = reader.read(body, position, limit, messageHandler);
        }
        while (position < limit);
    }

    private void onClosed(final Throwable cause)
    {
        initialConnectionSeen = false;
        failInFlight(new ConnectionLostException("connection lost: " + cause.getMessage()));
        for (int i = subscriptionList.size() - 1; i >= 0; i--)
        {
            final Subscription subscription = subscriptionList.get(i);
            subscription.subscribeSent = false;
            subscription.resubscribing = false;
            if (subscription.state() == Subscription.State.ENDING)
            {
                endSubscription(subscription, Subscription.State.ENDED);
                subscription.listener().onEnded(subscription);
            }
        }
        outstandingResubscriptions = 0;
        config.listener.onDisconnect(this, cause);
    }

    private void onInitialConnection(final String receivedToken)
    {
        initialConnectionSeen = true;
        if (null == token)
        {
            token = receivedToken;
        }
        if (everConnected)
        {
            cache.beginReconcile();
            outstandingResubscriptions = 0;
            for (int i = 0; i < subscriptionList.size(); i++)
            {
                final Subscription subscription = subscriptionList.get(i);
                if (subscription.state() == Subscription.State.ACTIVE ||
                    subscription.state() == Subscription.State.PENDING)
                {
                    subscription.resubscribing = true;
                    outstandingResubscriptions++;
                    sendSubscribe(subscription);
                }
            }
            if (outstandingResubscriptions == 0)
            {
                cache.endReconcile();
            }
        }
        else
        {
            for (int i = 0; i < subscriptionList.size(); i++)
            {
                if (!subscriptionList.get(i).subscribeSent)
                {
                    sendSubscribe(subscriptionList.get(i));
                }
            }
        }
        everConnected = true;
        config.listener.onConnect(this, identity, connectionId, token);
        drainSubscriptionCommands();
    }

    private final class MessageHandler implements ServerMessageReader.Handler
    {
        @Override
        public void onInitialConnection(
            final DirectBuffer buffer, final int identityOffset, final int connectionIdOffset, final String token)
        {
            final byte[] identityBytes = new byte[Protocol.IDENTITY_BYTES];
            buffer.getBytes(identityOffset, identityBytes);
            final byte[] connectionBytes = new byte[Protocol.CONNECTION_ID_BYTES];
            buffer.getBytes(connectionIdOffset, connectionBytes);
            identity = Identity.fromLittleEndian(identityBytes);
            connectionId = ConnectionId.fromLittleEndian(connectionBytes);
            LightconeClient.this.onInitialConnection(token);
        }

        @Override
        public void onSubscribeApplied(final int requestId, final int querySetId, final RowLists rows)
        {
            final Subscription subscription = subscriptions.get(querySetId);
            if (null == subscription || subscription.state() == Subscription.State.ENDED)
            {
                return;
            }
            cache.apply(rows);
            if (subscription.state() == Subscription.State.PENDING)
            {
                subscription.state(Subscription.State.ACTIVE);
            }
            if (subscription.resubscribing)
            {
                subscription.resubscribing = false;
                resubscriptionDone();
            }
            subscription.listener().onApplied(subscription);
            if (subscription.unsubscribeRequested)
            {
                requestUnsubscribe(subscription);
            }
        }

        @Override
        public void onUnsubscribeApplied(final int requestId, final int querySetId, final RowLists droppedRows)
        {
            final Subscription subscription = subscriptions.get(querySetId);
            cache.apply(droppedRows);
            if (null != subscription)
            {
                endSubscription(subscription, Subscription.State.ENDED);
                subscription.listener().onEnded(subscription);
            }
        }

        @Override
        public void onSubscriptionError(
            final boolean hasRequestId, final int requestId, final int querySetId, final String error)
        {
            final Subscription subscription = subscriptions.get(querySetId);
            if (null != subscription)
            {
                endSubscription(subscription, Subscription.State.FAILED);
                subscription.listener().onError(subscription, error);
            }
        }

        @Override
        public void onTransactionUpdate(final RowLists updates)
        {
            cache.apply(updates);
        }

        @Override
        public void onOneOffQueryResult(final int requestId, final RowLists rows, final String error)
        {
            // not sent by this client
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onReducerResult(
            final int requestId, final long timestampMicros, final int outcome, final RowLists updates,
            final String error)
        {
            cache.apply(updates);
            final PendingCall<?> call = removeCall(requestId);
            if (null == call || call.procedure)
            {
                return;
            }
            final ReducerOutcome.Status status = outcome == Protocol.REDUCER_OK ||
                outcome == Protocol.REDUCER_OK_EMPTY ? ReducerOutcome.Status.COMMITTED :
                outcome == Protocol.REDUCER_ERR ? ReducerOutcome.Status.FAILED : ReducerOutcome.Status.INTERNAL_ERROR;
            ((PendingCall<ReducerOutcome>)call).complete(new ReducerOutcome(status, error, timestampMicros));
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onProcedureResult(
            final int requestId,
            final long timestampMicros,
            final long durationMicros,
            final DirectBuffer buffer,
            final int returnedOffset,
            final int returnedLength,
            final String error)
        {
            final PendingCall<?> call = removeCall(requestId);
            if (null == call || !call.procedure)
            {
                return;
            }
            byte[] returned = null;
            if (null == error)
            {
                returned = new byte[returnedLength];
                buffer.getBytes(returnedOffset, returned);
            }
            ((PendingCall<ProcedureOutcome>)call).complete(
                new ProcedureOutcome(returned, error, timestampMicros, durationMicros));
        }
    }

    /** A call's future, registered with the polling thread by request id. */
    static final class PendingCall<T> extends CompletableFuture<T>
    {
        final int requestId;
        final boolean procedure;

        PendingCall(final int requestId, final boolean procedure)
        {
            this.requestId = requestId;
            this.procedure = procedure;
        }
    }

    /** Per calling thread: the encoder and its buffer, reused. */
    private static final class Encoding
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final ClientMessageEncoder encoder = new ClientMessageEncoder();
    }

    /**
     * Configures a {@link LightconeClient}.
     */
    public static final class Builder
    {
        private URI uri;
        private String database;
        private String token;
        private Compression compression = Compression.GZIP;
        private boolean preferV3 = true;
        private Boolean confirmedReads;
        private boolean reconnect = true;
        private int reconnectDelayMs = 100;
        private long connectTimeoutMs = 10_000;
        private int maxInFlight = 65_536;
        private int maxSubscriptionCommands = 1_024;
        private int inboundFrames = 4_096;
        private int outboundBytes = 4 * 1024 * 1024;
        private Executor callbackExecutor;
        private ClientListener listener = new ClientListener()
        {
        };
        private final Map<String, PrimaryKey> primaryKeys = new LinkedHashMap<>();

        private Builder()
        {
        }

        /**
         * The server: {@code http://host:port} (or {@code ws://}); a base path is kept.
         *
         * @param uri the server's base URI.
         * @return this builder.
         */
        public Builder uri(final String uri)
        {
            this.uri = URI.create(uri);
            return this;
        }

        /**
         * The database name or identity.
         *
         * @param database the name.
         * @return this builder.
         */
        public Builder database(final String database)
        {
            this.database = database;
            return this;
        }

        /**
         * Connect as the identity of this token (from a previous {@link LightconeClient#token()} or an OIDC
         * provider); null (the default) connects anonymously and the server mints an identity.
         *
         * @param token the token.
         * @return this builder.
         */
        public Builder token(final String token)
        {
            this.token = token;
            return this;
        }

        /**
         * Compression of server frames: {@link Compression#GZIP} (default) or {@link Compression#NONE}.
         *
         * @param compression the compression.
         * @return this builder.
         */
        public Builder compression(final Compression compression)
        {
            if (compression == Compression.BROTLI)
            {
                throw new IllegalArgumentException("brotli is not supported by the Java SDK: use GZIP or NONE");
            }
            this.compression = Objects.requireNonNull(compression);
            return this;
        }

        /**
         * Offer v3 (several messages per frame) before v2 (default true); false offers v2 only.
         *
         * @param preferV3 whether to offer v3.
         * @return this builder.
         */
        public Builder preferV3(final boolean preferV3)
        {
            this.preferV3 = preferV3;
            return this;
        }

        /**
         * Ask the server to hold replies and updates until their transaction is durable ({@code confirmed=}); not
         * sent unless set, and the server's default is on.
         *
         * @param confirmedReads on or off.
         * @return this builder.
         */
        public Builder confirmedReads(final boolean confirmedReads)
        {
            this.confirmedReads = confirmedReads;
            return this;
        }

        /**
         * Reconnect after a lost connection, keeping the cache and subscriptions (default true).
         *
         * @param reconnect whether to reconnect.
         * @return this builder.
         */
        public Builder reconnect(final boolean reconnect)
        {
            this.reconnect = reconnect;
            return this;
        }

        /**
         * First reconnect delay, doubled per failed attempt up to 5 s.
         *
         * @param delayMs the delay.
         * @return this builder.
         */
        public Builder reconnectDelayMs(final int delayMs)
        {
            this.reconnectDelayMs = Math.max(1, delayMs);
            return this;
        }

        /**
         * Connect and handshake timeout.
         *
         * @param timeoutMs the timeout.
         * @return this builder.
         */
        public Builder connectTimeoutMs(final long timeoutMs)
        {
            this.connectTimeoutMs = timeoutMs;
            return this;
        }

        /**
         * Most reducer and procedure calls in flight (default 65536); more fail fast.
         *
         * @param maxInFlight the limit.
         * @return this builder.
         */
        public Builder maxInFlight(final int maxInFlight)
        {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Received frames waiting for a poll before the socket stops reading (default 4096).
         *
         * @param frames the capacity.
         * @return this builder.
         */
        public Builder inboundFrames(final int frames)
        {
            this.inboundFrames = frames;
            return this;
        }

        /**
         * Bytes of encoded messages waiting for the I/O thread (a power of two, default 4 MiB).
         *
         * @param bytes the capacity.
         * @return this builder.
         */
        public Builder outboundBytes(final int bytes)
        {
            this.outboundBytes = bytes;
            return this;
        }

        /**
         * Run polls (so every callback) on this executor whenever frames arrive, instead of the caller polling.
         * Use a single-threaded executor.
         *
         * @param executor the executor.
         * @return this builder.
         */
        public Builder callbackExecutor(final Executor executor)
        {
            this.callbackExecutor = executor;
            return this;
        }

        /**
         * Connection callbacks.
         *
         * @param listener the listener.
         * @return this builder.
         */
        public Builder listener(final ClientListener listener)
        {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Keys a table's cached rows by primary key (generated code registers every table with one).
         *
         * @param table      the table name.
         * @param primaryKey where the key lies in a row.
         * @return this builder.
         */
        public Builder primaryKey(final String table, final PrimaryKey primaryKey)
        {
            primaryKeys.put(table, Objects.requireNonNull(primaryKey));
            return this;
        }

        /**
         * Builds the client (not connected yet: call {@link LightconeClient#connect()}).
         *
         * @return the client.
         */
        public LightconeClient build()
        {
            if (null == uri || null == uri.getHost())
            {
                throw new IllegalArgumentException("uri must be set, e.g. http://127.0.0.1:3000");
            }
            if (null == database || database.isEmpty())
            {
                throw new IllegalArgumentException("database must be set");
            }
            if (Integer.bitCount(outboundBytes) != 1)
            {
                throw new IllegalArgumentException("outboundBytes must be a power of two: " + outboundBytes);
            }
            if (maxInFlight < 1 || inboundFrames < 2)
            {
                throw new IllegalArgumentException("maxInFlight must be >= 1 and inboundFrames >= 2");
            }
            return new LightconeClient(this);
        }
    }
}
