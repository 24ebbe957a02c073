package io.lightcone.client;

import io.lightcone.core.sats.BsatnReader;
import io.lightcone.edge.protocol.Protocol;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the row-bearing part of a received message: a {@code QueryRows} (SubscribeApplied,
 * UnsubscribeApplied) or a {@code TransactionUpdate} (TransactionUpdate, ReducerResult Ok). {@link #walk} visits
 * every row list in wire order without allocating, checking the structure as it goes; it can be walked any number
 * of times while the frame is being handled (the cache walks deletes first, then inserts).
 */
final class RowLists
{
    /** Rows added: QueryRows of a SubscribeApplied, or PersistentTable inserts. */
    static final int INSERTS = 0;
    /** Rows removed: QueryRows of an UnsubscribeApplied, or PersistentTable deletes. */
    static final int DELETES = 1;
    /** EventTable rows: delivered to listeners, never cached. */
    static final int EVENTS = 2;

    private static final int SHAPE_NONE = 0;
    private static final int SHAPE_QUERY_ROWS = 1;
    private static final int SHAPE_TRANSACTION_UPDATE = 2;

    /**
     * Receives the row lists of a walk.
     */
    interface Visitor
    {
        /**
         * One row list.
         *
         * @param buffer     holding the frame.
         * @param nameOffset of the table name's UTF-8 bytes.
         * @param nameLength of the table name.
         * @param kind       {@link #INSERTS}, {@link #DELETES} or {@link #EVENTS}.
         * @param rows       the rows, valid during the call.
         */
        void onRows(DirectBuffer buffer, int nameOffset, int nameLength, int kind, RowList rows);
    }

    private final BsatnReader reader = new BsatnReader();
    private final RowList rowList = new RowList();
    private DirectBuffer buffer;
    private int offset;
    private int limit;
    private int shape;
    private int queryRowsKind;

    RowLists wrapNone()
    {
        shape = SHAPE_NONE;
        return this;
    }

    RowLists wrapQueryRows(final DirectBuffer buffer, final int offset, final int limit, final int kind)
    {
        return wrap(buffer, offset, limit, SHAPE_QUERY_ROWS, kind);
    }

    RowLists wrapTransactionUpdate(final DirectBuffer buffer, final int offset, final int limit)
    {
        return wrap(buffer, offset, limit, SHAPE_TRANSACTION_UPDATE, INSERTS);
    }

    private RowLists wrap(final DirectBuffer buffer, final int offset, final int limit, final int shape, final int kind)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = limit;
        this.shape = shape;
        this.queryRowsKind = kind;
        return this;
    }

    /**
     * Visits every row list, in wire order.
     *
     * @param visitor to call, or null to only check the structure.
     * @return the absolute offset just after the structure.
     */
    int walk(final Visitor visitor)
    {
        if (shape == SHAPE_NONE)
        {
            return offset;
        }
        reader.wrap(buffer, offset, limit - offset);
        if (shape == SHAPE_QUERY_ROWS)
        {
            final int tables = reader.readLength(9, "tables");
            for (int t = 0; t < tables; t++)
            {
                final int nameLength = reader.readLength(1, "table name");
                final int nameOffset = reader.position();
                reader.skip(nameLength, "table name");
                rowList(nameOffset, nameLength, queryRowsKind, visitor);
            }
        }
        else
        {
            final int querySets = reader.readLength(8, "query_sets");
            for (int q = 0; q < querySets; q++)
            {
                reader.readI32();
                final int tables = reader.readLength(8, "tables");
                for (int t = 0; t < tables; t++)
                {
                    final int nameLength = reader.readLength(1, "table name");
                    final int nameOffset = reader.position();
                    reader.skip(nameLength, "table name");
                    final int groups = reader.readLength(1, "rows");
                    for (int g = 0; g < groups; g++)
                    {
                        final int tag = reader.readU8();
                        if (tag == Protocol.ROWS_PERSISTENT)
                        {
                            rowList(nameOffset, nameLength, INSERTS, visitor);
                            rowList(nameOffset, nameLength, DELETES, visitor);
                        }
                        else if (tag == Protocol.ROWS_EVENT)
                        {
                            rowList(nameOffset, nameLength, EVENTS, visitor);
                        }
                        else
                        {
                            throw reader.error("invalid TableUpdateRows tag " + tag);
                        }
                    }
                }
            }
        }
        return reader.position();
    }

    private void rowList(final int nameOffset, final int nameLength, final int kind, final Visitor visitor)
    {
        final int hint = reader.readU8();
        if (hint == Protocol.HINT_FIXED_SIZE)
        {
            final int fixedSize = reader.readU16();
            if (fixedSize == 0)
            {
                throw reader.error("RowSizeHint::FixedSize(0)");
            }
            final int dataLength = reader.readLength(1, "rows_data");
            final int dataOffset = reader.position();
            reader.skip(dataLength, "rows_data");
            if (dataLength % fixedSize != 0)
            {
                throw reader.error("rows_data of " + dataLength + " bytes is not a multiple of FixedSize(" +
                    fixedSize + ")");
            }
            rowList.wrapFixed(buffer, fixedSize, dataOffset, dataLength);
        }
        else if (hint == Protocol.HINT_ROW_OFFSETS)
        {
            final int count = reader.readLength(8, "row offsets");
            final int offsetsOffset = reader.position();
            reader.skip(count << 3, "row offsets");
            final int dataLength = reader.readLength(1, "rows_data");
            final int dataOffset = reader.position();
            reader.skip(dataLength, "rows_data");
            checkOffsets(offsetsOffset, count, dataLength);
            rowList.wrapOffsets(buffer, offsetsOffset, count, dataOffset, dataLength);
        }
        else
        {
            throw reader.error("invalid RowSizeHint tag " + hint);
        }
        if (null != visitor && rowList.count() > 0)
        {
            visitor.onRows(buffer, nameOffset, nameLength, kind, rowList);
        }
    }

    private void checkOffsets(final int offsetsOffset, final int count, final int dataLength)
    {
        if (count == 0 && dataLength != 0)
        {
            throw reader.error("RowOffsets([]) with " + dataLength + " bytes of rows_data");
        }
        long previous = 0;
        for (int i = 0; i < count; i++)
        {
            final long start = buffer.getLong(offsetsOffset + (i << 3), ByteOrder.LITTLE_ENDIAN);
            if ((i == 0 && start != 0) || start < previous || start > dataLength)
            {
                throw reader.error("RowOffsets entry " + i + " = " + start + " inconsistent with " + dataLength +
                    " bytes of rows_data");
            }
            previous = start;
        }
    }
}
