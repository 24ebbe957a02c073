package io.lightcone.wire;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.lightcone.wire.Recording.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: over a real embedded media driver on aeron:ipc, thousands of messages in both directions, some long
 * enough to be fragmented, arrive complete and in the order they were sent.
 */
class WireAeronIpcTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=1m";
    private static final int INGRESS_STREAM = 1001;
    private static final int EGRESS_STREAM = 1002;
    private static final int COUNT = 3_000;

    private MediaDriver driver;
    private Aeron aeron;

    @BeforeEach
    void launch()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
            .ipcTermBufferLength(1 << 20)
            .publicationTermBufferLength(1 << 20)
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .idleStrategy(new SleepingMillisIdleStrategy(1)));
    }

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void messagesShouldArriveCompleteAndInOrderBothWays()
    {
        final Publication ingressPublication = aeron.addExclusivePublication(CHANNEL, INGRESS_STREAM);
        final Subscription ingressSubscription = aeron.addSubscription(CHANNEL, INGRESS_STREAM);
        final Publication egressPublication = aeron.addExclusivePublication(CHANNEL, EGRESS_STREAM);
        final Subscription egressSubscription = aeron.addSubscription(CHANNEL, EGRESS_STREAM);
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (!ingressPublication.isConnected() || !egressPublication.isConnected())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "publications did not connect");
            idle.idle();
        }

        final CoreIngressProxy ingressProxy = new CoreIngressProxy(new AeronWirePublication(ingressPublication));
        final CoreEgressProxy egressProxy = new CoreEgressProxy(new AeronWirePublication(egressPublication));
        final CallChecker calls = new CallChecker();
        final TxChecker txs = new TxChecker();
        final CoreIngressAdapter ingressAdapter = new CoreIngressAdapter(calls);
        final CoreEgressAdapter egressAdapter = new CoreEgressAdapter(txs);

        final UnsafeBuffer payload = PAYLOAD;
        final UnsafeBuffer reducer = utf8("transfer");
        final UnsafeBuffer table = utf8("account");
        final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
        final TxCommittedBuilder tx = new TxCommittedBuilder();
        int callsSent = 0;
        int txsSent = 0;
        while (calls.received < COUNT || txs.received < COUNT)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0,
                "timed out: calls " + calls.received + " txs " + txs.received);
            int work = ingressProxy.flushPending() + egressProxy.flushPending();
            if (callsSent < COUNT && ingressProxy.callReducer(1L, 1, callsSent, callsSent, 0, identity, 0, 0, 0,
                reducer, 0, reducer.capacity(), payload, callsSent, argsLength(callsSent)))
            {
                callsSent++;
                work++;
            }
            if (txsSent < COUNT)
            {
                tx.reset().databaseId(1L).txOffset(txsSent).reducerName(reducer, 0, reducer.capacity())
                    .outcome(Outcome.COMMITTED)
                    .addTable(7, table, 0, table.capacity(), payload, txsSent, rowsLength(txsSent), null, 0, 0);
                if (egressProxy.txCommitted(tx))
                {
                    txsSent++;
                    work++;
                }
            }
            work += ingressSubscription.poll(ingressAdapter, 64);
            work += egressSubscription.poll(egressAdapter, 64);
            idle.idle(work);
        }

        assertEquals(COUNT, calls.received);
        assertEquals(COUNT, txs.received);
        assertEquals(0, ingressAdapter.droppedCount());
        assertEquals(0, egressAdapter.droppedCount());
        assertTrue(ingressAdapter.reassembledCount() > 0, "some calls were fragmented");
        assertTrue(egressAdapter.reassembledCount() > 0, "some transactions were fragmented");
    }

    /**
     * Invariant: small calls sent one at a time through many term rotations of a 64 KiB log are never refused for
     * the rotation itself ({@link Publication#ADMIN_ACTION}); the edge would have refused one call per term as
     * "back pressure" with nothing queued. A refusal for real back pressure (the driver late to move the publisher
     * limit on this loaded box) is allowed and retried.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldNotRefuseSendsWhenTheLogRotatesItsTerm()
    {
        final String channel = "aeron:ipc?term-length=64k";
        final Publication publication = aeron.addExclusivePublication(channel, INGRESS_STREAM);
        final Subscription subscription = aeron.addSubscription(channel, INGRESS_STREAM);
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (!publication.isConnected())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "publication did not connect");
            idle.idle();
        }
        final CoreIngressProxy proxy = new CoreIngressProxy(new AeronWirePublication(publication));
        final CallChecker calls = new CallChecker();
        final CoreIngressAdapter adapter = new CoreIngressAdapter(calls);
        final UnsafeBuffer reducer = utf8("transfer");
        final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);
        final int count = 4_000;
        int rotationRefusals = 0;
        for (int sent = 0; sent < count; )
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "timed out: sent " + sent);
            if (proxy.callReducer(1L, 1, sent, sent, 0, identity, 0, 0, 0,
                reducer, 0, reducer.capacity(), PAYLOAD, sent, argsLength(sent)))
            {
                sent++;
            }
            else
            {
                rotationRefusals += Publication.ADMIN_ACTION == proxy.lastResult() ? 1 : 0;
                idle.idle();
            }
            while (subscription.poll(adapter, 64) > 0)
            {
                idle.reset();
            }
        }

        assertEquals(0, rotationRefusals, "sends refused because the log rotated its term");
        assertTrue(publication.position() > 4 * 64 * 1024, "the log rotated its term: " + publication.position());
        while (calls.received < count)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "timed out: received " + calls.received);
            idle.idle(subscription.poll(adapter, 64));
        }
        assertEquals(0, adapter.droppedCount());
    }

    private static int argsLength(final int i)
    {
        return i % 100 == 0 ? 20_000 : i % 64;
    }

    private static int rowsLength(final int i)
    {
        return i % 50 == 0 ? 150_000 : 10 + i % 1000;
    }

    private static boolean sameBytes(
        final DirectBuffer buffer, final int offset, final int length, final int expectedOffset)
    {
        final UnsafeBuffer payload = PAYLOAD;
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != payload.getByte(expectedOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static final UnsafeBuffer PAYLOAD = WireRoundTripTest.randomBytes(new Random(17), 200_000);

    private static final class CallChecker extends NoIngress
    {
        int received;

        public void onCallReducer(
            final DirectBuffer b, final long databaseId, final int edgeId, final int requestId, final long lo,
            final long hi, final int identityOffset, final long ts, final int flags, final int nameOffset,
            final int nameLength, final int argsOffset, final int argsLength)
        {
            assertEquals(received, requestId, "in order");
            assertEquals(received, lo);
            assertEquals("transfer", b.getStringWithoutLengthUtf8(nameOffset, nameLength));
            assertEquals(argsLength(received), argsLength);
            assertTrue(sameBytes(b, argsOffset, argsLength, received));
            received++;
        }
    }

    private static final class TxChecker extends NoEgress
    {
        int received;

        public void onTxCommitted(final TxCommittedView tx)
        {
            assertEquals(received, tx.txOffset(), "in order");
            assertEquals("transfer", tx.reducerName());
            assertEquals(1, tx.tableCount());
            assertEquals("account", tx.tableName(0));
            assertEquals(rowsLength(received), tx.insertedLength(0));
            assertEquals(0, tx.deletedLength(0));
            assertTrue(sameBytes(tx.buffer(), tx.insertedOffset(0), tx.insertedLength(0), received));
            received++;
        }
    }

    private abstract static class NoIngress implements CoreIngressListener
    {
        public void onCallProcedure(
            final DirectBuffer b, final long databaseId, final int edgeId, final int requestId, final long lo,
            final long hi, final int identityOffset, final long ts, final int flags, final int nameOffset,
            final int nameLength, final int argsOffset, final int argsLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onClientConnected(
            final DirectBuffer b, final long databaseId, final int edgeId, final long lo, final long hi,
            final int identityOffset, final long ts, final int jwtOffset, final int jwtLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onClientDisconnected(
            final DirectBuffer b, final long databaseId, final int edgeId, final long lo, final long hi,
            final int identityOffset, final long ts)
        {
            throw new AssertionError("unexpected");
        }

        public void onSqlDml(
            final DirectBuffer b, final long databaseId, final int edgeId, final int requestId, final long lo,
            final long hi, final int identityOffset, final int sqlOffset, final int sqlLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onPublishModule(
            final DirectBuffer b, final int edgeId, final int requestId, final int ownerOffset, final boolean clear,
            final int nameOffset, final int nameLength, final int moduleOffset, final int moduleLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onDeleteDatabase(
            final DirectBuffer b, final int edgeId, final int requestId, final int identityOffset,
            final int nameOffset, final int nameLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onEdgeBootstrap(final int edgeId, final long fromTxOffset)
        {
            throw new AssertionError("unexpected");
        }
    }

    private abstract static class NoEgress implements CoreEgressListener
    {
        public void onTxFailed(
            final DirectBuffer b, final long databaseId, final int edgeId, final int requestId, final long lo,
            final long hi, final long ts, final long energy, final long duration, final Outcome outcome,
            final int nameOffset, final int nameLength, final int messageOffset, final int messageLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onDurable(final long databaseId, final long upToTxOffset)
        {
            throw new AssertionError("unexpected");
        }

        public void onSchemaChanged(
            final DirectBuffer b, final long databaseId, final long txOffset, final int identityOffset,
            final int nameOffset, final int nameLength, final int schemaOffset, final int schemaLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onSnapshotChunk(
            final DirectBuffer b, final long databaseId, final long txOffset, final int edgeId,
            final int chunkIndex, final boolean last, final int bytesOffset, final int bytesLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onModuleLog(
            final DirectBuffer b, final long databaseId, final long ts, final LogLevel level,
            final int messageOffset, final int messageLength)
        {
            throw new AssertionError("unexpected");
        }

        public void onRequestCompleted(
            final DirectBuffer b, final long databaseId, final long txOffset, final int edgeId, final int requestId,
            final Outcome outcome, final int messageOffset, final int messageLength)
        {
            throw new AssertionError("unexpected");
        }
    }
}
