package io.lightcone.core.txn;

import io.lightcone.core.index.KeyRange;
import io.lightcone.core.index.OrderedKeyEncoder;
import io.lightcone.core.index.RowIdConsumer;
import io.lightcone.core.index.TableIndex;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.table.Table;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import java.util.List;

/**
 * The write transaction of a {@link Datastore}: inserts, deletes and updates applied in place, with an undo log so
 * {@link #rollback()} restores the exact prior state, and a {@link TxDelta} produced by {@link #commit()}. A commit
 * can be split in two: {@link #prepareCommit()} computes the delta and changes nothing a rollback cannot undo, so the
 * caller can still roll back (say, when the delta is too large to publish); {@link #finishCommit()} does the rest.
 * <p>
 * How it works: an insert stores and indexes the row at once; a delete unindexes the row and hides it, keeping its
 * bytes until commit (so rollback can put it back and commit can report it). Each change appends an entry to the
 * undo log; rollback replays the log backwards. Commit reports per table the inserted rows that are still visible
 * and the deleted rows that were visible before the transaction and cancels identical delete/insert pairs (an update
 * that changed nothing), all without changing the tables (the prepare half); then frees the hidden rows and drops
 * the rows of event tables (the finish half).
 * <p>
 * Operations that return a row id or a count return {@code -code} with a {@link TxStatus} code on failure, leave
 * the transaction as it was before the call, and describe the failure in {@link #lastError()}.
 */
public final class MutTx
{
    private static final long DELETE_FLAG = 1L << 63;
    /**
     * Working lists and buffers grown past this many entries by one large transaction are shrunk when it ends, so a
     * bulk load does not keep its bookkeeping alive; ordinary transactions stay below it and allocate nothing.
     */
    static final int RETAINED_ENTRIES_LIMIT = 1 << 16;

    private final Datastore datastore;
    private final Int2ObjectHashMap<TableTxState> states = new Int2ObjectHashMap<>();
    private final IntArrayList touchedTables = new IntArrayList();
    /** The state last looked up: most transactions touch one table, so this saves most map lookups. */
    private TableTxState lastState;
    private final LongArrayList undoLog = new LongArrayList();
    private final TxDelta delta = new TxDelta();
    private final ExpandableArrayBuffer keyScratch = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer oldKeyScratch = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer rowScratch = new ExpandableArrayBuffer(256);
    private final IdenticalRowPairs identicalRowPairs = new IdenticalRowPairs();
    private final BsatnReader rowReader = new BsatnReader();
    private final IntArrayList collected = new IntArrayList();
    private final RowBitSet collectedSet = new RowBitSet();
    private final RowIdConsumer collector = (rowId) ->
    {
        collected.addInt(rowId);
        return true;
    };
    private String lastError = "";
    private boolean open;
    private boolean prepared;

    MutTx(final Datastore datastore)
    {
        this.datastore = datastore;
    }

    void begin()
    {
        open = true;
        lastError = "";
    }

    /**
     * Whether this transaction is open.
     *
     * @return true between begin and commit or rollback.
     */
    public boolean isOpen()
    {
        return open;
    }

    /**
     * What the last failed operation got wrong.
     *
     * @return the message, or an empty string.
     */
    public String lastError()
    {
        return lastError;
    }

    /**
     * The datastore this transaction writes.
     *
     * @return the datastore.
     */
    public Datastore datastore()
    {
        return datastore;
    }

    /**
     * Inserts a row given as BSATN. A zero in an auto-increment column is replaced by the sequence's next value.
     * Inserting a row equal to a visible row changes nothing and returns that row (SpacetimeDB's set semantics).
     *
     * @param tableId the table.
     * @param row     buffer holding the row.
     * @param offset  of the row.
     * @param length  of the row; exactly one row.
     * @return the row id, or {@code -code}: NO_SUCH_TABLE, BSATN_DECODE_ERROR, UNIQUE_ALREADY_EXISTS,
     * AUTO_INC_OVERFLOW.
     */
    public int insert(final int tableId, final DirectBuffer row, final int offset, final int length)
    {
        checkOpen();
        final StoredTable table = datastore.table(tableId);
        if (null == table)
        {
            return fail(TxStatus.NO_SUCH_TABLE, "no table with id " + tableId);
        }
        final int rowId;
        try
        {
            rowId = table.rows().insert(row, offset, length);
        }
        catch (final BsatnDecodeException ex)
        {
            return fail(TxStatus.BSATN_DECODE_ERROR, "row for table " + table.schema().name() + ": " + ex.getMessage());
        }
        final int status = fillSequences(table, rowId);
        if (status != TxStatus.OK)
        {
            table.rows().delete(rowId);
            return -status;
        }
        return indexNewRow(table, rowId);
    }

    /**
     * Writes the values the last insert or update generated for the row's auto-increment columns, as the BSATN of a
     * product of those columns in column order (empty when the table has no sequences).
     *
     * @param tableId the table.
     * @param rowId   the row.
     * @param dst     where to write.
     * @param offset  where to start.
     * @return the length written.
     */
    public int writeGeneratedColumns(
        final int tableId, final int rowId, final MutableDirectBuffer dst, final int offset)
    {
        final StoredTable table = datastore.table(tableId);
        final List<SequenceSchema> sequences = table.schema().sequences();
        int length = 0;
        for (int i = 0; i < sequences.size(); i++)
        {
            length += table.rows().writeColumn(rowId, sequences.get(i).column(), dst, offset + length);
        }
        return length;
    }

    /**
     * Deletes a visible row.
     *
     * @param tableId the table.
     * @param rowId   the row.
     * @return {@link TxStatus#OK}, or {@code -code}: NO_SUCH_TABLE, NO_SUCH_ROW.
     */
    public int delete(final int tableId, final int rowId)
    {
        checkOpen();
        final StoredTable table = datastore.table(tableId);
        if (null == table)
        {
            return fail(TxStatus.NO_SUCH_TABLE, "no table with id " + tableId);
        }
        if (!isVisible(table, rowId))
        {
            return fail(TxStatus.NO_SUCH_ROW, "no row " + rowId + " in table " + table.schema().name());
        }
        hide(table, rowId);
        return TxStatus.OK;
    }

    /**
     * Replaces the row that has the same key in a unique index by the given row.
     *
     * @param indexId the unique index.
     * @param row     buffer holding the new row.
     * @param offset  of the row.
     * @param length  of the row.
     * @return the new row's id, or {@code -code}: NO_SUCH_INDEX, INDEX_NOT_UNIQUE, BSATN_DECODE_ERROR, NO_SUCH_ROW,
     * UNIQUE_ALREADY_EXISTS, AUTO_INC_OVERFLOW.
     */
    public int update(final int indexId, final DirectBuffer row, final int offset, final int length)
    {
        checkOpen();
        final StoredTable table = datastore.tableOfIndex(indexId);
        if (null == table)
        {
            return fail(TxStatus.NO_SUCH_INDEX, "no index with id " + indexId);
        }
        final int position = indexPosition(table, indexId);
        final TableIndex index = table.index(position);
        final IndexSchema indexSchema = table.schema().indexes().get(position);
        if (!index.isUnique())
        {
            return fail(TxStatus.INDEX_NOT_UNIQUE, "index " + indexSchema.name() + " is not unique");
        }
        final Table rows = table.rows();
        final int newRowId;
        try
        {
            newRowId = rows.insert(row, offset, length);
        }
        catch (final BsatnDecodeException ex)
        {
            return fail(TxStatus.BSATN_DECODE_ERROR, "row for table " + table.schema().name() + ": " + ex.getMessage());
        }
        final int keyLength = table.encodeKey(position, newRowId, keyScratch, 0);
        final int oldRowId = index.get(keyScratch, 0, keyLength);
        if (oldRowId < 0)
        {
            rows.delete(newRowId);
            return fail(TxStatus.NO_SUCH_ROW, "no row in table " + table.schema().name() + " has that key in index " +
                indexSchema.name());
        }
        final int status = fillSequences(table, newRowId);
        if (status != TxStatus.OK)
        {
            rows.delete(newRowId);
            return -status;
        }
        // The new row has the old one's key in this unique index, so it can equal no other row: the only refusal
        // left is another unique index's key taken by another row.
        final int refused = table.reindexRow(oldRowId, newRowId, keyScratch, oldKeyScratch);
        if (refused >= 0)
        {
            rows.delete(newRowId);
            return fail(TxStatus.UNIQUE_ALREADY_EXISTS, null != table.lastRefusal() ? table.lastRefusal() :
                "duplicate key in unique index " + table.schema().indexes().get(refused).name() + " of table " +
                table.schema().name());
        }
        final TableTxState state = state(table);
        recordDelete(state, oldRowId);
        recordInsert(state, newRowId);
        return newRowId;
    }

    /**
     * Finds a visible row by the exact key of an index.
     *
     * @param indexId the index.
     * @param key     buffer holding the order-preserving encoded key.
     * @param offset  of the key.
     * @param length  of the key.
     * @return a row id, -1 when none, or {@code -code} NO_SUCH_INDEX (below -1).
     */
    public int find(final int indexId, final DirectBuffer key, final int offset, final int length)
    {
        final StoredTable table = datastore.tableOfIndex(indexId);
        if (null == table)
        {
            return fail(TxStatus.NO_SUCH_INDEX, "no index with id " + indexId);
        }
        return table.index(indexPosition(table, indexId)).get(key, offset, length);
    }

    /**
     * Visits the visible rows of an index range in key order. A hash index (declared {@code HASH}, unique or not)
     * serves only a point on its full key, as in SpacetimeDB.
     *
     * @param indexId  the index.
     * @param range    the key range.
     * @param consumer receives row ids.
     * @return the number visited, or {@code -code}: NO_SUCH_INDEX, WRONG_INDEX_ALGO (on a hash index, any range
     * but a point on the full key).
     */
    public int scan(final int indexId, final KeyRange range, final RowIdConsumer consumer)
    {
        final StoredTable table = datastore.tableOfIndex(indexId);
        if (null == table)
        {
            return fail(TxStatus.NO_SUCH_INDEX, "no index with id " + indexId);
        }
        final int position = indexPosition(table, indexId);
        final TableIndex index = table.index(position);
        final boolean hashAlgorithm = table.schema().indexes().get(position).algorithm() == IndexAlgorithm.HASH;
        if ((hashAlgorithm || !index.isOrdered()) && (!range.isPrefix() || OrderedKeyEncoder.encodedLength(
            range.lowerKey(), 0, range.lowerLength(), table.keyTypes(position)) != range.lowerLength()))
        {
            return fail(TxStatus.WRONG_INDEX_ALGO, "index " + table.schema().indexes().get(position).name() +
                " supports point lookups on the full key only");
        }
        return index.scan(range, consumer);
    }

    /**
     * Deletes the visible rows of an index range.
     *
     * @param indexId the index.
     * @param range   the key range.
     * @return the number deleted, or {@code -code}: NO_SUCH_INDEX, WRONG_INDEX_ALGO.
     */
    public int deleteByRange(final int indexId, final KeyRange range)
    {
        collected.clear();
        final int found = scan(indexId, range, collector);
        if (found < 0)
        {
            return found;
        }
        final StoredTable table = datastore.tableOfIndex(indexId);
        for (int i = 0; i < collected.size(); i++)
        {
            hide(table, collected.getInt(i));
        }
        return collected.size();
    }

    /**
     * Deletes the visible rows equal to any of the given rows.
     *
     * @param tableId  the table.
     * @param rows     buffer holding {@code rowCount} BSATN rows back to back.
     * @param offset   of the first row.
     * @param length   of all the rows.
     * @param rowCount number of rows.
     * @return the number deleted, or {@code -code}: NO_SUCH_TABLE, BSATN_DECODE_ERROR.
     */
    public int deleteEqualRows(
        final int tableId, final DirectBuffer rows, final int offset, final int length, final int rowCount)
    {
        checkOpen();
        final StoredTable table = datastore.table(tableId);
        if (null == table)
        {
            return fail(TxStatus.NO_SUCH_TABLE, "no table with id " + tableId);
        }
        rowReader.wrap(rows, offset, length);
        collected.clear();
        try
        {
            for (int i = 0; i < rowCount; i++)
            {
                final int probe = table.rows().insert(rowReader);
                final int equal = table.findEqualRow(probe, keyScratch);
                table.rows().delete(probe);
                if (equal >= 0 && collectedSet.add(equal))
                {
                    collected.addInt(equal);
                }
            }
            if (!rowReader.isExhausted())
            {
                throw rowReader.error(rowReader.remaining() + " bytes after the last of " + rowCount + " rows");
            }
        }
        catch (final BsatnDecodeException ex)
        {
            return fail(TxStatus.BSATN_DECODE_ERROR, "rows for table " + table.schema().name() + ": " +
                ex.getMessage());
        }
        finally
        {
            for (int i = 0; i < collected.size(); i++)
            {
                collectedSet.remove(collected.getInt(i));
            }
            collectedSet.trim(table.rows().rowIdLimit());
        }
        for (int i = 0; i < collected.size(); i++)
        {
            hide(table, collected.getInt(i));
        }
        return collected.size();
    }

    /**
     * Deletes every visible row of a table.
     *
     * @param tableId the table.
     * @return the number deleted, or {@code -code} NO_SUCH_TABLE.
     */
    public long clear(final int tableId)
    {
        checkOpen();
        final StoredTable table = datastore.table(tableId);
        if (null == table)
        {
            return fail(TxStatus.NO_SUCH_TABLE, "no table with id " + tableId);
        }
        long count = 0;
        for (int rowId = nextVisible(table, 0); rowId >= 0; rowId = nextVisible(table, rowId + 1))
        {
            hide(table, rowId);
            count++;
        }
        return count;
    }

    /**
     * The next visible row of a table scan.
     *
     * @param table  the table.
     * @param fromRowId where to start.
     * @return the smallest visible row id at or after {@code fromRowId}, or -1.
     */
    public int nextVisible(final StoredTable table, final int fromRowId)
    {
        final TableTxState state = states.get(table.tableId());
        final Table rows = table.rows();
        int rowId = rows.nextLive(fromRowId);
        if (null != state && state.table == table)
        {
            while (rowId >= 0 && state.deletedSet.contains(rowId))
            {
                rowId = rows.nextLive(rowId + 1);
            }
        }
        return rowId;
    }

    /**
     * Number of visible rows of a table.
     *
     * @param table the table.
     * @return the count.
     */
    public long visibleRowCount(final StoredTable table)
    {
        final TableTxState state = states.get(table.tableId());
        final int hidden = null != state && state.table == table ? state.deletedSet.size() : 0;
        return table.rows().rowCount() - hidden;
    }

    /**
     * Whether a row is visible in this transaction.
     *
     * @param table the table.
     * @param rowId the row.
     * @return true when live and not deleted by this transaction.
     */
    public boolean isVisible(final StoredTable table, final int rowId)
    {
        if (rowId < 0 || !table.rows().isLive(rowId))
        {
            return false;
        }
        TableTxState state = lastState;
        if (null == state || state.table != table)
        {
            state = states.get(table.tableId());
        }
        return null == state || state.table != table || !state.deletedSet.contains(rowId);
    }

    /**
     * Makes the transaction's changes permanent: {@link #prepareCommit()} then {@link #finishCommit()}.
     *
     * @return what changed; valid until the next commit.
     */
    public TxDelta commit()
    {
        prepareCommit();
        finishCommit();
        return delta;
    }

    /**
     * The first, undoable half of a commit: computes what changed and changes nothing that {@link #rollback()}
     * cannot undo, so a caller can look at the delta (encode it, check its size) before deciding. Follow it by
     * {@link #finishCommit()} or {@link #rollback()}; the transaction accepts no other change in between.
     *
     * @return what changed; valid until the next commit or prepare.
     */
    public TxDelta prepareCommit()
    {
        checkOpen();
        delta.reset();
        for (int t = 0; t < touchedTables.size(); t++)
        {
            computeTableDelta(states.get(touchedTables.getInt(t)));
        }
        prepared = true;
        return delta;
    }

    /**
     * The second, irreversible half of a commit after {@link #prepareCommit()}: frees the rows the transaction
     * deleted and drops the rows of event tables. The delta stays valid until the next commit or prepare.
     */
    public void finishCommit()
    {
        if (!open || !prepared)
        {
            throw new IllegalStateException("transaction is not prepared to commit");
        }
        for (int t = 0; t < touchedTables.size(); t++)
        {
            final TableTxState state = states.get(touchedTables.getInt(t));
            freeTable(state);
            state.clear();
        }
        touchedTables.clear();
        undoLog.clear();
        end();
    }

    /**
     * Whether {@link #prepareCommit()} ran and neither {@link #finishCommit()} nor {@link #rollback()} has yet.
     *
     * @return true when prepared.
     */
    public boolean isPrepared()
    {
        return prepared;
    }

    /**
     * Undoes every change of the transaction: the datastore is exactly as it was when the transaction began.
     */
    public void rollback()
    {
        if (!open)
        {
            throw new IllegalStateException("transaction is not open");
        }
        rollbackTo(0);
        for (int t = 0; t < touchedTables.size(); t++)
        {
            states.get(touchedTables.getInt(t)).clear();
        }
        touchedTables.clear();
        end();
    }

    /**
     * Entries the transaction's working lists keep allocated between transactions (for tests).
     *
     * @return the undo log's capacity, the identical-pair canceller's, plus every table state's list capacities.
     */
    long retainedEntries()
    {
        long total = undoLog.capacity() + identicalRowPairs.retainedEntries();
        for (final TableTxState state : states.values())
        {
            total += state.inserted.capacity() + state.deleted.capacity() + state.insertDelta.capacity() +
                state.deleteDelta.capacity();
        }
        return total;
    }

    private void end()
    {
        if (undoLog.capacity() > RETAINED_ENTRIES_LIMIT)
        {
            undoLog.trimToSize();
        }
        open = false;
        prepared = false;
        datastore.txEnded();
    }

    /**
     * Writes a table's part of the delta; reads the table and changes nothing in it.
     */
    private void computeTableDelta(final TableTxState state)
    {
        final StoredTable table = state.table;
        final Table rows = table.rows();
        final IntArrayList inserted = state.inserted;
        final IntArrayList deleted = state.deleted;

        // Inserted rows that were deleted again, and deleted rows that were inserted by this tx, cancel out.
        final IntArrayList insertDelta = state.insertDelta;
        final IntArrayList deleteDelta = state.deleteDelta;
        insertDelta.clear();
        deleteDelta.clear();
        for (int i = 0; i < inserted.size(); i++)
        {
            final int rowId = inserted.getInt(i);
            if (!state.deletedSet.contains(rowId))
            {
                insertDelta.addInt(rowId);
            }
        }
        for (int i = 0; i < deleted.size(); i++)
        {
            final int rowId = deleted.getInt(i);
            if (!state.insertedSet.contains(rowId))
            {
                deleteDelta.addInt(rowId);
            }
        }
        identicalRowPairs.cancel(rows, insertDelta, deleteDelta);

        if (!insertDelta.isEmpty() || !deleteDelta.isEmpty())
        {
            final TableDelta tableDelta = delta.add(table.tableId(), table.schema().name());
            int position = 0;
            for (int i = 0; i < insertDelta.size(); i++)
            {
                final int rowId = insertDelta.getInt(i);
                if (rowId >= 0)
                {
                    final int length = rows.writeRow(rowId, tableDelta.insertBuffer(), position);
                    tableDelta.insertWritten(length);
                    position += length;
                }
            }
            position = 0;
            for (int i = 0; i < deleteDelta.size(); i++)
            {
                final int rowId = deleteDelta.getInt(i);
                if (rowId >= 0)
                {
                    final int length = rows.writeRow(rowId, tableDelta.deleteBuffer(), position);
                    tableDelta.deleteWritten(length);
                    position += length;
                }
            }
            if (tableDelta.isEmpty())
            {
                delta.dropLast();
            }
        }
    }

    /**
     * Frees the rows the transaction deleted from a table and, for an event table, drops the rows it inserted.
     */
    private void freeTable(final TableTxState state)
    {
        final StoredTable table = state.table;
        final Table rows = table.rows();
        final IntArrayList inserted = state.inserted;
        final IntArrayList deleted = state.deleted;
        for (int i = 0; i < deleted.size(); i++)
        {
            rows.delete(deleted.getInt(i));
        }
        if (table.schema().isEvent())
        {
            for (int i = 0; i < inserted.size(); i++)
            {
                final int rowId = inserted.getInt(i);
                if (!state.deletedSet.contains(rowId))
                {
                    table.unindexRow(rowId, keyScratch);
                    rows.delete(rowId);
                }
            }
        }
    }

    private void rollbackTo(final int mark)
    {
        for (int i = undoLog.size() - 1; i >= mark; i--)
        {
            final long entry = undoLog.getLong(i);
            final int tableId = (int)((entry & ~DELETE_FLAG) >>> 32);
            final int rowId = (int)entry;
            final TableTxState state = states.get(tableId);
            final StoredTable table = state.table;
            if ((entry & DELETE_FLAG) != 0)
            {
                final int refused = table.indexRow(rowId, keyScratch);
                if (refused >= 0)
                {
                    throw new IllegalStateException("rollback could not re-index row " + rowId + " of table " +
                        table.schema().name() + " in index " + table.schema().indexes().get(refused).name());
                }
                state.deleted.removeAt(state.deleted.size() - 1);
                state.deletedSet.remove(rowId);
            }
            else
            {
                table.unindexRow(rowId, keyScratch);
                table.rows().delete(rowId);
                state.inserted.removeAt(state.inserted.size() - 1);
                state.insertedSet.remove(rowId);
            }
            undoLog.removeAt(i);
        }
    }

    private int fillSequences(final StoredTable table, final int rowId)
    {
        final List<SequenceSchema> sequences = table.schema().sequences();
        for (int i = 0; i < sequences.size(); i++)
        {
            final int column = sequences.get(i).column();
            if (table.rows().getLong(rowId, column) == 0)
            {
                final long value = table.nextSequenceValue(i);
                if (value == Long.MIN_VALUE)
                {
                    lastError = "sequence " + sequences.get(i).name() + " of table " + table.schema().name() +
                        " is past its maximum " + sequences.get(i).maxValue();
                    return TxStatus.AUTO_INC_OVERFLOW;
                }
                table.rows().putLong(rowId, column, value);
            }
        }
        return TxStatus.OK;
    }

    private int indexNewRow(final StoredTable table, final int rowId)
    {
        final Table rows = table.rows();
        if (!table.hasUniqueIndex())
        {
            final int equal = table.findEqualRow(rowId, keyScratch);
            if (equal >= 0)
            {
                rows.delete(rowId);
                return equal;
            }
        }
        final int refused = table.indexRow(rowId, keyScratch);
        if (refused >= 0 && null != table.lastRefusal())
        {
            rows.delete(rowId);
            return fail(TxStatus.UNIQUE_ALREADY_EXISTS, table.lastRefusal());
        }
        if (refused >= 0)
        {
            final int keyLength = table.encodeKey(refused, rowId, keyScratch, 0);
            final int existing = table.index(refused).get(keyScratch, 0, keyLength);
            final int rowLength = rows.writeRow(rowId, rowScratch, 0);
            rows.delete(rowId);
            if (existing >= 0 && rows.rowEquals(existing, rowScratch, 0, rowLength))
            {
                return existing;
            }
            return fail(TxStatus.UNIQUE_ALREADY_EXISTS, "duplicate key in unique index " +
                table.schema().indexes().get(refused).name() + " of table " + table.schema().name());
        }
        recordInsert(state(table), rowId);
        return rowId;
    }

    private void hide(final StoredTable table, final int rowId)
    {
        table.unindexRow(rowId, keyScratch);
        recordDelete(state(table), rowId);
    }

    private void recordInsert(final TableTxState state, final int rowId)
    {
        state.inserted.addInt(rowId);
        state.insertedSet.add(rowId);
        undoLog.addLong(((long)state.table.tableId() << 32) | (rowId & 0xFFFF_FFFFL));
    }

    private void recordDelete(final TableTxState state, final int rowId)
    {
        state.deleted.addInt(rowId);
        state.deletedSet.add(rowId);
        undoLog.addLong(DELETE_FLAG | ((long)state.table.tableId() << 32) | (rowId & 0xFFFF_FFFFL));
    }

    private TableTxState state(final StoredTable table)
    {
        TableTxState state = lastState;
        if (null == state || state.table != table)
        {
            state = states.get(table.tableId());
            if (null == state || state.table != table)
            {
                state = new TableTxState(table);
                states.put(table.tableId(), state);
            }
            lastState = state;
        }
        if (!state.touched)
        {
            state.touched = true;
            touchedTables.addInt(table.tableId());
        }
        return state;
    }

    private static int indexPosition(final StoredTable table, final int indexId)
    {
        for (int i = 0; i < table.indexCount(); i++)
        {
            if (table.indexId(i) == indexId)
            {
                return i;
            }
        }
        throw new IllegalStateException("index " + indexId + " is not in table " + table.schema().name());
    }

    private int fail(final int code, final String message)
    {
        lastError = message;
        return -code;
    }

    private void checkOpen()
    {
        if (!open)
        {
            throw new IllegalStateException("transaction is not open");
        }
        if (prepared)
        {
            throw new IllegalStateException("transaction is prepared to commit: finish the commit or roll it back");
        }
    }

    private static final class TableTxState
    {
        final StoredTable table;
        final IntArrayList inserted = new IntArrayList();
        final RowBitSet insertedSet = new RowBitSet();
        final IntArrayList deleted = new IntArrayList();
        final RowBitSet deletedSet = new RowBitSet();
        final IntArrayList insertDelta = new IntArrayList();
        final IntArrayList deleteDelta = new IntArrayList();
        boolean touched;

        TableTxState(final StoredTable table)
        {
            this.table = table;
        }

        private static void trim(final IntArrayList list)
        {
            if (list.capacity() > RETAINED_ENTRIES_LIMIT)
            {
                list.clear();
                list.trimToSize();
            }
        }

        /**
         * Empties the state in time proportional to what the transaction touched: a set's own clear() would
         * sweep its whole capacity, which after one big transaction would slow every later small one.
         */
        void clear()
        {
            for (int i = 0; i < inserted.size(); i++)
            {
                insertedSet.remove(inserted.getInt(i));
            }
            for (int i = 0; i < deleted.size(); i++)
            {
                deletedSet.remove(deleted.getInt(i));
            }
            inserted.clear();
            deleted.clear();
            trim(inserted);
            trim(deleted);
            trim(insertDelta);
            trim(deleteDelta);
            final int rowIdLimit = table.rows().rowIdLimit();
            insertedSet.trim(rowIdLimit);
            deletedSet.trim(rowIdLimit);
            touched = false;
        }
    }
}
