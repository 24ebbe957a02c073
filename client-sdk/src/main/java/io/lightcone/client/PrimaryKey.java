package io.lightcone.client;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import org.agrona.DirectBuffer;

/**
 * Locates the primary-key bytes inside a row's BSATN, so a {@link TableCache} keys its rows by primary key (and
 * sees a delete plus an insert of the same key as an update). Generated table classes will supply one; until then
 * {@link #column} derives it from the row type and {@link #fixed} covers keys at a fixed position.
 */
@FunctionalInterface
public interface PrimaryKey
{
    /**
     * The key's position within a row.
     *
     * @param buffer holding the row.
     * @param offset of the row's first byte.
     * @param length of the row.
     * @return {@link #range}{@code (keyOffsetWithinRow, keyLength)}.
     */
    long locate(DirectBuffer buffer, int offset, int length);

    /**
     * Packs a key position.
     *
     * @param offset of the key from the row's first byte.
     * @param length of the key.
     * @return the packed position.
     */
    static long range(final int offset, final int length)
    {
        return ((long)offset << 32) | (length & 0xFFFF_FFFFL);
    }

    /**
     * Key offset of a packed position.
     *
     * @param range from {@link #locate}.
     * @return the offset from the row's first byte.
     */
    static int offsetOf(final long range)
    {
        return (int)(range >>> 32);
    }

    /**
     * Key length of a packed position.
     *
     * @param range from {@link #locate}.
     * @return the length.
     */
    static int lengthOf(final long range)
    {
        return (int)range;
    }

    /**
     * A key at a fixed position: e.g. {@code fixed(0, 4)} for a leading u32 id.
     *
     * @param offset of the key from the row's first byte.
     * @param length of the key.
     * @return the primary key.
     */
    static PrimaryKey fixed(final int offset, final int length)
    {
        final long range = range(offset, length);
        return (buffer, rowOffset, rowLength) ->
        {
            if (offset + length > rowLength)
            {
                throw new IllegalArgumentException("row of " + rowLength + " bytes is too short for a key at " +
                    offset + ".." + (offset + length));
            }
            return range;
        };
    }

    /**
     * The key of column {@code column} of a row type with no type references: a fixed position when every column
     * up to the key has a fixed size, otherwise found by skipping the columns before it.
     *
     * @param rowType the table's row type, references inlined.
     * @param column  index of the primary-key column.
     * @return the primary key; not thread-safe (each cache runs on the polling thread).
     */
    static PrimaryKey column(final ProductType rowType, final int column)
    {
        int offset = 0;
        boolean fixedPrefix = true;
        for (int i = 0; i < column; i++)
        {
            final int size = rowType.typeAt(i).fixedSize();
            if (size < 0)
            {
                fixedPrefix = false;
                break;
            }
            offset += size;
        }
        final AlgebraicType keyType = rowType.typeAt(column);
        if (fixedPrefix && keyType.fixedSize() >= 0)
        {
            return fixed(offset, keyType.fixedSize());
        }
        final BsatnReader reader = new BsatnReader();
        return (buffer, rowOffset, rowLength) ->
        {
            reader.wrap(buffer, rowOffset, rowLength);
            for (int i = 0; i < column; i++)
            {
                Bsatn.skipValue(reader, rowType.typeAt(i));
            }
            final int start = reader.relativePosition();
            Bsatn.skipValue(reader, keyType);
            return range(start, reader.relativePosition() - start);
        };
    }
}
