package io.lightcone.txn.loop;

import io.lightcone.wire.CoreEgressAdapter;
import io.lightcone.wire.CoreIngressProxy;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop driven by hand on the test thread, with fake ingress and egress: back pressure from egress or from the
 * commit sink slows ingress and never drops a commit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackPressureTest
{
    private static final int CALLS = 40;

    @TempDir
    Path dataDir;

    private final FakePublication ingress = new FakePublication();
    private final FakePublication egress = new FakePublication();
    private final RecordingCommitSink sink = new RecordingCommitSink();
    private final Recorder recorder = new Recorder();
    private final CoreEgressAdapter egressAdapter = new CoreEgressAdapter(recorder);
    private final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
    private TxnLoopContext ctx;
    private TxnLoopAgent agent;
    private CoreIngressProxy proxy;
    private long db;

    @BeforeEach
    void setUp()
    {
        ctx = new TxnLoopContext().dataDir(dataDir.toFile()).fragmentLimit(8).commitSink(sink);
        agent = new TxnLoopAgent(ctx, ingress::drain, egress);
        proxy = new CoreIngressProxy(ingress);
        final UnsafeBuffer name = EmbeddedCoreTest.utf8("bank");
        final UnsafeBuffer module = new UnsafeBuffer(EmbeddedCoreTest.module("keynote"));
        assertTrue(proxy.publishModule(1, 1, identity, 0, false, name, 0, name.capacity(), module, 0,
            module.capacity()));
        cycles(5);
        final Recorder.Completed published = recorder.find(Recorder.Completed.class, (c) -> c.requestId() == 1);
        assertEquals(Outcome.COMMITTED, published.outcome(), published.message());
        db = published.databaseId();
        send(2, "seed", args().putInt(4).putLong(1_000));
        cycles(5);
    }

    @AfterEach
    void tearDown()
    {
        agent.onClose();
    }

    /** Invariant: while egress refuses, ingress stops being read; afterwards every commit arrives, in order. */
    @Test
    void egressBackPressureShouldPauseIngressAndDropNothing()
    {
        egress.refuse(true);
        for (int i = 0; i < CALLS; i++)
        {
            send(100 + i, "transfer", args().putInt(i % 4).putInt((i + 1) % 4).putLong(1));
        }
        cycles(50);
        assertTrue(ingress.pendingFrames() >= CALLS - 8, "at most one cycle of ingress was read while refused: " +
            ingress.pendingFrames());
        assertTrue(ctx.counter(TxnLoopCounter.INGRESS_PAUSED).get() > 0);
        assertTrue(egress.refused() > 0);

        egress.refuse(false);
        cycles(200);
        assertEquals(0, ingress.pendingFrames());
        assertAllTransfersCommittedInOrder();
    }

    /** Invariant: while the commit sink refuses, ingress stops; afterwards the log is complete and gapless. */
    @Test
    void sinkBackPressureShouldPauseIngressAndDropNothing()
    {
        final int recordsBefore = sink.records().size();
        sink.refuse(true);
        for (int i = 0; i < CALLS; i++)
        {
            send(100 + i, "transfer", args().putInt(i % 4).putInt((i + 1) % 4).putLong(1));
        }
        cycles(50);
        assertEquals(recordsBefore, sink.records().size());
        assertTrue(sink.refused() > 0);
        assertTrue(ingress.pendingFrames() >= CALLS - 8, "ingress paused: " + ingress.pendingFrames());
        assertTrue(ctx.counter(TxnLoopCounter.LOG_BACK_PRESSURE).get() > 0);

        sink.refuse(false);
        cycles(200);
        assertEquals(recordsBefore + CALLS, sink.records().size(), "every commit reached the log");
        assertAllTransfersCommittedInOrder();
        final List<Recorder.Durable> durables = recorder.all(Recorder.Durable.class);
        assertEquals(sink.records().get(sink.records().size() - 1).txOffset(),
            durables.get(durables.size() - 1).upTo());
    }

    private void assertAllTransfersCommittedInOrder()
    {
        final List<Recorder.Tx> transfers = recorder.all(Recorder.Tx.class).stream()
            .filter((tx) -> "transfer".equals(tx.reducer())).toList();
        assertEquals(CALLS, transfers.size());
        for (int i = 0; i < CALLS; i++)
        {
            assertEquals(100 + i, transfers.get(i).requestId(), "in order");
            if (i > 0)
            {
                assertEquals(transfers.get(i - 1).txOffset() + 1, transfers.get(i).txOffset());
            }
        }
    }

    private void cycles(final int n)
    {
        for (int i = 0; i < n; i++)
        {
            agent.doWork();
            egress.drain(egressAdapter, Integer.MAX_VALUE);
        }
    }

    private void send(final int requestId, final String reducer, final ByteBuffer args)
    {
        final UnsafeBuffer name = EmbeddedCoreTest.utf8(reducer);
        assertTrue(proxy.callReducer(db, 1, requestId, requestId, 0, identity, 0, 0, 0, name, 0, name.capacity(),
            new UnsafeBuffer(args.array(), 0, args.position()), 0, args.position()));
    }

    private static ByteBuffer args()
    {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    }
}
