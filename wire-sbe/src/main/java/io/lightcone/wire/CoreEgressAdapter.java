package io.lightcone.wire;

import io.lightcone.wire.sbe.BooleanType;
import io.lightcone.wire.sbe.DatabaseSettingsDecoder;
import io.lightcone.wire.sbe.DurableDecoder;
import io.lightcone.wire.sbe.GroupSizeEncodingDecoder;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.ModuleLogDecoder;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureResultDecoder;
import io.lightcone.wire.sbe.ProcedureStatus;
import io.lightcone.wire.sbe.RequestCompletedDecoder;
import io.lightcone.wire.sbe.SchemaChangedDecoder;
import io.lightcone.wire.sbe.SnapshotChunkDecoder;
import io.lightcone.wire.sbe.TxCommittedDecoder;
import io.lightcone.wire.sbe.TxFailedDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Decodes what the core sends to an edge and hands it to a {@link CoreEgressListener}; poll the egress subscription
 * with it directly. Checks, counters and reassembly: {@link AbstractWireAdapter}.
 */
public final class CoreEgressAdapter extends AbstractWireAdapter
{
    private final CoreEgressListener listener;
    private final TxCommittedView txView = new TxCommittedView();
    private final TxCommittedDecoder txCommitted = new TxCommittedDecoder();
    private final TxFailedDecoder txFailed = new TxFailedDecoder();
    private final DurableDecoder durable = new DurableDecoder();
    private final SchemaChangedDecoder schemaChanged = new SchemaChangedDecoder();
    private final SnapshotChunkDecoder snapshotChunk = new SnapshotChunkDecoder();
    private final ModuleLogDecoder moduleLog = new ModuleLogDecoder();
    private final RequestCompletedDecoder requestCompleted = new RequestCompletedDecoder();
    private final ProcedureResultDecoder procedureResult = new ProcedureResultDecoder();
    private final DatabaseSettingsDecoder databaseSettings = new DatabaseSettingsDecoder();

    /**
     * An adapter with the configured maximum reassembly length.
     *
     * @param listener to deliver to.
     */
    public CoreEgressAdapter(final CoreEgressListener listener)
    {
        this(listener, WireConfiguration.maxReassemblyLength());
    }

    /**
     * An adapter with an explicit maximum reassembly length.
     *
     * @param listener            to deliver to.
     * @param maxReassemblyLength largest message reassembled from fragments.
     */
    public CoreEgressAdapter(final CoreEgressListener listener, final int maxReassemblyLength)
    {
        super(maxReassemblyLength);
        this.listener = listener;
    }

    boolean dispatch(
        final int templateId,
        final DirectBuffer buffer,
        final int offset,
        final int blockLength,
        final int version,
        final int end)
    {
        switch (templateId)
        {
            case TxCommittedDecoder.TEMPLATE_ID:
                onTxCommitted(buffer, offset, blockLength, version, end);
                return true;
            case TxFailedDecoder.TEMPLATE_ID:
                onTxFailed(buffer, offset, blockLength, version, end);
                return true;
            case DurableDecoder.TEMPLATE_ID:
                onDurable(buffer, offset, blockLength, version);
                return true;
            case SchemaChangedDecoder.TEMPLATE_ID:
                onSchemaChanged(buffer, offset, blockLength, version, end);
                return true;
            case SnapshotChunkDecoder.TEMPLATE_ID:
                onSnapshotChunk(buffer, offset, blockLength, version, end);
                return true;
            case ModuleLogDecoder.TEMPLATE_ID:
                onModuleLog(buffer, offset, blockLength, version, end);
                return true;
            case DatabaseSettingsDecoder.TEMPLATE_ID:
                onDatabaseSettings(buffer, offset, blockLength, version, end);
                return true;
            case RequestCompletedDecoder.TEMPLATE_ID:
                onRequestCompleted(buffer, offset, blockLength, version, end);
                return true;
            case ProcedureResultDecoder.TEMPLATE_ID:
                onProcedureResult(buffer, offset, blockLength, version, end);
                return true;
            default:
                return false;
        }
    }

    private void onTxCommitted(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < TxCommittedDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final TxCommittedDecoder d = txCommitted.wrap(buffer, offset, blockLength, version);
        final TxCommittedView v = txView;
        v.buffer = buffer;
        v.databaseId = d.databaseId();
        v.txOffset = d.txOffset();
        v.timestampMicros = d.timestampMicros();
        v.callerConnectionIdLo = d.callerConnectionId().lo();
        v.callerConnectionIdHi = d.callerConnectionId().hi();
        v.callerIdentityOffset = offset + TxCommittedDecoder.callerIdentityEncodingOffset();
        v.energyUsed = d.energyUsed();
        v.durationMicros = d.durationMicros();
        v.requestId = (int)d.requestId();
        v.outcome = d.outcome();
        v.tableCount = 0;

        final int groupHeader = d.limit();
        if (groupHeader > end - GroupSizeEncodingDecoder.ENCODED_LENGTH)
        {
            malformed();
            return;
        }
        final int entryBlockLength = buffer.getShort(groupHeader, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (entryBlockLength < TxCommittedDecoder.TableUpdatesDecoder.sbeBlockLength())
        {
            malformed();
            return;
        }
        final TxCommittedDecoder.TableUpdatesDecoder tables = d.tableUpdates();
        for (int i = 0, count = tables.count(); i < count; i++)
        {
            if (d.limit() > end - entryBlockLength)
            {
                malformed();
                return;
            }
            final int tableId = (int)tables.next().tableId();
            if (!readVar(buffer, d.limit(), end))
            {
                malformed();
                return;
            }
            final int nameOffset = varOffset();
            final int nameLength = varLength();
            tables.skipTableName();
            if (!readVar(buffer, d.limit(), end))
            {
                malformed();
                return;
            }
            final int insertedOffset = varOffset();
            final int insertedLength = varLength();
            tables.skipInserted();
            if (!readVar(buffer, d.limit(), end))
            {
                malformed();
                return;
            }
            tables.skipDeleted();
            v.addTable(tableId, nameOffset, nameLength, insertedOffset, insertedLength, varOffset(), varLength());
        }
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        v.reducerNameOffset = varOffset();
        v.reducerNameLength = varLength();
        d.skipReducerName();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        v.errorMessageOffset = varOffset();
        v.errorMessageLength = varLength();
        d.skipErrorMessage();
        listener.onTxCommitted(v);
    }

    private void onTxFailed(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < TxFailedDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final TxFailedDecoder d = txFailed.wrap(buffer, offset, blockLength, version);
        final long databaseId = d.databaseId();
        final long connectionIdLo = d.callerConnectionId().lo();
        final long connectionIdHi = d.callerConnectionId().hi();
        final long timestampMicros = d.timestampMicros();
        final long energyUsed = d.energyUsed();
        final long durationMicros = d.durationMicros();
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        final Outcome outcome = d.outcome();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        final int nameOffset = varOffset();
        final int nameLength = varLength();
        d.skipReducerName();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipMessage();
        listener.onTxFailed(
            buffer, databaseId, edgeId, requestId, connectionIdLo, connectionIdHi, timestampMicros, energyUsed,
            durationMicros, outcome, nameOffset, nameLength, varOffset(), varLength());
    }

    private void onDurable(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (blockLength < DurableDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final DurableDecoder d = durable.wrap(buffer, offset, blockLength, version);
        listener.onDurable(d.databaseId(), d.upToTxOffset());
    }

    private void onSchemaChanged(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < SchemaChangedDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final SchemaChangedDecoder d = schemaChanged.wrap(buffer, offset, blockLength, version);
        final long databaseId = d.databaseId();
        final long txOffset = d.txOffset();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        final int nameOffset = varOffset();
        final int nameLength = varLength();
        d.skipDatabaseName();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        final int schemaOffset = varOffset();
        final int schemaLength = varLength();
        d.skipSchema();
        int ownerOffset = -1;
        int moduleDefOffset = 0;
        int moduleDefLength = 0;
        if (version >= SchemaChangedDecoder.ownerIdentitySinceVersion())
        {
            if (!readVar(buffer, d.limit(), end))
            {
                malformed();
                return;
            }
            if (varLength() == WireConstants.IDENTITY_LENGTH)
            {
                ownerOffset = varOffset();
            }
            d.skipOwnerIdentity();
            if (!readVar(buffer, d.limit(), end))
            {
                malformed();
                return;
            }
            moduleDefOffset = varOffset();
            moduleDefLength = varLength();
            d.skipModuleDef();
        }
        listener.onSchemaChanged(
            buffer, databaseId, txOffset, offset + SchemaChangedDecoder.databaseIdentityEncodingOffset(),
            nameOffset, nameLength, schemaOffset, schemaLength, ownerOffset, moduleDefOffset, moduleDefLength);
    }

    private void onSnapshotChunk(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < SnapshotChunkDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final SnapshotChunkDecoder d = snapshotChunk.wrap(buffer, offset, blockLength, version);
        final long databaseId = d.databaseId();
        final long txOffset = d.txOffset();
        final int edgeId = (int)d.edgeId();
        final int chunkIndex = (int)d.chunkIndex();
        final boolean last = d.last() == BooleanType.TRUE;
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipBytes();
        listener.onSnapshotChunk(buffer, databaseId, txOffset, edgeId, chunkIndex, last, varOffset(), varLength());
    }

    private void onModuleLog(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < ModuleLogDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final ModuleLogDecoder d = moduleLog.wrap(buffer, offset, blockLength, version);
        final long databaseId = d.databaseId();
        final long timestampMicros = d.timestampMicros();
        final LogLevel level = d.level();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipMessage();
        listener.onModuleLog(buffer, databaseId, timestampMicros, level, varOffset(), varLength());
    }

    private void onRequestCompleted(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < RequestCompletedDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final RequestCompletedDecoder d = requestCompleted.wrap(buffer, offset, blockLength, version);
        final long databaseId = d.databaseId();
        final long txOffset = d.txOffset();
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        final Outcome outcome = d.outcome();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipMessage();
        listener.onRequestCompleted(
            buffer, databaseId, txOffset, edgeId, requestId, outcome, varOffset(), varLength());
    }

    private void onProcedureResult(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < ProcedureResultDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final ProcedureResultDecoder d = procedureResult.wrap(buffer, offset, blockLength, version);
        final long databaseId = d.databaseId();
        final long txOffset = d.txOffset();
        final long connectionIdLo = d.connectionId().lo();
        final long connectionIdHi = d.connectionId().hi();
        final long timestampMicros = d.timestampMicros();
        final long durationMicros = d.durationMicros();
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        final ProcedureStatus status = d.status();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        final int returnValueOffset = varOffset();
        final int returnValueLength = varLength();
        d.skipReturnValue();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipErrorMessage();
        listener.onProcedureResult(
            buffer, databaseId, txOffset, edgeId, requestId, connectionIdLo, connectionIdHi, timestampMicros,
            durationMicros, status, returnValueOffset, returnValueLength, varOffset(), varLength());
    }

    private void onDatabaseSettings(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < DatabaseSettingsDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final DatabaseSettingsDecoder d = databaseSettings.wrap(buffer, offset, blockLength, version);
        final long databaseId = d.databaseId();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        final int namesOffset = varOffset();
        final int namesLength = varLength();
        d.skipNames();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        final int variablesOffset = varOffset();
        final int variablesLength = varLength();
        d.skipVariables();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipProgramHash();
        listener.onDatabaseSettings(buffer, databaseId, namesOffset, namesLength, variablesOffset, variablesLength,
            varOffset(), varLength());
    }
}
