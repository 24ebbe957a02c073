package io.lightcone.core.table;

import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: once a table has grown, insert, delete, writeRow, rowEquals, rowHash, getLong and putLong allocate
 * nothing on the Java heap.
 */
class TableAllocationTest
{
    private static final int CYCLES = 20_000;

    @Test
    void shouldNotAllocateInSteadyState()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter unavailable");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final ProductType rowType = ProductType.of(
            "id", PrimitiveType.U32,
            "name", PrimitiveType.STRING,
            "score", PrimitiveType.I64,
            "maybe", SpecialTypes.option(PrimitiveType.U16));
        try (Table table = new Table(rowType, 64, 4096))
        {
            final UnsafeBuffer row = new UnsafeBuffer(new byte[64]);
            final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
            final int length = encode(row);
            runCycles(table, row, length, out);
            final long threadId = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(threadId);
            final long checksum = runCycles(table, row, length, out);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertTrue(allocated < 1024, "steady state allocated " + allocated + " bytes over " + CYCLES +
                " cycles (checksum " + checksum + ")");
        }
    }

    private static long runCycles(final Table table, final UnsafeBuffer row, final int length,
        final ExpandableArrayBuffer out)
    {
        long checksum = 0;
        for (int i = 0; i < 300; i++)
        {
            table.insert(row, 0, length);
        }
        for (int i = 0; i < CYCLES; i++)
        {
            final int rowId = table.insert(row, 0, length);
            table.putLong(rowId, 2, i);
            checksum += table.getLong(rowId, 0) + table.writeRow(rowId, out, 0) + table.rowHash(rowId);
            checksum += table.rowEquals(rowId, out, 0, length) ? 0 : 1;
            checksum += table.writeColumn(rowId, 1, out, 0) + table.rowLength(rowId);
            table.delete(rowId);
        }
        for (int r = table.nextLive(0); r >= 0; r = table.nextLive(r + 1))
        {
            table.delete(r);
        }
        return checksum;
    }

    private static int encode(final UnsafeBuffer row)
    {
        row.putInt(0, 42, LITTLE_ENDIAN);
        row.putInt(4, 5, LITTLE_ENDIAN);
        row.putBytes(8, new byte[]{ 'h', 'e', 'l', 'l', 'o' });
        row.putLong(13, -1L, LITTLE_ENDIAN);
        row.putByte(21, (byte)0);
        row.putShort(22, (short)7, LITTLE_ENDIAN);
        return 24;
    }
}
