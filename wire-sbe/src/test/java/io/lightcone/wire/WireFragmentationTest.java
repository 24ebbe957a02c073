package io.lightcone.wire;

import io.lightcone.wire.sbe.Outcome;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.lightcone.wire.Recording.describe;
import static io.lightcone.wire.Recording.utf8;
import static io.lightcone.wire.WireRoundTripTest.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants: a message longer than the maximum message length is split into fragments no longer than it and
 * reassembled byte for byte, in order with the messages around it, also under back pressure; nothing is ever
 * truncated; a broken fragment sequence or an oversized message is counted and dropped, and the next message
 * still arrives.
 */
class WireFragmentationTest
{
    private static final int MTU_PAYLOAD = 1376;
    private static final UnsafeBuffer IDENTITY = new UnsafeBuffer(new byte[32]);

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 7L, 0x5EEDL })
    void modulesOfRandomSizesShouldBeReassembledUnderBackPressure(final long seed)
    {
        final Random random = new Random(seed);
        final FakePublication publication = new FakePublication(16 << 20, MTU_PAYLOAD, 3).refuseEvery(5);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 8 << 20);
        final Recording.Ingress listener = new Recording.Ingress();
        final CoreIngressAdapter adapter = new CoreIngressAdapter(listener, 8 << 20);
        final UnsafeBuffer name = utf8("db");
        final List<String> expected = new ArrayList<>();

        for (int i = 0; i < 6; i++)
        {
            final int size = i == 0 ? 6 << 20 : random.nextInt(i % 2 == 0 ? 6 << 20 : 4000);
            final UnsafeBuffer module = randomBytes(random, size);
            while (!proxy.publishModule(1, i, IDENTITY, 0, false, name, 0, 2, module, 0, size))
            {
                publication.drain(adapter);
            }
            expected.add(Recording.publishModule(1, i, describe(IDENTITY, 0, 32), false, "db",
                describe(module, 0, size)));
            assertTrue(proxy.edgeBootstrap(9, i) || proxy.lastResult() < 0);
            while (proxy.hasPending())
            {
                publication.drain(adapter);
                proxy.flushPending();
            }
            publication.drain(adapter);
        }

        final List<String> publishes = new ArrayList<>();
        for (final String event : listener.events)
        {
            if (event.startsWith("publish"))
            {
                publishes.add(event);
            }
        }
        assertEquals(expected, publishes);
        assertTrue(publication.refused() > 0);
        assertEquals(0, adapter.droppedCount());
        assertTrue(proxy.fragmentsSent() > (6 << 20) / MTU_PAYLOAD);
    }

    @Test
    void sendsShouldBeRefusedWhileFragmentsArePendingSoOrderIsKept()
    {
        final FakePublication publication = new FakePublication(16 << 20, MTU_PAYLOAD, 3).refuseEvery(4);
        final CoreEgressProxy proxy = new CoreEgressProxy(publication, 64 * 1024, 8 << 20);
        final Recording.Egress listener = new Recording.Egress();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(listener, 8 << 20);
        final UnsafeBuffer schema = randomBytes(new Random(3), 100_000);
        final UnsafeBuffer name = utf8("db");

        assertTrue(proxy.schemaChanged(1L, 2L, IDENTITY, 0, name, 0, 2, schema, 0, schema.capacity()));
        assertTrue(proxy.hasPending());
        assertFalse(proxy.durable(1L, 2L));
        assertEquals(AbstractWireProxy.PENDING_FRAGMENTS, proxy.lastResult());
        int attempts = 0;
        while (!proxy.durable(1L, 2L))
        {
            attempts++;
            assertTrue(attempts < 10_000);
        }
        assertFalse(proxy.hasPending());
        publication.drain(adapter);

        assertEquals(List.of(
            Recording.schemaChanged(1L, 2L, describe(IDENTITY, 0, 32), "db", describe(schema, 0, schema.capacity())),
            Recording.durable(1L, 2L)), listener.events);
        assertTrue(proxy.pendingRefusedCount() > 0);
        assertTrue(proxy.backPressureCount() > 0);
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 2L, 11L, 0xBEEFL })
    void largeTransactionsShouldBeReassembledNeverTruncated(final long seed)
    {
        final Random random = new Random(seed);
        final FakePublication publication = new FakePublication(16 << 20, MTU_PAYLOAD, 5);
        final CoreEgressProxy proxy = new CoreEgressProxy(publication, 64 * 1024, 16 << 20);
        final Recording.Egress listener = new Recording.Egress();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(listener, 16 << 20);
        final TxCommittedBuilder tx = new TxCommittedBuilder();
        final UnsafeBuffer rows = randomBytes(random, 4 << 20);
        final UnsafeBuffer reducer = utf8("bulk_insert");

        for (int t = 0; t < 4; t++)
        {
            final int tables = 1 + random.nextInt(40);
            tx.reset().databaseId(seed).txOffset(t).timestampMicros(t * 10L).outcome(Outcome.COMMITTED)
                .reducerName(reducer, 0, reducer.capacity());
            final StringBuilder expected = new StringBuilder();
            for (int i = 0; i < tables; i++)
            {
                final int insertedLength = random.nextInt(random.nextBoolean() ? 200_000 : 100);
                final int insertedOffset = random.nextInt(rows.capacity() - insertedLength);
                final int deletedLength = random.nextInt(50_000);
                final int deletedOffset = random.nextInt(rows.capacity() - deletedLength);
                final UnsafeBuffer name = utf8("table_" + i);
                tx.addTable(i * 3, name, 0, name.capacity(), rows, insertedOffset, insertedLength,
                    rows, deletedOffset, deletedLength);
                expected.append(Recording.table(i * 3, "table_" + i, describe(rows, insertedOffset, insertedLength),
                    describe(rows, deletedOffset, deletedLength)));
            }
            assertTrue(proxy.txCommitted(tx));
            assertFalse(proxy.hasPending());
            publication.drain(adapter);
            assertEquals(Recording.txCommittedHead(seed, t, t * 10L, 0, 0, describe(IDENTITY, 0, 32), 0, 0, 0,
                Outcome.COMMITTED, "bulk_insert", "", tables) + expected, listener.events.get(t));
        }
        assertEquals(4, listener.events.size());
        assertEquals(0, adapter.droppedCount());
    }

    @ParameterizedTest(name = "size={0}")
    @ValueSource(ints = { 0, 100, 1300, 5000, 300_000 })
    void encodedBytesOfferedAgainShouldBeSentExactlyAsIfEncodedThere(final int size)
    {
        final FakePublication once = new FakePublication(4 << 20, 1 << 20, 5);
        final CoreEgressProxy encoder = new CoreEgressProxy(once, 1 << 20, 1 << 20);
        final FakePublication direct = new FakePublication(4 << 20, MTU_PAYLOAD, 5).refuseEvery(7);
        final CoreEgressProxy directProxy = new CoreEgressProxy(direct, 64 * 1024, 1 << 20);
        final FakePublication copied = new FakePublication(4 << 20, MTU_PAYLOAD, 5).refuseEvery(7);
        final CoreEgressProxy copyProxy = new CoreEgressProxy(copied, 64 * 1024, 1 << 20);
        final UnsafeBuffer rows = randomBytes(new Random(size), Math.max(1, size));
        final UnsafeBuffer reducer = utf8("transfer");
        final UnsafeBuffer table = utf8("accounts");
        final TxCommittedBuilder tx = new TxCommittedBuilder().reset().databaseId(3).txOffset(9).timestampMicros(11)
            .outcome(Outcome.COMMITTED).reducerName(reducer, 0, reducer.capacity())
            .addTable(1, table, 0, table.capacity(), rows, 0, size, rows, 0, size / 2);

        assertTrue(encoder.txCommitted(tx));
        final byte[] encoded = once.frames().get(0);
        for (int i = 0; i < 3; i++)
        {
            while (!directProxy.txCommitted(tx))
            {
                directProxy.flushPending();
            }
            while (directProxy.hasPending())
            {
                directProxy.flushPending();
            }
            final UnsafeBuffer source = new UnsafeBuffer(new byte[encoded.length + 16]);
            source.putBytes(16, encoded);
            while (!copyProxy.offerEncoded(source, 16, encoded.length))
            {
                copyProxy.flushPending();
            }
            while (copyProxy.hasPending())
            {
                copyProxy.flushPending();
            }
        }

        final List<byte[]> expected = direct.frames();
        final List<byte[]> actual = copied.frames();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
        }
        assertEquals(directProxy.messagesSent(), copyProxy.messagesSent());
        assertEquals(directProxy.fragmentsSent(), copyProxy.fragmentsSent());
    }

    @Test
    void tooLongMessageShouldBeRefusedNotTruncated()
    {
        final FakePublication publication = new FakePublication(4 << 20, MTU_PAYLOAD, 5);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 1 << 20);
        final UnsafeBuffer module = new UnsafeBuffer(new byte[(1 << 20) + 1]);
        assertFalse(proxy.publishModule(1, 1, IDENTITY, 0, false, module, 0, 0, module, 0, module.capacity()));
        assertEquals(AbstractWireProxy.MESSAGE_TOO_LONG, proxy.lastResult());
        assertEquals(1, proxy.tooLongCount());
        assertEquals(0, publication.frames().size());
    }

    @Test
    void brokenFragmentSequencesShouldBeCountedAndDropped()
    {
        final FakePublication publication = new FakePublication(4 << 20, MTU_PAYLOAD, 5);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 1 << 20);
        final Recording.Ingress listener = new Recording.Ingress();
        final CoreIngressAdapter adapter = new CoreIngressAdapter(listener, 1 << 20);
        final UnsafeBuffer module = randomBytes(new Random(5), 10_000);

        assertTrue(proxy.publishModule(1, 1, IDENTITY, 0, false, module, 0, 0, module, 0, module.capacity()));
        final List<byte[]> first = publication.frames();
        assertTrue(first.size() > 3);
        for (int i = 0; i < first.size(); i++)
        {
            if (i != 2)
            {
                Frames.deliver(adapter, first.get(i), 5);
            }
        }
        assertEquals(List.of(), listener.events);
        assertEquals(1, adapter.reassemblyOutOfOrderCount(), "the gap abandons the message; the rest is dropped");

        assertTrue(proxy.publishModule(1, 2, IDENTITY, 0, false, module, 0, 0, module, 0, module.capacity()));
        final List<byte[]> second = publication.frames();
        Frames.deliver(adapter, second.get(0), 5);
        Frames.deliver(adapter, second.get(0), 5);
        assertEquals(2, adapter.reassemblyOutOfOrderCount(), "a restart abandons the partial message");
        for (int i = 1; i < second.size(); i++)
        {
            Frames.deliver(adapter, second.get(i), 5);
        }
        assertEquals(1, listener.events.size(), "restarted message arrives whole");
        assertTrue(listener.events.get(0).contains("req=2"));
    }

    /**
     * Invariant: the reassembly state of a session that went away, with a message half received, is forgotten by
     * {@code clearGoneSessions}, so it holds no memory for good; a session still present keeps its partial message
     * and completes it.
     */
    @Test
    void partialMessagesOfGoneSessionsShouldBeForgotten()
    {
        final FakePublication publication = new FakePublication(4 << 20, MTU_PAYLOAD, 5);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 1 << 20);
        final Recording.Ingress listener = new Recording.Ingress();
        final CoreIngressAdapter adapter = new CoreIngressAdapter(listener, 1 << 20);
        final UnsafeBuffer module = randomBytes(new Random(9), 10_000);

        assertTrue(proxy.publishModule(1, 1, IDENTITY, 0, false, module, 0, 0, module, 0, module.capacity()));
        final List<byte[]> gone = publication.frames();
        assertTrue(proxy.publishModule(1, 2, IDENTITY, 0, false, module, 0, 0, module, 0, module.capacity()));
        final List<byte[]> staying = publication.frames();
        for (int i = 0; i < gone.size() - 1; i++)
        {
            Frames.deliver(adapter, gone.get(i), 5);
            Frames.deliver(adapter, staying.get(i), 6);
        }
        assertEquals(2, adapter.reassemblySessions());
        assertEquals(0, adapter.clearGoneSessions((session) -> true), "nothing is gone");
        assertEquals(1, adapter.clearGoneSessions((session) -> session != 5), "session 5 is gone");
        assertEquals(1, adapter.reassemblySessions());

        Frames.deliver(adapter, staying.get(staying.size() - 1), 6);
        Frames.deliver(adapter, gone.get(gone.size() - 1), 5);
        assertEquals(1, listener.events.size(), "only the present session's message arrives: " + listener.events);
        assertTrue(listener.events.get(0).contains("req=2"));
        assertEquals(1, adapter.reassemblyOutOfOrderCount(), "the gone session's stray last fragment");
        assertEquals(1, adapter.clearGoneSessions((session) -> session != 5), "its state, made again, goes again");
        assertEquals(1, adapter.reassemblySessions(), "the present session keeps its buffer for its next message");
    }

    @Test
    void fragmentsOfTwoPublicationsShouldBeReassembledPerSession()
    {
        final FakePublication publication = new FakePublication(4 << 20, MTU_PAYLOAD, 5);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 1 << 20);
        final Recording.Ingress listener = new Recording.Ingress();
        final CoreIngressAdapter adapter = new CoreIngressAdapter(listener, 1 << 20);
        final UnsafeBuffer a = randomBytes(new Random(1), 9_000);
        final UnsafeBuffer b = randomBytes(new Random(2), 7_000);

        assertTrue(proxy.publishModule(1, 1, IDENTITY, 0, false, a, 0, 0, a, 0, a.capacity()));
        final List<byte[]> fromA = publication.frames();
        assertTrue(proxy.publishModule(2, 2, IDENTITY, 0, false, b, 0, 0, b, 0, b.capacity()));
        final List<byte[]> fromB = publication.frames();
        for (int i = 0; i < Math.max(fromA.size(), fromB.size()); i++)
        {
            if (i < fromA.size())
            {
                Frames.deliver(adapter, fromA.get(i), 100);
            }
            if (i < fromB.size())
            {
                Frames.deliver(adapter, fromB.get(i), 200);
            }
        }
        assertEquals(List.of(
            Recording.publishModule(2, 2, describe(IDENTITY, 0, 32), false, "", describe(b, 0, b.capacity())),
            Recording.publishModule(1, 1, describe(IDENTITY, 0, 32), false, "", describe(a, 0, a.capacity()))),
            listener.events, "the shorter message completes first; each is whole");
        assertEquals(0, adapter.droppedCount());
    }

    @Test
    void messageLargerThanTheReassemblyLimitShouldBeSkippedWholeAndCountedOnce()
    {
        final FakePublication publication = new FakePublication(4 << 20, MTU_PAYLOAD, 5);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 1 << 20);
        final Recording.Ingress listener = new Recording.Ingress();
        final CoreIngressAdapter adapter = new CoreIngressAdapter(listener, 64 * 1024);
        final UnsafeBuffer module = randomBytes(new Random(5), 300_000);

        assertTrue(proxy.publishModule(1, 1, IDENTITY, 0, false, module, 0, 0, module, 0, module.capacity()));
        assertTrue(proxy.edgeBootstrap(4, 5L));
        publication.drain(adapter);
        assertEquals(List.of(Recording.edgeBootstrap(4, 5L)), listener.events);
        assertEquals(1, adapter.reassemblyOverflowCount());
        assertEquals(1, adapter.droppedCount());
    }
}
