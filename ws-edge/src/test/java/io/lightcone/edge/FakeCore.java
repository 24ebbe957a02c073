package io.lightcone.edge;

import io.aeron.logbuffer.FragmentHandler;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.SchemaCodec;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.wire.CoreEgressProxy;
import io.lightcone.wire.CoreIngressAdapter;
import io.lightcone.wire.CoreIngressListener;
import io.lightcone.wire.CoreIngressProxy;
import io.lightcone.wire.SnapshotChunkFormat;
import io.lightcone.wire.TxCommittedBuilder;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake core speaking the wire contract in-process, run on the edge agent thread through {@link #poll}: database 1
 * "quickstart" with {@code person(name: String)} (one row, "Alice") and a private table; ClientConnected commits (or
 * fails when {@link #rejectConnections} is set); reducer {@code add(name)} inserts a person and logs "added name",
 * {@code fail} is a user error, anything else an internal error; procedure {@code double(x: u32)} returns 2x,
 * procedure {@code echo(name)} inserts a person in a callerless transaction and returns its argument bytes, any
 * other procedure is an internal error;
 * Durable follows each commit unless {@link #holdDurable} is set.
 * ClientConnected waits while {@link #holdConnections} is set, until {@link #releaseConnections()};
 * {@link #insertPeople} commits one transaction per row, as a module's reducers would.
 * <p>
 * For the HTTP API: {@link #announce} re-sends the schema with an owner and the module definition
 * ({@link #moduleDef()}); PublishModule creates a database (refused for a non-owner, or as a failed migration when the
 * module bytes start with "bad"); DeleteDatabase and SqlDml (one person "Dml" inserted) are for the owner only;
 * {@link #silent} makes it ignore publishes.
 */
final class FakeCore implements CoreLink, CoreIngressListener
{
    static final long DATABASE_ID = 1;
    static final int PERSON_TABLE_ID = 4096;
    static final long BIG_DATABASE_ID = 2;
    /** Database 1's identity as in URLs: the edge names an existing database by it in publish and delete. */
    static final String QUICKSTART_HEX = "c2" + "0".repeat(60) + "01";
    static final int BIG_ROWS = 500;
    static final int CHUNK_LENGTH = 512;
    static final ProductType PERSON = ProductType.of("name", AlgebraicType.STRING);

    final Queue<Runnable> control = new ConcurrentLinkedQueue<>();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicLong durableOffset = new AtomicLong();
    volatile boolean holdDurable;
    volatile boolean rejectConnections;
    volatile boolean holdConnections;
    volatile boolean silent;
    private volatile byte[] owner;
    private long nextDatabaseId = BIG_DATABASE_ID + 1;
    private final List<String> quickstartNames = new ArrayList<>(List.of("quickstart"));
    private final java.util.Map<String, Long> quickstartVariables = new java.util.LinkedHashMap<>();

    private final LoopbackPublication ingressPublication = new LoopbackPublication();
    private final LoopbackPublication egressPublication = new LoopbackPublication();
    private final CoreIngressProxy ingress = new CoreIngressProxy(ingressPublication, 32 * 1024, 1024 * 1024);
    private final CoreEgressProxy egress = new CoreEgressProxy(egressPublication, 32 * 1024, 1024 * 1024);
    private final CoreIngressAdapter ingressAdapter = new CoreIngressAdapter(this);
    private final TxCommittedBuilder tx = new TxCommittedBuilder();
    private final UnsafeBuffer personName = utf8("person");
    private final List<Runnable> heldConnections = new ArrayList<>();
    private long txOffset;

    FakeCore()
    {
        sendSchema(DATABASE_ID, "quickstart", 0);
        final byte[] alice = row("Alice");
        commit(tx.reset().databaseId(DATABASE_ID).txOffset(++txOffset).timestampMicros(1)
            .addTable(PERSON_TABLE_ID, personName, 0, personName.capacity(), new UnsafeBuffer(alice), 0, alice.length,
                null, 0, 0));
    }

    /** Re-send database 1's schema with an owner and the module definition (as a version 2 core does). */
    void announce(final byte[] ownerLittleEndian)
    {
        control.add(() ->
        {
            owner = ownerLittleEndian.clone();
            sendSchema(DATABASE_ID, "quickstart", txOffset);
        });
    }

    private void sendSchema(final long databaseId, final String name, final long offset)
    {
        final BsatnWriter writer = new BsatnWriter(new ExpandableArrayBuffer(256), 0);
        writer.writeU32(2);
        SchemaCodec.encode(writer, TableSchema.builder("person", PERSON).tableId(PERSON_TABLE_ID).build());
        SchemaCodec.encode(writer, TableSchema.builder("secret", PERSON).tableId(PERSON_TABLE_ID + 1)
            .access(TableAccess.PRIVATE).build());
        final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
        identity.putByte(31, (byte)0xc2);
        identity.putLong(0, databaseId);
        final UnsafeBuffer nameBuffer = utf8(name);
        final byte[] def = moduleDef();
        final byte[] ownerBytes = null == owner ? new byte[0] : owner;
        egress.schemaChanged(databaseId, offset, identity, 0, nameBuffer, 0, nameBuffer.capacity(),
            writer.buffer(), 0, writer.position(), new UnsafeBuffer(ownerBytes), 0, ownerBytes.length,
            new UnsafeBuffer(def), 0, def.length);
    }

    /**
     * The RawModuleDef V10 of the fake module: tables person (public) and secret (private), both {@code {name:
     * String}}; reducers add(name: String), fail(), init() (lifecycle Init); procedure double(x: u32) -> u32.
     *
     * @return the BSATN.
     */
    static byte[] moduleDef()
    {
        final BsatnWriter w = new BsatnWriter();
        w.writeU8(2);
        w.writeU32(6);
        w.writeU8(0); // Typespace
        w.writeU32(1);
        w.writeU8(2);
        w.writeU32(1);
        w.writeU8(0);
        w.writeString("name");
        w.writeU8(4);
        w.writeU8(2); // Tables
        w.writeU32(2);
        table(w, "person", 0);
        table(w, "secret", 1);
        w.writeU8(3); // Reducers
        w.writeU32(3);
        reducer(w, "add", "name", 4, 1);
        reducer(w, "fail", null, 0, 1);
        reducer(w, "init", null, 0, 0);
        w.writeU8(4); // Procedures
        w.writeU32(1);
        w.writeString("double");
        w.writeU32(1);
        w.writeU8(0);
        w.writeString("x");
        w.writeU8(11);
        w.writeU8(11);
        w.writeU8(1);
        w.writeU8(7); // LifeCycleReducers
        w.writeU32(1);
        w.writeU8(0);
        w.writeString("init");
        w.writeU8(9); // CaseConversionPolicy None
        w.writeU8(0);
        return w.toByteArray();
    }

    private static void table(final BsatnWriter w, final String name, final int access)
    {
        w.writeString(name);
        w.writeU32(0);
        for (int i = 0; i < 4; i++)
        {
            w.writeU32(0); // primary key, indexes, constraints, sequences
        }
        w.writeU8(1);
        w.writeU8(access);
        w.writeU32(0);
        w.writeBool(false);
    }

    private static void reducer(
        final BsatnWriter w, final String name, final String param, final int paramTag, final int visibility)
    {
        w.writeString(name);
        w.writeU32(null == param ? 0 : 1);
        if (null != param)
        {
            w.writeU8(0);
            w.writeString(param);
            w.writeU8(paramTag);
        }
        w.writeU8(visibility);
        w.writeU8(2);
        w.writeU32(0);
        w.writeU8(4);
    }

    private boolean isQuickstart(final String name)
    {
        return QUICKSTART_HEX.equals(name) || quickstartNames.contains(name);
    }

    /** Database 1's names and variables, as a version 3 core sends them. */
    private void sendSettings()
    {
        final UnsafeBuffer names = utf8(String.join("\n", quickstartNames));
        final StringBuilder variables = new StringBuilder();
        quickstartVariables.forEach((k, v) -> variables.append(k).append('=').append(v).append('\n'));
        final UnsafeBuffer vars = utf8(variables.toString());
        final UnsafeBuffer hash = new UnsafeBuffer(new byte[32]);
        hash.setMemory(0, 32, (byte)0xab);
        egress.databaseSettings(DATABASE_ID, names, 0, names.capacity(), vars, 0, vars.capacity(), hash, 0, 32);
    }

    @Override
    public void onSetDatabaseNames(
        final DirectBuffer buffer, final int edgeId, final int requestId, final int callerIdentityOffset,
        final boolean replace, final int nameOffset, final int nameLength, final int namesOffset,
        final int namesLength)
    {
        final String target = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        if (!isQuickstart(target) || !isOwner(buffer, callerIdentityOffset))
        {
            completed(DATABASE_ID, 0, edgeId, requestId, Outcome.USER_ERROR, "only the owner may rename " + target);
            return;
        }
        final List<String> names = List.of(buffer.getStringWithoutLengthUtf8(namesOffset, namesLength).split("\n"));
        for (final String name : names)
        {
            if ("big".equals(name))
            {
                completed(DATABASE_ID, 0, edgeId, requestId, Outcome.USER_ERROR, replace ?
                    "Cannot rename to big because it already is in use." :
                    "record with the name big already exists");
                return;
            }
        }
        if (replace)
        {
            quickstartNames.clear();
        }
        quickstartNames.addAll(names);
        sendSettings();
        completed(DATABASE_ID, 0, edgeId, requestId, Outcome.COMMITTED, "");
    }

    private boolean isOwner(final DirectBuffer buffer, final int offset)
    {
        final byte[] caller = new byte[32];
        buffer.getBytes(offset, caller);
        return null != owner && java.util.Arrays.equals(owner, caller);
    }

    private void completed(final long databaseId, final long offset, final int edgeId, final int requestId,
        final Outcome outcome, final String message)
    {
        final UnsafeBuffer text = utf8(message);
        egress.requestCompleted(databaseId, offset, edgeId, requestId, outcome, text, 0, text.capacity());
    }

    static byte[] row(final String name)
    {
        final BsatnWriter writer = new BsatnWriter();
        writer.writeString(name);
        return writer.toByteArray();
    }

    private static UnsafeBuffer utf8(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Release the Durable held back by {@link #holdDurable} (runs on the agent thread). */
    void releaseDurable()
    {
        control.add(() ->
        {
            holdDurable = false;
            egress.durable(DATABASE_ID, txOffset);
            durableOffset.set(txOffset);
        });
    }

    /** Commit the ClientConnected held back by {@link #holdConnections} (runs on the agent thread). */
    void releaseConnections()
    {
        control.add(() ->
        {
            holdConnections = false;
            heldConnections.forEach(Runnable::run);
            heldConnections.clear();
        });
    }

    /**
     * Commit one transaction per name, each inserting one person row, on the agent thread; {@link #commits} counts
     * them.
     *
     * @param names the rows' names, in commit order.
     */
    void insertPeople(final List<String> names)
    {
        control.add(() ->
        {
            for (final String name : names)
            {
                final byte[] row = row(name);
                commit(tx.reset().databaseId(DATABASE_ID).txOffset(++txOffset).timestampMicros(txOffset)
                    .addTable(PERSON_TABLE_ID, personName, 0, personName.capacity(), new UnsafeBuffer(row), 0,
                        row.length, null, 0, 0));
            }
        });
    }

    private void commit(final TxCommittedBuilder builder)
    {
        egress.txCommitted(builder);
        commits.incrementAndGet();
        if (!holdDurable)
        {
            egress.durable(DATABASE_ID, txOffset);
            durableOffset.set(txOffset);
        }
    }

    public CoreIngressProxy ingress()
    {
        return ingress;
    }

    public int poll(final FragmentHandler handler, final int fragmentLimit)
    {
        int work = 0;
        Runnable command;
        while (null != (command = control.poll()))
        {
            command.run();
            work++;
        }
        work += ingressPublication.drain(ingressAdapter);
        work += egressPublication.drain(handler);
        return work;
    }

    public void close()
    {
    }

    public void onCallReducer(
        final DirectBuffer buffer, final long databaseId, final int edgeId, final int requestId,
        final long connectionIdLo, final long connectionIdHi, final int callerIdentityOffset,
        final long timestampMicros, final int flags, final int nameOffset, final int nameLength,
        final int argsOffset, final int argsLength)
    {
        final String name = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        final UnsafeBuffer reducer = utf8(name);
        if ("add".equals(name))
        {
            commit(tx.reset().databaseId(databaseId).txOffset(++txOffset).timestampMicros(timestampMicros)
                .caller(connectionIdLo, connectionIdHi, requestId, buffer, callerIdentityOffset)
                .reducerName(reducer, 0, reducer.capacity()).energyUsed(1234).durationMicros(56)
                .addTable(PERSON_TABLE_ID, personName, 0, personName.capacity(), buffer, argsOffset, argsLength,
                    null, 0, 0));
            final UnsafeBuffer log =
                utf8("added " + buffer.getStringUtf8(argsOffset, java.nio.ByteOrder.LITTLE_ENDIAN));
            egress.moduleLog(databaseId, timestampMicros, io.lightcone.wire.sbe.LogLevel.INFO, log, 0,
                log.capacity());
            return;
        }
        final boolean user = "fail".equals(name);
        final UnsafeBuffer message = utf8(user ? "boom" : "no such reducer: " + name);
        egress.txFailed(databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, timestampMicros, 99, 7,
            user ? Outcome.USER_ERROR : Outcome.INTERNAL_ERROR, reducer, 0, reducer.capacity(), message, 0,
            message.capacity());
    }

    public void onCallProcedure(
        final DirectBuffer buffer, final long databaseId, final int edgeId, final int requestId,
        final long connectionIdLo, final long connectionIdHi, final int callerIdentityOffset,
        final long timestampMicros, final int flags, final int nameOffset, final int nameLength,
        final int argsOffset, final int argsLength)
    {
        final String name = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        if ("double".equals(name) && argsLength == 4)
        {
            final UnsafeBuffer out = new UnsafeBuffer(new byte[4]);
            out.putInt(0, 2 * buffer.getInt(argsOffset, java.nio.ByteOrder.LITTLE_ENDIAN),
                java.nio.ByteOrder.LITTLE_ENDIAN);
            egress.procedureResult(databaseId, 0, edgeId, requestId, connectionIdLo, connectionIdHi,
                timestampMicros, 1, ProcedureStatus.RETURNED, out, 0, 4, out, 0, 0);
            return;
        }
        if ("echo".equals(name))
        {
            commit(tx.reset().databaseId(databaseId).txOffset(++txOffset).timestampMicros(timestampMicros)
                .addTable(PERSON_TABLE_ID, personName, 0, personName.capacity(), buffer, argsOffset, argsLength,
                    null, 0, 0));
            egress.procedureResult(databaseId, txOffset, edgeId, requestId, connectionIdLo, connectionIdHi,
                timestampMicros, 5, ProcedureStatus.RETURNED, buffer, argsOffset, argsLength, buffer, 0, 0);
            return;
        }
        final UnsafeBuffer message = utf8("no such procedure: " + name);
        egress.procedureResult(databaseId, 0, edgeId, requestId, connectionIdLo, connectionIdHi, timestampMicros,
            0, ProcedureStatus.INTERNAL_ERROR, message, 0, 0, message, 0, message.capacity());
    }

    public void onClientConnected(
        final DirectBuffer buffer, final long databaseId, final int edgeId, final long connectionIdLo,
        final long connectionIdHi, final int identityOffset, final long timestampMicros, final int jwtOffset,
        final int jwtLength)
    {
        connects.incrementAndGet();
        final UnsafeBuffer reducer = utf8("client_connected");
        if (rejectConnections)
        {
            final UnsafeBuffer message = utf8("not welcome");
            egress.txFailed(databaseId, edgeId, 0, connectionIdLo, connectionIdHi, timestampMicros, 0, 0,
                Outcome.USER_ERROR, reducer, 0, reducer.capacity(), message, 0, message.capacity());
            return;
        }
        if (holdConnections)
        {
            final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
            identity.putBytes(0, buffer, identityOffset, 32);
            heldConnections.add(() -> commit(tx.reset().databaseId(databaseId).txOffset(++txOffset)
                .timestampMicros(timestampMicros).caller(connectionIdLo, connectionIdHi, 0, identity, 0)
                .reducerName(reducer, 0, reducer.capacity())));
            return;
        }
        commit(tx.reset().databaseId(databaseId).txOffset(++txOffset).timestampMicros(timestampMicros)
            .caller(connectionIdLo, connectionIdHi, 0, buffer, identityOffset)
            .reducerName(reducer, 0, reducer.capacity()));
    }

    public void onClientDisconnected(
        final DirectBuffer buffer, final long databaseId, final int edgeId, final long connectionIdLo,
        final long connectionIdHi, final int identityOffset, final long timestampMicros)
    {
        disconnects.incrementAndGet();
    }

    public void onSqlDml(
        final DirectBuffer buffer, final long databaseId, final int edgeId, final int requestId,
        final long connectionIdLo, final long connectionIdHi, final int callerIdentityOffset, final int sqlOffset,
        final int sqlLength)
    {
        if (!isOwner(buffer, callerIdentityOffset))
        {
            completed(databaseId, 0, edgeId, requestId, Outcome.USER_ERROR,
                "only the owner of database quickstart may run INSERT, UPDATE or DELETE");
            return;
        }
        final String sql = buffer.getStringWithoutLengthUtf8(sqlOffset, sqlLength);
        if (sql.startsWith("SET "))
        {
            final String[] parts = sql.substring(4).split("=");
            final String variable = parts[0].trim();
            if (!"row_limit".equals(variable))
            {
                completed(databaseId, 0, edgeId, requestId, Outcome.USER_ERROR,
                    variable + " is not a valid system variable");
                return;
            }
            quickstartVariables.put(variable, Long.parseLong(parts[1].trim()));
            sendSettings();
            completed(databaseId, 0, edgeId, requestId, Outcome.COMMITTED, "");
            return;
        }
        final byte[] dml = row("Dml");
        commit(tx.reset().databaseId(databaseId).txOffset(++txOffset).timestampMicros(1)
            .caller(connectionIdLo, connectionIdHi, requestId, buffer, callerIdentityOffset)
            .addTable(PERSON_TABLE_ID, personName, 0, personName.capacity(), new UnsafeBuffer(dml), 0, dml.length,
                null, 0, 0));
        completed(databaseId, txOffset, edgeId, requestId, Outcome.COMMITTED,
            "{\"rows_inserted\":1,\"rows_deleted\":0,\"rows_updated\":0}");
    }

    public void onPublishModule(
        final DirectBuffer buffer, final int edgeId, final int requestId, final int ownerIdentityOffset,
        final boolean clear, final int nameOffset, final int nameLength, final int moduleOffset,
        final int moduleLength)
    {
        if (silent)
        {
            return;
        }
        final String name = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        if (isQuickstart(name))
        {
            if (!isOwner(buffer, ownerIdentityOffset))
            {
                completed(DATABASE_ID, 0, edgeId, requestId, Outcome.USER_ERROR,
                    "database quickstart is owned by another identity");
            }
            else if (buffer.getStringWithoutLengthAscii(moduleOffset, Math.min(3, moduleLength)).equals("bad"))
            {
                completed(DATABASE_ID, 0, edgeId, requestId, Outcome.USER_ERROR,
                    "update refused: table person: column name removed");
            }
            else
            {
                completed(DATABASE_ID, txOffset, edgeId, requestId, Outcome.COMMITTED, "no change");
            }
            return;
        }
        final byte[] previousOwner = owner;
        owner = new byte[32];
        buffer.getBytes(ownerIdentityOffset, owner);
        final long databaseId = nextDatabaseId++;
        sendSchema(databaseId, name, 0);
        owner = previousOwner;
        completed(databaseId, 0, edgeId, requestId, Outcome.COMMITTED, "");
    }

    public void onDeleteDatabase(
        final DirectBuffer buffer, final int edgeId, final int requestId, final int callerIdentityOffset,
        final int nameOffset, final int nameLength)
    {
        final String name = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
        if (!isQuickstart(name) || !isOwner(buffer, callerIdentityOffset))
        {
            completed(0, 0, edgeId, requestId, Outcome.USER_ERROR, "only the owner may delete database " + name);
            return;
        }
        final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
        final UnsafeBuffer nameBuffer = utf8(name);
        egress.schemaChanged(DATABASE_ID, txOffset, identity, 0, nameBuffer, 0, nameBuffer.capacity(),
            identity, 0, 0);
        completed(DATABASE_ID, 0, edgeId, requestId, Outcome.COMMITTED, "");
    }

    /**
     * Database 2 "big" exists only in the bootstrap: SchemaChanged at tx 7, then {@link #BIG_ROWS} persons as
     * SnapshotChunks of at most {@link #CHUNK_LENGTH} bytes, preceded by a chunk for another edge that must be
     * ignored, then Durable.
     */
    public void onEdgeBootstrap(final int edgeId, final long fromTxOffset)
    {
        final long bigTxOffset = 7;
        final BsatnWriter writer = new BsatnWriter(new ExpandableArrayBuffer(256), 0);
        writer.writeU32(1);
        SchemaCodec.encode(writer, TableSchema.builder("person", PERSON).tableId(PERSON_TABLE_ID).build());
        final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
        identity.putByte(31, (byte)0xc2);
        identity.putByte(0, (byte)0x02);
        final UnsafeBuffer name = utf8("big");
        egress.schemaChanged(BIG_DATABASE_ID, bigTxOffset, identity, 0, name, 0, name.capacity(),
            writer.buffer(), 0, writer.position());
        final ExpandableArrayBuffer chunk = new ExpandableArrayBuffer(CHUNK_LENGTH);
        final byte[] mallory = row("Mallory");
        int length = SnapshotChunkFormat.putHeader(chunk, 0, PERSON_TABLE_ID, personName, 0,
            personName.capacity(), mallory.length);
        chunk.putBytes(length, mallory);
        length += mallory.length;
        egress.snapshotChunk(BIG_DATABASE_ID, bigTxOffset, edgeId + 1, 0, true, chunk, 0, length);
        int index = 0;
        length = 0;
        int section = -1;
        int sectionRows = 0;
        for (int i = 0; i < BIG_ROWS; i++)
        {
            final byte[] person = row("person " + i);
            if (length > 0 && length + person.length + 32 > CHUNK_LENGTH)
            {
                SnapshotChunkFormat.putRowsLength(chunk, section, personName.capacity(), sectionRows);
                egress.snapshotChunk(BIG_DATABASE_ID, bigTxOffset, edgeId, index++, false, chunk, 0, length);
                length = 0;
                section = -1;
            }
            if (section < 0)
            {
                section = length;
                sectionRows = 0;
                length += SnapshotChunkFormat.putHeader(chunk, length, PERSON_TABLE_ID, personName, 0,
                    personName.capacity(), 0);
            }
            chunk.putBytes(length, person);
            length += person.length;
            sectionRows += person.length;
        }
        SnapshotChunkFormat.putRowsLength(chunk, section, personName.capacity(), sectionRows);
        egress.snapshotChunk(BIG_DATABASE_ID, bigTxOffset, edgeId, index, true, chunk, 0, length);
        egress.durable(BIG_DATABASE_ID, bigTxOffset);
    }
}
