package io.lightcone.bench.keynote;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account picker against reference values. The anchor doc gives no sample values, so the references were
 * computed once with Node.js 20 from a JavaScript transcription of the harness's algorithm (mulberry32 with
 * {@code Math.imul}, the Kahan-summed CDF, binary search, {@code pickTwoDistinct}).
 */
final class ZipfSamplerTest
{
    @Test
    void mulberry32ShouldMatchTheJavaScriptReference()
    {
        final Mulberry32 rng = new Mulberry32(Mulberry32.KEYNOTE_SEED);
        final long[] expected = { 455919406L, 4042750857L, 4036713555L, 1004527575L, 3885174651L };
        for (final long value : expected)
        {
            assertEquals(value, rng.nextUnsigned());
        }
        final Mulberry32 again = new Mulberry32(Mulberry32.KEYNOTE_SEED);
        assertEquals(455919406L / 4294967296.0, again.next());
    }

    @Test
    void uniformPairsShouldMatchTheJavaScriptReference()
    {
        checkPairs(0, new int[][]{ { 10615, 94127 }, { 93987, 23388 }, { 90458, 77833 }, { 27943, 34101 },
            { 19990, 35710 }, { 36982, 65305 } }, 10, 1396191288);
    }

    @Test
    void zipfPairsShouldMatchTheJavaScriptReference()
    {
        checkPairs(1.5, new int[][]{ { 0, 157 }, { 150, 0 }, { 61, 11 }, { 0, 4 }, { 3, 24 }, { 0, 1 } }, 384255,
            1353517924);
    }

    @Test
    void shouldRefuseAccountCountsTheCdfDoesNotCover()
    {
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(100_001, 1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(0, 0, 1));
    }

    @Test
    void workersShouldStartOnTheirSliceAndWrapAround()
    {
        final TransferPairs pairs = TransferPairs.generate(1000, 0, 100);
        assertEquals(0, pairs.startOf(0, 64));
        assertEquals(63, pairs.startOf(63, 64));
        assertEquals(50, pairs.startOf(1, 2));
        assertEquals(0, pairs.nextIndex(99));
        assertEquals(5, pairs.nextIndex(4));
        for (int i = 0; i < pairs.count(); i++)
        {
            assertTrue(pairs.from(i) >= 0 && pairs.from(i) < 1000 && pairs.to(i) >= 0 && pairs.to(i) < 1000);
        }
    }

    /** 1,000,000 pairs over 100,000 accounts: the first six, how many start at account 0, a hash of all. */
    private static void checkPairs(final double alpha, final int[][] first, final int fromZero, final int hash)
    {
        final TransferPairs pairs = TransferPairs.generate(100_000, alpha, 1_000_000);
        for (int i = 0; i < first.length; i++)
        {
            assertEquals(first[i][0], pairs.from(i), "from of pair " + i);
            assertEquals(first[i][1], pairs.to(i), "to of pair " + i);
        }
        int zeros = 0;
        int h = 0;
        for (int i = 0; i < pairs.count(); i++)
        {
            assertNotEquals(pairs.from(i), pairs.to(i), "pair " + i);
            zeros += pairs.from(i) == 0 ? 1 : 0;
            h = h * 31 + pairs.from(i) * 7 + pairs.to(i);
        }
        assertEquals(fromZero, zeros);
        assertEquals(hash, h);
    }
}
