package io.lightcone.edge.protocol;

import io.lightcone.core.sats.BsatnWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * Collects BSATN rows for one {@code BsatnRowList} and writes it with a correct {@code RowSizeHint}:
 * {@code FixedSize(n)} when every row is {@code n} bytes with {@code 0 < n <= 65535}, else {@code RowOffsets} with
 * the start offset of every row ({@code RowOffsets([])} for no rows).
 * <p>
 * The hint precedes the row bytes on the wire but is only known after the last row, so rows are staged in a reusable
 * off-heap buffer (one copy per list) and their offsets in a reusable array: nothing is allocated per row.
 */
public final class RowListBuilder
{
    private static final int MAX_FIXED_SIZE = 0xFFFF;

    private final ExpandableDirectByteBuffer data = new ExpandableDirectByteBuffer(256);
    private long[] offsets = new long[16];
    private int count;
    private int length;
    private int commonSize;
    private boolean sameSize = true;

    /**
     * Forgets every row.
     *
     * @return this builder.
     */
    public RowListBuilder reset()
    {
        count = 0;
        length = 0;
        commonSize = 0;
        sameSize = true;
        return this;
    }

    /**
     * Appends one row.
     *
     * @param source holding the row's BSATN.
     * @param offset of the row.
     * @param rowLength of the row in bytes (may be 0 for a row of an empty product).
     * @return this builder.
     */
    public RowListBuilder append(final DirectBuffer source, final int offset, final int rowLength)
    {
        if (count == offsets.length)
        {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        if (count == 0)
        {
            commonSize = rowLength;
        }
        else if (rowLength != commonSize)
        {
            sameSize = false;
        }
        offsets[count++] = length;
        data.putBytes(length, source, offset, rowLength);
        length += rowLength;
        return this;
    }

    /**
     * Appends one row.
     *
     * @param row the row's BSATN.
     * @return this builder.
     */
    public RowListBuilder append(final byte[] row)
    {
        if (count == offsets.length)
        {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        if (count == 0)
        {
            commonSize = row.length;
        }
        else if (row.length != commonSize)
        {
            sameSize = false;
        }
        offsets[count++] = length;
        data.putBytes(length, row);
        length += row.length;
        return this;
    }

    /**
     * Rows appended so far.
     *
     * @return the count.
     */
    public int rowCount()
    {
        return count;
    }

    /**
     * Bytes of row data appended so far.
     *
     * @return the length.
     */
    public int dataLength()
    {
        return length;
    }

    /**
     * Whether the hint will be {@code FixedSize}.
     *
     * @return true when there is at least one row and all rows have the same size in 1..65535.
     */
    public boolean isFixedSize()
    {
        return count > 0 && sameSize && commonSize > 0 && commonSize <= MAX_FIXED_SIZE;
    }

    /**
     * How many bytes {@link #writeTo} will write.
     *
     * @return the encoded length of the BsatnRowList.
     */
    public int encodedLength()
    {
        return (isFixedSize() ? 3 : 5 + 8 * count) + 4 + length;
    }

    /**
     * Writes the {@code BsatnRowList{size_hint, rows_data}}.
     *
     * @param writer to append to.
     */
    public void writeTo(final BsatnWriter writer)
    {
        if (isFixedSize())
        {
            writer.writeU8(Protocol.HINT_FIXED_SIZE).writeU16(commonSize);
        }
        else
        {
            writer.writeU8(Protocol.HINT_ROW_OFFSETS).writeU32(count);
            for (int i = 0; i < count; i++)
            {
                writer.writeU64(offsets[i]);
            }
        }
        writer.writeU32(length);
        writer.writeRaw(data, 0, length);
    }

    /**
     * Writes an empty {@code BsatnRowList}: {@code RowOffsets([])} and no data.
     *
     * @param writer to append to.
     */
    public static void writeEmpty(final BsatnWriter writer)
    {
        writer.writeU8(Protocol.HINT_ROW_OFFSETS).writeU32(0).writeU32(0);
    }

    /**
     * The staged row data, for tests and diagnostics.
     *
     * @return the staging buffer; rows occupy {@code [0, dataLength())}.
     */
    public MutableDirectBuffer data()
    {
        return data;
    }
}
