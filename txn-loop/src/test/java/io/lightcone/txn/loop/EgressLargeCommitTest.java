package io.lightcone.txn.loop;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.lightcone.wire.AeronWirePublication;
import io.lightcone.wire.CoreEgressAdapter;
import io.lightcone.wire.TxCommittedBuilder;
import io.lightcone.wire.WireConfiguration;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: commits of several MB (thousands of Fragment envelopes each), mixed with small ones, sent through the
 * loop's egress path ({@link EgressQueue}: its encoder, FIFO and {@code CoreEgressProxy} on an {@code aeron:ipc}
 * publication with a 64 KiB term, so a 32 KiB publication window, on an embedded core's media driver) to a
 * {@link CoreEgressAdapter} that polls a few fragments at a time and pauses, arrive whole, in order and with every
 * byte as sent, although the publication refuses the proxy in the middle of every long message. Sizes, table slices
 * and the consumer's pace come from one seed, and the test thread plays both sides, so the run is the same every
 * time.
 */
class EgressLargeCommitTest
{
    private static final String CHANNEL = "aeron:ipc?term-length=64k";
    private static final int STREAM = 1201;
    private static final int COMMITS = 14;
    private static final int DRAIN_LIMIT = 4096;
    /**
     * Polls that find nothing, once everything is sent, before the test stops waiting: on {@code aeron:ipc} what
     * is sent is in the log at once, and a poll that only skips a term's end padding also returns 0.
     */
    private static final int SETTLED_POLLS = 4;
    private static final UnsafeBuffer ROWS = randomBytes(new Random(5), 2 * 1024 * 1024);

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void largeCommitsShouldArriveWholeInOrderAndByteIdenticalUnderBackPressure()
    {
        try (EmbeddedCore core = EmbeddedCore.launch(new TxnLoopContext().dataDir(dataDir.toFile()).durable(false));
            Publication publication = core.aeron().addExclusivePublication(CHANNEL, STREAM);
            Subscription subscription = core.aeron().addSubscription(CHANNEL, STREAM))
        {
            sendAndReceive(publication, subscription);
        }
    }

    private static void sendAndReceive(final Publication publication, final Subscription subscription)
    {
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        while (!publication.isConnected())
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "publication did not connect");
            idle.idle();
        }

        final Random random = new Random(42);
        final List<Recorder.Tx> expected = new ArrayList<>();
        for (int i = 0; i < COMMITS; i++)
        {
            expected.add(expectedTx(random, i));
        }
        final AtomicCounter backPressure = new AtomicCounter(
            new UnsafeBuffer(ByteBuffer.allocateDirect(CountersReader.COUNTER_LENGTH)), 0);
        final EgressQueue egress = new EgressQueue(new AeronWirePublication(publication),
            WireConfiguration.MAX_MESSAGE_LENGTH_DEFAULT, WireConfiguration.MAX_REASSEMBLY_LENGTH_DEFAULT,
            backPressure);
        final Recorder recorder = new Recorder();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(recorder);
        final TxCommittedBuilder builder = new TxCommittedBuilder();
        final UnsafeBuffer identity = new UnsafeBuffer(new byte[32]);

        int enqueued = 0;
        int pauseSteps = 0;
        int refusedMidMessage = 0;
        int maxQueuedBytes = 0;
        int emptyPolls = 0;
        while (emptyPolls < SETTLED_POLLS)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "timed out: enqueued " + enqueued + ", received " +
                recorder.all(Recorder.Tx.class).size() + ", queued bytes " + egress.queuedBytes() +
                ", pending " + egress.proxy().hasPending() + ", dropped " + adapter.droppedCount());
            int work = 0;
            if (enqueued < COMMITS && random.nextInt(3) == 0)
            {
                encode(builder, expected.get(enqueued), identity);
                assertTrue(egress.encoder().txCommitted(builder), "encoded");
                egress.enqueueCaptured();
                enqueued++;
                work++;
            }
            maxQueuedBytes = Math.max(maxQueuedBytes, egress.queuedBytes());
            work += egress.drain(DRAIN_LIMIT);
            if (egress.proxy().hasPending())
            {
                refusedMidMessage++;
            }
            if (pauseSteps > 0)
            {
                pauseSteps--;
            }
            else
            {
                final int fragments = subscription.poll(adapter, 1 + random.nextInt(24));
                work += fragments;
                emptyPolls = enqueued == COMMITS && egress.isEmpty() && 0 == fragments ? emptyPolls + 1 : 0;
                if (random.nextInt(16) == 0)
                {
                    pauseSteps = 1 + random.nextInt(8);
                }
            }
            idle.idle(work);
        }

        final List<Recorder.Tx> received = recorder.all(Recorder.Tx.class);
        assertEquals(COMMITS, received.size());
        for (int i = 0; i < COMMITS; i++)
        {
            assertSameTx(expected.get(i), received.get(i));
        }
        assertEquals(0, adapter.droppedCount(), "nothing dropped by the adapter");
        assertTrue(adapter.reassembledCount() >= COMMITS / 3, "large commits were fragmented");
        assertTrue(egress.isEmpty(), "nothing left to send");
        assertTrue(refusedMidMessage > 0, "the publication refused the middle of a long message");
        assertTrue(egress.proxy().backPressureCount() > 0);
        assertTrue(backPressure.get() > 0);
        assertTrue(maxQueuedBytes > 0, "commits waited in the queue behind a long message");
    }

    private static Recorder.Tx expectedTx(final Random random, final int i)
    {
        final boolean large = i % 3 == 0;
        final int tableCount = large ? 2 + random.nextInt(2) : 1;
        final List<Recorder.Table> tables = new ArrayList<>();
        for (int t = 0; t < tableCount; t++)
        {
            final int insertedLength = large ? 256 * 1024 + random.nextInt(1024 * 1024) : random.nextInt(64);
            final int deletedLength = large ? random.nextInt(256 * 1024) : random.nextInt(16);
            tables.add(new Recorder.Table(4096 + t, "table_" + t + "_\u00e9",
                slice(random, insertedLength), slice(random, deletedLength)));
        }
        return new Recorder.Tx(7L, 1000L + i, 1_700_000_000_000_000L + i, 31L * i, i, "reducer_" + i, tables);
    }

    private static byte[] slice(final Random random, final int length)
    {
        return Recorder.bytes(ROWS, random.nextInt(ROWS.capacity() - length + 1), length);
    }

    private static void encode(final TxCommittedBuilder builder, final Recorder.Tx tx, final UnsafeBuffer identity)
    {
        final UnsafeBuffer reducer = EmbeddedCoreTest.utf8(tx.reducer());
        builder.reset()
            .databaseId(tx.databaseId())
            .txOffset(tx.txOffset())
            .timestampMicros(tx.timestampMicros())
            .caller(tx.connectionIdLo(), 0, tx.requestId(), identity, 0)
            .outcome(Outcome.COMMITTED)
            .reducerName(reducer, 0, reducer.capacity());
        for (final Recorder.Table table : tx.tables())
        {
            final UnsafeBuffer name = EmbeddedCoreTest.utf8(table.name());
            builder.addTable(table.tableId(), name, 0, name.capacity(),
                new UnsafeBuffer(table.inserted()), 0, table.inserted().length,
                new UnsafeBuffer(table.deleted()), 0, table.deleted().length);
        }
    }

    static void assertSameTx(final Recorder.Tx expected, final Recorder.Tx actual)
    {
        final String what = "tx " + expected.txOffset();
        assertEquals(expected.databaseId(), actual.databaseId(), what);
        assertEquals(expected.txOffset(), actual.txOffset(), what + " in order");
        assertEquals(expected.timestampMicros(), actual.timestampMicros(), what);
        assertEquals(expected.connectionIdLo(), actual.connectionIdLo(), what);
        assertEquals(expected.requestId(), actual.requestId(), what);
        assertEquals(expected.reducer(), actual.reducer(), what);
        assertEquals(expected.tables().size(), actual.tables().size(), what);
        for (int t = 0; t < expected.tables().size(); t++)
        {
            final Recorder.Table e = expected.tables().get(t);
            final Recorder.Table a = actual.tables().get(t);
            assertEquals(e.tableId(), a.tableId(), what);
            assertEquals(e.name(), a.name(), what);
            assertArrayEquals(e.inserted(), a.inserted(), what + " inserted rows of table " + t);
            assertArrayEquals(e.deleted(), a.deleted(), what + " deleted rows of table " + t);
        }
    }

    private static UnsafeBuffer randomBytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return new UnsafeBuffer(bytes);
    }
}
