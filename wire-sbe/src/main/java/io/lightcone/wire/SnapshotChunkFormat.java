package io.lightcone.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The bytes of a {@code SnapshotChunk}: table sections back to back, each a slice of one table's rows. A table's
 * rows may span several sections (in one chunk or in consecutive chunks); a row never spans two.
 * <pre>
 *  +----------------+------------------+--------------+-----------------+---------------------------------+
 *  | tableId (u32)  | nameLength (u32) | name (UTF-8) | rowsLength (u32)| rows: BSATN back to back         |
 *  +----------------+------------------+--------------+-----------------+---------------------------------+
 * </pre>
 * All integers little-endian. Read with {@link #wrap} and {@link #next}; a section that does not fit the chunk
 * stops the iteration and sets {@link #isMalformed()}, nothing throws.
 */
public final class SnapshotChunkFormat
{
    /** Bytes of a section header before the name. */
    public static final int NAME_OFFSET = 8;

    private DirectBuffer buffer;
    private int position;
    private int end;
    private boolean malformed;
    private int tableId;
    private int nameOffset;
    private int nameLength;
    private int rowsOffset;
    private int rowsLength;

    /**
     * Bytes a section header takes.
     *
     * @param nameLength length of the table name.
     * @return header bytes.
     */
    public static int headerLength(final int nameLength)
    {
        return NAME_OFFSET + nameLength + 4;
    }

    /**
     * Writes a section header; the rows follow it.
     *
     * @param buffer     to write to.
     * @param offset     where the section starts.
     * @param tableId    the table.
     * @param name       buffer holding the UTF-8 table name.
     * @param nameOffset offset of the name.
     * @param nameLength length of the name.
     * @param rowsLength bytes of rows that follow.
     * @return the header's length.
     */
    public static int putHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int tableId,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final int rowsLength)
    {
        buffer.putInt(offset, tableId, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + 4, nameLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(offset + NAME_OFFSET, name, nameOffset, nameLength);
        putRowsLength(buffer, offset, nameLength, rowsLength);
        return headerLength(nameLength);
    }

    /**
     * Sets the rows length of a section header already written.
     *
     * @param buffer     holding the section.
     * @param offset     where the section starts.
     * @param nameLength length of its name.
     * @param rowsLength bytes of rows that follow.
     */
    public static void putRowsLength(
        final MutableDirectBuffer buffer, final int offset, final int nameLength, final int rowsLength)
    {
        buffer.putInt(offset + NAME_OFFSET + nameLength, rowsLength, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Starts reading a chunk's bytes.
     *
     * @param buffer holding them.
     * @param offset where they start.
     * @param length how many.
     * @return this.
     */
    public SnapshotChunkFormat wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
        this.malformed = false;
        return this;
    }

    /**
     * Moves to the next section.
     *
     * @return false at the end or on a malformed section.
     */
    public boolean next()
    {
        if (position >= end || malformed)
        {
            return false;
        }
        if (end - position < NAME_OFFSET)
        {
            malformed = true;
            return false;
        }
        tableId = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN);
        nameLength = buffer.getInt(position + 4, ByteOrder.LITTLE_ENDIAN);
        if (nameLength < 0 || nameLength > end - position - NAME_OFFSET - 4)
        {
            malformed = true;
            return false;
        }
        nameOffset = position + NAME_OFFSET;
        rowsLength = buffer.getInt(nameOffset + nameLength, ByteOrder.LITTLE_ENDIAN);
        rowsOffset = nameOffset + nameLength + 4;
        if (rowsLength < 0 || rowsLength > end - rowsOffset)
        {
            malformed = true;
            return false;
        }
        position = rowsOffset + rowsLength;
        return true;
    }

    /**
     * @return whether reading stopped at a section that does not fit.
     */
    public boolean isMalformed()
    {
        return malformed;
    }

    /**
     * @return the current section's table id.
     */
    public int tableId()
    {
        return tableId;
    }

    /**
     * @return the table name's offset in the buffer.
     */
    public int nameOffset()
    {
        return nameOffset;
    }

    /**
     * @return the table name's length.
     */
    public int nameLength()
    {
        return nameLength;
    }

    /**
     * @return the table name (allocates).
     */
    public String tableName()
    {
        return buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
    }

    /**
     * @return the rows' offset in the buffer.
     */
    public int rowsOffset()
    {
        return rowsOffset;
    }

    /**
     * @return the rows' length.
     */
    public int rowsLength()
    {
        return rowsLength;
    }
}
