package io.lightcone.wire;

import io.lightcone.wire.sbe.BooleanType;
import io.lightcone.wire.sbe.DatabaseSettingsEncoder;
import io.lightcone.wire.sbe.DurableEncoder;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.MessageHeaderEncoder;
import io.lightcone.wire.sbe.ModuleLogEncoder;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureResultEncoder;
import io.lightcone.wire.sbe.ProcedureStatus;
import io.lightcone.wire.sbe.RequestCompletedEncoder;
import io.lightcone.wire.sbe.SchemaChangedEncoder;
import io.lightcone.wire.sbe.SnapshotChunkEncoder;
import io.lightcone.wire.sbe.TxCommittedEncoder;
import io.lightcone.wire.sbe.TxFailedEncoder;
import org.agrona.DirectBuffer;

/**
 * What the core sends to the edges (egress). One method per message, allocation free; var-data arguments are
 * (buffer, offset, length) slices copied during the call. Each returns {@code true} when the message was accepted and
 * {@code false} on back pressure or another refusal (see {@link AbstractWireProxy}); the transaction loop keeps the
 * message and retries, slowing its ingress meanwhile: a commit is never dropped.
 */
public final class CoreEgressProxy extends AbstractWireProxy
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int VAR = 4;

    /**
     * Bytes of a SnapshotChunk message around its data.
     */
    public static final int SNAPSHOT_CHUNK_OVERHEAD = HEADER + SnapshotChunkEncoder.BLOCK_LENGTH + VAR;

    private final TxCommittedEncoder txCommitted = new TxCommittedEncoder();
    private final TxFailedEncoder txFailed = new TxFailedEncoder();
    private final DurableEncoder durable = new DurableEncoder();
    private final SchemaChangedEncoder schemaChanged = new SchemaChangedEncoder();
    private final SnapshotChunkEncoder snapshotChunk = new SnapshotChunkEncoder();
    private final ModuleLogEncoder moduleLog = new ModuleLogEncoder();
    private final DatabaseSettingsEncoder databaseSettings = new DatabaseSettingsEncoder();
    private final RequestCompletedEncoder requestCompleted = new RequestCompletedEncoder();
    private final ProcedureResultEncoder procedureResult = new ProcedureResultEncoder();

    /**
     * A proxy with the configured limits ({@link WireConfiguration}).
     *
     * @param publication to the edges.
     */
    public CoreEgressProxy(final WirePublication publication)
    {
        this(publication, WireConfiguration.maxMessageLength(), WireConfiguration.maxReassemblyLength());
    }

    /**
     * A proxy with explicit limits.
     *
     * @param publication         to the edges.
     * @param maxMessageLength    largest message in one piece (capped by the publication's max payload).
     * @param maxReassemblyLength largest message sent at all, as fragments.
     */
    public CoreEgressProxy(
        final WirePublication publication, final int maxMessageLength, final int maxReassemblyLength)
    {
        super(publication, maxMessageLength, maxReassemblyLength);
    }

    /**
     * A committed transaction; one longer than {@link #maxMessageLength()} goes as fragments.
     *
     * @param tx the transaction, whose referenced buffers are copied now.
     * @return true if accepted.
     */
    public boolean txCommitted(final TxCommittedBuilder tx)
    {
        final int offset = claim(tx.encodedLength());
        if (offset < 0)
        {
            return false;
        }
        tx.encode(txCommitted, headerEncoder, claimedBuffer(), offset);
        return commit();
    }

    /**
     * A call that did not commit.
     *
     * @param databaseId      database of the call.
     * @param edgeId          edge of the caller.
     * @param requestId       caller's request id.
     * @param connectionIdLo  caller ConnectionId, low 64 bits.
     * @param connectionIdHi  caller ConnectionId, high 64 bits.
     * @param timestampMicros when the call ran.
     * @param energyUsed      energy quanta used.
     * @param durationMicros  execution time.
     * @param outcome         why it failed.
     * @param name            buffer holding the UTF-8 reducer name.
     * @param nameOffset      offset of the name.
     * @param nameLength      length of the name.
     * @param message         buffer holding the UTF-8 error message.
     * @param messageOffset   offset of the message.
     * @param messageLength   length of the message.
     * @return true if accepted.
     */
    public boolean txFailed(
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long timestampMicros,
        final long energyUsed,
        final long durationMicros,
        final Outcome outcome,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer message,
        final int messageOffset,
        final int messageLength)
    {
        final long length = HEADER + TxFailedEncoder.BLOCK_LENGTH + VAR + (long)nameLength + VAR + messageLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        txFailed.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder).databaseId(databaseId);
        putConnectionId(txFailed.callerConnectionId(), connectionIdLo, connectionIdHi);
        txFailed
            .timestampMicros(timestampMicros)
            .energyUsed(energyUsed)
            .durationMicros(durationMicros)
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .outcome(outcome)
            .putReducerName(name, nameOffset, nameLength)
            .putMessage(message, messageOffset, messageLength);
        return commit();
    }

    /**
     * Every transaction of a database up to an offset is durable.
     *
     * @param databaseId   the database.
     * @param upToTxOffset last durable tx offset, inclusive.
     * @return true if accepted.
     */
    public boolean durable(final long databaseId, final long upToTxOffset)
    {
        final int offset = claim(HEADER + DurableEncoder.BLOCK_LENGTH);
        if (offset < 0)
        {
            return false;
        }
        durable.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder)
            .databaseId(databaseId)
            .upToTxOffset(upToTxOffset);
        return commit();
    }

    /**
     * A database was created or its schema changed, without owner or module definition (both sent empty).
     *
     * @param databaseId     the database.
     * @param txOffset       tx in which it changed.
     * @param identity       buffer holding the database Identity.
     * @param identityOffset offset of the 32 byte Identity.
     * @param name           buffer holding the UTF-8 database name.
     * @param nameOffset     offset of the name.
     * @param nameLength     length of the name.
     * @param schema         buffer holding the BSATN schema.
     * @param schemaOffset   offset of the schema.
     * @param schemaLength   length of the schema.
     * @return true if accepted.
     */
    public boolean schemaChanged(
        final long databaseId,
        final long txOffset,
        final DirectBuffer identity,
        final int identityOffset,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer schema,
        final int schemaOffset,
        final int schemaLength)
    {
        return schemaChanged(databaseId, txOffset, identity, identityOffset, name, nameOffset, nameLength, schema,
            schemaOffset, schemaLength, WireConstants.EMPTY_BUFFER, 0, 0, WireConstants.EMPTY_BUFFER, 0, 0);
    }

    /**
     * A database was created or its schema changed; a message longer than {@link #maxMessageLength()} (a large
     * module definition) goes as fragments.
     *
     * @param databaseId      the database.
     * @param txOffset        tx in which it changed.
     * @param identity        buffer holding the database Identity.
     * @param identityOffset  offset of the 32 byte Identity.
     * @param name            buffer holding the UTF-8 database name.
     * @param nameOffset      offset of the name.
     * @param nameLength      length of the name.
     * @param schema          buffer holding the BSATN schema.
     * @param schemaOffset    offset of the schema.
     * @param schemaLength    length of the schema.
     * @param owner           buffer holding the owner Identity.
     * @param ownerOffset     offset of the owner Identity.
     * @param ownerLength     32, or 0 when there is none (a deleted database).
     * @param moduleDef       buffer holding the BSATN RawModuleDef.
     * @param moduleDefOffset offset of the RawModuleDef.
     * @param moduleDefLength its length, 0 when there is none.
     * @return true if accepted.
     */
    public boolean schemaChanged(
        final long databaseId,
        final long txOffset,
        final DirectBuffer identity,
        final int identityOffset,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer schema,
        final int schemaOffset,
        final int schemaLength,
        final DirectBuffer owner,
        final int ownerOffset,
        final int ownerLength,
        final DirectBuffer moduleDef,
        final int moduleDefOffset,
        final int moduleDefLength)
    {
        final long length = HEADER + SchemaChangedEncoder.BLOCK_LENGTH + VAR + (long)nameLength + VAR + schemaLength +
            VAR + ownerLength + VAR + moduleDefLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        schemaChanged.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder)
            .databaseId(databaseId)
            .txOffset(txOffset);
        putIdentity(schemaChanged.databaseIdentity(), identity, identityOffset);
        schemaChanged
            .putDatabaseName(name, nameOffset, nameLength)
            .putSchema(schema, schemaOffset, schemaLength)
            .putOwnerIdentity(owner, ownerOffset, ownerLength)
            .putModuleDef(moduleDef, moduleDefOffset, moduleDefLength);
        return commit();
    }

    /**
     * A piece of a snapshot for a bootstrapping edge. Size chunks to {@link #maxMessageLength()} less
     * {@link #SNAPSHOT_CHUNK_OVERHEAD} to avoid a second level of fragmentation.
     *
     * @param databaseId  the database.
     * @param txOffset    the snapshot holds every tx up to here.
     * @param edgeId      the edge being bootstrapped.
     * @param chunkIndex  0, 1, 2... within this snapshot.
     * @param last        true on the final chunk.
     * @param bytes       buffer holding the chunk.
     * @param bytesOffset offset of the chunk.
     * @param bytesLength length of the chunk.
     * @return true if accepted.
     */
    public boolean snapshotChunk(
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int chunkIndex,
        final boolean last,
        final DirectBuffer bytes,
        final int bytesOffset,
        final int bytesLength)
    {
        final int offset = claim(SNAPSHOT_CHUNK_OVERHEAD + (long)bytesLength);
        if (offset < 0)
        {
            return false;
        }
        snapshotChunk.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder)
            .databaseId(databaseId)
            .txOffset(txOffset)
            .edgeId(u32(edgeId))
            .chunkIndex(u32(chunkIndex))
            .last(last ? BooleanType.TRUE : BooleanType.FALSE)
            .putBytes(bytes, bytesOffset, bytesLength);
        return commit();
    }

    /**
     * A module log record.
     *
     * @param databaseId      the database whose module logged.
     * @param timestampMicros when.
     * @param level           log level.
     * @param message         buffer holding the UTF-8 message.
     * @param messageOffset   offset of the message.
     * @param messageLength   length of the message.
     * @return true if accepted.
     */
    public boolean moduleLog(
        final long databaseId,
        final long timestampMicros,
        final LogLevel level,
        final DirectBuffer message,
        final int messageOffset,
        final int messageLength)
    {
        final long length = HEADER + ModuleLogEncoder.BLOCK_LENGTH + VAR + (long)messageLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        moduleLog.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder)
            .databaseId(databaseId)
            .timestampMicros(timestampMicros)
            .level(level)
            .putMessage(message, messageOffset, messageLength);
        return commit();
    }

    /**
     * Reply to SqlDml, PublishModule or DeleteDatabase.
     *
     * @param databaseId    the database, 0 when none.
     * @param txOffset      tx it committed in, 0 when none.
     * @param edgeId        edge of the requester.
     * @param requestId     the request.
     * @param outcome       how it ended.
     * @param message       buffer holding the UTF-8 message (error text or a note).
     * @param messageOffset offset of the message.
     * @param messageLength length of the message.
     * @return true if accepted.
     */
    public boolean requestCompleted(
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final Outcome outcome,
        final DirectBuffer message,
        final int messageOffset,
        final int messageLength)
    {
        final long length = HEADER + RequestCompletedEncoder.BLOCK_LENGTH + VAR + (long)messageLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        requestCompleted.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder)
            .databaseId(databaseId)
            .txOffset(txOffset)
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .outcome(outcome)
            .putMessage(message, messageOffset, messageLength);
        return commit();
    }

    /**
     * The reply to a CallProcedure.
     *
     * @param databaseId         database of the call.
     * @param txOffset           last tx the procedure committed, 0 when none.
     * @param edgeId             edge of the caller.
     * @param requestId          caller's request id.
     * @param connectionIdLo     caller ConnectionId, low 64 bits.
     * @param connectionIdHi     caller ConnectionId, high 64 bits.
     * @param timestampMicros    when the procedure started.
     * @param durationMicros     host execution time.
     * @param status             how it ended.
     * @param returnValue        buffer holding the BSATN return value.
     * @param returnValueOffset  offset of the return value.
     * @param returnValueLength  length of the return value (0 unless RETURNED).
     * @param errorMessage       buffer holding the UTF-8 error message.
     * @param errorMessageOffset offset of the error message.
     * @param errorMessageLength length of the error message (0 when RETURNED).
     * @return true if accepted.
     */
    public boolean procedureResult(
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final long timestampMicros,
        final long durationMicros,
        final ProcedureStatus status,
        final DirectBuffer returnValue,
        final int returnValueOffset,
        final int returnValueLength,
        final DirectBuffer errorMessage,
        final int errorMessageOffset,
        final int errorMessageLength)
    {
        final long length = HEADER + ProcedureResultEncoder.BLOCK_LENGTH + VAR + (long)returnValueLength + VAR +
            errorMessageLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        procedureResult.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder)
            .databaseId(databaseId)
            .txOffset(txOffset);
        putConnectionId(procedureResult.connectionId(), connectionIdLo, connectionIdHi);
        procedureResult
            .timestampMicros(timestampMicros)
            .durationMicros(durationMicros)
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .status(status)
            .putReturnValue(returnValue, returnValueOffset, returnValueLength)
            .putErrorMessage(errorMessage, errorMessageOffset, errorMessageLength);
        return commit();
    }

    /**
     * A live database's names, variables and program hash.
     *
     * @param databaseId      the database.
     * @param names           buffer holding its names, UTF-8, separated by newlines.
     * @param namesOffset     offset of the names.
     * @param namesLength     length of the names.
     * @param variables       buffer holding its variables, UTF-8 {@code name=value} lines.
     * @param variablesOffset offset of the variables.
     * @param variablesLength length of the variables.
     * @param hash            buffer holding the 32 byte program hash.
     * @param hashOffset      offset of the hash.
     * @param hashLength      32, or 0 when unknown.
     * @return true if accepted.
     */
    public boolean databaseSettings(
        final long databaseId,
        final DirectBuffer names,
        final int namesOffset,
        final int namesLength,
        final DirectBuffer variables,
        final int variablesOffset,
        final int variablesLength,
        final DirectBuffer hash,
        final int hashOffset,
        final int hashLength)
    {
        final long length = HEADER + DatabaseSettingsEncoder.BLOCK_LENGTH + VAR + (long)namesLength + VAR +
            variablesLength + VAR + hashLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        databaseSettings.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder)
            .databaseId(databaseId)
            .putNames(names, namesOffset, namesLength)
            .putVariables(variables, variablesOffset, variablesLength)
            .putProgramHash(hash, hashOffset, hashLength);
        return commit();
    }
}
