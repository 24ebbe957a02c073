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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake core speaking the wire contract in-process, run on the edge agent thread through {@link #poll}: database 1
 * "quickstart" with {@code person(name: String)} (one row, "Alice") and a private table; ClientConnected commits (or
 * fails when {@link #rejectConnections} is set); reducer {@code add(name)} inserts a person, {@code fail} is a user
 * error, anything else an internal error; procedure {@code echo(name)} inserts a person in a callerless
 * transaction and returns its argument bytes, any other procedure is an internal error; Durable follows each
 * commit unless {@link #holdDurable} is set.
 */
final class FakeCore implements CoreLink, CoreIngressListener
{
    static final long DATABASE_ID = 1;
    static final int PERSON_TABLE_ID = 4096;
    static final long BIG_DATABASE_ID = 2;
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

    private final LoopbackPublication ingressPublication = new LoopbackPublication();
    private final LoopbackPublication egressPublication = new LoopbackPublication();
    private final CoreIngressProxy ingress = new CoreIngressProxy(ingressPublication, 32 * 1024, 1024 * 1024);
    private final CoreEgressProxy egress = new CoreEgressProxy(egressPublication, 32 * 1024, 1024 * 1024);
    private final CoreIngressAdapter ingressAdapter = new CoreIngressAdapter(this);
    private final TxCommittedBuilder tx = new TxCommittedBuilder();
    private final UnsafeBuffer personName = utf8("person");
    private long txOffset;

    FakeCore()
    {
        final BsatnWriter writer = new BsatnWriter(new ExpandableArrayBuffer(256), 0);
        writer.writeU32(2);
        SchemaCodec.encode(writer, TableSchema.builder("person", PERSON).tableId(PERSON_TABLE_ID).build());
        SchemaCodec.encode(writer, TableSchema.builder("secret", PERSON).tableId(PERSON_TABLE_ID + 1)
            .access(TableAccess.PRIVATE).build());
        final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
        identity.putByte(31, (byte)0xc2);
        identity.putByte(0, (byte)0x01);
        final UnsafeBuffer name = utf8("quickstart");
        egress.schemaChanged(DATABASE_ID, 0, identity, 0, name, 0, name.capacity(),
            writer.buffer(), 0, writer.position());
        final byte[] alice = row("Alice");
        commit(tx.reset().databaseId(DATABASE_ID).txOffset(++txOffset).timestampMicros(1)
            .addTable(PERSON_TABLE_ID, personName, 0, personName.capacity(), new UnsafeBuffer(alice), 0, alice.length,
                null, 0, 0));
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
                .reducerName(reducer, 0, reducer.capacity())
                .addTable(PERSON_TABLE_ID, personName, 0, personName.capacity(), buffer, argsOffset, argsLength,
                    null, 0, 0));
            return;
        }
        final boolean user = "fail".equals(name);
        final UnsafeBuffer message = utf8(user ? "boom" : "no such reducer: " + name);
        egress.txFailed(databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, timestampMicros, 0, 0,
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
    }

    public void onPublishModule(
        final DirectBuffer buffer, final int edgeId, final int requestId, final int ownerIdentityOffset,
        final boolean clear, final int nameOffset, final int nameLength, final int moduleOffset,
        final int moduleLength)
    {
    }

    public void onDeleteDatabase(
        final DirectBuffer buffer, final int edgeId, final int requestId, final int callerIdentityOffset,
        final int nameOffset, final int nameLength)
    {
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
