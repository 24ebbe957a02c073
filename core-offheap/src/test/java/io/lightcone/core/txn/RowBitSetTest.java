package io.lightcone.core.txn;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants: {@link RowBitSet} answers add, remove, contains and size as a {@code HashSet<Integer>} does, through
 * rounds that empty it (as a transaction's clear does) and trim it; trimming keeps the words of a set whose row ids
 * the table still needs (so transactions on a large table do not reallocate them) and gives back those of a table
 * that shrank.
 */
class RowBitSetTest
{
    @Test
    void shouldMatchAHashSetThroughRoundsOfAddRemoveAndTrim()
    {
        final Random random = new Random(0xB175E7L);
        final RowBitSet set = new RowBitSet();
        final Set<Integer> model = new HashSet<>();
        for (int round = 0; round < 200; round++)
        {
            final int limit = 1 + random.nextInt(round % 3 == 0 ? 200_000 : 2_000);
            for (int op = 0; op < 500; op++)
            {
                final int rowId = random.nextInt(limit);
                switch (random.nextInt(3))
                {
                    case 0 -> assertEquals(model.add(rowId), set.add(rowId), "add " + rowId);
                    case 1 -> assertEquals(model.remove(rowId), set.remove(rowId), "remove " + rowId);
                    default -> assertEquals(model.contains(rowId), set.contains(rowId), "contains " + rowId);
                }
                assertEquals(model.size(), set.size());
            }
            assertFalse(set.contains(200_000 + random.nextInt(1 << 20)), "never added");
            if (random.nextBoolean())
            {
                for (final int rowId : model)
                {
                    assertTrue(set.remove(rowId));
                }
                model.clear();
            }
            set.trim(limit);
            assertEquals(model.size(), set.size());
            for (final int rowId : model)
            {
                assertTrue(set.contains(rowId), "kept " + rowId);
            }
        }
    }

    @Test
    void trimShouldKeepTheWordsALargeTableNeedsAndDropThoseOfAShrunkOne()
    {
        final RowBitSet set = new RowBitSet();
        final int rows = 100_000;
        for (int tx = 0; tx < 10; tx++)
        {
            final int rowId = rows - 1 - tx;
            assertTrue(set.add(rowId));
            assertTrue(set.remove(rowId));
            set.trim(rows);
            assertTrue(set.wordCapacity() >= rows / 64, "words kept: " + set.wordCapacity());
        }
        final int kept = set.wordCapacity();
        assertTrue(set.add(rows - 1));
        assertEquals(kept, set.wordCapacity(), "no regrowth");
        set.trim(0);
        assertEquals(kept, set.wordCapacity(), "a non-empty set is never trimmed");
        assertTrue(set.remove(rows - 1));
        set.trim(0);
        assertTrue(set.wordCapacity() < 1024, "the words of a cleared table are given back: " + set.wordCapacity());
        assertFalse(set.contains(rows - 1));
    }
}
