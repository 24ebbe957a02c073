package io.lightcone.core.txn;

import io.lightcone.core.index.BTreeIndex;
import io.lightcone.core.index.DirectIndex;
import io.lightcone.core.index.HashIndex;
import io.lightcone.core.index.KeyRange;
import io.lightcone.core.index.LongBTreeIndex;
import io.lightcone.core.index.OrderedKeyEncoder;
import io.lightcone.core.index.RowIdConsumer;
import io.lightcone.core.index.TableIndex;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.table.Table;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.List;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * One table of a {@link Datastore}: its rows, its indexes, its sequences and, for tables without a unique index,
 * a set of row hashes that gives SpacetimeDB's set semantics (inserting a row equal to a present row is a no-op).
 * <p>
 * Invariant between operations: every live, visible row is in every index under the key of its current columns;
 * a row hidden by an open transaction's delete is in no index.
 */
public final class StoredTable implements AutoCloseable
{
    private final TableSchema schema;
    private final Table rows;
    private final TableIndex[] indexes;
    private final int[] indexIds;
    private static final byte SLOW = 0;
    private static final byte UNSIGNED_1 = 1;
    private static final byte SIGNED_1 = 2;
    private static final byte UNSIGNED_2 = 3;
    private static final byte SIGNED_2 = 4;
    private static final byte UNSIGNED_4 = 5;
    private static final byte SIGNED_4 = 6;
    private static final byte UNSIGNED_8 = 7;
    private static final byte SIGNED_8 = 8;
    private static final byte FLOAT_4 = 9;
    private static final byte FLOAT_8 = 10;

    private final int[][] keyColumns;
    private final byte[][] fastKeyKinds;
    private final AlgebraicType[][] keyTypes;
    private final TableIndex rowSet;
    private final long[] sequenceNext;
    private final boolean[] sequenceExhausted;
    private final KeyRange hashRange = new KeyRange();
    private final ExpandableArrayBuffer probeRow = new ExpandableArrayBuffer(64);
    private int probeRowId;
    private int probeRowLength;
    private int equalRowFound;
    private final RowIdConsumer equalRowFinder = this::checkEqualRow;
    private final ExpandableArrayBuffer columnScratch = new ExpandableArrayBuffer(64);
    private final BsatnReader columnReader = new BsatnReader();
    /** Largest key a direct index accepts. */
    public static final long DIRECT_INDEX_MAX_KEY = (1L << 26) - 1;

    private String lastRefusal;
    private final ExpandableArrayBuffer restoreScratch = new ExpandableArrayBuffer(64);

    StoredTable(final TableSchema schema, final int[] indexIds)
    {
        this.schema = schema;
        this.rows = new Table(schema.rowType());
        final List<IndexSchema> indexSchemas = schema.indexes();
        this.indexes = new TableIndex[indexSchemas.size()];
        this.indexIds = indexIds.clone();
        this.keyColumns = new int[indexSchemas.size()][];
        this.keyTypes = new AlgebraicType[indexSchemas.size()][];
        this.fastKeyKinds = new byte[indexSchemas.size()][];
        for (int i = 0; i < indexes.length; i++)
        {
            final IndexSchema index = indexSchemas.get(i);
            keyColumns[i] = index.columns();
            keyTypes[i] = new AlgebraicType[index.columnCount()];
            fastKeyKinds[i] = new byte[index.columnCount()];
            for (int k = 0; k < index.columnCount(); k++)
            {
                keyTypes[i][k] = schema.columnType(index.column(k));
                fastKeyKinds[i][k] = fastKeyKind(keyTypes[i][k]);
            }
            indexes[i] = createIndex(index, keyTypes[i]);
        }
        this.rowSet = schema.hasUniqueIndex() ? null : new LongBTreeIndex(8, false);
        final List<SequenceSchema> sequences = schema.sequences();
        this.sequenceNext = new long[sequences.size()];
        this.sequenceExhausted = new boolean[sequences.size()];
        for (int i = 0; i < sequenceNext.length; i++)
        {
            sequenceNext[i] = sequences.get(i).start();
        }
    }

    /**
     * Whether the schema declares a unique index, without iterating it ({@link TableSchema#hasUniqueIndex()}).
     *
     * @return true when it does (the table then keeps no row set).
     */
    boolean hasUniqueIndex()
    {
        return null == rowSet;
    }

    private static TableIndex createIndex(final IndexSchema index, final AlgebraicType[] keyTypes)
    {
        return switch (index.algorithm())
        {
            case BTREE -> orderedIndex(keyTypes, index.unique());
            case HASH -> index.unique() ? HashIndex.forKeyTypes(keyTypes, 16) : orderedIndex(keyTypes, false);
            case DIRECT -> DirectIndex.forKeyType(keyTypes[0], DIRECT_INDEX_MAX_KEY);
        };
    }

    private static TableIndex orderedIndex(final AlgebraicType[] keyTypes, final boolean unique)
    {
        return OrderedKeyEncoder.fitsInLong(keyTypes) ?
            new LongBTreeIndex(OrderedKeyEncoder.fixedEncodedLength(keyTypes), unique) : new BTreeIndex(unique);
    }

    /**
     * Why the last {@link #indexRow} refused a row when it was not a duplicate key, e.g. a key too large for a
     * direct index.
     *
     * @return the reason, or null when the refusal was a duplicate key.
     */
    String lastRefusal()
    {
        return lastRefusal;
    }

    /**
     * The schema.
     *
     * @return the schema.
     */
    public TableSchema schema()
    {
        return schema;
    }

    /**
     * The table id.
     *
     * @return the id.
     */
    public int tableId()
    {
        return schema.tableId();
    }

    /**
     * The row storage (committed rows plus the open transaction's inserted and hidden rows).
     *
     * @return the rows.
     */
    public Table rows()
    {
        return rows;
    }

    /**
     * Number of indexes.
     *
     * @return the count.
     */
    public int indexCount()
    {
        return indexes.length;
    }

    /**
     * An index by position in {@link TableSchema#indexes()}.
     *
     * @param position of the index.
     * @return the index.
     */
    public TableIndex index(final int position)
    {
        return indexes[position];
    }

    /**
     * The database-wide id of an index.
     *
     * @param position of the index.
     * @return its id.
     */
    public int indexId(final int position)
    {
        return indexIds[position];
    }

    /**
     * Gives an index its id (a table rebuild assigns the ids of new indexes when it is committed).
     *
     * @param position of the index.
     * @param indexId  its id.
     */
    void assignIndexId(final int position, final int indexId)
    {
        indexIds[position] = indexId;
    }

    /**
     * The types of an index's key columns, in key order.
     *
     * @param position of the index.
     * @return the key column types (do not modify).
     */
    public AlgebraicType[] keyTypes(final int position)
    {
        return keyTypes[position];
    }

    /**
     * The next value of each sequence, in {@link TableSchema#sequences()} order.
     *
     * @param position of the sequence.
     * @return the next value it will produce.
     */
    public long sequenceNext(final int position)
    {
        return sequenceNext[position];
    }

    /**
     * Sets the next value of a sequence (snapshot restore).
     *
     * @param position of the sequence.
     * @param next     the next value.
     */
    public void sequenceNext(final int position, final long next)
    {
        sequenceNext[position] = next;
    }

    /**
     * Whether a sequence has produced its last value.
     *
     * @param position of the sequence.
     * @return true when it is exhausted.
     */
    public boolean sequenceExhausted(final int position)
    {
        return sequenceExhausted[position];
    }

    /**
     * Marks a sequence exhausted or not (snapshot restore).
     *
     * @param position  of the sequence.
     * @param exhausted whether it has produced its last value.
     */
    public void sequenceExhausted(final int position, final boolean exhausted)
    {
        sequenceExhausted[position] = exhausted;
    }

    /**
     * Draws the next value of a sequence.
     *
     * @param position of the sequence.
     * @return the value, or {@link Long#MIN_VALUE} when the sequence is past its maximum (nothing changes).
     */
    long nextSequenceValue(final int position)
    {
        final SequenceSchema sequence = schema.sequences().get(position);
        final long value = sequenceNext[position];
        if (sequenceExhausted[position] || value > sequence.maxValue() || value < sequence.minValue())
        {
            return Long.MIN_VALUE;
        }
        final long next = value + sequence.increment();
        final boolean overflowed = sequence.increment() > 0 ? next < value : next > value;
        if (overflowed)
        {
            sequenceExhausted[position] = true;
        }
        else
        {
            sequenceNext[position] = next;
        }
        return value;
    }

    /**
     * Stores and indexes a committed row outside any transaction, as when loading a snapshot or replaying a log.
     *
     * @param reader positioned at the row's BSATN; advanced past it.
     * @return the row id.
     * @throws io.lightcone.core.sats.BsatnDecodeException when the row is malformed.
     * @throws IllegalArgumentException when the row breaks a unique index (nothing is stored).
     */
    public int restoreRow(final BsatnReader reader)
    {
        final int rowId = rows.insert(reader);
        final int refused = indexRow(rowId, restoreScratch);
        if (refused >= 0)
        {
            rows.delete(rowId);
            throw new IllegalArgumentException(null != lastRefusal ? lastRefusal : "duplicate key in unique index " +
                schema.indexes().get(refused).name() + " of table " + schema.name());
        }
        return rowId;
    }

    /**
     * Encodes a row's key for an index, in the order-preserving key encoding.
     *
     * @param position of the index.
     * @param rowId    the row.
     * @param dst      where to write the key (expandable).
     * @param offset   where the key starts.
     * @return the key length.
     */
    public int encodeKey(final int position, final int rowId, final MutableDirectBuffer dst, final int offset)
    {
        final int[] columns = keyColumns[position];
        final AlgebraicType[] types = keyTypes[position];
        final byte[] fast = fastKeyKinds[position];
        int length = 0;
        for (int k = 0; k < columns.length; k++)
        {
            if (fast[k] != SLOW)
            {
                length += encodeFixed(fast[k], rows.getLong(rowId, columns[k]), dst, offset + length);
            }
            else
            {
                final int columnLength = rows.writeColumn(rowId, columns[k], columnScratch, 0);
                columnReader.wrap(columnScratch, 0, columnLength);
                length += OrderedKeyEncoder.encode(columnReader, types[k], dst, offset + length);
            }
        }
        return length;
    }

    /**
     * Writes the order-preserving key bytes of a value read with {@link Table#getLong}; the same bytes
     * {@link OrderedKeyEncoder} writes from the value's BSATN (checked by StoredTableKeyTest).
     */
    private static int encodeFixed(final byte kind, final long value, final MutableDirectBuffer dst, final int offset)
    {
        switch (kind)
        {
            case UNSIGNED_1:
                dst.putByte(offset, (byte)value);
                return 1;
            case SIGNED_1:
                dst.putByte(offset, (byte)(value ^ 0x80));
                return 1;
            case UNSIGNED_2:
                dst.putShort(offset, (short)value, BIG_ENDIAN);
                return 2;
            case SIGNED_2:
                dst.putShort(offset, (short)(value ^ 0x8000), BIG_ENDIAN);
                return 2;
            case UNSIGNED_4:
                dst.putInt(offset, (int)value, BIG_ENDIAN);
                return 4;
            case SIGNED_4:
                dst.putInt(offset, (int)value ^ Integer.MIN_VALUE, BIG_ENDIAN);
                return 4;
            case UNSIGNED_8:
                dst.putLong(offset, value, BIG_ENDIAN);
                return 8;
            case SIGNED_8:
                dst.putLong(offset, value ^ Long.MIN_VALUE, BIG_ENDIAN);
                return 8;
            case FLOAT_4:
            {
                final int bits = (int)value;
                dst.putInt(offset, bits < 0 ? ~bits : bits ^ Integer.MIN_VALUE, BIG_ENDIAN);
                return 4;
            }
            case FLOAT_8:
                dst.putLong(offset, value < 0 ? ~value : value ^ Long.MIN_VALUE, BIG_ENDIAN);
                return 8;
            default:
                throw new IllegalStateException("unknown fast key kind " + kind);
        }
    }

    /**
     * How a key column can be encoded straight from {@link Table#getLong}, or {@link #SLOW} when it goes through
     * its BSATN.
     */
    private static byte fastKeyKind(final AlgebraicType type)
    {
        if (type instanceof ProductType product)
        {
            final SpecialType special = product.special();
            return special == SpecialType.TIMESTAMP || special == SpecialType.TIME_DURATION ? SIGNED_8 : SLOW;
        }
        if (type instanceof SumType sum)
        {
            return sum.isSimpleEnum() ? UNSIGNED_1 : SLOW;
        }
        return switch (type.kind())
        {
            case BOOL, U8 -> UNSIGNED_1;
            case I8 -> SIGNED_1;
            case U16 -> UNSIGNED_2;
            case I16 -> SIGNED_2;
            case U32 -> UNSIGNED_4;
            case I32 -> SIGNED_4;
            case U64 -> UNSIGNED_8;
            case I64 -> SIGNED_8;
            case F32 -> FLOAT_4;
            case F64 -> FLOAT_8;
            default -> SLOW;
        };
    }

    /**
     * Adds a row to every index.
     *
     * @param rowId   the row.
     * @param scratch key buffer.
     * @return -1 when indexed, else the position of the unique index that refused the row (the row is then in no
     * index).
     */
    int indexRow(final int rowId, final ExpandableArrayBuffer scratch)
    {
        lastRefusal = null;
        for (int i = 0; i < indexes.length; i++)
        {
            final int length = encodeKey(i, rowId, scratch, 0);
            if (!insertRefusing(i, scratch, length, rowId))
            {
                for (int j = 0; j < i; j++)
                {
                    final int undoLength = encodeKey(j, rowId, scratch, 0);
                    indexes[j].remove(scratch, 0, undoLength, rowId);
                }
                return i;
            }
        }
        if (null != rowSet)
        {
            scratch.putLong(0, rows.rowHash(rowId), BIG_ENDIAN);
            rowSet.insert(scratch, 0, 8, rowId);
        }
        return -1;
    }

    /**
     * Moves every index entry of {@code oldRowId} to {@code newRowId}, as {@link #unindexRow} of the old row then
     * {@link #indexRow} of the new one would, but an index whose key the two rows share is rewritten in place
     * ({@link TableIndex#replace}) rather than searched twice. The old row must be indexed and the new one not.
     *
     * @param oldRowId   the indexed row.
     * @param newRowId   the row taking its place.
     * @param scratch    key buffer.
     * @param oldScratch a second key buffer.
     * @return -1 when done, else the position of the unique index that refused the new row (everything is then
     * as before the call: the old row indexed, the new one in no index).
     */
    int reindexRow(
        final int oldRowId,
        final int newRowId,
        final ExpandableArrayBuffer scratch,
        final ExpandableArrayBuffer oldScratch)
    {
        lastRefusal = null;
        for (int i = 0; i < indexes.length; i++)
        {
            final int oldLength = encodeKey(i, oldRowId, oldScratch, 0);
            final int length = encodeKey(i, newRowId, scratch, 0);
            if (sameKey(oldScratch, oldLength, scratch, length))
            {
                if (!indexes[i].replace(scratch, 0, length, oldRowId, newRowId))
                {
                    throw new IllegalStateException("row " + oldRowId + " of table " + schema.name() +
                        " is not in index " + schema.indexes().get(i).name());
                }
                continue;
            }
            indexes[i].remove(oldScratch, 0, oldLength, oldRowId);
            if (!insertRefusing(i, scratch, length, newRowId))
            {
                indexes[i].insert(oldScratch, 0, oldLength, oldRowId);
                for (int j = 0; j < i; j++)
                {
                    final int undoOldLength = encodeKey(j, oldRowId, oldScratch, 0);
                    final int undoLength = encodeKey(j, newRowId, scratch, 0);
                    if (sameKey(oldScratch, undoOldLength, scratch, undoLength))
                    {
                        indexes[j].replace(scratch, 0, undoLength, newRowId, oldRowId);
                    }
                    else
                    {
                        indexes[j].remove(scratch, 0, undoLength, newRowId);
                        indexes[j].insert(oldScratch, 0, undoOldLength, oldRowId);
                    }
                }
                return i;
            }
        }
        if (null != rowSet)
        {
            scratch.putLong(0, rows.rowHash(oldRowId), BIG_ENDIAN);
            rowSet.remove(scratch, 0, 8, oldRowId);
            scratch.putLong(0, rows.rowHash(newRowId), BIG_ENDIAN);
            rowSet.insert(scratch, 0, 8, newRowId);
        }
        return -1;
    }

    private static boolean sameKey(final DirectBuffer a, final int aLength, final DirectBuffer b, final int bLength)
    {
        if (aLength != bLength)
        {
            return false;
        }
        int i = 0;
        for (; i + Long.BYTES <= aLength; i += Long.BYTES)
        {
            if (a.getLong(i) != b.getLong(i))
            {
                return false;
            }
        }
        for (; i < aLength; i++)
        {
            if (a.getByte(i) != b.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    private boolean insertRefusing(final int position, final DirectBuffer key, final int length, final int rowId)
    {
        try
        {
            return indexes[position].insert(key, 0, length, rowId);
        }
        catch (final IllegalArgumentException ex)
        {
            lastRefusal = "index " + schema.indexes().get(position).name() + " of table " + schema.name() + ": " +
                ex.getMessage();
            return false;
        }
    }

    /**
     * Removes a row from every index.
     *
     * @param rowId   the row.
     * @param scratch key buffer.
     */
    void unindexRow(final int rowId, final ExpandableArrayBuffer scratch)
    {
        for (int i = 0; i < indexes.length; i++)
        {
            final int length = encodeKey(i, rowId, scratch, 0);
            indexes[i].remove(scratch, 0, length, rowId);
        }
        if (null != rowSet)
        {
            scratch.putLong(0, rows.rowHash(rowId), BIG_ENDIAN);
            rowSet.remove(scratch, 0, 8, rowId);
        }
    }

    /**
     * Finds an indexed row equal to {@code rowId}'s contents, other than itself.
     *
     * @param rowId   a row, live in storage.
     * @param scratch key buffer.
     * @return the equal row's id, or -1.
     */
    int findEqualRow(final int rowId, final ExpandableArrayBuffer scratch)
    {
        probeRowId = rowId;
        probeRowLength = rows.writeRow(rowId, probeRow, 0);
        equalRowFound = -1;
        if (null != rowSet)
        {
            scratch.putLong(0, rows.rowHash(rowId), BIG_ENDIAN);
            rowSet.scan(hashRange.prefix(scratch, 0, 8), equalRowFinder);
            return equalRowFound;
        }
        for (int i = 0; i < indexes.length; i++)
        {
            if (indexes[i].isUnique())
            {
                final int length = encodeKey(i, rowId, scratch, 0);
                final int candidate = indexes[i].get(scratch, 0, length);
                checkEqualRow(candidate);
                return equalRowFound;
            }
        }
        return -1;
    }

    private boolean checkEqualRow(final int candidate)
    {
        if (candidate >= 0 && candidate != probeRowId && rows.rowEquals(candidate, probeRow, 0, probeRowLength))
        {
            equalRowFound = candidate;
            return false;
        }
        return true;
    }

    /**
     * Bytes held by rows and indexes.
     *
     * @return the memory held.
     */
    public long memoryBytes()
    {
        long total = rows.memoryBytes();
        for (final TableIndex index : indexes)
        {
            total += index.memoryBytes();
        }
        return null == rowSet ? total : total + rowSet.memoryBytes();
    }

    /**
     * Removes every row from storage and indexes (no transaction bookkeeping).
     */
    void clearAll()
    {
        rows.clear();
        for (final TableIndex index : indexes)
        {
            index.clear();
        }
        if (null != rowSet)
        {
            rowSet.clear();
        }
    }

    /**
     * Releases rows and indexes.
     */
    public void close()
    {
        rows.close();
        for (final TableIndex index : indexes)
        {
            index.close();
        }
        if (null != rowSet)
        {
            rowSet.close();
        }
    }
}
