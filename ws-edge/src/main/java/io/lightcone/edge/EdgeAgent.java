package io.lightcone.edge;

import io.lightcone.core.query.Catalog;
import io.lightcone.core.query.QueryPlan;
import io.lightcone.core.query.QueryPlanner;
import io.lightcone.core.query.ReadView;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.txn.TxDelta;
import io.lightcone.edge.http.DatabaseApi;
import io.lightcone.edge.protocol.ClientMessageDecoder;
import io.lightcone.edge.protocol.ClientMessageHandler;
import io.lightcone.edge.protocol.ProtocolException;
import io.lightcone.edge.protocol.ServerMessageEncoder;
import io.lightcone.edge.replica.Replica;
import io.lightcone.edge.replica.ReplicaDatabase;
import io.lightcone.edge.subs.QuerySet;
import io.lightcone.edge.subs.SharedDeltas;
import io.lightcone.edge.subs.SubscriptionManager;
import io.lightcone.edge.subs.TableRows;
import io.lightcone.edge.ws.ClientSession;
import io.lightcone.wire.CoreEgressAdapter;
import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.CoreIngressProxy;
import io.lightcone.wire.DatabaseSettingsFormat;
import io.lightcone.wire.TxCommittedView;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The edge's single engine thread. It owns the replica, the subscription managers and every {@link ClientSession}'s
 * state; Netty event loops hand it work as commands through a bounded MPSC queue, and it writes to channels with
 * Netty's thread-safe {@code writeAndFlush}.
 * <pre>
 *   Netty event loops --commands (MPSC, bounded)--> EdgeAgent --CoreIngressProxy--> core
 *   core --egress--> EdgeAgent: replica apply, evaluateDelta once per plan, fan out --writeAndFlush--> channels
 * </pre>
 * Duty cycle: drain commands (bounded), poll egress (bounded), drain the outboxes touched this cycle (so a v3 client
 * gets the messages of one cycle batched in one frame).
 */
public final class EdgeAgent implements Agent, CoreEgressListener, ClientMessageHandler
{
    private static final int COMMAND_LIMIT = 256;
    /** Once every 1,024 duty cycles, reassembly state of a core session that is gone is forgotten. */
    private static final int SESSION_SWEEP_CYCLES_MASK = 1023;

    /**
     * A connection id as a map key. Stored keys are never changed; {@link #probe} is one reused instance for
     * lookups, so finding a transaction's caller allocates nothing.
     */
    private static final class ConnKey
    {
        private long lo;
        private long hi;

        ConnKey(final long lo, final long hi)
        {
            this.lo = lo;
            this.hi = hi;
        }

        ConnKey set(final long lo, final long hi)
        {
            this.lo = lo;
            this.hi = hi;
            return this;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof ConnKey that && lo == that.lo && hi == that.hi;
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(lo) * 31 + Long.hashCode(hi);
        }
    }

    private final ConnKey probe = new ConnKey(0, 0);

    private static final class DatabaseState
    {
        private final ReplicaDatabase replica;
        private final SubscriptionManager subscriptions = new SubscriptionManager();
        private final Set<ClientSession> sessions = new LinkedHashSet<>();

        DatabaseState(final ReplicaDatabase replica)
        {
            this.replica = replica;
        }
    }

    private final EdgeContext ctx;
    private final CoreLink link;
    private final CoreIngressProxy ingress;
    private final CoreEgressAdapter egressAdapter;
    private final IntPredicate coreSessionPresent;
    private long dutyCycles;
    private final ManyToOneConcurrentArrayQueue<Runnable> commands;
    private final Consumer<Runnable> runCommand = Runnable::run;
    private final Replica replica = new Replica();
    private final DatabaseApi api;
    private final Long2ObjectHashMap<DatabaseState> databases = new Long2ObjectHashMap<>();
    private final Map<ConnKey, ClientSession> sessionsByConnection = new HashMap<>();
    /** Sessions to drain at the end of this duty cycle, each once (see {@link ClientSession#queuedForDrain}). */
    private final ArrayList<ClientSession> dirty = new ArrayList<>();
    private final Map<String, Long> directory = new ConcurrentHashMap<>();
    private final ClientMessageDecoder decoder = new ClientMessageDecoder();
    private final ServerMessageEncoder encoder = new ServerMessageEncoder();
    private final SharedDeltas sharedDeltas = new SharedDeltas();
    private final ExpandableDirectByteBuffer scratch = new ExpandableDirectByteBuffer(4096);
    private final AtomicCounter clientsGauge;
    private final AtomicCounter subscriptionsGauge;
    private final AtomicCounter clientMessages;
    private final AtomicCounter fanoutRows;
    private final AtomicCounter fanoutBytes;
    private final AtomicCounter txsApplied;
    private final AtomicCounter commandQueueDepth;
    private final UnsafeBuffer frameBuffer = new UnsafeBuffer(0, 0);
    private volatile int sessionCount;
    private volatile int bootstrappedDatabases;
    private volatile long bootstrapBytes;
    private boolean bootstrapRequested;
    private ClientSession current;

    /**
     * An agent.
     *
     * @param ctx the concluded context.
     */
    public EdgeAgent(final EdgeContext ctx)
    {
        this.ctx = ctx;
        this.link = ctx.coreLink();
        this.ingress = link.ingress();
        this.egressAdapter = new CoreEgressAdapter(this);
        this.coreSessionPresent = link::hasSession;
        this.commands = new ManyToOneConcurrentArrayQueue<>(ctx.commandQueueCapacity());
        // A full command queue drops a timeout's clean-up: the registration then lingers until the core answers.
        this.clientsGauge = ctx.counter(EdgeCounter.CLIENTS);
        this.subscriptionsGauge = ctx.counter(EdgeCounter.SUBSCRIPTIONS);
        this.clientMessages = ctx.counter(EdgeCounter.CLIENT_MESSAGES);
        this.fanoutRows = ctx.counter(EdgeCounter.FANOUT_ROWS);
        this.fanoutBytes = ctx.counter(EdgeCounter.FANOUT_BYTES);
        this.txsApplied = ctx.counter(EdgeCounter.TXS_APPLIED);
        this.commandQueueDepth = ctx.counter(EdgeCounter.COMMAND_QUEUE_DEPTH);
        this.api = new DatabaseApi(ctx.edgeId(), ingress, replica, this::submit);
    }

    /**
     * The HTTP database API's state; use it on the agent thread only (through {@link #submit}).
     *
     * @return the API.
     */
    public DatabaseApi databaseApi()
    {
        return api;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "edge-agent";
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        int workCount = 0;
        if (!bootstrapRequested && link.isConnected() && ingress.edgeBootstrap(ctx.edgeId(), -1))
        {
            // The core answers with every database's schema, rows (SnapshotChunks) and durable offset.
            bootstrapRequested = true;
            workCount++;
        }
        commandQueueDepth.setRelease(commands.size());
        workCount += commands.drain(runCommand, COMMAND_LIMIT);
        workCount += link.poll(egressAdapter, ctx.fragmentLimit());
        if ((++dutyCycles & SESSION_SWEEP_CYCLES_MASK) == 0)
        {
            egressAdapter.clearGoneSessions(coreSessionPresent);
        }
        if (ingress.hasPending())
        {
            workCount += ingress.flushPending();
        }
        if (!dirty.isEmpty())
        {
            for (int i = 0, size = dirty.size(); i < size; i++)
            {
                final ClientSession session = dirty.get(i);
                session.queuedForDrain(false);
                if (session.state() != ClientSession.State.CLOSED)
                {
                    final DatabaseState db = database(session);
                    workCount += session.drain(null == db ? Long.MAX_VALUE : db.replica.durableTxOffset());
                }
            }
            dirty.clear();
        }
        return workCount;
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        for (final ClientSession session : sessionsByConnection.values())
        {
            session.close(1001, "edge shutting down");
            session.release();
        }
        replica.close();
    }

    /**
     * Hand work to the agent thread (thread-safe).
     *
     * @param command to run on the agent thread.
     * @return false if the queue is full.
     */
    public boolean submit(final Runnable command)
    {
        return commands.offer(command);
    }

    /**
     * Whether a database name or identity hex is known (thread-safe).
     *
     * @param nameOrIdentity from a URL.
     * @return true if the replica has it.
     */
    public boolean knowsDatabase(final String nameOrIdentity)
    {
        return directory.containsKey(nameOrIdentity);
    }

    /**
     * @return databases whose bootstrap rows have all arrived (thread-safe; written by the agent only).
     */
    public int bootstrappedDatabaseCount()
    {
        return bootstrappedDatabases;
    }

    /**
     * @return bytes of bootstrap rows received so far (thread-safe; written by the agent only).
     */
    public long bootstrapBytes()
    {
        return bootstrapBytes;
    }

    /**
     * @return databases known (thread-safe).
     */
    public int databaseCount()
    {
        return (int)directory.values().stream().distinct().count();
    }

    /**
     * @return open sessions (thread-safe).
     */
    public int sessionCount()
    {
        return sessionCount;
    }

    // ---------------------------------------------------------------- client life cycle (agent thread)

    /**
     * A client upgraded: send ClientConnected to the core; messages wait until it answers.
     *
     * @param session the client.
     */
    public void onSessionOpened(final ClientSession session)
    {
        final ReplicaDatabase database = replica.database(session.databaseName());
        if (null == database)
        {
            session.close(1011, "database not found: " + session.databaseName());
            return;
        }
        final byte[] jwt = session.jwtPayload().getBytes(StandardCharsets.UTF_8);
        if (!ingress.clientConnected(
            database.databaseId(), ctx.edgeId(), session.connectionIdLo(), session.connectionIdHi(),
            session.identityBuffer(), 0, nowMicros(), new UnsafeBuffer(jwt), 0, jwt.length))
        {
            session.close(1013, "core unavailable, try again later");
            return;
        }
        session.connectedSent(true);
        session.state(ClientSession.State.CONNECTING);
        sessionsByConnection.put(new ConnKey(session.connectionIdLo(), session.connectionIdHi()), session);
        databases.get(database.databaseId()).sessions.add(session);
        sessionCount = sessionsByConnection.size();
        clientsGauge.setRelease(sessionCount);
    }

    /**
     * A client's channel closed: forget it and tell the core.
     *
     * @param session the client.
     */
    public void onSessionClosed(final ClientSession session)
    {
        final ClientSession removed =
            sessionsByConnection.remove(probe.set(session.connectionIdLo(), session.connectionIdHi()));
        final DatabaseState db = database(session);
        if (null != db)
        {
            db.sessions.remove(session);
            db.subscriptions.removeAll(session);
            countSubscriptions();
            if (null != removed && session.connectedSent())
            {
                ingress.clientDisconnected(
                    db.replica.databaseId(), ctx.edgeId(), session.connectionIdLo(), session.connectionIdHi(),
                    session.identityBuffer(), 0, nowMicros());
            }
        }
        session.state(ClientSession.State.CLOSED);
        session.release();
        sessionCount = sessionsByConnection.size();
        clientsGauge.setRelease(sessionCount);
    }

    /**
     * A client's channel turned writable again: drain what waited in its outbox.
     *
     * @param session the client.
     */
    public void onWritable(final ClientSession session)
    {
        if (session.onWritable())
        {
            markDirty(session);
        }
    }

    /**
     * A binary frame from a client. It stays pending (counted against the inbound queue limit, see
     * {@link ClientSession#inboundReceived}) while it waits in the backlog for the core to accept the client.
     *
     * @param session the client.
     * @param frame   the frame's bytes.
     */
    public void onFrame(final ClientSession session, final byte[] frame)
    {
        if (session.state() == ClientSession.State.CONNECTING)
        {
            session.backlog().add(frame);
            return;
        }
        session.inboundDone();
        clientMessages.incrementRelease();
        if (session.state() != ClientSession.State.OPEN)
        {
            return;
        }
        current = session;
        try
        {
            frameBuffer.wrap(frame);
            decoder.decodeFrame(session.version(), frameBuffer, 0, frame.length, this);
        }
        catch (final ProtocolException ex)
        {
            session.close(1011, ex.closeReason());
        }
        finally
        {
            current = null;
        }
    }

    // ---------------------------------------------------------------- client messages (agent thread)

    /**
     * {@inheritDoc}
     */
    public void onSubscribe(final ClientMessageDecoder message)
    {
        final ClientSession session = current;
        final DatabaseState db = database(session);
        final List<String> queries = new ArrayList<>(message.queryCount());
        for (int i = 0; i < message.queryCount(); i++)
        {
            queries.add(message.queryString(i));
        }
        final int requestId = message.requestId();
        final int querySetId = message.querySetId();
        try
        {
            final Catalog catalog = catalog(session, db);
            final QuerySet set = db.subscriptions.subscribe(
                session, querySetId, queries, catalog, db.replica.datastore());
            final List<TableRows> rows = SubscriptionManager.rows(set, ReadView.committed(db.replica.datastore()));
            final String overLimit = db.replica.checkRowLimit(catalog, countRows(rows));
            if (null != overLimit)
            {
                db.subscriptions.unsubscribe(session, querySetId);
                throw new SqlException(overLimit);
            }
            countSubscriptions();
            encoder.wrap(scratch, 0).beginSubscribeApplied(requestId, querySetId);
            writeQueryRows(rows);
            send(session, db.replica.appliedTxOffset());
        }
        catch (final SqlException ex)
        {
            encoder.wrap(scratch, 0).subscriptionError(true, requestId, querySetId, ex.getMessage());
            send(session, 0);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onUnsubscribe(final ClientMessageDecoder message)
    {
        final ClientSession session = current;
        final DatabaseState db = database(session);
        final QuerySet set = db.subscriptions.unsubscribe(session, message.querySetId());
        countSubscriptions();
        if (null == set)
        {
            encoder.wrap(scratch, 0).subscriptionError(true, message.requestId(), message.querySetId(),
                "no subscription with query set id " + Integer.toUnsignedString(message.querySetId()));
            send(session, 0);
            return;
        }
        if (message.sendDroppedRows())
        {
            encoder.wrap(scratch, 0).beginUnsubscribeAppliedWithRows(message.requestId(), message.querySetId());
            writeQueryRows(SubscriptionManager.rows(set, ReadView.committed(db.replica.datastore())));
        }
        else
        {
            encoder.wrap(scratch, 0).unsubscribeApplied(message.requestId(), message.querySetId());
        }
        send(session, db.replica.appliedTxOffset());
    }

    /**
     * {@inheritDoc}
     */
    public void onOneOffQuery(final ClientMessageDecoder message)
    {
        final ClientSession session = current;
        final DatabaseState db = database(session);
        final String sql = message.queryString(0);
        try
        {
            final Catalog catalog = catalog(session, db);
            final QueryPlan plan = QueryPlanner.planSubscription(sql, catalog, QueryPlanner.Options.REFERENCE);
            final List<byte[]> rows = new ArrayList<>();
            plan.evaluate(ReadView.committed(db.replica.datastore()), rows::add);
            final String overLimit = db.replica.checkRowLimit(catalog, rows.size());
            if (null != overLimit)
            {
                throw new SqlException(overLimit);
            }
            final String table = db.replica.datastore().table(plan.returnedTableId()).schema().name();
            encoder.wrap(scratch, 0).beginOneOffQueryOk(message.requestId());
            writeQueryRows(List.of(new TableRows(table, rows, List.of())));
        }
        catch (final SqlException | RuntimeException ex)
        {
            encoder.wrap(scratch, 0).oneOffQueryError(message.requestId(), String.valueOf(ex.getMessage()));
        }
        send(session, db.replica.appliedTxOffset());
    }

    /**
     * {@inheritDoc}
     */
    public void onCallReducer(final ClientMessageDecoder message)
    {
        final ClientSession session = current;
        final DatabaseState db = database(session);
        if (!ingress.callReducer(
            db.replica.databaseId(), ctx.edgeId(), message.requestId(), session.connectionIdLo(),
            session.connectionIdHi(), session.identityBuffer(), 0, nowMicros(), message.flags(),
            message.buffer(), message.functionNameOffset(), message.functionNameLength(),
            message.buffer(), message.argsOffset(), message.argsLength()))
        {
            encoder.wrap(scratch, 0).reducerResultInternalError(
                message.requestId(), nowMicros(), "core unavailable (back pressure), try again");
            send(session, 0);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onCallProcedure(final ClientMessageDecoder message)
    {
        final ClientSession session = current;
        final DatabaseState db = database(session);
        if (!ingress.callProcedure(
            db.replica.databaseId(), ctx.edgeId(), message.requestId(), session.connectionIdLo(),
            session.connectionIdHi(), session.identityBuffer(), 0, nowMicros(), message.flags(),
            message.buffer(), message.functionNameOffset(), message.functionNameLength(),
            message.buffer(), message.argsOffset(), message.argsLength()))
        {
            encoder.wrap(scratch, 0).procedureResultInternalError(
                message.requestId(), nowMicros(), 0, "core unavailable (back pressure), try again");
            send(session, 0);
        }
    }

    // ---------------------------------------------------------------- core egress (agent thread)

    /**
     * {@inheritDoc}
     */
    public void onTxCommitted(final TxCommittedView tx)
    {
        final DatabaseState db = databases.get(tx.databaseId());
        if (null == db)
        {
            return;
        }
        final TxDelta delta = db.replica.apply(tx);
        txsApplied.incrementRelease();
        api.onTxCommitted(tx.callerConnectionIdLo(), tx.energyUsed(), tx.durationMicros());
        final ClientSession caller = sessionsByConnection.get(
            probe.set(tx.callerConnectionIdLo(), tx.callerConnectionIdHi()));
        final boolean callerWasOpen = null != caller && caller.state() == ClientSession.State.OPEN;
        if (null != caller && caller.state() == ClientSession.State.CONNECTING)
        {
            accept(caller);
        }
        sharedDeltas.encode(db.subscriptions.evaluate(delta, ReadView.committed(db.replica.datastore())));
        final boolean anyChange = !sharedDeltas.isEmpty();
        if (!anyChange)
        {
            // No subscriber sees a change: only the caller, if it is one of this database's clients, hears back.
            if (callerWasOpen && db.sessions.contains(caller))
            {
                sendReducerResultOk(db, caller, tx);
            }
            return;
        }
        for (final ClientSession session : db.sessions)
        {
            if (session.state() != ClientSession.State.OPEN)
            {
                continue;
            }
            if (session == caller && callerWasOpen)
            {
                sendReducerResultOk(db, session, tx);
            }
            else
            {
                encoder.wrap(scratch, 0).beginTransactionUpdate();
                if (sharedDeltas.writeQuerySets(encoder, db.subscriptions.querySets(session)) > 0)
                {
                    encoder.endTransactionUpdate();
                    fanoutRows.getAndAddRelease(sharedDeltas.rowsWritten());
                    send(session, tx.txOffset());
                }
            }
        }
    }

    private void sendReducerResultOk(final DatabaseState db, final ClientSession caller, final TxCommittedView tx)
    {
        encoder.wrap(scratch, 0).beginReducerResultOk(tx.requestId(), tx.timestampMicros(), null, 0, 0);
        sharedDeltas.writeQuerySets(encoder, db.subscriptions.querySets(caller));
        encoder.endTransactionUpdate();
        fanoutRows.getAndAddRelease(sharedDeltas.rowsWritten());
        send(caller, tx.txOffset());
    }

    private void accept(final ClientSession session)
    {
        session.state(ClientSession.State.OPEN);
        encoder.wrap(scratch, 0).initialConnection(
            session.identity().toLittleEndian(), session.connectionId().toLittleEndian(), session.token());
        send(session, 0);
        final List<byte[]> backlog = new ArrayList<>(session.backlog());
        session.backlog().clear();
        for (final byte[] frame : backlog)
        {
            onFrame(session, frame);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onTxFailed(
        final DirectBuffer buffer,
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long timestampMicros,
        final long energyUsed,
        final long durationMicros,
        final Outcome outcome,
        final int nameOffset,
        final int nameLength,
        final int messageOffset,
        final int messageLength)
    {
        if (edgeId != ctx.edgeId())
        {
            return;
        }
        final ClientSession session = sessionsByConnection.get(probe.set(connectionIdLo, connectionIdHi));
        if (null == session)
        {
            api.onTxFailed(connectionIdLo, energyUsed, durationMicros, outcome,
                buffer.getStringWithoutLengthUtf8(messageOffset, messageLength));
            return;
        }
        final String text = buffer.getStringWithoutLengthUtf8(messageOffset, messageLength);
        if (session.state() == ClientSession.State.CONNECTING)
        {
            session.close(1008, truncate("connection rejected: " + text));
            return;
        }
        if (outcome == Outcome.USER_ERROR)
        {
            encoder.wrap(scratch, 0).reducerResultErr(requestId, timestampMicros, text);
        }
        else
        {
            encoder.wrap(scratch, 0).reducerResultInternalError(requestId, timestampMicros,
                outcome == Outcome.OUT_OF_ENERGY ? "reducer ran out of energy" : text);
        }
        send(session, 0);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Maps to the client protocol's ProcedureResult: RETURNED to Returned(bytes), anything else to
     * InternalError(message) (v2 has no other status). Held like a reducer's reply until the last transaction the
     * procedure committed is durable.
     */
    public void onProcedureResult(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long timestampMicros,
        final long durationMicros,
        final ProcedureStatus status,
        final int returnValueOffset,
        final int returnValueLength,
        final int errorMessageOffset,
        final int errorMessageLength)
    {
        if (edgeId != ctx.edgeId())
        {
            return;
        }
        final ClientSession session = sessionsByConnection.get(probe.set(connectionIdLo, connectionIdHi));
        if (null == session)
        {
            api.onProcedureResult(connectionIdLo, durationMicros, status, buffer, returnValueOffset,
                returnValueLength, buffer.getStringWithoutLengthUtf8(errorMessageOffset, errorMessageLength));
            return;
        }
        if (session.state() != ClientSession.State.OPEN)
        {
            return;
        }
        if (status == ProcedureStatus.RETURNED)
        {
            encoder.wrap(scratch, 0).procedureResultReturned(
                requestId, timestampMicros, durationMicros, buffer, returnValueOffset, returnValueLength);
        }
        else
        {
            final String text = buffer.getStringWithoutLengthUtf8(errorMessageOffset, errorMessageLength);
            encoder.wrap(scratch, 0).procedureResultInternalError(requestId, timestampMicros, durationMicros,
                status == ProcedureStatus.OUT_OF_ENERGY ? "procedure ran out of energy" : text);
        }
        send(session, txOffset);
    }

    /**
     * {@inheritDoc}
     * <p>
     * The rows of this edge's bootstrap: appended to the replica just created by its SchemaChanged.
     */
    public void onSnapshotChunk(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int chunkIndex,
        final boolean last,
        final int bytesOffset,
        final int bytesLength)
    {
        final DatabaseState db = databases.get(databaseId);
        if (null != db && edgeId == ctx.edgeId())
        {
            db.replica.applySnapshotChunk(txOffset, buffer, bytesOffset, bytesLength, last);
            bootstrapBytes += bytesLength;
            if (last)
            {
                bootstrappedDatabases++;
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onDurable(final long databaseId, final long upToTxOffset)
    {
        replica.onDurable(databaseId, upToTxOffset);
        final DatabaseState db = databases.get(databaseId);
        if (null != db)
        {
            for (final ClientSession session : db.sessions)
            {
                if (session.confirmedReads() && session.outboxSize() > 0)
                {
                    markDirty(session);
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onSchemaChanged(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int databaseIdentityOffset,
        final int nameOffset,
        final int nameLength,
        final int schemaOffset,
        final int schemaLength,
        final int ownerOffset,
        final int moduleDefOffset,
        final int moduleDefLength)
    {
        onSchemaChanged(buffer, databaseId, txOffset, databaseIdentityOffset, nameOffset, nameLength, schemaOffset,
            schemaLength);
        final ReplicaDatabase database = replica.database(databaseId);
        if (null != database && api.onModule(database, buffer, ownerOffset, moduleDefOffset, moduleDefLength))
        {
            onRowLevelSecurityChanged(databases.get(databaseId));
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onSchemaChanged(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int databaseIdentityOffset,
        final int nameOffset,
        final int nameLength,
        final int schemaOffset,
        final int schemaLength)
    {
        final ReplicaDatabase database = replica.onSchemaChanged(
            buffer, databaseId, txOffset, databaseIdentityOffset, nameOffset, nameLength, schemaOffset, schemaLength);
        DatabaseState db = databases.get(databaseId);
        if (null == database)
        {
            api.onDatabaseDeleted(databaseId);
            if (null != db)
            {
                databases.remove(databaseId);
                countSubscriptions();
                directory.values().removeIf((id) -> id == databaseId);
                for (final ClientSession session : new ArrayList<>(db.sessions))
                {
                    session.close(1001, "database deleted");
                }
            }
            return;
        }
        if (null == db)
        {
            db = new DatabaseState(database);
            databases.put(databaseId, db);
            directory.put(database.name(), databaseId);
            directory.put(Replica.hex(database.identityLittleEndian()), databaseId);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * The database answers to exactly these names from now on (and its identity); a client connected through a
     * name it lost is closed (1001), to reconnect by a current name.
     */
    public void onDatabaseSettings(
        final DirectBuffer buffer,
        final long databaseId,
        final int namesOffset,
        final int namesLength,
        final int variablesOffset,
        final int variablesLength,
        final int hashOffset,
        final int hashLength)
    {
        final List<String> names = DatabaseSettingsFormat.splitNames(
            buffer.getStringWithoutLengthUtf8(namesOffset, namesLength));
        byte[] hash = null;
        if (hashLength > 0)
        {
            hash = new byte[hashLength];
            buffer.getBytes(hashOffset, hash);
        }
        final ReplicaDatabase database = replica.onDatabaseSettings(databaseId, names,
            DatabaseSettingsFormat.splitVariables(buffer.getStringWithoutLengthUtf8(variablesOffset, variablesLength)),
            hash);
        final DatabaseState db = databases.get(databaseId);
        if (null == database || null == db)
        {
            return;
        }
        final String identityHex = Replica.hex(database.identityLittleEndian());
        directory.values().removeIf((id) -> id == databaseId);
        directory.put(identityHex, databaseId);
        for (final String name : names)
        {
            directory.put(name, databaseId);
        }
        for (final ClientSession session : new ArrayList<>(db.sessions))
        {
            final Long id = directory.get(session.databaseName());
            if (null == id || id != databaseId)
            {
                session.close(1001, "database renamed: connect by one of its names or its identity");
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onModuleLog(
        final DirectBuffer buffer,
        final long databaseId,
        final long timestampMicros,
        final LogLevel level,
        final int messageOffset,
        final int messageLength)
    {
        api.onModuleLog(databaseId, timestampMicros, level,
            buffer.getStringWithoutLengthUtf8(messageOffset, messageLength));
    }

    /**
     * {@inheritDoc}
     */
    public void onRequestCompleted(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final Outcome outcome,
        final int messageOffset,
        final int messageLength)
    {
        if (edgeId == ctx.edgeId())
        {
            api.onRequestCompleted(databaseId, requestId, outcome,
                buffer.getStringWithoutLengthUtf8(messageOffset, messageLength));
        }
    }

    /**
     * The module's row-level-security rules changed (a module update): the plans of non-owners' subscriptions were
     * compiled with the old rules, so those clients lose their subscriptions and are closed, to resubscribe under
     * the new rules. Owners are exempt from the rules and keep theirs.
     */
    private void onRowLevelSecurityChanged(final DatabaseState db)
    {
        if (null == db)
        {
            return;
        }
        for (final ClientSession session : new ArrayList<>(db.sessions))
        {
            if (db.subscriptions.hasSubscriptions(session) &&
                !db.replica.isOwner(session.identity().toLittleEndian()))
            {
                db.subscriptions.removeAll(session);
                session.close(1012, "module updated with new row-level security rules; reconnect");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private DatabaseState database(final ClientSession session)
    {
        final Long id = directory.get(session.databaseName());
        return null == id ? null : databases.get(id);
    }

    private static long countRows(final List<TableRows> tables)
    {
        long rows = 0;
        for (final TableRows table : tables)
        {
            rows += table.inserts().size();
        }
        return rows;
    }

    private static Catalog catalog(final ClientSession session, final DatabaseState db) throws SqlException
    {
        return db.replica.catalog(session.identity().toLittleEndian());
    }

    private void writeQueryRows(final List<TableRows> tables)
    {
        for (final TableRows table : tables)
        {
            encoder.beginTable(table.table());
            for (final byte[] row : table.inserts())
            {
                encoder.row(new UnsafeBuffer(row), 0, row.length);
            }
            encoder.endTable();
        }
        encoder.endQueryRows();
    }

    private void countSubscriptions()
    {
        long plans = 0;
        for (final DatabaseState db : databases.values())
        {
            plans += db.subscriptions.planCount();
        }
        subscriptionsGauge.setRelease(plans);
    }

    private void send(final ClientSession session, final long txOffset)
    {
        fanoutBytes.getAndAddRelease(encoder.messageLength());
        if (session.enqueue(txOffset, scratch, 0, encoder.messageLength()))
        {
            markDirty(session);
        }
    }

    private void markDirty(final ClientSession session)
    {
        if (!session.queuedForDrain())
        {
            session.queuedForDrain(true);
            dirty.add(session);
        }
    }

    private static String truncate(final String reason)
    {
        return new ProtocolException(0, reason).closeReason();
    }

    private static long nowMicros()
    {
        return System.currentTimeMillis() * 1000L;
    }
}
