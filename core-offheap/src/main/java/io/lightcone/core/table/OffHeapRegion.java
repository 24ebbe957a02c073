package io.lightcone.core.table;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * One off-heap allocation, aligned to {@link #ALIGNMENT} bytes, viewed through an {@link UnsafeBuffer}.
 * <p>
 * {@link BufferUtil#allocateDirectAligned} returns a slice, which {@link BufferUtil#free(ByteBuffer)} cannot
 * release, so this allocates {@code length + ALIGNMENT} bytes with {@link ByteBuffer#allocateDirect}, keeps the
 * original buffer for {@link #free()} and wraps the aligned window:
 * <pre>
 *  raw direct buffer (rawCapacity = length + ALIGNMENT)
 *  +---------+-------------------------------------------+-----------+
 *  | padding |  view: length bytes, address % 64 == 0     |  unused   |
 *  +---------+-------------------------------------------+-----------+
 * </pre>
 */
final class OffHeapRegion
{
    /** Alignment of {@link #buffer()}: a cache line, so every naturally aligned access stays aligned. */
    static final int ALIGNMENT = 64;

    private static final byte[] EMPTY = new byte[0];

    private ByteBuffer raw;
    private final UnsafeBuffer view;
    private final int length;

    /**
     * Allocates a zeroed region.
     *
     * @param length in bytes, at least 1.
     */
    OffHeapRegion(final int length)
    {
        if (length < 1 || length > Integer.MAX_VALUE - ALIGNMENT)
        {
            throw new IllegalArgumentException("region length out of range: " + length);
        }
        raw = ByteBuffer.allocateDirect(length + ALIGNMENT);
        final int pad = (int)(-BufferUtil.address(raw) & (ALIGNMENT - 1));
        view = new UnsafeBuffer(raw, pad, length);
        this.length = length;
    }

    /**
     * The aligned view.
     *
     * @return the buffer covering exactly {@link #length()} bytes.
     */
    UnsafeBuffer buffer()
    {
        return view;
    }

    /**
     * Usable length.
     *
     * @return bytes in the view.
     */
    int length()
    {
        return length;
    }

    /**
     * Bytes actually taken from the operating system, padding included.
     *
     * @return the raw capacity, or 0 once freed.
     */
    long footprint()
    {
        return null == raw ? 0 : raw.capacity();
    }

    /**
     * Releases the memory; the view must not be used afterwards. Idempotent.
     */
    void free()
    {
        final ByteBuffer toFree = raw;
        if (null != toFree)
        {
            raw = null;
            view.wrap(EMPTY);
            BufferUtil.free(toFree);
        }
    }
}
