package io.lightcone.bench;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Memory per row of {@code accounts(id u32 pk, balance i64)} at 1M and 10M rows (issue [1/7]), measured from the
 * JVM (heap used after GC plus direct buffers) and from the datastore's own accounting, next to a peer measured in
 * the same run: a plain {@code HashMap<Integer, Long>} holding the same rows on the heap.
 * <p>
 * Run: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xmx12g -cp bench/target/benchmarks.jar
 * io.lightcone.bench.MemoryPerRow 1000000 10000000}
 */
public final class MemoryPerRow
{
    private MemoryPerRow()
    {
    }

    /**
     * Measures and prints one line per row count and structure.
     *
     * @param args row counts (default 1,000,000 and 10,000,000).
     */
    public static void main(final String[] args)
    {
        final int[] counts = args.length == 0 ? new int[]{ 1_000_000, 10_000_000 } : new int[args.length];
        for (int i = 0; i < args.length; i++)
        {
            counts[i] = Integer.parseInt(args[i].replace("_", ""));
        }
        System.out.println("| rows | structure | JVM-measured B/row | self-reported B/row |");
        System.out.println("|---:|---|---:|---:|");
        for (final int rows : counts)
        {
            for (final String pk : new String[]{ "hash", "btree" })
            {
                final long before = used();
                try (AccountsFixture fixture = new AccountsFixture(pk, rows))
                {
                    final long after = used();
                    System.out.printf("| %,d | Lightcone, %s primary key | %.1f | %.1f |%n", rows, pk,
                        (double)(after - before) / rows, (double)fixture.datastore.memoryBytes() / rows);
                }
            }
            final long before = used();
            final Map<Integer, Long> peer = new HashMap<>(rows * 2);
            for (int id = 0; id < rows; id++)
            {
                peer.put(id, AccountsFixture.INITIAL_BALANCE + id);
            }
            final long after = used();
            System.out.printf("| %,d | peer: java.util.HashMap<Integer, Long> | %.1f | n/a |%n", rows,
                (double)(after - before) / rows);
            if (peer.size() != rows)
            {
                throw new IllegalStateException("peer holds " + peer.size());
            }
        }
    }

    private static long used()
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        long direct = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                direct = pool.getMemoryUsed();
            }
        }
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory() + direct;
    }
}
