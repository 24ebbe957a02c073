package io.lightcone.txn.loop;

import io.lightcone.core.table.Table;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Drives an {@link EmbeddedCore} over the wire from a test: publish, call, await replies; and reads table contents
 * on the loop thread.
 */
final class CoreDriver implements AutoCloseable
{
    static final long WAIT_MS = 30_000;

    final EmbeddedCore core;
    final CoreClient client;
    final Recorder recorder = new Recorder();
    private final UnsafeBuffer owner = new UnsafeBuffer(new byte[32]);
    private final UnsafeBuffer caller = new UnsafeBuffer(new byte[32]);
    private int requestId;

    CoreDriver(final TxnLoopContext ctx)
    {
        owner.putByte(0, (byte)1);
        caller.putByte(0, (byte)2);
        core = EmbeddedCore.launch(ctx);
        CoreClient connected = null;
        try
        {
            connected = core.newClient(recorder);
            client = connected;
            await(client::isConnected, "client connected");
        }
        catch (final RuntimeException | AssertionError ex)
        {
            if (null != connected)
            {
                connected.close();
            }
            core.close();
            throw ex;
        }
    }

    Recorder.Completed publish(final String name, final String module, final boolean clear)
    {
        final int request = ++requestId;
        final UnsafeBuffer nameBuffer = EmbeddedCoreTest.utf8(name);
        final UnsafeBuffer wasm = new UnsafeBuffer(moduleBytes(module));
        await(() -> client.proxy().publishModule(1, request, owner, 0, clear, nameBuffer, 0, nameBuffer.capacity(),
            wasm, 0, wasm.capacity()), "send");
        await(() -> null != recorder.find(Recorder.Completed.class, (c) -> c.requestId() == request), "publish");
        return recorder.find(Recorder.Completed.class, (c) -> c.requestId() == request);
    }

    Recorder.Completed delete(final String name)
    {
        final int request = ++requestId;
        final UnsafeBuffer nameBuffer = EmbeddedCoreTest.utf8(name);
        await(() -> client.proxy().deleteDatabase(1, request, owner, 0, nameBuffer, 0, nameBuffer.capacity()), "send");
        await(() -> null != recorder.find(Recorder.Completed.class, (c) -> c.requestId() == request), "delete");
        return recorder.find(Recorder.Completed.class, (c) -> c.requestId() == request);
    }

    long publishOk(final String name, final String module)
    {
        final Recorder.Completed completed = publish(name, module, false);
        if (completed.outcome() != Outcome.COMMITTED)
        {
            throw new AssertionError("publish failed: " + completed);
        }
        return completed.databaseId();
    }

    int send(final long db, final String reducer, final ByteBuffer args)
    {
        final int request = ++requestId;
        final UnsafeBuffer name = EmbeddedCoreTest.utf8(reducer);
        final UnsafeBuffer argsBuffer = new UnsafeBuffer(args.array(), 0, args.position());
        await(() -> client.proxy().callReducer(db, 1, request, 1000 + request, 0, caller, 0, 0, 0, name, 0,
            name.capacity(), argsBuffer, 0, argsBuffer.capacity()), "send");
        return request;
    }

    /** Calls and waits: the committed transaction, or an AssertionError naming the failure. */
    Recorder.Tx call(final long db, final String reducer, final ByteBuffer args)
    {
        final int request = send(db, reducer, args);
        await(() -> null != recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == request) ||
            null != recorder.find(Recorder.Failed.class, (f) -> f.requestId() == request), "reply to " + reducer);
        final Recorder.Failed failed = recorder.find(Recorder.Failed.class, (f) -> f.requestId() == request);
        if (null != failed)
        {
            throw new AssertionError(reducer + " failed: " + failed);
        }
        return recorder.find(Recorder.Tx.class, (tx) -> tx.requestId() == request);
    }

    void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (0 == client.poll(100))
            {
                Thread.onSpinWait();
            }
        }
    }

    long lastDurable(final long db)
    {
        long upTo = -1;
        for (final Object event : recorder.events)
        {
            if (event instanceof Recorder.Durable d && d.databaseId() == db)
            {
                upTo = Math.max(upTo, d.upTo());
            }
        }
        return upTo;
    }

    /** Every table's rows as sorted hex plus each sequence's next value, read on the loop thread. */
    List<String> contents(final long db)
    {
        return core.onLoop((agent) -> contents(agent.registry().byId(db).datastore()), WAIT_MS);
    }

    static List<String> contents(final Datastore datastore)
    {
        final List<String> out = new ArrayList<>();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(128);
        for (final StoredTable table : datastore.tables())
        {
            out.add("table " + table.schema().name());
            final List<String> rows = new ArrayList<>();
            final Table data = table.rows();
            for (int rowId = data.nextLive(0); rowId >= 0; rowId = data.nextLive(rowId + 1))
            {
                final int length = data.writeRow(rowId, scratch, 0);
                final byte[] bytes = new byte[length];
                scratch.getBytes(0, bytes);
                rows.add(HexFormat.of().formatHex(bytes));
            }
            rows.sort(null);
            out.addAll(rows);
            for (int s = 0; s < table.schema().sequences().size(); s++)
            {
                out.add("sequence " + s + " next " + table.sequenceNext(s));
            }
        }
        return out;
    }

    /**
     * A test module's bytes; {@code name+custom} appends a custom section, so the bytes and hash differ while the
     * module def is the same (an update the planner allows with no steps).
     */
    static byte[] moduleBytes(final String name)
    {
        if (name.endsWith("+custom"))
        {
            final byte[] base = EmbeddedCoreTest.module(name.substring(0, name.length() - "+custom".length()));
            final byte[] section = {0x00, 0x04, 0x01, 'x', 'v', '2'};
            final byte[] out = java.util.Arrays.copyOf(base, base.length + section.length);
            System.arraycopy(section, 0, out, base.length, section.length);
            return out;
        }
        return EmbeddedCoreTest.module(name);
    }

    static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static ByteBuffer args()
    {
        return ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteBuffer string(final ByteBuffer args, final String text)
    {
        final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return args.putInt(bytes.length).put(bytes);
    }

    public void close()
    {
        client.close();
        core.close();
    }
}
