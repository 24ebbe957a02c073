package io.lightcone.client;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over one {@code BsatnRowList} of a received frame: the rows are read in place, never copied.
 * <pre>
 *  +-----------+----------------------------------+----------------+---------------------+
 *  | hint (u8) | FixedSize: u16 | RowOffsets: u32 n + n x u64 | u32 data length | rows_data ... |
 *  +-----------+----------------------------------+----------------+---------------------+
 * </pre>
 * Valid only while the frame it was wrapped over is being handled.
 */
final class RowList
{
    private DirectBuffer buffer;
    private int fixedSize;
    private int offsetsOffset;
    private int count;
    private int dataOffset;
    private int dataLength;

    RowList wrapFixed(final DirectBuffer buffer, final int fixedSize, final int dataOffset, final int dataLength)
    {
        this.buffer = buffer;
        this.fixedSize = fixedSize;
        this.offsetsOffset = -1;
        this.count = dataLength / fixedSize;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        return this;
    }

    RowList wrapOffsets(
        final DirectBuffer buffer, final int offsetsOffset, final int count, final int dataOffset, final int dataLength)
    {
        this.buffer = buffer;
        this.fixedSize = -1;
        this.offsetsOffset = offsetsOffset;
        this.count = count;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        return this;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int count()
    {
        return count;
    }

    int rowOffset(final int index)
    {
        return dataOffset + relativeStart(index);
    }

    int rowLength(final int index)
    {
        final int end = index + 1 < count ? relativeStart(index + 1) : dataLength;
        return end - relativeStart(index);
    }

    private int relativeStart(final int index)
    {
        if (fixedSize > 0)
        {
            return index * fixedSize;
        }
        return (int)buffer.getLong(offsetsOffset + (index << 3), ByteOrder.LITTLE_ENDIAN);
    }
}
