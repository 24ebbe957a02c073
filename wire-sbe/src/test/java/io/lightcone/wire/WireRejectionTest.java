package io.lightcone.wire;

import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.MessageHeaderEncoder;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.lightcone.wire.Recording.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: whatever bytes arrive, the adapters never throw and never deliver a message that fails a check; each
 * drop is counted under its reason. Messages from a newer sender of the same family (higher version, longer block,
 * extra trailing var-data) are decoded.
 */
class WireRejectionTest
{
    private static final UnsafeBuffer IDENTITY = new UnsafeBuffer(new byte[32]);

    @Test
    void unknownSchemaIdShouldBeCountedAndDropped()
    {
        final byte[] message = egressFrames().get(0);
        putShort(message, MessageHeaderEncoder.schemaIdEncodingOffset(), WireConstants.SCHEMA_ID + 1);
        final Recording.Egress listener = new Recording.Egress();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(listener, 1 << 20);
        Frames.deliver(adapter, message, 1);
        assertEquals(List.of(), listener.events);
        assertEquals(1, adapter.unknownSchemaCount());
        assertEquals(1, adapter.droppedCount());
    }

    @Test
    void unknownTemplateIdShouldBeCountedAndDropped()
    {
        final byte[] message = egressFrames().get(0);
        putShort(message, MessageHeaderEncoder.templateIdEncodingOffset(), 77);
        final Recording.Egress listener = new Recording.Egress();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(listener, 1 << 20);
        Frames.deliver(adapter, message, 1);
        assertEquals(List.of(), listener.events);
        assertEquals(1, adapter.unknownTemplateCount());
    }

    @Test
    void versionBelowTheMinimumShouldBeCountedAndDropped()
    {
        final byte[] message = egressFrames().get(0);
        putShort(message, MessageHeaderEncoder.versionEncodingOffset(), 0);
        final Recording.Egress listener = new Recording.Egress();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(listener, 1 << 20);
        Frames.deliver(adapter, message, 1);
        assertEquals(List.of(), listener.events);
        assertEquals(1, adapter.unsupportedVersionCount());
    }

    @Test
    void everyTruncationOfEveryMessageShouldBeCountedAsMalformed()
    {
        final Recording.Egress egressListener = new Recording.Egress();
        final CoreEgressAdapter egress = new CoreEgressAdapter(egressListener, 1 << 20);
        long truncations = 0;
        for (final byte[] message : egressFrames())
        {
            for (int length = 0; length < message.length; length++)
            {
                Frames.deliver(egress, message, length, 1);
                truncations++;
            }
        }
        assertEquals(List.of(), egressListener.events);
        assertEquals(truncations, egress.malformedCount());
        assertEquals(truncations, egress.droppedCount());

        final Recording.Ingress ingressListener = new Recording.Ingress();
        final CoreIngressAdapter ingress = new CoreIngressAdapter(ingressListener, 1 << 20);
        truncations = 0;
        for (final byte[] message : ingressFrames())
        {
            for (int length = 0; length < message.length; length++)
            {
                Frames.deliver(ingress, message, length, 1);
                truncations++;
            }
        }
        assertEquals(List.of(), ingressListener.events);
        assertEquals(truncations, ingress.malformedCount());
        assertEquals(truncations, ingress.droppedCount());
    }

    @Test
    void randomBytesShouldNeverThrow()
    {
        final Random random = new Random(99);
        final CoreEgressAdapter egress = new CoreEgressAdapter(new Recording.Egress(), 1 << 20);
        final CoreIngressAdapter ingress = new CoreIngressAdapter(new Recording.Ingress(), 1 << 20);
        final List<byte[]> valid = new ArrayList<>(egressFrames());
        valid.addAll(ingressFrames());
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] message = valid.get(random.nextInt(valid.size())).clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
            {
                final int at = MessageHeaderEncoder.ENCODED_LENGTH + random.nextInt(message.length - 8);
                message[at] = (byte)random.nextInt();
            }
            Frames.deliver(egress, message, 1);
            Frames.deliver(ingress, message, 1);
        }
        assertTrue(egress.droppedCount() + egress.messagesReceived() >= 20_000);
    }

    @Test
    void newerSenderOfTheSameFamilyShouldBeUnderstood()
    {
        final List<byte[]> frames = egressFrames();
        final Recording.Egress listener = new Recording.Egress();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(listener, 1 << 20);
        final Recording.Egress reference = new Recording.Egress();
        final CoreEgressAdapter referenceAdapter = new CoreEgressAdapter(reference, 1 << 20);
        for (final byte[] frame : frames)
        {
            Frames.deliver(referenceAdapter, frame, 1);
            Frames.deliver(adapter, asNewerVersion(frame, 12, 9), 1);
        }
        assertEquals(reference.events, listener.events);
        assertEquals(frames.size(), adapter.messagesReceived());
        assertEquals(0, adapter.droppedCount());
    }

    /**
     * What a version 2 sender would produce: 'extra' bytes appended to the block, a higher version, and a trailing
     * var-data field (only where the message has no group, so it lands after the last var-data).
     */
    private static byte[] asNewerVersion(final byte[] message, final int extra, final int trailing)
    {
        final UnsafeBuffer in = new UnsafeBuffer(message);
        final int blockLength = in.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int bodyStart = MessageHeaderEncoder.ENCODED_LENGTH;
        final byte[] out = new byte[message.length + extra + 4 + trailing];
        System.arraycopy(message, 0, out, 0, bodyStart + blockLength);
        System.arraycopy(message, bodyStart + blockLength, out, bodyStart + blockLength + extra,
            message.length - bodyStart - blockLength);
        final UnsafeBuffer o = new UnsafeBuffer(out);
        o.putShort(0, (short)(blockLength + extra), ByteOrder.LITTLE_ENDIAN);
        o.putShort(MessageHeaderEncoder.versionEncodingOffset(), (short)(WireConstants.SCHEMA_VERSION + 1),
            ByteOrder.LITTLE_ENDIAN);
        o.putInt(message.length + extra, trailing, ByteOrder.LITTLE_ENDIAN);
        return out;
    }

    private static void putShort(final byte[] message, final int offset, final int value)
    {
        new UnsafeBuffer(message).putShort(offset, (short)value, ByteOrder.LITTLE_ENDIAN);
    }

    /** One small frame of every egress message, none fragmented. */
    static List<byte[]> egressFrames()
    {
        final FakePublication publication = new FakePublication(1 << 20, 65_504, 1);
        final CoreEgressProxy proxy = new CoreEgressProxy(publication, 64 * 1024, 1 << 20);
        final UnsafeBuffer text = utf8("abc\u00e9");
        final UnsafeBuffer rows = new UnsafeBuffer(ByteBuffer.allocate(64));
        rows.setMemory(0, 64, (byte)7);
        final TxCommittedBuilder tx = new TxCommittedBuilder().databaseId(1).txOffset(2).reducerName(text, 0, 3)
            .addTable(1, text, 0, 2, rows, 0, 10, rows, 10, 6)
            .addTable(2, text, 0, 0, rows, 0, 0, rows, 0, 0);
        assertTrue(proxy.txCommitted(tx));
        assertTrue(proxy.txFailed(1, 2, 3, 4, 5, 6, 7, 8, Outcome.USER_ERROR, text, 0, 3, text, 0, 5));
        assertTrue(proxy.durable(1, 2));
        assertTrue(proxy.schemaChanged(1, 2, IDENTITY, 0, text, 0, 5, rows, 0, 20));
        assertTrue(proxy.snapshotChunk(1, 2, 3, 4, true, rows, 0, 30));
        assertTrue(proxy.moduleLog(1, 2, LogLevel.INFO, text, 0, 5));
        assertTrue(proxy.requestCompleted(1, 2, 3, 4, Outcome.COMMITTED, text, 0, 5));
        assertTrue(proxy.procedureResult(1, 2, 3, 4, 5, 6, 7, 8, ProcedureStatus.RETURNED, rows, 0, 9, text, 0, 5));
        final List<byte[]> frames = publication.frames();
        assertEquals(8, frames.size());
        return frames;
    }

    /** One small frame of every ingress message, none fragmented. */
    static List<byte[]> ingressFrames()
    {
        final FakePublication publication = new FakePublication(1 << 20, 65_504, 1);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 1 << 20);
        final UnsafeBuffer text = utf8("abc\u00e9");
        assertTrue(proxy.callReducer(1, 2, 3, 4, 5, IDENTITY, 0, 6, 7, text, 0, 3, text, 0, 5));
        assertTrue(proxy.callProcedure(1, 2, 3, 4, 5, IDENTITY, 0, 6, 7, text, 0, 3, text, 0, 5));
        assertTrue(proxy.clientConnected(1, 2, 3, 4, IDENTITY, 0, 5, text, 0, 5));
        assertTrue(proxy.clientDisconnected(1, 2, 3, 4, IDENTITY, 0, 5));
        assertTrue(proxy.sqlDml(1, 2, 3, 4, 5, IDENTITY, 0, text, 0, 5));
        assertTrue(proxy.publishModule(1, 2, IDENTITY, 0, true, text, 0, 5, text, 0, 4));
        assertTrue(proxy.deleteDatabase(1, 2, IDENTITY, 0, text, 0, 5));
        assertTrue(proxy.edgeBootstrap(1, 2));
        final List<byte[]> frames = publication.frames();
        assertEquals(8, frames.size());
        assertTrue(frames.stream().allMatch((f) -> f.length > MessageHeaderEncoder.ENCODED_LENGTH));
        return Arrays.asList(frames.toArray(new byte[0][]));
    }
}
