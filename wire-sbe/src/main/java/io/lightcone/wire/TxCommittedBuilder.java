package io.lightcone.wire;

import io.lightcone.wire.sbe.GroupSizeEncodingEncoder;
import io.lightcone.wire.sbe.MessageHeaderEncoder;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.TxCommittedEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A reusable description of a committed transaction for {@link CoreEgressProxy#txCommitted(TxCommittedBuilder)}:
 * the fixed fields plus, per table, references to the table name and the inserted and deleted BSATN rows. Nothing is
 * copied until the proxy encodes, so the referenced buffers must stay unchanged until then. Allocation free once the
 * table arrays have grown to the widest transaction seen.
 */
public final class TxCommittedBuilder
{
    /**
     * At most this many tables per transaction (the group count is a u16).
     */
    public static final int MAX_TABLES = 65_535;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int VAR = 4;

    private long databaseId;
    private long txOffset;
    private long timestampMicros;
    private long callerConnectionIdLo;
    private long callerConnectionIdHi;
    private final long[] callerIdentity = new long[4];
    private long energyUsed;
    private long durationMicros;
    private int requestId;
    private Outcome outcome = Outcome.COMMITTED;
    private DirectBuffer reducerName = WireConstants.EMPTY_BUFFER;
    private int reducerNameOffset;
    private int reducerNameLength;
    private DirectBuffer errorMessage = WireConstants.EMPTY_BUFFER;
    private int errorMessageOffset;
    private int errorMessageLength;

    private int tableCount;
    private int[] tableIds = new int[8];
    private DirectBuffer[] buffers = new DirectBuffer[8 * 3];
    private int[] offsets = new int[8 * 3];
    private int[] lengths = new int[8 * 3];

    /**
     * Clear every field and table for the next transaction.
     *
     * @return this.
     */
    public TxCommittedBuilder reset()
    {
        databaseId = 0;
        txOffset = 0;
        timestampMicros = 0;
        callerConnectionIdLo = 0;
        callerConnectionIdHi = 0;
        Arrays.fill(callerIdentity, 0);
        energyUsed = 0;
        durationMicros = 0;
        requestId = 0;
        outcome = Outcome.COMMITTED;
        reducerName(WireConstants.EMPTY_BUFFER, 0, 0);
        errorMessage(WireConstants.EMPTY_BUFFER, 0, 0);
        Arrays.fill(buffers, 0, tableCount * 3, null);
        tableCount = 0;
        return this;
    }

    /**
     * Set the database.
     *
     * @param databaseId of the transaction.
     * @return this.
     */
    public TxCommittedBuilder databaseId(final long databaseId)
    {
        this.databaseId = databaseId;
        return this;
    }

    /**
     * Set the commit log offset.
     *
     * @param txOffset of the transaction.
     * @return this.
     */
    public TxCommittedBuilder txOffset(final long txOffset)
    {
        this.txOffset = txOffset;
        return this;
    }

    /**
     * Set the commit timestamp.
     *
     * @param timestampMicros microseconds since the Unix epoch.
     * @return this.
     */
    public TxCommittedBuilder timestampMicros(final long timestampMicros)
    {
        this.timestampMicros = timestampMicros;
        return this;
    }

    /**
     * Set the caller; leave unset (zero) for a transaction without a caller.
     *
     * @param connectionIdLo caller ConnectionId, low 64 bits.
     * @param connectionIdHi caller ConnectionId, high 64 bits.
     * @param requestId      caller's request id.
     * @param identity       buffer holding the caller Identity.
     * @param identityOffset offset of the 32 byte Identity.
     * @return this.
     */
    public TxCommittedBuilder caller(
        final long connectionIdLo,
        final long connectionIdHi,
        final int requestId,
        final DirectBuffer identity,
        final int identityOffset)
    {
        this.callerConnectionIdLo = connectionIdLo;
        this.callerConnectionIdHi = connectionIdHi;
        this.requestId = requestId;
        for (int i = 0; i < 4; i++)
        {
            callerIdentity[i] = identity.getLong(identityOffset + i * 8, LE);
        }
        return this;
    }

    /**
     * Set the outcome.
     *
     * @param outcome of the transaction.
     * @return this.
     */
    public TxCommittedBuilder outcome(final Outcome outcome)
    {
        this.outcome = outcome;
        return this;
    }

    /**
     * Set the energy used.
     *
     * @param energyUsed energy quanta.
     * @return this.
     */
    public TxCommittedBuilder energyUsed(final long energyUsed)
    {
        this.energyUsed = energyUsed;
        return this;
    }

    /**
     * Set the execution duration.
     *
     * @param durationMicros microseconds.
     * @return this.
     */
    public TxCommittedBuilder durationMicros(final long durationMicros)
    {
        this.durationMicros = durationMicros;
        return this;
    }

    /**
     * Set the reducer name.
     *
     * @param buffer holding the UTF-8 name.
     * @param offset of the name.
     * @param length of the name.
     * @return this.
     */
    public TxCommittedBuilder reducerName(final DirectBuffer buffer, final int offset, final int length)
    {
        reducerName = buffer;
        reducerNameOffset = offset;
        reducerNameLength = length;
        return this;
    }

    /**
     * Set the error message.
     *
     * @param buffer holding the UTF-8 message.
     * @param offset of the message.
     * @param length of the message.
     * @return this.
     */
    public TxCommittedBuilder errorMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        errorMessage = buffer;
        errorMessageOffset = offset;
        errorMessageLength = length;
        return this;
    }

    /**
     * Add one table's update.
     *
     * @param tableId        the table.
     * @param name           buffer holding the UTF-8 table name.
     * @param nameOffset     offset of the name.
     * @param nameLength     length of the name.
     * @param inserted       buffer holding the inserted BSATN rows, back to back.
     * @param insertedOffset offset of the inserted rows.
     * @param insertedLength length of the inserted rows.
     * @param deleted        buffer holding the deleted BSATN rows, back to back.
     * @param deletedOffset  offset of the deleted rows.
     * @param deletedLength  length of the deleted rows.
     * @return this.
     */
    public TxCommittedBuilder addTable(
        final int tableId,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer inserted,
        final int insertedOffset,
        final int insertedLength,
        final DirectBuffer deleted,
        final int deletedOffset,
        final int deletedLength)
    {
        if (tableCount == MAX_TABLES)
        {
            throw new IllegalStateException("more than " + MAX_TABLES + " tables in one transaction");
        }
        if (tableCount == tableIds.length)
        {
            final int capacity = Math.min(MAX_TABLES, tableCount * 2);
            tableIds = Arrays.copyOf(tableIds, capacity);
            buffers = Arrays.copyOf(buffers, capacity * 3);
            offsets = Arrays.copyOf(offsets, capacity * 3);
            lengths = Arrays.copyOf(lengths, capacity * 3);
        }
        tableIds[tableCount] = tableId;
        final int i = tableCount * 3;
        set(i, name, nameOffset, nameLength);
        set(i + 1, inserted, insertedOffset, insertedLength);
        set(i + 2, deleted, deletedOffset, deletedLength);
        tableCount++;
        return this;
    }

    /**
     * Tables added so far.
     *
     * @return the count.
     */
    public int tableCount()
    {
        return tableCount;
    }

    /**
     * Length of the whole encoded message, header included (may exceed an int for an absurd transaction).
     *
     * @return the encoded length.
     */
    public long encodedLength()
    {
        long length = MessageHeaderEncoder.ENCODED_LENGTH + TxCommittedEncoder.BLOCK_LENGTH +
            GroupSizeEncodingEncoder.ENCODED_LENGTH + VAR + reducerNameLength + VAR + errorMessageLength;
        for (int i = 0, n = tableCount * 3; i < n; i++)
        {
            length += VAR + lengths[i];
        }
        return length + (long)tableCount * TxCommittedEncoder.TableUpdatesEncoder.sbeBlockLength();
    }

    void encode(
        final TxCommittedEncoder encoder,
        final MessageHeaderEncoder headerEncoder,
        final MutableDirectBuffer buffer,
        final int offset)
    {
        encoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .databaseId(databaseId)
            .txOffset(txOffset)
            .timestampMicros(timestampMicros);
        encoder.callerConnectionId().lo(callerConnectionIdLo).hi(callerConnectionIdHi);
        encoder.callerIdentity().w0(callerIdentity[0]).w1(callerIdentity[1]).w2(callerIdentity[2])
            .w3(callerIdentity[3]);
        encoder
            .energyUsed(energyUsed)
            .durationMicros(durationMicros)
            .requestId(requestId & 0xFFFF_FFFFL)
            .outcome(outcome);
        final TxCommittedEncoder.TableUpdatesEncoder tables = encoder.tableUpdatesCount(tableCount);
        for (int t = 0; t < tableCount; t++)
        {
            final int i = t * 3;
            tables.next()
                .tableId(tableIds[t] & 0xFFFF_FFFFL)
                .putTableName(buffers[i], offsets[i], lengths[i])
                .putInserted(buffers[i + 1], offsets[i + 1], lengths[i + 1])
                .putDeleted(buffers[i + 2], offsets[i + 2], lengths[i + 2]);
        }
        encoder
            .putReducerName(reducerName, reducerNameOffset, reducerNameLength)
            .putErrorMessage(errorMessage, errorMessageOffset, errorMessageLength);
    }

    private void set(final int i, final DirectBuffer buffer, final int offset, final int length)
    {
        buffers[i] = null == buffer ? WireConstants.EMPTY_BUFFER : buffer;
        offsets[i] = null == buffer ? 0 : offset;
        lengths[i] = null == buffer ? 0 : length;
    }
}
