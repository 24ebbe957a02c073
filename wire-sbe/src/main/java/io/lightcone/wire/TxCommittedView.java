package io.lightcone.wire;

import io.lightcone.wire.sbe.Outcome;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A decoded {@code TxCommitted}, as {@link CoreEgressListener#onTxCommitted(TxCommittedView)} sees it: the fixed
 * fields, and (offset, length) pairs into {@link #buffer()} for the names, the error message and each table's
 * inserted and deleted BSATN rows. Nothing is copied: {@link #buffer()} is the Aeron term buffer or, for a message
 * that arrived in fragments, the reassembly buffer; valid only during the callback. Reused by the adapter.
 */
public final class TxCommittedView
{
    DirectBuffer buffer;
    long databaseId;
    long txOffset;
    long timestampMicros;
    long callerConnectionIdLo;
    long callerConnectionIdHi;
    int callerIdentityOffset;
    long energyUsed;
    long durationMicros;
    int requestId;
    Outcome outcome;
    int reducerNameOffset;
    int reducerNameLength;
    int errorMessageOffset;
    int errorMessageLength;
    int tableCount;
    int[] tableIds = new int[8];
    int[] slices = new int[8 * 6];

    void addTable(
        final int tableId,
        final int nameOffset,
        final int nameLength,
        final int insertedOffset,
        final int insertedLength,
        final int deletedOffset,
        final int deletedLength)
    {
        if (tableCount == tableIds.length)
        {
            tableIds = Arrays.copyOf(tableIds, tableCount * 2);
            slices = Arrays.copyOf(slices, tableCount * 2 * 6);
        }
        tableIds[tableCount] = tableId;
        final int i = tableCount * 6;
        slices[i] = nameOffset;
        slices[i + 1] = nameLength;
        slices[i + 2] = insertedOffset;
        slices[i + 3] = insertedLength;
        slices[i + 4] = deletedOffset;
        slices[i + 5] = deletedLength;
        tableCount++;
    }

    /**
     * The buffer every offset refers to.
     *
     * @return the buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * The database.
     *
     * @return the database id.
     */
    public long databaseId()
    {
        return databaseId;
    }

    /**
     * The commit log offset.
     *
     * @return the tx offset.
     */
    public long txOffset()
    {
        return txOffset;
    }

    /**
     * The commit time.
     *
     * @return microseconds since the Unix epoch.
     */
    public long timestampMicros()
    {
        return timestampMicros;
    }

    /**
     * Caller ConnectionId, low 64 bits; zero with the high bits when there is no caller.
     *
     * @return the low bits.
     */
    public long callerConnectionIdLo()
    {
        return callerConnectionIdLo;
    }

    /**
     * Caller ConnectionId, high 64 bits.
     *
     * @return the high bits.
     */
    public long callerConnectionIdHi()
    {
        return callerConnectionIdHi;
    }

    /**
     * Offset in {@link #buffer()} of the caller's 32 byte little-endian Identity.
     *
     * @return the offset.
     */
    public int callerIdentityOffset()
    {
        return callerIdentityOffset;
    }

    /**
     * Energy used.
     *
     * @return energy quanta.
     */
    public long energyUsed()
    {
        return energyUsed;
    }

    /**
     * Execution time.
     *
     * @return microseconds.
     */
    public long durationMicros()
    {
        return durationMicros;
    }

    /**
     * Caller's request id, 0 when there is no caller.
     *
     * @return the request id.
     */
    public int requestId()
    {
        return requestId;
    }

    /**
     * How the transaction ended; {@link Outcome#SBE_UNKNOWN} for a value from a newer sender.
     *
     * @return the outcome.
     */
    public Outcome outcome()
    {
        return outcome;
    }

    /**
     * Offset of the UTF-8 reducer name.
     *
     * @return the offset.
     */
    public int reducerNameOffset()
    {
        return reducerNameOffset;
    }

    /**
     * Length of the reducer name, 0 for a transaction without a reducer.
     *
     * @return the length.
     */
    public int reducerNameLength()
    {
        return reducerNameLength;
    }

    /**
     * Offset of the UTF-8 error message.
     *
     * @return the offset.
     */
    public int errorMessageOffset()
    {
        return errorMessageOffset;
    }

    /**
     * Length of the error message.
     *
     * @return the length.
     */
    public int errorMessageLength()
    {
        return errorMessageLength;
    }

    /**
     * Number of table updates.
     *
     * @return the count.
     */
    public int tableCount()
    {
        return tableCount;
    }

    /**
     * Table id of update i.
     *
     * @param i index below {@link #tableCount()}.
     * @return the table id.
     */
    public int tableId(final int i)
    {
        return tableIds[i];
    }

    /**
     * Offset of the UTF-8 table name of update i.
     *
     * @param i index below {@link #tableCount()}.
     * @return the offset.
     */
    public int tableNameOffset(final int i)
    {
        return slices[i * 6];
    }

    /**
     * Length of the table name of update i.
     *
     * @param i index below {@link #tableCount()}.
     * @return the length.
     */
    public int tableNameLength(final int i)
    {
        return slices[i * 6 + 1];
    }

    /**
     * Offset of the inserted BSATN rows of update i.
     *
     * @param i index below {@link #tableCount()}.
     * @return the offset.
     */
    public int insertedOffset(final int i)
    {
        return slices[i * 6 + 2];
    }

    /**
     * Length of the inserted rows of update i.
     *
     * @param i index below {@link #tableCount()}.
     * @return the length.
     */
    public int insertedLength(final int i)
    {
        return slices[i * 6 + 3];
    }

    /**
     * Offset of the deleted BSATN rows of update i.
     *
     * @param i index below {@link #tableCount()}.
     * @return the offset.
     */
    public int deletedOffset(final int i)
    {
        return slices[i * 6 + 4];
    }

    /**
     * Length of the deleted rows of update i.
     *
     * @param i index below {@link #tableCount()}.
     * @return the length.
     */
    public int deletedLength(final int i)
    {
        return slices[i * 6 + 5];
    }

    /**
     * The reducer name as a String; allocates, for cold paths and tests.
     *
     * @return the name.
     */
    public String reducerName()
    {
        return buffer.getStringWithoutLengthUtf8(reducerNameOffset, reducerNameLength);
    }

    /**
     * The error message as a String; allocates, for cold paths and tests.
     *
     * @return the message.
     */
    public String errorMessage()
    {
        return buffer.getStringWithoutLengthUtf8(errorMessageOffset, errorMessageLength);
    }

    /**
     * The table name of update i as a String; allocates, for cold paths and tests.
     *
     * @param i index below {@link #tableCount()}.
     * @return the name.
     */
    public String tableName(final int i)
    {
        return buffer.getStringWithoutLengthUtf8(tableNameOffset(i), tableNameLength(i));
    }
}
