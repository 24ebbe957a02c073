package io.lightcone.core.txn;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.table.Table;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: {@link IdenticalRowPairs} cancels exactly the pairs the plain model does — every deleted row, in
 * order, cancels the first not yet cancelled inserted row with identical bytes — with duplicates on both sides
 * (a raw {@link Table} holds equal rows), already cancelled (-1) entries, and one instance reused across rounds,
 * for few rows (compared pair by pair in storage) and many (through hash chains).
 */
class IdenticalRowPairsTest
{
    private static final ProductType ROW = ProductType.of("a", AlgebraicType.U32, "b", AlgebraicType.STRING);

    @Test
    void shouldCancelTheSamePairsAsComparingEveryDeleteWithEveryInsert()
    {
        final long seed = 0x1D_E47L;
        final Random random = new Random(seed);
        final IdenticalRowPairs pairs = new IdenticalRowPairs();
        try (Table table = new Table(ROW))
        {
            for (int round = 0; round < 300; round++)
            {
                final int domain = 1 + random.nextInt(round % 3 == 0 ? 4 : 40);
                // Every other round small enough for the pairwise path, the others mostly through hash chains.
                final int most = round % 2 == 0 ? 9 : 120;
                final IntArrayList inserts = randomRows(table, random, random.nextInt(most), domain);
                final IntArrayList deletes = randomRows(table, random, random.nextInt(most), domain);
                final int[] expectedInserts = inserts.toIntArray();
                final int[] expectedDeletes = deletes.toIntArray();
                modelCancel(table, expectedInserts, expectedDeletes);

                pairs.cancel(table, inserts, deletes);

                final String at = "seed " + seed + " round " + round;
                assertEquals(Arrays.toString(expectedInserts), Arrays.toString(inserts.toIntArray()), at);
                assertEquals(Arrays.toString(expectedDeletes), Arrays.toString(deletes.toIntArray()), at);
                deleteAll(table);
            }
        }
    }

    @Test
    void shouldShrinkAfterALargeCommit()
    {
        final Random random = new Random(7);
        final IdenticalRowPairs pairs = new IdenticalRowPairs();
        try (Table table = new Table(ROW))
        {
            final int count = 4 * MutTx.RETAINED_ENTRIES_LIMIT;
            final IntArrayList inserts = randomRows(table, random, count, count);
            final IntArrayList deletes = randomRows(table, random, count, count);
            final int[] expectedInserts = inserts.toIntArray();
            final int[] expectedDeletes = deletes.toIntArray();
            modelCancelSorted(table, expectedInserts, expectedDeletes);

            pairs.cancel(table, inserts, deletes);

            assertEquals(Arrays.toString(expectedInserts), Arrays.toString(inserts.toIntArray()));
            assertEquals(Arrays.toString(expectedDeletes), Arrays.toString(deletes.toIntArray()));
            assertTrue(pairs.retainedEntries() <= 3 * MutTx.RETAINED_ENTRIES_LIMIT,
                "shrunk after the large commit: " + pairs.retainedEntries());
        }
    }

    private static IntArrayList randomRows(final Table table, final Random random, final int count, final int domain)
    {
        final IntArrayList rowIds = new IntArrayList();
        for (int i = 0; i < count; i++)
        {
            final int value = random.nextInt(domain);
            final byte[] row = new BsatnWriter().writeU32(value).writeString(value % 2 == 0 ? "" : "x" + value)
                .toByteArray();
            final int rowId = table.insert(new UnsafeBuffer(row), 0, row.length);
            rowIds.addInt(random.nextInt(20) == 0 ? -1 : rowId);
        }
        return rowIds;
    }

    private static void deleteAll(final Table table)
    {
        for (int rowId = table.nextLive(0); rowId >= 0; rowId = table.nextLive(rowId + 1))
        {
            table.delete(rowId);
        }
    }

    private static byte[] bytes(final Table table, final int rowId)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final int length = table.writeRow(rowId, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * The plain quadratic model.
     */
    private static void modelCancel(final Table table, final int[] inserts, final int[] deletes)
    {
        for (int d = 0; d < deletes.length; d++)
        {
            for (int i = 0; deletes[d] >= 0 && i < inserts.length; i++)
            {
                if (inserts[i] >= 0 && Arrays.equals(bytes(table, deletes[d]), bytes(table, inserts[i])))
                {
                    inserts[i] = -1;
                    deletes[d] = -1;
                }
            }
        }
    }

    /**
     * The same model for large inputs: per distinct row, the k-th delete cancels the k-th insert.
     */
    private static void modelCancelSorted(final Table table, final int[] inserts, final int[] deletes)
    {
        final Map<String, ArrayDeque<Integer>> insertPositions = new HashMap<>();
        for (int i = 0; i < inserts.length; i++)
        {
            if (inserts[i] >= 0)
            {
                insertPositions.computeIfAbsent(Arrays.toString(bytes(table, inserts[i])),
                    (key) -> new ArrayDeque<>()).addLast(i);
            }
        }
        for (int d = 0; d < deletes.length; d++)
        {
            if (deletes[d] >= 0)
            {
                final ArrayDeque<Integer> positions =
                    insertPositions.get(Arrays.toString(bytes(table, deletes[d])));
                if (null != positions && !positions.isEmpty())
                {
                    inserts[positions.pollFirst()] = -1;
                    deletes[d] = -1;
                }
            }
        }
    }
}
