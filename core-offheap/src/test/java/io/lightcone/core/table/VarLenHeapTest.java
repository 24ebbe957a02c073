package io.lightcone.core.table;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants: values never overwrite each other, freed space is reused so memory stays bounded under churn,
 * addresses fit 32 bits, and clear/close return every page.
 */
class VarLenHeapTest
{
    private record Value(long address, byte[] bytes)
    {
    }

    @Test
    void shouldMapLengthsToClassesThatFitWithBoundedWaste()
    {
        int previous = 0;
        for (int length = 0; length <= 1 << 20; length++)
        {
            final int sizeClass = VarLenHeap.sizeClass(length);
            final int size = VarLenHeap.classSize(sizeClass);
            assertTrue(size >= length, "length=" + length + " size=" + size);
            assertTrue(size <= Math.max(VarLenHeap.GRANULE, length + length / 4 + VarLenHeap.GRANULE),
                "length=" + length + " size=" + size);
            assertEquals(0, size % VarLenHeap.GRANULE, "length=" + length);
            assertTrue(sizeClass >= previous, "classes must be monotonic at " + length);
            assertEquals(sizeClass, VarLenHeap.sizeClass(size), "a class size maps to its own class: " + size);
            previous = sizeClass;
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 17L, 0xFEEDL, 31_337L })
    void shouldKeepContentsIntactAndReuseSpaceUnderChurn(final long seed)
    {
        final Random random = new Random(seed);
        final int pageSize = 4096;
        final List<Value> live = new ArrayList<>();
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer();
        try (VarLenHeap heap = new VarLenHeap(pageSize))
        {
            long peakMemory = 0;
            for (int op = 0; op < 60_000; op++)
            {
                final String where = "seed=" + seed + " op=" + op;
                if (live.size() < 200 && (live.isEmpty() || random.nextInt(100) < 55))
                {
                    final int length = random.nextInt(20) == 0 ? random.nextInt(3 * pageSize) : random.nextInt(400);
                    final byte[] bytes = new byte[length];
                    random.nextBytes(bytes);
                    final long address = heap.allocate(length);
                    assertTrue(address >= 0 && address <= 0xFFFF_FFFFL, where + " address=" + address);
                    heap.put(address, new UnsafeBuffer(bytes), 0, length);
                    live.add(new Value(address, bytes));
                }
                else
                {
                    final int index = random.nextInt(live.size());
                    final Value value = live.get(index);
                    live.set(index, live.get(live.size() - 1));
                    live.remove(live.size() - 1);
                    check(heap, value, out, where);
                    heap.free(value.address(), value.bytes().length);
                }
                if (op % 5000 == 4999)
                {
                    for (final Value value : live)
                    {
                        check(heap, value, out, where);
                    }
                }
                if (op == 20_000)
                {
                    peakMemory = heap.memoryBytes();
                }
            }
            assertTrue(heap.memoryBytes() < 3 * 1024 * 1024,
                "seed=" + seed + ": memory must stay bounded under churn: " + heap.memoryBytes());
            assertTrue(heap.memoryBytes() <= peakMemory + 64L * pageSize,
                "seed=" + seed + ": memory grew after warm-up: " + peakMemory + " -> " + heap.memoryBytes());
            long expectedAllocated = 0;
            for (final Value value : live)
            {
                final int length = value.bytes().length;
                expectedAllocated += length > pageSize / 8 ?
                    length : VarLenHeap.classSize(VarLenHeap.sizeClass(length));
            }
            assertEquals(expectedAllocated, heap.allocatedBytes(), "seed=" + seed);
        }
    }

    @Test
    void shouldReuseFreedBlocksWithoutGrowing()
    {
        final Random random = new Random(7);
        try (VarLenHeap heap = new VarLenHeap(1024))
        {
            final int[] lengths = new int[500];
            final long[] addresses = new long[lengths.length];
            for (int i = 0; i < lengths.length; i++)
            {
                lengths[i] = random.nextInt(300);
                addresses[i] = heap.allocate(lengths[i]);
            }
            long memory = heap.memoryBytes();
            for (int round = 0; round < 20; round++)
            {
                for (int i = 0; i < lengths.length; i++)
                {
                    heap.free(addresses[i], lengths[i]);
                }
                assertEquals(0, heap.allocatedBytes(), "round=" + round);
                for (int i = lengths.length - 1; i >= 0; i--)
                {
                    addresses[i] = heap.allocate(lengths[i]);
                }
                if (0 == round)
                {
                    assertTrue(heap.memoryBytes() - memory < 4096, "only on-heap free-slot stacks may grow");
                    memory = heap.memoryBytes();
                }
                assertEquals(memory, heap.memoryBytes(), "round=" + round + ": freed space must be reused");
            }
        }
    }

    @Test
    void shouldReleaseEverythingOnClearAndClose()
    {
        final VarLenHeap heap = new VarLenHeap(1024);
        final long empty = heap.memoryBytes();
        for (int i = 0; i < 1000; i++)
        {
            heap.allocate(i % 700);
        }
        assertTrue(heap.memoryBytes() > empty + 100_000, "pages and dedicated regions are counted");
        heap.clear();
        assertEquals(empty, heap.memoryBytes());
        assertEquals(0, heap.allocatedBytes());
        final long address = heap.allocate(5);
        heap.put(address, new UnsafeBuffer(new byte[]{ 1, 2, 3, 4, 5 }), 0, 5);
        heap.close();
        heap.close();
        assertEquals(empty, heap.memoryBytes());
    }

    private static void check(final VarLenHeap heap, final Value value, final ExpandableArrayBuffer out,
        final String where)
    {
        final byte[] expected = value.bytes();
        heap.get(value.address(), out, 1, expected.length);
        final byte[] actual = new byte[expected.length];
        out.getBytes(1, actual);
        assertArrayEquals(expected, actual, where + " address=" + value.address());
    }
}
