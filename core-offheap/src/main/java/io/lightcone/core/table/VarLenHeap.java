package io.lightcone.core.table;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Off-heap allocator for variable-length values (the BSATN bytes of var-len column values), whose space is
 * reused after {@link #free}.
 * <p>
 * Memory comes in pages of {@code pageSize} bytes (a power of two, 1 MiB by default). A value of up to
 * {@code pageSize / 8} bytes takes a block of its size class; a larger value gets a dedicated region of its own,
 * which occupies one page slot and is returned to the operating system when freed.
 * <pre>
 *  page table (on-heap)            page p: pageSize bytes, 64-byte aligned, carved front to back
 *  +-------+                       +--------+--------+----------------+--------+- - - - - - - - -+
 *  |  p=0  |---------------------->| blk 16 | blk 48 |    blk 320     | blk 16 |   not yet carved |
 *  +-------+                       +--------+--------+----------------+--------+- - - - - - - - -+
 *  |  p=1  |----> dedicated region (one value larger than pageSize / 8)              ^ bump offset
 *  +-------+
 *  |  p=2  |----> null (slot free, reusable)
 *  +-------+
 *
 *  free block of class c (in-band link, first 8 bytes of the block):
 *  +------------------------------------+---------------------------------+
 *  |  next free address of class c (i64, -1 = end)  |  stale bytes ...   |
 *  +------------------------------------+---------------------------------+
 *
 *  address (fits an unsigned 32-bit int): page index << (pageShift - 4) | offset-in-page >> 4
 * </pre>
 * Size classes are multiples of 16 up to 128 bytes, then four classes per power of two (160, 192, 224, 256,
 * 320, ...), so a block wastes less than a quarter of its size. When the bump region of the current page is too
 * small for a block, its remainder is cut into blocks of the largest classes that fit and pushed on their free
 * lists, and a fresh page is started.
 * <p>
 * Invariants:
 * <ul>
 *   <li>Every block lies inside one page and starts at a 16-byte aligned offset; a block is on at most one free
 *   list and a block on a free list is not handed out.</li>
 *   <li>{@link #allocatedBytes()} is the sum of the block sizes (or dedicated region lengths) currently handed
 *   out; {@link #memoryBytes()} is everything this heap holds, on- and off-heap.</li>
 *   <li>Blocks of a class are never coalesced or split into other classes; {@link #clear()} returns all pages.</li>
 *   <li>At most {@code 2^(36 - log2(pageSize))} page slots exist (65536 for 1 MiB pages: 64 GiB of pages), and
 *   every dedicated value holds one slot while it lives.</li>
 * </ul>
 * Not thread safe.
 */
final class VarLenHeap implements AutoCloseable
{
    /** Default page size: 1 MiB. */
    static final int DEFAULT_PAGE_SIZE = 1 << 20;
    /** Smallest block, and the alignment of every block. */
    static final int GRANULE = 16;

    private static final int GRANULE_SHIFT = 4;
    private static final long NIL = -1L;
    private static final int SMALL_CLASSES = 8;
    private static final int SMALL_LIMIT = SMALL_CLASSES * GRANULE;

    private final int pageSize;
    private final int pageShift;
    private final int maxSmall;
    private final int classCount;
    private final int maxPages;
    private final long[] freeHeads;

    private OffHeapRegion[] pages = new OffHeapRegion[4];
    private UnsafeBuffer[] pageBuffers = new UnsafeBuffer[4];
    private int pageCount;
    private int[] freePageSlots = new int[4];
    private int freePageSlotCount;
    private int currentPage = -1;
    private int bumpOffset;
    private long allocatedBytes;
    private long offHeapBytes;

    /**
     * A heap with 1 MiB pages.
     */
    VarLenHeap()
    {
        this(DEFAULT_PAGE_SIZE);
    }

    /**
     * A heap with the given page size.
     *
     * @param pageSize a power of two, from 1 KiB to 1 GiB.
     */
    VarLenHeap(final int pageSize)
    {
        if (Integer.bitCount(pageSize) != 1 || pageSize < 1024 || pageSize > (1 << 30))
        {
            throw new IllegalArgumentException("pageSize must be a power of two in [1 KiB, 1 GiB]: " + pageSize);
        }
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.maxSmall = pageSize >> 3;
        this.classCount = sizeClass(maxSmall) + 1;
        this.maxPages = (int)Math.min(Integer.MAX_VALUE - 8, 1L << (32 - (pageShift - GRANULE_SHIFT)));
        this.freeHeads = new long[classCount];
        Arrays.fill(freeHeads, NIL);
    }

    /**
     * The size class of a length.
     *
     * @param length in bytes, 0 or more.
     * @return the class index.
     */
    static int sizeClass(final int length)
    {
        if (length <= SMALL_LIMIT)
        {
            return length <= GRANULE ? 0 : ((length + GRANULE - 1) >> GRANULE_SHIFT) - 1;
        }
        final int m = length - 1;
        final int k = 31 - Integer.numberOfLeadingZeros(m);
        final int sub = (m - (1 << k)) >> (k - 2);
        return SMALL_CLASSES + ((k - 7) << 2) + sub;
    }

    /**
     * The block size of a class.
     *
     * @param sizeClass the class index.
     * @return the block size in bytes.
     */
    static int classSize(final int sizeClass)
    {
        if (sizeClass < SMALL_CLASSES)
        {
            return (sizeClass + 1) << GRANULE_SHIFT;
        }
        final int k = 7 + ((sizeClass - SMALL_CLASSES) >> 2);
        final int sub = (sizeClass - SMALL_CLASSES) & 3;
        return (1 << k) + ((sub + 1) << (k - 2));
    }

    /**
     * The page size.
     *
     * @return bytes per page.
     */
    int pageSize()
    {
        return pageSize;
    }

    /**
     * Allocates space for a value. The contents are unspecified.
     *
     * @param length of the value in bytes, 0 or more.
     * @return its address, an unsigned 32-bit value (never negative as a long).
     */
    long allocate(final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("negative length: " + length);
        }
        if (length > maxSmall)
        {
            return allocateDedicated(length);
        }
        final int sizeClass = sizeClass(length);
        final long head = freeHeads[sizeClass];
        final int blockSize = classSize(sizeClass);
        if (NIL != head)
        {
            freeHeads[sizeClass] = pageBuffers[page(head)].getLong(offset(head), LITTLE_ENDIAN);
            allocatedBytes += blockSize;
            return head;
        }
        if (currentPage < 0 || pageSize - bumpOffset < blockSize)
        {
            startPage();
        }
        final long address = address(currentPage, bumpOffset);
        bumpOffset += blockSize;
        allocatedBytes += blockSize;
        return address;
    }

    /**
     * Returns space to the heap.
     *
     * @param address from {@link #allocate}.
     * @param length the length it was allocated with.
     */
    void free(final long address, final int length)
    {
        final int page = page(address);
        if (length > maxSmall)
        {
            final OffHeapRegion region = pages[page];
            offHeapBytes -= region.footprint();
            allocatedBytes -= region.length();
            region.free();
            pages[page] = null;
            pageBuffers[page] = null;
            pushFreePageSlot(page);
            return;
        }
        final int sizeClass = sizeClass(length);
        pageBuffers[page].putLong(offset(address), freeHeads[sizeClass], LITTLE_ENDIAN);
        freeHeads[sizeClass] = address;
        allocatedBytes -= classSize(sizeClass);
    }

    /**
     * The buffer of the page holding an address; the value is at {@link #offset(long)} in it.
     *
     * @param address of a value.
     * @return the page buffer.
     */
    UnsafeBuffer buffer(final long address)
    {
        return pageBuffers[page(address)];
    }

    /**
     * The offset of an address inside its page buffer.
     *
     * @param address of a value.
     * @return the byte offset.
     */
    int offset(final long address)
    {
        return (int)((address & ((1L << (pageShift - GRANULE_SHIFT)) - 1)) << GRANULE_SHIFT);
    }

    /**
     * Copies bytes into a value's space.
     *
     * @param address of the value.
     * @param source to copy from.
     * @param sourceOffset of the first byte.
     * @param length to copy, at most the allocated length.
     */
    void put(final long address, final DirectBuffer source, final int sourceOffset, final int length)
    {
        pageBuffers[page(address)].putBytes(offset(address), source, sourceOffset, length);
    }

    /**
     * Copies a value's bytes out.
     *
     * @param address of the value.
     * @param destination to copy into (may be expandable).
     * @param destinationOffset of the first byte.
     * @param length to copy.
     */
    void get(final long address, final MutableDirectBuffer destination, final int destinationOffset, final int length)
    {
        destination.putBytes(destinationOffset, pageBuffers[page(address)], offset(address), length);
    }

    /**
     * Bytes handed out: block sizes of live small values plus lengths of dedicated regions.
     *
     * @return the allocated bytes.
     */
    long allocatedBytes()
    {
        return allocatedBytes;
    }

    /**
     * Everything this heap holds: off-heap pages and dedicated regions, and its on-heap tables.
     *
     * @return bytes.
     */
    long memoryBytes()
    {
        return offHeapBytes + 8L * freeHeads.length + 8L * pages.length + 8L * pageBuffers.length +
            4L * freePageSlots.length;
    }

    /**
     * Frees every value and returns all pages to the operating system. The heap stays usable.
     */
    void clear()
    {
        for (int i = 0; i < pageCount; i++)
        {
            if (null != pages[i])
            {
                pages[i].free();
            }
        }
        pages = new OffHeapRegion[4];
        pageBuffers = new UnsafeBuffer[4];
        freePageSlots = new int[4];
        pageCount = 0;
        freePageSlotCount = 0;
        currentPage = -1;
        bumpOffset = 0;
        allocatedBytes = 0;
        offHeapBytes = 0;
        Arrays.fill(freeHeads, NIL);
    }

    /**
     * Returns all off-heap memory; idempotent.
     */
    public void close()
    {
        clear();
    }

    private long address(final int page, final int offset)
    {
        return ((long)page << (pageShift - GRANULE_SHIFT)) | (offset >>> GRANULE_SHIFT);
    }

    private int page(final long address)
    {
        return (int)(address >>> (pageShift - GRANULE_SHIFT));
    }

    private long allocateDedicated(final int length)
    {
        final OffHeapRegion region = new OffHeapRegion(length);
        final int page = takePageSlot();
        pages[page] = region;
        pageBuffers[page] = region.buffer();
        offHeapBytes += region.footprint();
        allocatedBytes += length;
        return address(page, 0);
    }

    private void startPage()
    {
        if (currentPage >= 0)
        {
            int remaining = pageSize - bumpOffset;
            final UnsafeBuffer buffer = pageBuffers[currentPage];
            while (remaining >= GRANULE)
            {
                int sizeClass = sizeClass(remaining);
                if (classSize(sizeClass) > remaining)
                {
                    sizeClass--;
                }
                buffer.putLong(bumpOffset, freeHeads[sizeClass], LITTLE_ENDIAN);
                freeHeads[sizeClass] = address(currentPage, bumpOffset);
                final int size = classSize(sizeClass);
                bumpOffset += size;
                remaining -= size;
            }
        }
        final OffHeapRegion region = new OffHeapRegion(pageSize);
        final int page = takePageSlot();
        pages[page] = region;
        pageBuffers[page] = region.buffer();
        offHeapBytes += region.footprint();
        currentPage = page;
        bumpOffset = 0;
    }

    private int takePageSlot()
    {
        if (freePageSlotCount > 0)
        {
            return freePageSlots[--freePageSlotCount];
        }
        if (pageCount == maxPages)
        {
            throw new IllegalStateException("var-len heap full: " + maxPages + " pages of " + pageSize + " bytes");
        }
        if (pageCount == pages.length)
        {
            final int newLength = (int)Math.min((long)maxPages, 2L * pages.length);
            pages = Arrays.copyOf(pages, newLength);
            pageBuffers = Arrays.copyOf(pageBuffers, newLength);
        }
        return pageCount++;
    }

    private void pushFreePageSlot(final int page)
    {
        if (freePageSlotCount == freePageSlots.length)
        {
            freePageSlots = Arrays.copyOf(freePageSlots, 2 * freePageSlots.length);
        }
        freePageSlots[freePageSlotCount++] = page;
    }
}
