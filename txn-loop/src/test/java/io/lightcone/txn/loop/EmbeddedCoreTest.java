package io.lightcone.txn.loop;

import io.lightcone.core.txn.MutTx;
import io.lightcone.wire.CoreEgressAdapter;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end inside one JVM: an embedded media driver, the loop on its thread, a client over aeron:ipc. Modules are
 * copies of wasm-aot's test modules (txn-loop/src/test/resources/modules, built from wasm-aot/src/test/modules).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedCoreTest
{
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path dataDir;

    private RecordingCommitSink sink;
    private EmbeddedCore core;
    private CoreClient client;
    private final Recorder recorder = new Recorder();
    private final UnsafeBuffer owner = new UnsafeBuffer(new byte[32]);
    private final UnsafeBuffer caller = new UnsafeBuffer(new byte[32]);
    private int requestId;

    @BeforeEach
    void launch()
    {
        owner.putByte(0, (byte)1);
        caller.putByte(0, (byte)2);
        sink = new RecordingCommitSink();
        core = EmbeddedCore.launch(new TxnLoopContext()
            .dataDir(dataDir.toFile())
            .idleStrategyName("sleep")
            .reducerBudgetMs(300)
            .commitSink(sink));
        client = core.newClient(recorder);
        await(client::isConnected, "client connected");
    }

    @AfterEach
    void close()
    {
        if (null != client)
        {
            client.close();
        }
        if (null != core)
        {
            core.close();
        }
    }

    /** Invariant: commits reach egress with their deltas, then Durable; failures reply; balances are conserved. */
    @Test
    void shouldCommitTransfersAndReportDurableInOrder()
    {
        final long db = publish("bank", "keynote", false);
        final Recorder.Tx seed = call(db, "seed", args().putInt(10).putLong(100));
        final Recorder.Table seeded = seed.table("accounts");
        assertEquals(10 * 12, seeded.inserted().length);
        assertEquals(0, seeded.deleted().length);

        final Map<Integer, Long> balances = new HashMap<>();
        apply(balances, seeded);
        for (int i = 0; i < 50; i++)
        {
            final Recorder.Tx tx = call(db, "transfer", args().putInt(i % 10).putInt((i + 3) % 10).putLong(7));
            final Recorder.Table accounts = tx.table("accounts");
            assertEquals(2 * 12, accounts.inserted().length, "two rows rewritten");
            assertEquals(2 * 12, accounts.deleted().length);
            apply(balances, accounts);
        }
        final Recorder.Failed failed = callFailing(db, "transfer", args().putInt(1).putInt(2).putLong(1_000_000));
        assertEquals(Outcome.USER_ERROR, failed.outcome());
        assertEquals("insufficient balance", failed.message());
        assertEquals("transfer", failed.reducer());
        assertEquals(10 * 100L, balances.values().stream().mapToLong(Long::longValue).sum(), "total conserved");

        final List<Recorder.Tx> txs = recorder.all(Recorder.Tx.class);
        final long lastTx = txs.get(txs.size() - 1).txOffset();
        await(() -> null != recorder.find(Recorder.Durable.class, (d) -> d.databaseId() == db && d.upTo() >= lastTx),
            "durable up to " + lastTx);
        long previousTx = -1;
        long durable = -1;
        for (final Object event : recorder.events)
        {
            if (event instanceof Recorder.Tx tx)
            {
                assertEquals(previousTx + 1, tx.txOffset(), "gapless, in order");
                previousTx = tx.txOffset();
            }
            else if (event instanceof Recorder.Durable d)
            {
                assertTrue(d.upTo() <= previousTx, "Durable never ahead of the TxCommitted seen");
                assertTrue(d.upTo() >= durable, "Durable never goes back");
                durable = d.upTo();
            }
        }

        final List<RecordingCommitSink.Record> records = sink.records();
        assertEquals(txs.size(), records.size(), "one record per commit");
        final Recorder decoded = new Recorder();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(decoded);
        for (final RecordingCommitSink.Record record : records)
        {
            adapter.onFragment(new UnsafeBuffer(record.payload()), 0, record.payload().length, null);
        }
        final List<Recorder.Tx> fromLog = decoded.all(Recorder.Tx.class);
        assertEquals(txs.size(), fromLog.size());
        for (int i = 0; i < txs.size(); i++)
        {
            assertEquals(txs.get(i).txOffset(), fromLog.get(i).txOffset());
            assertEquals(txs.get(i).reducer(), fromLog.get(i).reducer());
            assertEquals(txs.get(i).tables().size(), fromLog.get(i).tables().size());
            for (int t = 0; t < txs.get(i).tables().size(); t++)
            {
                assertArrayEquals(txs.get(i).tables().get(t).inserted(), fromLog.get(i).tables().get(t).inserted());
                assertArrayEquals(txs.get(i).tables().get(t).deleted(), fromLog.get(i).tables().get(t).deleted());
            }
        }
    }

    /** Invariant: requests the loop must refuse get an INTERNAL_ERROR reply and change nothing. */
    @Test
    void shouldRefuseUnknownReducersLifecycleReducersAndBadArgs()
    {
        final long db = publish("qs", "quickstart", false);
        assertEquals(Outcome.INTERNAL_ERROR, callFailing(db, "nope", args()).outcome());
        final Recorder.Failed lifecycle = callFailing(db, "init", args());
        assertEquals(Outcome.INTERNAL_ERROR, lifecycle.outcome());
        assertTrue(lifecycle.message().contains("cannot be called by clients"), lifecycle.message());
        final Recorder.Failed badArgs = callFailing(db, "add", args().putInt(5));
        assertEquals(Outcome.INTERNAL_ERROR, badArgs.outcome());
        assertTrue(badArgs.message().startsWith("invalid arguments"), badArgs.message());
        final Recorder.Failed noDb = callFailing(db + 1, "add", args());
        assertTrue(noDb.message().startsWith("no database"), noDb.message());

    }

    /**
     * Invariant: SQL DML runs for the owner only, in one committed transaction whose statistics the reply carries;
     * a bad statement or a non-owner changes nothing.
     */
    @Test
    void shouldRunSqlDmlForTheOwnerOnly()
    {
        final long db = publish("qs", "quickstart", false);
        final Recorder.Completed refused = sqlDml(db, caller, "DELETE FROM person");
        assertEquals(Outcome.USER_ERROR, refused.outcome());
        assertTrue(refused.message().contains("only the owner"), refused.message());
        final Recorder.Completed bad = sqlDml(db, owner, "INSERT INTO nope VALUES ('x')");
        assertEquals(Outcome.USER_ERROR, bad.outcome());
        assertTrue(bad.message().contains("nope"), bad.message());

        final Recorder.Completed inserted = sqlDml(db, owner, "INSERT INTO person VALUES ('Ada'), ('Bob')");
        assertEquals(Outcome.COMMITTED, inserted.outcome(), inserted.message());
        assertEquals("{\"rows_inserted\":2,\"rows_deleted\":0,\"rows_updated\":0}", inserted.message());
        final Recorder.Tx tx = recorder.find(Recorder.Tx.class, (t) -> t.txOffset() == inserted.txOffset());
        assertEquals(1, tx.tables().size());
        final Recorder.Completed deleted = sqlDml(db, owner, "DELETE FROM person WHERE name = 'Ada'");
        assertEquals("{\"rows_inserted\":0,\"rows_deleted\":1,\"rows_updated\":0}", deleted.message());
    }

    /** Invariant: SchemaChanged names the owner and carries the module's RawModuleDef (V10 tag first). */
    @Test
    void shouldSendOwnerAndModuleDefWithTheSchema()
    {
        final long db = publish("qs", "quickstart", false);
        final Recorder.Schema schema = recorder.find(Recorder.Schema.class, (s) -> s.databaseId() == db);
        final byte[] expectedOwner = new byte[32];
        owner.getBytes(0, expectedOwner);
        assertArrayEquals(expectedOwner, schema.owner());
        assertTrue(schema.moduleDef().length > 10);
        assertEquals(2, schema.moduleDef()[0]);
    }

    private Recorder.Completed sqlDml(final long db, final UnsafeBuffer who, final String sql)
    {
        final int request = ++requestId;
        final UnsafeBuffer text = utf8(sql);
        offer(() -> client.proxy().sqlDml(db, 1, request, 0, 0, who, 0, text, 0, text.capacity()));
        return awaitCompleted(request);
    }

    /** Invariant: client_connected and client_disconnected run in their own committed transactions. */
    @Test
    void shouldRunLifecycleReducersOnConnectAndDisconnect()
    {
        final long db = publish("qs", "quickstart", false);
        final UnsafeBuffer jwt = utf8("{\"sub\":\"x\"}");
        offer(() -> client.proxy().clientConnected(db, 1, 77, 0, caller, 0, 0, jwt, 0, jwt.capacity()));
        final Recorder.Tx connected = awaitTx((tx) -> "client_connected".equals(tx.reducer()));
        assertEquals(77, connected.connectionIdLo());
        assertEquals(1, (int)core.onLoop((agent) -> agent.registry().byId(db).connectionCount(), WAIT_MS));
        await(() -> null != recorder.find(Recorder.Log.class, (l) -> l.message().startsWith("client connected")),
            "module log of client_connected");

        offer(() -> client.proxy().clientDisconnected(db, 1, 77, 0, caller, 0, 0));
        final Recorder.Tx disconnected = awaitTx((tx) -> "client_disconnected".equals(tx.reducer()));
        assertEquals(77, disconnected.connectionIdLo());
        assertEquals(0, (int)core.onLoop((agent) -> agent.registry().byId(db).connectionCount(), WAIT_MS));
    }

    /** Invariant: a trap or an endless loop rolls back its transaction and the loop goes on serving. */
    @Test
    void shouldRollBackTrapsAndBudgetOverrunsAndGoOn()
    {
        final long trap = publish("trap", "trap", false);
        assertEquals(Outcome.INTERNAL_ERROR, callFailing(trap, "boom", args()).outcome());
        assertEquals(Outcome.INTERNAL_ERROR, callFailing(trap, "insert_then_trap", args().putInt(9)).outcome());
        final Recorder.Failed user = callFailing(trap, "fail", args().putInt(3).put("bad".getBytes()));
        assertEquals(Outcome.USER_ERROR, user.outcome());
        assertEquals("bad", user.message());
        call(trap, "ok", args());
        assertEquals(0L, (long)core.onLoop((agent) ->
            agent.registry().byId(trap).datastore().table("t").rows().rowCount(), WAIT_MS), "trap rolled back");

        final long loop = publish("loop", "loop", false);
        final Recorder.Failed spin = callFailing(loop, "spin", args());
        assertEquals(Outcome.OUT_OF_ENERGY, spin.outcome());
        call(loop, "ok", args());
    }

    /** Invariant: garbage and unknown templates on ingress are counted and dropped; the loop keeps serving. */
    @Test
    void shouldCountAndDropGarbageOnIngress()
    {
        final long db = publish("qs", "quickstart", false);
        final UnsafeBuffer garbage = new UnsafeBuffer(new byte[64]);
        garbage.setMemory(0, 64, (byte)0x5A);
        offer(() -> client.ingressPublication().offer(garbage, 0, 64) > 0);
        final UnsafeBuffer unknownTemplate = new UnsafeBuffer(new byte[16]);
        unknownTemplate.putShort(0, (short)8, ByteOrder.LITTLE_ENDIAN);
        unknownTemplate.putShort(2, (short)99, ByteOrder.LITTLE_ENDIAN);
        unknownTemplate.putShort(4, (short)7001, ByteOrder.LITTLE_ENDIAN);
        unknownTemplate.putShort(6, (short)1, ByteOrder.LITTLE_ENDIAN);
        offer(() -> client.ingressPublication().offer(unknownTemplate, 0, 16) > 0);
        call(db, "add", args().putInt(3).put("bob".getBytes()));
        assertEquals(2L, (long)core.onLoop(TxnLoopAgent::ingressDroppedCount, WAIT_MS));
    }

    /**
     * Invariant: a procedure's reply is a ProcedureResult to its caller with the BSATN return value, sent after the
     * callerless transactions it committed, naming the last of them; refusals and failures carry the message.
     */
    @Test
    void shouldReplyToAProcedureWithItsReturnValue()
    {
        final long db = publish("ev", "everything", false);
        final int request = sendProcedure(db, "proc_tx", args().putInt(77));
        await(() -> null != recorder.find(Recorder.Procedure.class, (p) -> p.requestId() == request),
            "procedure result");
        final Recorder.Procedure result = recorder.find(Recorder.Procedure.class, (p) -> p.requestId() == request);
        assertEquals(ProcedureStatus.RETURNED, result.status(), result.message());
        assertEquals("", result.message());
        assertEquals(1000 + request, result.connectionIdLo());
        final int kvRows = core.onLoop((agent) -> agent.registry().byId(db).datastore().table("kv").rows()
            .rowCount(), WAIT_MS);
        assertEquals(4, result.returnValue().length, "a u32");
        assertEquals(kvRows, ByteBuffer.wrap(result.returnValue()).order(ByteOrder.LITTLE_ENDIAN).getInt());
        final Recorder.Tx inserted = recorder.find(Recorder.Tx.class, (tx) -> tx.databaseId() == db &&
            null != tx.table("kv") && tx.table("kv").inserted().length > 0);
        assertNotNull(inserted, "the procedure's first transaction was published");
        assertEquals(0, inserted.requestId(), "procedure transactions have no caller");
        final Recorder.Tx last = recorder.all(Recorder.Tx.class).stream().filter((tx) -> tx.databaseId() == db)
            .reduce((a, b) -> b).orElseThrow();
        assertEquals(last.txOffset(), result.txOffset(), "names the last transaction it committed");
        assertTrue(recorder.events.indexOf(last) < recorder.events.indexOf(result), "after its transactions");

        final int unknown = sendProcedure(db, "no_such_proc", args());
        await(() -> null != recorder.find(Recorder.Procedure.class, (p) -> p.requestId() == unknown), "refusal");
        final Recorder.Procedure refused = recorder.find(Recorder.Procedure.class, (p) -> p.requestId() == unknown);
        assertEquals(ProcedureStatus.INTERNAL_ERROR, refused.status());
        assertEquals(0, refused.returnValue().length);
        assertTrue(refused.message().contains("no such procedure: no_such_proc"), refused.message());
        assertEquals(0, refused.txOffset());
    }

    /** Invariant: a one-shot schedule row runs once and is deleted in the same transaction. */
    @Test
    void shouldRunOneShotScheduleOnceAndDeleteItsRow()
    {
        final long db = publish("ev", "everything", false);
        call(db, "schedule_tick", args().putLong(20_000));
        final Recorder.Tx tick = awaitTx((tx) -> "tick".equals(tx.reducer()));
        final Recorder.Table timer = tick.table("tick_timer");
        assertNotNull(timer, "the row is deleted in the tick's transaction");
        assertEquals(0, timer.inserted().length);
        assertTrue(timer.deleted().length > 0);
        sleep(200);
        client.poll(100);
        assertEquals(1, recorder.all(Recorder.Tx.class).stream().filter((tx) -> "tick".equals(tx.reducer()))
            .count(), "ran once");
        assertEquals(0, (int)core.onLoop(TxnLoopAgent::scheduledTimerCount, WAIT_MS));
    }

    /** Invariant: an interval row ticks at intended times anchored to its start (no drift) until deleted. */
    @Test
    void shouldKeepIntervalCadence()
    {
        final long db = publish("ev", "everything", false);
        final long intervalMicros = 20_000;
        final byte[] row = ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(42).put((byte)0).putLong(intervalMicros).array();
        final long insertTx = core.onLoop((agent) -> agent.runInternalTransaction("ev", (MutTx tx) ->
        {
            final int tableId = tx.datastore().tableId("tick_timer");
            return tx.insert(tableId, new UnsafeBuffer(row), 0, row.length) >= 0;
        }), WAIT_MS);
        final Recorder.Tx inserted = awaitTx((tx) -> tx.txOffset() == insertTx);
        final int ticks = 25;
        await(() -> recorder.all(Recorder.Tx.class).stream().filter((tx) -> "tick".equals(tx.reducer())).count() >=
            ticks, ticks + " ticks");
        core.onLoop((agent) -> agent.runInternalTransaction("ev", (MutTx tx) ->
            tx.deleteEqualRows(tx.datastore().tableId("tick_timer"), new UnsafeBuffer(row), 0, row.length, 1) == 1),
            WAIT_MS);
        final List<Recorder.Tx> tickTxs = recorder.all(Recorder.Tx.class).stream()
            .filter((tx) -> "tick".equals(tx.reducer())).toList();
        final long start = inserted.timestampMicros();
        long previousSlot = 0;
        for (final Recorder.Tx tx : tickTxs)
        {
            final long sinceStart = tx.timestampMicros() - start;
            final long slot = sinceStart / intervalMicros;
            assertTrue(slot > previousSlot, "one run per interval slot, never a burst: " + slot);
            previousSlot = slot;
        }
        final long lastSlot = previousSlot;
        assertTrue(lastSlot <= tickTxs.size() + 5, "few skipped ticks: " + lastSlot + " slots for " +
            tickTxs.size() + " runs");
        final long[] histogram = core.onLoop(TxnLoopAgent::tickJitterHistogram, WAIT_MS);
        assertTrue(java.util.Arrays.stream(histogram).sum() >= ticks);
        sleep(100);
        client.poll(100);
        final long after = recorder.all(Recorder.Tx.class).stream().filter((tx) -> "tick".equals(tx.reducer()))
            .count();
        sleep(100);
        client.poll(100);
        assertEquals(after, recorder.all(Recorder.Tx.class).stream().filter((tx) -> "tick".equals(tx.reducer()))
            .count(), "no ticks after the row is deleted");
    }

    /** Invariant: republish is refused without clear, recreates with clear; snapshots land where recovery looks. */
    @Test
    void shouldRefuseUpdateWithoutClearAndSnapshotOnDemand() throws IOException
    {
        final long db = publish("qs", "quickstart", false);
        call(db, "add", args().putInt(3).put("ann".getBytes()));
        final Recorder.Completed unchanged = publishCompleted("qs", "quickstart", false);
        assertEquals(Outcome.COMMITTED, unchanged.outcome());
        final Recorder.Completed refused = publishCompleted("qs", "keynote", false);
        assertEquals(Outcome.USER_ERROR, refused.outcome());
        assertTrue(refused.message().startsWith("update refused: ") &&
            refused.message().contains("table person was removed"),
            refused.message());

        core.agent().requestSnapshot("qs");
        final Path snapshots = dataDir.resolve("db").resolve(Long.toString(db)).resolve("snapshots");
        await(() -> snapshotCount(snapshots) == 1, "snapshot written");
        try (var files = Files.list(snapshots))
        {
            final String file = files.filter((p) -> !p.toString().endsWith(ScheduleAnchors.SUFFIX)).findFirst()
                .orElseThrow().getFileName().toString();
            assertTrue(file.matches("\\d{20}\\.snapshot"), file);
        }

        final Recorder.Completed recreated = publishCompleted("qs", "keynote", true);
        assertEquals(Outcome.COMMITTED, recreated.outcome(), recreated.message());
        assertEquals(db, recreated.databaseId());
        assertNull(core.onLoop((agent) -> agent.registry().byId(db).datastore().table("person"), WAIT_MS));
        call(db, "seed", args().putInt(2).putLong(5));
    }

    // ------------------------------------------------------------------ helpers

    private static int snapshotCount(final Path dir)
    {
        try (var files = Files.list(dir))
        {
            return (int)files.filter((p) -> p.toString().endsWith(".snapshot")).count();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private long publish(final String name, final String module, final boolean clear)
    {
        final Recorder.Completed completed = publishCompleted(name, module, clear);
        assertEquals(Outcome.COMMITTED, completed.outcome(), completed.message());
        return completed.databaseId();
    }

    private Recorder.Completed publishCompleted(final String name, final String module, final boolean clear)
    {
        final int request = ++requestId;
        final UnsafeBuffer nameBuffer = utf8(name);
        final UnsafeBuffer wasm = new UnsafeBuffer(module(module));
        offer(() -> client.proxy().publishModule(1, request, owner, 0, clear, nameBuffer, 0, nameBuffer.capacity(),
            wasm, 0, wasm.capacity()));
        return awaitCompleted(request);
    }

    private Recorder.Tx call(final long db, final String reducer, final ByteBuffer args)
    {
        final int request = send(db, reducer, args);
        await(() -> null != recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == request) ||
            null != recorder.find(Recorder.Failed.class, (f) -> f.requestId() == request), "reply to " + reducer);
        final Recorder.Failed failed = recorder.find(Recorder.Failed.class, (f) -> f.requestId() == request);
        assertNull(failed, () -> reducer + " failed: " + failed);
        return recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == request);
    }

    private Recorder.Failed callFailing(final long db, final String reducer, final ByteBuffer args)
    {
        final int request = send(db, reducer, args);
        await(() -> null != recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == request) ||
            null != recorder.find(Recorder.Failed.class, (f) -> f.requestId() == request), "reply to " + reducer);
        final Recorder.Failed failed = recorder.find(Recorder.Failed.class, (f) -> f.requestId() == request);
        assertNotNull(failed, reducer + " should fail");
        return failed;
    }

    private int send(final long db, final String reducer, final ByteBuffer args)
    {
        final int request = ++requestId;
        final UnsafeBuffer name = utf8(reducer);
        final UnsafeBuffer argsBuffer = new UnsafeBuffer(args.array(), 0, args.position());
        offer(() -> client.proxy().callReducer(db, 1, request, 1000 + request, 0, caller, 0, 0, 0, name, 0,
            name.capacity(), argsBuffer, 0, argsBuffer.capacity()));
        return request;
    }

    private int sendProcedure(final long db, final String procedure, final ByteBuffer args)
    {
        final int request = ++requestId;
        final UnsafeBuffer name = utf8(procedure);
        final UnsafeBuffer argsBuffer = new UnsafeBuffer(args.array(), 0, args.position());
        offer(() -> client.proxy().callProcedure(db, 1, request, 1000 + request, 0, caller, 0, 0, 0, name, 0,
            name.capacity(), argsBuffer, 0, argsBuffer.capacity()));
        return request;
    }

    private Recorder.Completed awaitCompleted(final int request)
    {
        await(() -> null != recorder.find(Recorder.Completed.class, (c) -> c.requestId() == request),
            "request " + request + " completed");
        return recorder.find(Recorder.Completed.class, (c) -> c.requestId() == request);
    }

    private Recorder.Tx awaitTx(final java.util.function.Predicate<Recorder.Tx> predicate)
    {
        await(() -> null != recorder.find(Recorder.Tx.class, predicate), "transaction");
        return recorder.find(Recorder.Tx.class, predicate);
    }

    private void offer(final BooleanSupplier send)
    {
        await(send, "send accepted");
    }

    private void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what + "; events: " + recorder.events);
            }
            if (0 == client.poll(100))
            {
                sleep(1);
            }
        }
    }

    private static void apply(final Map<Integer, Long> balances, final Recorder.Table accounts)
    {
        final ByteBuffer deleted = ByteBuffer.wrap(accounts.deleted()).order(ByteOrder.LITTLE_ENDIAN);
        while (deleted.hasRemaining())
        {
            final int id = deleted.getInt();
            assertEquals(balances.remove(id), deleted.getLong(), "deleted row is the previous row");
        }
        final ByteBuffer inserted = ByteBuffer.wrap(accounts.inserted()).order(ByteOrder.LITTLE_ENDIAN);
        while (inserted.hasRemaining())
        {
            balances.put(inserted.getInt(), inserted.getLong());
        }
    }

    private static ByteBuffer args()
    {
        return ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    }

    static UnsafeBuffer utf8(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] module(final String name)
    {
        try (InputStream in = EmbeddedCoreTest.class.getResourceAsStream("/modules/" + name + ".wasm"))
        {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
