package io.lightcone.bench.keynote;

/**
 * The mulberry32 PRNG as the keynote-2 harness uses it ({@code src/core/zipf.ts}, performance-anchors §1.1): a 32-bit
 * state advanced by {@code 0x6d2b79f5}, mixed, and returned as an unsigned 32-bit value divided by 2^32, so a double
 * in [0, 1). The arithmetic is JavaScript's {@code Math.imul} and unsigned shifts, which Java's int arithmetic
 * reproduces exactly.
 */
public final class Mulberry32
{
    /** The keynote harness's seed ({@code makeRng(seed = 0x12345678)}). */
    public static final int KEYNOTE_SEED = 0x12345678;

    private int state;

    /**
     * @param seed initial state.
     */
    public Mulberry32(final int seed)
    {
        this.state = seed;
    }

    /**
     * @return the next value as the unsigned 32-bit integer before division.
     */
    public long nextUnsigned()
    {
        state += 0x6d2b79f5;
        final int t = state;
        int r = (t ^ (t >>> 15)) * (1 | t);
        r ^= r + (r ^ (r >>> 7)) * (61 | r);
        return (r ^ (r >>> 14)) & 0xFFFF_FFFFL;
    }

    /**
     * @return the next value in [0, 1).
     */
    public double next()
    {
        return nextUnsigned() / 4294967296.0;
    }
}
