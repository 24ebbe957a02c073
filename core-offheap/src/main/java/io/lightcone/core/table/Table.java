package io.lightcone.core.table;

import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The rows of one table, stored column by column off-heap and identified by dense {@code int} row ids (slots).
 * <p>
 * <b>Columns.</b> A column whose values all have the same BSATN size (bool, integers, floats, Identity,
 * ConnectionId, Timestamp, TimeDuration, Uuid, simple enums, products of such) is <em>fixed</em>: each row's
 * BSATN bytes are stored in place, little-endian as on the wire. Any other column (String, arrays, sums with
 * payloads such as Option, products with a var-len field) is <em>var-len</em>: the slot holds an 8-byte
 * reference {@code length << 32 | address} to the value's BSATN bytes in a {@link VarLenHeap}.
 * <p>
 * <b>Chunks.</b> Rows are grouped in chunks of {@code chunkRows} (a power of two, 16384 by default): row id
 * {@code r} lives in chunk {@code r >>> log2(chunkRows)} at index {@code r & (chunkRows - 1)}. A chunk is one
 * 64-byte aligned off-heap region holding one sub-region per column, each {@code capacity * width} bytes, so
 * every value of width 2, 4 or 8 sits naturally aligned:
 * <pre>
 *  chunk k (capacity = chunkRows, or less while chunk 0 is still growing)
 *  +---------------------------------+-----------------------------------+-----+----------------------------+
 *  | column 0: capacity x width0     | column 1: capacity x width1       | ... | column n-1                 |
 *  +---------------------------------+-----------------------------------+-----+----------------------------+
 *  ^ 0                               ^ capacity * width0                 (sub-region c at capacity * prefix[c])
 *
 *  e.g. (u32, i64), chunkRows 16384: | u32 x 16384 = 64 KiB | i64 x 16384 = 128 KiB |   192 KiB per chunk
 *
 *  var-len slot (8 bytes):  +---------------------------+---------------------------+
 *                           |  heap address (u32, low)  |  BSATN length (u32, high) |
 *                           +---------------------------+---------------------------+
 * </pre>
 * The table grows by adding chunks; existing chunks are never copied, except that chunk 0 starts at 64 rows and
 * doubles (copying at most one chunk) so small tables stay small. A live bitmap (one bit per slot, on-heap
 * {@code long} words) marks used slots; deleted slots go on a free list (an {@code int} stack) and are reused.
 * <p>
 * Invariants:
 * <ul>
 *   <li>A slot is live iff its bitmap bit is set; {@link #rowCount()} is the number of set bits; every slot
 *   below the high-water mark that is not live is on the free list exactly once.</li>
 *   <li>Every live row's columns hold exactly the BSATN bytes it was inserted with (as later changed by
 *   {@link #putLong}); its var-len values each own one heap allocation, freed on delete.</li>
 *   <li>An insert that fails with {@link BsatnDecodeException} changes nothing: the row is validated completely
 *   before a slot is taken or heap space allocated.</li>
 *   <li>Insert, delete, reads and writes allocate nothing on the Java heap once the table has grown.</li>
 * </ul>
 * Not thread safe: one writer, and readers only on the same thread.
 */
public final class Table implements AutoCloseable
{
    /** Rows per chunk by default. */
    static final int DEFAULT_CHUNK_ROWS = 1 << 14;
    /** Capacity chunk 0 starts with. */
    static final int INITIAL_CHUNK_ROWS = 64;

    private static final int MAX_CHUNK_BYTES = 1 << 30;
    private static final int VAR_LEN_WIDTH = 8;

    private static final int LONG_NONE = 0;
    private static final int LONG_BOOL = 1;
    private static final int LONG_I8 = 2;
    private static final int LONG_U8 = 3;
    private static final int LONG_I16 = 4;
    private static final int LONG_U16 = 5;
    private static final int LONG_I32 = 6;
    private static final int LONG_U32 = 7;
    private static final int LONG_I64 = 8;
    private static final int LONG_ENUM = 9;

    private static final long PRIME64_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME64_3 = 0x165667B19E3779F9L;
    private static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME64_5 = 0x27D4EB2F165667C5L;

    private final ProductType rowType;
    private final int columnCount;
    private final ValueShape[] shapes;
    private final boolean[] fixed;
    private final int[] width;
    private final int[] prefix;
    private final int[] longMode;
    private final int[] varLenColumns;
    private final int rowWidth;
    private final int fixedBsatnBytes;
    private final boolean allRaw;
    private final int chunkRows;
    private final int chunkShift;
    private final int chunkMask;
    private final int[] columnStart;
    private final BsatnReader rowReader = new BsatnReader();
    private final VarLenHeap heap;

    private OffHeapRegion[] chunks = new OffHeapRegion[4];
    private UnsafeBuffer[] chunkBuffers = new UnsafeBuffer[4];
    private int chunkCount;
    private int firstChunkCapacity;
    private long[] liveWords = new long[1];
    private int[] freeList = new int[16];
    private int freeCount;
    private int highWater;
    private int rowCount;
    private long chunkBytes;
    private ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64);
    private boolean closed;

    /**
     * An empty table.
     *
     * @param rowType the row type; must contain no type reference.
     * @throws IllegalArgumentException when the row type contains a {@link io.lightcone.core.sats.RefType}.
     */
    public Table(final ProductType rowType)
    {
        this(rowType, DEFAULT_CHUNK_ROWS, VarLenHeap.DEFAULT_PAGE_SIZE);
    }

    /**
     * An empty table with explicit geometry, for tests that cross chunk and page boundaries cheaply.
     *
     * @param rowType the row type; must contain no type reference.
     * @param chunkRows rows per chunk, a power of two of at least 8 (reduced if a chunk would exceed 1 GiB).
     * @param heapPageSize page size of the var-len heap, see {@link VarLenHeap#VarLenHeap(int)}.
     */
    Table(final ProductType rowType, final int chunkRows, final int heapPageSize)
    {
        if (Integer.bitCount(chunkRows) != 1 || chunkRows < 8)
        {
            throw new IllegalArgumentException("chunkRows must be a power of two >= 8: " + chunkRows);
        }
        this.rowType = rowType;
        columnCount = rowType.size();
        shapes = new ValueShape[columnCount];
        fixed = new boolean[columnCount];
        width = new int[columnCount];
        prefix = new int[columnCount];
        longMode = new int[columnCount];
        int varLen = 0;
        int rowBytes = 0;
        int fixedBytes = 0;
        boolean raw = true;
        for (int c = 0; c < columnCount; c++)
        {
            shapes[c] = ValueShape.of(rowType.typeAt(c));
            fixed[c] = shapes[c].fixedSize >= 0;
            width[c] = fixed[c] ? shapes[c].fixedSize : VAR_LEN_WIDTH;
            prefix[c] = rowBytes;
            rowBytes += width[c];
            longMode[c] = fixed[c] ? longMode(rowType, c) : LONG_NONE;
            raw &= shapes[c].isRaw();
            if (fixed[c])
            {
                fixedBytes += width[c];
            }
            else
            {
                varLen++;
            }
        }
        varLenColumns = new int[varLen];
        for (int c = 0, v = 0; c < columnCount; c++)
        {
            if (!fixed[c])
            {
                varLenColumns[v++] = c;
            }
        }
        rowWidth = rowBytes;
        fixedBsatnBytes = fixedBytes;
        allRaw = raw;
        int rows = chunkRows;
        while (rows > 8 && (long)rows * rowWidth > MAX_CHUNK_BYTES)
        {
            rows >>= 1;
        }
        if ((long)rows * rowWidth > MAX_CHUNK_BYTES)
        {
            throw new IllegalArgumentException("row too wide: " + rowWidth + " bytes");
        }
        this.chunkRows = rows;
        chunkShift = Integer.numberOfTrailingZeros(rows);
        chunkMask = rows - 1;
        firstChunkCapacity = Math.min(INITIAL_CHUNK_ROWS, rows);
        columnStart = new int[columnCount + 1];
        heap = new VarLenHeap(heapPageSize);
    }

    /**
     * The row type.
     *
     * @return the product type every row has.
     */
    public ProductType rowType()
    {
        return rowType;
    }

    /**
     * Decodes one row at the reader's position into a free slot and moves the reader past it.
     * <p>
     * The row is validated completely first; malformed input throws and leaves the table (and the reader's
     * position) exactly as before.
     *
     * @param reader positioned at the row's BSATN.
     * @return the new row's id.
     * @throws BsatnDecodeException when the row is malformed or truncated.
     */
    public int insert(final BsatnReader reader)
    {
        ensureOpen();
        final int start = reader.position();
        try
        {
            validateRow(reader);
        }
        catch (final BsatnDecodeException ex)
        {
            reader.position(start);
            throw ex;
        }
        return store(reader.buffer());
    }

    /**
     * Decodes one row that must fill the region exactly.
     *
     * @param buffer holding the row's BSATN.
     * @param offset of the row.
     * @param length of the row.
     * @return the new row's id.
     * @throws BsatnDecodeException when the row is malformed, truncated or followed by trailing bytes.
     */
    public int insert(final DirectBuffer buffer, final int offset, final int length)
    {
        ensureOpen();
        final BsatnReader reader = rowReader.wrap(buffer, offset, length);
        validateRow(reader);
        if (!reader.isExhausted())
        {
            throw reader.error(reader.remaining() + " trailing bytes after the row");
        }
        return store(buffer);
    }

    /**
     * Deletes a row: its slot becomes free (to be reused) and its var-len space returns to the heap.
     *
     * @param rowId of a live row.
     * @throws IllegalStateException when the row is not live.
     */
    public void delete(final int rowId)
    {
        checkLive(rowId);
        if (varLenColumns.length > 0)
        {
            final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
            final int capacity = capacity(rowId >>> chunkShift);
            final int index = rowId & chunkMask;
            for (final int c : varLenColumns)
            {
                final long ref = chunk.getLong(capacity * prefix[c] + (index << 3), LITTLE_ENDIAN);
                heap.free(ref & 0xFFFF_FFFFL, (int)(ref >>> 32));
            }
        }
        liveWords[rowId >>> 6] &= ~(1L << rowId);
        rowCount--;
        if (freeCount == freeList.length)
        {
            freeList = Arrays.copyOf(freeList, 2 * freeList.length);
        }
        freeList[freeCount++] = rowId;
    }

    /**
     * One past the largest row id handed out since the table was created or cleared: every live row id is below it.
     *
     * @return the row id limit.
     */
    public int rowIdLimit()
    {
        return highWater;
    }

    /**
     * Whether a row id holds a row.
     *
     * @param rowId any int.
     * @return true when live.
     */
    public boolean isLive(final int rowId)
    {
        return rowId >= 0 && rowId < highWater && (liveWords[rowId >>> 6] & (1L << rowId)) != 0;
    }

    /**
     * The number of live rows.
     *
     * @return the row count.
     */
    public int rowCount()
    {
        return rowCount;
    }

    /**
     * The smallest live row id at or after a given id; iterate with {@code for (r = nextLive(0); r >= 0;
     * r = nextLive(r + 1))}. Skips whole bitmap words of dead slots.
     *
     * @param fromRowId where to start (negative means 0).
     * @return the row id, or -1 when there is none.
     */
    public int nextLive(final int fromRowId)
    {
        final int from = Math.max(0, fromRowId);
        if (from >= highWater)
        {
            return -1;
        }
        final int lastWord = (highWater - 1) >>> 6;
        int word = from >>> 6;
        long bits = liveWords[word] & (-1L << from);
        while (0 == bits)
        {
            if (++word > lastWord)
            {
                return -1;
            }
            bits = liveWords[word];
        }
        return (word << 6) + Long.numberOfTrailingZeros(bits);
    }

    /**
     * The length of a row's BSATN.
     *
     * @param rowId of a live row.
     * @return bytes {@link #writeRow} writes.
     */
    public int rowLength(final int rowId)
    {
        checkLive(rowId);
        int length = fixedBsatnBytes;
        if (varLenColumns.length > 0)
        {
            final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
            final int capacity = capacity(rowId >>> chunkShift);
            final int index = rowId & chunkMask;
            for (final int c : varLenColumns)
            {
                length += chunk.getInt(capacity * prefix[c] + (index << 3) + 4, LITTLE_ENDIAN);
            }
        }
        return length;
    }

    /**
     * Writes a row's BSATN.
     *
     * @param rowId of a live row.
     * @param dst to write to; an expandable buffer grows as needed.
     * @param offset in dst.
     * @return the number of bytes written.
     */
    public int writeRow(final int rowId, final MutableDirectBuffer dst, final int offset)
    {
        checkLive(rowId);
        final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
        final int capacity = capacity(rowId >>> chunkShift);
        final int index = rowId & chunkMask;
        int position = offset;
        for (int c = 0; c < columnCount; c++)
        {
            position += writeValue(chunk, capacity * prefix[c] + index * width[c], c, dst, position);
        }
        return position - offset;
    }

    /**
     * Writes the BSATN of one column value.
     *
     * @param rowId of a live row.
     * @param column index in the row type.
     * @param dst to write to; an expandable buffer grows as needed.
     * @param offset in dst.
     * @return the number of bytes written.
     */
    public int writeColumn(final int rowId, final int column, final MutableDirectBuffer dst, final int offset)
    {
        checkLive(rowId);
        checkColumn(column);
        final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
        final int at = capacity(rowId >>> chunkShift) * prefix[column] + (rowId & chunkMask) * width[column];
        return writeValue(chunk, at, column, dst, offset);
    }

    /**
     * Reads a fixed-width column of at most 8 bytes as a long: bool as 0/1, i8..i64 sign-extended, u8..u64
     * zero-extended (u64 as raw bits), f32/f64 as raw bits (zero-extended), Timestamp and TimeDuration as
     * microseconds, simple enums as the tag.
     *
     * @param rowId of a live row.
     * @param column index of such a column.
     * @return the value.
     * @throws IllegalArgumentException for any other column.
     */
    public long getLong(final int rowId, final int column)
    {
        checkLive(rowId);
        final int mode = longMode(column);
        final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
        final int at = capacity(rowId >>> chunkShift) * prefix[column] + (rowId & chunkMask) * width[column];
        switch (mode)
        {
            case LONG_I8:
                return chunk.getByte(at);
            case LONG_BOOL:
            case LONG_U8:
            case LONG_ENUM:
                return chunk.getByte(at) & 0xFFL;
            case LONG_I16:
                return chunk.getShort(at, LITTLE_ENDIAN);
            case LONG_U16:
                return chunk.getShort(at, LITTLE_ENDIAN) & 0xFFFFL;
            case LONG_I32:
                return chunk.getInt(at, LITTLE_ENDIAN);
            case LONG_U32:
                return chunk.getInt(at, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            default:
                return chunk.getLong(at, LITTLE_ENDIAN);
        }
    }

    /**
     * Writes a fixed-width column of at most 8 bytes in place; the inverse of {@link #getLong}.
     *
     * @param rowId of a live row.
     * @param column index of such a column.
     * @param value in the form {@link #getLong} returns.
     * @throws IllegalArgumentException for any other column, or a value out of the column's range (bool not
     * 0/1, enum tag not below the variant count, integer not representable).
     */
    public void putLong(final int rowId, final int column, final long value)
    {
        checkLive(rowId);
        final int mode = longMode(column);
        final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
        final int at = capacity(rowId >>> chunkShift) * prefix[column] + (rowId & chunkMask) * width[column];
        switch (mode)
        {
            case LONG_BOOL:
                checkRange(column, value, 0, 1);
                chunk.putByte(at, (byte)value);
                break;
            case LONG_I8:
                checkRange(column, value, Byte.MIN_VALUE, Byte.MAX_VALUE);
                chunk.putByte(at, (byte)value);
                break;
            case LONG_U8:
                checkRange(column, value, 0, 0xFF);
                chunk.putByte(at, (byte)value);
                break;
            case LONG_ENUM:
                checkRange(column, value, 0, shapes[column].children.length - 1);
                chunk.putByte(at, (byte)value);
                break;
            case LONG_I16:
                checkRange(column, value, Short.MIN_VALUE, Short.MAX_VALUE);
                chunk.putShort(at, (short)value, LITTLE_ENDIAN);
                break;
            case LONG_U16:
                checkRange(column, value, 0, 0xFFFF);
                chunk.putShort(at, (short)value, LITTLE_ENDIAN);
                break;
            case LONG_I32:
                checkRange(column, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
                chunk.putInt(at, (int)value, LITTLE_ENDIAN);
                break;
            case LONG_U32:
                checkRange(column, value, 0, 0xFFFF_FFFFL);
                chunk.putInt(at, (int)value, LITTLE_ENDIAN);
                break;
            default:
                chunk.putLong(at, value, LITTLE_ENDIAN);
                break;
        }
    }

    /**
     * Whether a row's BSATN equals the given bytes, compared in place without copying the row out.
     *
     * @param rowId of a live row.
     * @param bsatn buffer holding the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @return true when equal.
     */
    public boolean rowEquals(final int rowId, final DirectBuffer bsatn, final int offset, final int length)
    {
        checkLive(rowId);
        final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
        final int capacity = capacity(rowId >>> chunkShift);
        final int index = rowId & chunkMask;
        final int end = offset + length;
        int position = offset;
        for (int c = 0; c < columnCount; c++)
        {
            final int at = capacity * prefix[c] + index * width[c];
            if (fixed[c])
            {
                final int w = width[c];
                if (end - position < w || !equalBytes(chunk, at, bsatn, position, w))
                {
                    return false;
                }
                position += w;
            }
            else
            {
                final long ref = chunk.getLong(at, LITTLE_ENDIAN);
                final int valueLength = (int)(ref >>> 32);
                final long address = ref & 0xFFFF_FFFFL;
                if (end - position < valueLength ||
                    !equalBytes(heap.buffer(address), heap.offset(address), bsatn, position, valueLength))
                {
                    return false;
                }
                position += valueLength;
            }
        }
        return position == end;
    }

    /**
     * Whether two live rows hold equal values in every column (so equal BSATN), compared where they are stored.
     *
     * @param rowId      a live row.
     * @param otherRowId another live row.
     * @return true when equal.
     */
    public boolean rowsEqual(final int rowId, final int otherRowId)
    {
        checkLive(rowId);
        checkLive(otherRowId);
        final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
        final int capacity = capacity(rowId >>> chunkShift);
        final int index = rowId & chunkMask;
        final UnsafeBuffer otherChunk = chunkBuffers[otherRowId >>> chunkShift];
        final int otherCapacity = capacity(otherRowId >>> chunkShift);
        final int otherIndex = otherRowId & chunkMask;
        for (int c = 0; c < columnCount; c++)
        {
            final int at = capacity * prefix[c] + index * width[c];
            final int otherAt = otherCapacity * prefix[c] + otherIndex * width[c];
            if (fixed[c])
            {
                if (!equalBytes(chunk, at, otherChunk, otherAt, width[c]))
                {
                    return false;
                }
            }
            else
            {
                final long ref = chunk.getLong(at, LITTLE_ENDIAN);
                final long otherRef = otherChunk.getLong(otherAt, LITTLE_ENDIAN);
                final int valueLength = (int)(ref >>> 32);
                if (valueLength != (int)(otherRef >>> 32))
                {
                    return false;
                }
                final long address = ref & 0xFFFF_FFFFL;
                final long otherAddress = otherRef & 0xFFFF_FFFFL;
                if (!equalBytes(heap.buffer(address), heap.offset(address), heap.buffer(otherAddress),
                    heap.offset(otherAddress), valueLength))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A hash of a row's BSATN: equal to {@link #hashBsatn} of the bytes {@link #writeRow} produces, so equal rows
     * have equal hashes.
     *
     * @param rowId of a live row.
     * @return the hash.
     */
    public long rowHash(final int rowId)
    {
        final int length = writeRow(rowId, scratch, 0);
        return hashBsatn(scratch, 0, length);
    }

    /**
     * A 64-bit hash of bytes (XXH64, seed 0), without allocating.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length of the bytes.
     * @return the hash.
     */
    public static long hashBsatn(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int p = offset;
        long h;
        if (length >= 32)
        {
            long v1 = PRIME64_1 + PRIME64_2;
            long v2 = PRIME64_2;
            long v3 = 0;
            long v4 = -PRIME64_1;
            final int limit = end - 32;
            do
            {
                v1 = round(v1, buffer.getLong(p, LITTLE_ENDIAN));
                v2 = round(v2, buffer.getLong(p + 8, LITTLE_ENDIAN));
                v3 = round(v3, buffer.getLong(p + 16, LITTLE_ENDIAN));
                v4 = round(v4, buffer.getLong(p + 24, LITTLE_ENDIAN));
                p += 32;
            }
            while (p <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        }
        else
        {
            h = PRIME64_5;
        }
        h += length;
        while (p + 8 <= end)
        {
            h ^= round(0, buffer.getLong(p, LITTLE_ENDIAN));
            h = Long.rotateLeft(h, 27) * PRIME64_1 + PRIME64_4;
            p += 8;
        }
        if (p + 4 <= end)
        {
            h ^= (buffer.getInt(p, LITTLE_ENDIAN) & 0xFFFF_FFFFL) * PRIME64_1;
            h = Long.rotateLeft(h, 23) * PRIME64_2 + PRIME64_3;
            p += 4;
        }
        while (p < end)
        {
            h ^= (buffer.getByte(p) & 0xFFL) * PRIME64_5;
            h = Long.rotateLeft(h, 11) * PRIME64_1;
            p++;
        }
        h ^= h >>> 33;
        h *= PRIME64_2;
        h ^= h >>> 29;
        h *= PRIME64_3;
        h ^= h >>> 32;
        return h;
    }

    /**
     * Memory held: off-heap chunks and var-len heap pages, plus the on-heap bitmap, free list and tables.
     *
     * @return bytes.
     */
    public long memoryBytes()
    {
        return chunkBytes + heap.memoryBytes() + 8L * liveWords.length + 4L * freeList.length +
            16L * chunks.length + scratch.capacity() + 4L * columnStart.length;
    }

    /**
     * Bytes handed out by the var-len heap (block sizes of live var-len values), for accounting and tests.
     *
     * @return allocated var-len bytes.
     */
    long varLenAllocatedBytes()
    {
        return heap.allocatedBytes();
    }

    /**
     * Rows per chunk actually used.
     *
     * @return the chunk row count.
     */
    int chunkRows()
    {
        return chunkRows;
    }

    /**
     * Deletes every row and releases all chunks and heap pages; the table stays usable.
     */
    public void clear()
    {
        for (int i = 0; i < chunkCount; i++)
        {
            chunks[i].free();
        }
        heap.clear();
        chunks = new OffHeapRegion[4];
        chunkBuffers = new UnsafeBuffer[4];
        chunkCount = 0;
        chunkBytes = 0;
        firstChunkCapacity = Math.min(INITIAL_CHUNK_ROWS, chunkRows);
        liveWords = new long[1];
        freeList = new int[16];
        freeCount = 0;
        highWater = 0;
        rowCount = 0;
        scratch = new ExpandableArrayBuffer(64);
    }

    /**
     * Releases all off-heap memory; the table is unusable afterwards. Idempotent.
     */
    public void close()
    {
        if (!closed)
        {
            clear();
            closed = true;
        }
    }

    private static long round(final long acc, final long input)
    {
        return Long.rotateLeft(acc + input * PRIME64_2, 31) * PRIME64_1;
    }

    private static long mergeRound(final long acc, final long value)
    {
        return (acc ^ round(0, value)) * PRIME64_1 + PRIME64_4;
    }

    private static boolean equalBytes(
        final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (a.getLong(aOffset + i) != b.getLong(bOffset + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static int longMode(final ProductType rowType, final int column)
    {
        final var type = rowType.typeAt(column);
        if (type instanceof PrimitiveType primitive)
        {
            switch (primitive)
            {
                case BOOL:
                    return LONG_BOOL;
                case I8:
                    return LONG_I8;
                case U8:
                    return LONG_U8;
                case I16:
                    return LONG_I16;
                case U16:
                    return LONG_U16;
                case I32:
                    return LONG_I32;
                case U32:
                case F32:
                    return LONG_U32;
                case I64:
                case U64:
                case F64:
                    return LONG_I64;
                default:
                    return LONG_NONE;
            }
        }
        if (type instanceof ProductType product)
        {
            final SpecialType special = product.special();
            return special == SpecialType.TIMESTAMP || special == SpecialType.TIME_DURATION ? LONG_I64 : LONG_NONE;
        }
        if (type instanceof SumType sum)
        {
            return sum.isSimpleEnum() ? LONG_ENUM : LONG_NONE;
        }
        return LONG_NONE;
    }

    private int longMode(final int column)
    {
        checkColumn(column);
        final int mode = longMode[column];
        if (LONG_NONE == mode)
        {
            throw new IllegalArgumentException("column " + column + " is not a fixed-width column of <= 8 bytes: " +
                rowType.typeAt(column));
        }
        return mode;
    }

    private static void checkRange(final int column, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(
                "value " + value + " out of range [" + min + ", " + max + "] for column " + column);
        }
    }

    private void validateRow(final BsatnReader reader)
    {
        final int[] starts = columnStart;
        if (allRaw)
        {
            reader.require(rowWidth, "row");
            final int start = reader.position();
            for (int c = 0; c < columnCount; c++)
            {
                starts[c] = start + prefix[c];
            }
            reader.position(start + rowWidth);
        }
        else
        {
            for (int c = 0; c < columnCount; c++)
            {
                starts[c] = reader.position();
                shapes[c].validate(reader);
            }
        }
        starts[columnCount] = reader.position();
    }

    private int store(final DirectBuffer source)
    {
        final int rowId = acquireSlot();
        final UnsafeBuffer chunk = chunkBuffers[rowId >>> chunkShift];
        final int capacity = capacity(rowId >>> chunkShift);
        final int index = rowId & chunkMask;
        final int[] starts = columnStart;
        for (int c = 0; c < columnCount; c++)
        {
            final int w = width[c];
            final int at = capacity * prefix[c] + index * w;
            final int from = starts[c];
            if (fixed[c])
            {
                switch (w)
                {
                    case 0:
                        break;
                    case 1:
                        chunk.putByte(at, source.getByte(from));
                        break;
                    case 2:
                        chunk.putShort(at, source.getShort(from, LITTLE_ENDIAN), LITTLE_ENDIAN);
                        break;
                    case 4:
                        chunk.putInt(at, source.getInt(from, LITTLE_ENDIAN), LITTLE_ENDIAN);
                        break;
                    case 8:
                        chunk.putLong(at, source.getLong(from, LITTLE_ENDIAN), LITTLE_ENDIAN);
                        break;
                    default:
                        chunk.putBytes(at, source, from, w);
                        break;
                }
            }
            else
            {
                final int length = starts[c + 1] - from;
                final long address = heap.allocate(length);
                heap.put(address, source, from, length);
                chunk.putLong(at, ((long)length << 32) | address, LITTLE_ENDIAN);
            }
        }
        liveWords[rowId >>> 6] |= 1L << rowId;
        rowCount++;
        return rowId;
    }

    private int writeValue(
        final UnsafeBuffer chunk, final int at, final int column, final MutableDirectBuffer dst, final int offset)
    {
        final int w = width[column];
        if (fixed[column])
        {
            switch (w)
            {
                case 0:
                    break;
                case 1:
                    dst.putByte(offset, chunk.getByte(at));
                    break;
                case 2:
                    dst.putShort(offset, chunk.getShort(at, LITTLE_ENDIAN), LITTLE_ENDIAN);
                    break;
                case 4:
                    dst.putInt(offset, chunk.getInt(at, LITTLE_ENDIAN), LITTLE_ENDIAN);
                    break;
                case 8:
                    dst.putLong(offset, chunk.getLong(at, LITTLE_ENDIAN), LITTLE_ENDIAN);
                    break;
                default:
                    dst.putBytes(offset, chunk, at, w);
                    break;
            }
            return w;
        }
        final long ref = chunk.getLong(at, LITTLE_ENDIAN);
        final int length = (int)(ref >>> 32);
        heap.get(ref & 0xFFFF_FFFFL, dst, offset, length);
        return length;
    }

    private int acquireSlot()
    {
        if (freeCount > 0)
        {
            return freeList[--freeCount];
        }
        if (highWater == Integer.MAX_VALUE)
        {
            throw new IllegalStateException("table full: " + highWater + " row ids");
        }
        final int rowId = highWater;
        final int chunk = rowId >>> chunkShift;
        if (chunk == chunkCount)
        {
            addChunk();
        }
        else if (0 == chunk && rowId >= firstChunkCapacity)
        {
            growFirstChunk();
        }
        if ((rowId >>> 6) == liveWords.length)
        {
            liveWords = Arrays.copyOf(liveWords, 2 * liveWords.length);
        }
        highWater = rowId + 1;
        return rowId;
    }

    private void addChunk()
    {
        final int capacity = 0 == chunkCount ? firstChunkCapacity : chunkRows;
        if (chunkCount == chunks.length)
        {
            chunks = Arrays.copyOf(chunks, 2 * chunks.length);
            chunkBuffers = Arrays.copyOf(chunkBuffers, 2 * chunkBuffers.length);
        }
        final OffHeapRegion region = newChunkRegion(capacity);
        chunks[chunkCount] = region;
        chunkBuffers[chunkCount] = region.buffer();
        chunkCount++;
    }

    private void growFirstChunk()
    {
        final int oldCapacity = firstChunkCapacity;
        final int newCapacity = Math.min(chunkRows, 2 * oldCapacity);
        final OffHeapRegion region = newChunkRegion(newCapacity);
        final UnsafeBuffer from = chunkBuffers[0];
        final UnsafeBuffer to = region.buffer();
        for (int c = 0; c < columnCount; c++)
        {
            to.putBytes(newCapacity * prefix[c], from, oldCapacity * prefix[c], oldCapacity * width[c]);
        }
        chunkBytes -= chunks[0].footprint();
        chunks[0].free();
        chunks[0] = region;
        chunkBuffers[0] = to;
        firstChunkCapacity = newCapacity;
    }

    private OffHeapRegion newChunkRegion(final int capacity)
    {
        final OffHeapRegion region = new OffHeapRegion(Math.max(VAR_LEN_WIDTH, capacity * rowWidth));
        chunkBytes += region.footprint();
        return region;
    }

    private int capacity(final int chunk)
    {
        return 0 == chunk ? firstChunkCapacity : chunkRows;
    }

    private void checkLive(final int rowId)
    {
        if (!isLive(rowId))
        {
            throw new IllegalStateException("row " + rowId + " is not live");
        }
    }

    private void checkColumn(final int column)
    {
        if (column < 0 || column >= columnCount)
        {
            throw new IndexOutOfBoundsException("column " + column + " outside [0, " + columnCount + ")");
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("table is closed");
        }
    }
}
