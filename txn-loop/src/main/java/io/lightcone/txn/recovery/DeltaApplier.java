package io.lightcone.txn.recovery;

import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.table.Table;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Applies a committed transaction's table deltas (inserted and deleted rows, as BSATN rows back to back) to a
 * datastore during replay: deletes with {@link MutTx#deleteEqualRows}, then inserts with {@link MutTx#insert}, and
 * advances every auto-increment sequence past the values the inserted rows hold, so inserts after recovery never
 * reuse an id.
 * <p>
 * Replay never guesses: a delete that finds fewer rows than the delta names, an insert that is refused or finds
 * the identical row already present, or an
 * inserted row whose auto-increment column is 0 (the insert would draw a new value instead of keeping the logged
 * one) throws a {@link RecoveryException} naming the table; the caller rolls back and stops startup.
 * <p>
 * Sequence state: values drawn but never committed (a rolled back insert, a row inserted and deleted in one
 * transaction) leave no trace in a delta, so after replay a sequence's next value is one increment past the largest
 * value committed, possibly below where the original had got to; it never reuses a committed value.
 * <p>
 * Not thread safe; one instance per replaying thread. Allocates nothing per row in the steady state.
 */
public final class DeltaApplier
{
    /**
     * As the inserted count of {@link #applyInTx}: apply every row the inserted bytes hold. Replay passes it, since a
     * {@code TxCommitted} carries lengths, not counts, and counting first would decode every row one more time.
     */
    public static final int ALL_ROWS = -1;

    private final BsatnReader reader = new BsatnReader();

    /**
     * Applies one table's delta in a transaction of its own.
     *
     * @param datastore     the datastore; no transaction may be open.
     * @param tableId       the table.
     * @param inserted      buffer of the inserted rows.
     * @param insertedOffset where they start.
     * @param insertedLength their total length.
     * @param insertedCount how many rows.
     * @param deleted       buffer of the deleted rows.
     * @param deletedOffset where they start.
     * @param deletedLength their total length.
     * @param deletedCount  how many rows.
     * @throws RecoveryException when the delta does not apply; the datastore is then unchanged.
     */
    public void apply(
        final Datastore datastore,
        final int tableId,
        final DirectBuffer inserted,
        final int insertedOffset,
        final int insertedLength,
        final int insertedCount,
        final DirectBuffer deleted,
        final int deletedOffset,
        final int deletedLength,
        final int deletedCount)
    {
        final MutTx tx = datastore.beginMutTx();
        try
        {
            applyInTx(tx, tableId, inserted, insertedOffset, insertedLength, insertedCount,
                deleted, deletedOffset, deletedLength, deletedCount);
        }
        catch (final RuntimeException ex)
        {
            tx.rollback();
            throw ex;
        }
        tx.commit();
    }

    /**
     * Applies one table's delta inside an open transaction (a transaction touching several tables applies each of
     * them, then commits once). On failure the transaction is left open for the caller to roll back.
     *
     * @param tx            the open transaction.
     * @param tableId       the table.
     * @param inserted      buffer of the inserted rows.
     * @param insertedOffset where they start.
     * @param insertedLength their total length.
     * @param insertedCount how many rows, or {@link #ALL_ROWS}: every row of {@code insertedLength} (no counting
     *                      pass over them first).
     * @param deleted       buffer of the deleted rows.
     * @param deletedOffset where they start.
     * @param deletedLength their total length.
     * @param deletedCount  how many rows.
     * @throws RecoveryException when the delta does not apply.
     */
    public void applyInTx(
        final MutTx tx,
        final int tableId,
        final DirectBuffer inserted,
        final int insertedOffset,
        final int insertedLength,
        final int insertedCount,
        final DirectBuffer deleted,
        final int deletedOffset,
        final int deletedLength,
        final int deletedCount)
    {
        final StoredTable table = tx.datastore().table(tableId);
        if (null == table)
        {
            throw new RecoveryException("replay: no table with id " + tableId, null);
        }
        final String name = table.schema().name();
        if (deletedCount > 0)
        {
            final int removed = tx.deleteEqualRows(tableId, deleted, deletedOffset, deletedLength, deletedCount);
            if (removed != deletedCount)
            {
                throw new RecoveryException("replay: table " + name + ": the log deletes " + deletedCount +
                    " rows but " + (removed < 0 ? "the delete failed: " + tx.lastError() : removed + " exist"), null);
            }
        }
        reader.wrap(inserted, insertedOffset, insertedLength);
        final Table rows = table.rows();
        final List<SequenceSchema> sequences = table.schema().sequences();
        for (int i = 0; ALL_ROWS == insertedCount ? !reader.isExhausted() : i < insertedCount; i++)
        {
            final int start = reader.position();
            try
            {
                Bsatn.skipValue(reader, table.schema().rowType());
            }
            catch (final BsatnDecodeException ex)
            {
                throw new RecoveryException("replay: table " + name + ": inserted row " + i + " is malformed: " +
                    ex.getMessage(), ex);
            }
            final int length = reader.position() - start;
            final long before = tx.visibleRowCount(table);
            final int rowId = tx.insert(tableId, inserted, start, length);
            if (rowId < 0)
            {
                throw new RecoveryException("replay: table " + name + ": inserted row " + i + " refused: " +
                    tx.lastError(), null);
            }
            if (tx.visibleRowCount(table) == before)
            {
                throw new RecoveryException("replay: table " + name + ": inserted row " + i +
                    " is already present", null);
            }
            if (!sequences.isEmpty())
            {
                if (!rows.rowEquals(rowId, inserted, start, length))
                {
                    throw new RecoveryException("replay: table " + name + ": inserted row " + i +
                        " holds 0 in an auto-increment column, so replay would draw a new value", null);
                }
                advanceSequences(table, sequences, rows, rowId);
            }
        }
        if (!reader.isExhausted())
        {
            throw new RecoveryException("replay: table " + name + ": bytes after the last of " + insertedCount +
                " inserted rows", null);
        }
    }

    /**
     * Counts the BSATN rows back to back in a buffer (a TxCommitted message carries lengths, not counts).
     *
     * @param table  the table whose row type they have.
     * @param buffer holding the rows.
     * @param offset where they start.
     * @param length their total length.
     * @return the number of rows.
     * @throws RecoveryException when the bytes are not whole rows.
     */
    public int countRows(final StoredTable table, final DirectBuffer buffer, final int offset, final int length)
    {
        if (0 == length)
        {
            return 0;
        }
        reader.wrap(buffer, offset, length);
        int count = 0;
        try
        {
            while (!reader.isExhausted())
            {
                Bsatn.skipValue(reader, table.schema().rowType());
                count++;
            }
        }
        catch (final BsatnDecodeException ex)
        {
            throw new RecoveryException("replay: table " + table.schema().name() + ": row " + count +
                " is malformed: " + ex.getMessage(), ex);
        }
        return count;
    }

    private static void advanceSequences(
        final StoredTable table, final List<SequenceSchema> sequences, final Table rows, final int rowId)
    {
        for (int s = 0; s < sequences.size(); s++)
        {
            final SequenceSchema sequence = sequences.get(s);
            final long value = rows.getLong(rowId, sequence.column());
            final long increment = sequence.increment();
            final long next = table.sequenceNext(s);
            if (increment > 0 ? value >= next : value <= next)
            {
                final long advanced = value + increment;
                final boolean overflowed = increment > 0 ? advanced < value : advanced > value;
                if (overflowed)
                {
                    table.sequenceExhausted(s, true);
                }
                else
                {
                    table.sequenceNext(s, advanced);
                }
            }
        }
    }
}
