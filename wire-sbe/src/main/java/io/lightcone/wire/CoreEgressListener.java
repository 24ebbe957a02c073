package io.lightcone.wire;

import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.agrona.DirectBuffer;

/**
 * What an edge receives from the core, decoded by {@link CoreEgressAdapter}. Every offset refers to the
 * {@code buffer} argument (or the view's buffer) of the same call and is valid only during it. Enum values a newer
 * core added arrive as {@code SBE_UNKNOWN}. Every method does nothing by default, so a listener implements only
 * what it needs.
 */
public interface CoreEgressListener
{
    /**
     * A committed transaction (reassembled if it came in fragments).
     *
     * @param tx flyweight view, reused after the call.
     */
    default void onTxCommitted(TxCommittedView tx)
    {
    }

    /**
     * A call that did not commit.
     *
     * @param buffer          holding the message.
     * @param databaseId      database of the call.
     * @param edgeId          edge of the caller.
     * @param requestId       caller's request id.
     * @param connectionIdLo  caller ConnectionId, low 64 bits.
     * @param connectionIdHi  caller ConnectionId, high 64 bits.
     * @param timestampMicros when the call ran.
     * @param energyUsed      energy quanta used.
     * @param durationMicros  execution time.
     * @param outcome         why it failed.
     * @param nameOffset      offset of the reducer name.
     * @param nameLength      length of the reducer name.
     * @param messageOffset   offset of the error message.
     * @param messageLength   length of the error message.
     */
    default void onTxFailed(
        DirectBuffer buffer,
        long databaseId,
        int edgeId,
        int requestId,
        long connectionIdLo,
        long connectionIdHi,
        long timestampMicros,
        long energyUsed,
        long durationMicros,
        Outcome outcome,
        int nameOffset,
        int nameLength,
        int messageOffset,
        int messageLength)
    {
    }

    /**
     * Everything of a database up to an offset is durable.
     *
     * @param databaseId   the database.
     * @param upToTxOffset last durable tx offset, inclusive.
     */
    default void onDurable(long databaseId, long upToTxOffset)
    {
    }

    /**
     * A database was created or its schema changed.
     *
     * @param buffer                 holding the message.
     * @param databaseId             the database.
     * @param txOffset               tx in which it changed.
     * @param databaseIdentityOffset offset of the database Identity.
     * @param nameOffset             offset of the database name.
     * @param nameLength             length of the database name.
     * @param schemaOffset           offset of the BSATN schema.
     * @param schemaLength           length of the BSATN schema.
     */
    default void onSchemaChanged(
        DirectBuffer buffer,
        long databaseId,
        long txOffset,
        int databaseIdentityOffset,
        int nameOffset,
        int nameLength,
        int schemaOffset,
        int schemaLength)
    {
    }

    /**
     * A database was created or its schema changed, with what a version 2 sender adds: the owner and the module's
     * RawModuleDef. The default hands the version 1 part to the other {@code onSchemaChanged}.
     *
     * @param buffer                 holding the message.
     * @param databaseId             the database.
     * @param txOffset               tx in which it changed.
     * @param databaseIdentityOffset offset of the database Identity.
     * @param nameOffset             offset of the database name.
     * @param nameLength             length of the database name.
     * @param schemaOffset           offset of the BSATN schema.
     * @param schemaLength           length of the BSATN schema.
     * @param ownerOffset            offset of the 32 byte owner Identity, or -1 when the sender did not send one.
     * @param moduleDefOffset        offset of the BSATN RawModuleDef.
     * @param moduleDefLength        its length; 0 when the sender did not send one.
     */
    default void onSchemaChanged(
        DirectBuffer buffer,
        long databaseId,
        long txOffset,
        int databaseIdentityOffset,
        int nameOffset,
        int nameLength,
        int schemaOffset,
        int schemaLength,
        int ownerOffset,
        int moduleDefOffset,
        int moduleDefLength)
    {
        onSchemaChanged(buffer, databaseId, txOffset, databaseIdentityOffset, nameOffset, nameLength, schemaOffset,
            schemaLength);
    }

    /**
     * A snapshot piece for a bootstrapping edge.
     *
     * @param buffer      holding the message.
     * @param databaseId  the database.
     * @param txOffset    the snapshot holds every tx up to here.
     * @param edgeId      the edge being bootstrapped.
     * @param chunkIndex  0, 1, 2... within the snapshot.
     * @param last        true on the final chunk.
     * @param bytesOffset offset of the chunk.
     * @param bytesLength length of the chunk.
     */
    default void onSnapshotChunk(
        DirectBuffer buffer,
        long databaseId,
        long txOffset,
        int edgeId,
        int chunkIndex,
        boolean last,
        int bytesOffset,
        int bytesLength)
    {
    }

    /**
     * A module log record.
     *
     * @param buffer          holding the message.
     * @param databaseId      the database.
     * @param timestampMicros when.
     * @param level           log level.
     * @param messageOffset   offset of the message.
     * @param messageLength   length of the message.
     */
    default void onModuleLog(
        DirectBuffer buffer,
        long databaseId,
        long timestampMicros,
        LogLevel level,
        int messageOffset,
        int messageLength)
    {
    }

    /**
     * Reply to SqlDml, PublishModule or DeleteDatabase.
     *
     * @param buffer        holding the message.
     * @param databaseId    the database, 0 when none.
     * @param txOffset      tx it committed in, 0 when none.
     * @param edgeId        edge of the requester.
     * @param requestId     the request.
     * @param outcome       how it ended.
     * @param messageOffset offset of the message.
     * @param messageLength length of the message.
     */
    default void onRequestCompleted(
        DirectBuffer buffer,
        long databaseId,
        long txOffset,
        int edgeId,
        int requestId,
        Outcome outcome,
        int messageOffset,
        int messageLength)
    {
    }

    /**
     * The reply to a CallProcedure.
     *
     * @param buffer             holding the message.
     * @param databaseId         database of the call.
     * @param txOffset           last tx the procedure committed, 0 when none.
     * @param edgeId             edge of the caller.
     * @param requestId          caller's request id.
     * @param connectionIdLo     caller ConnectionId, low 64 bits.
     * @param connectionIdHi     caller ConnectionId, high 64 bits.
     * @param timestampMicros    when the procedure started.
     * @param durationMicros     host execution time.
     * @param status             how it ended.
     * @param returnValueOffset  offset of the BSATN return value (empty unless RETURNED).
     * @param returnValueLength  length of the return value.
     * @param errorMessageOffset offset of the error message (empty when RETURNED).
     * @param errorMessageLength length of the error message.
     */
    default void onProcedureResult(
        DirectBuffer buffer,
        long databaseId,
        long txOffset,
        int edgeId,
        int requestId,
        long connectionIdLo,
        long connectionIdHi,
        long timestampMicros,
        long durationMicros,
        ProcedureStatus status,
        int returnValueOffset,
        int returnValueLength,
        int errorMessageOffset,
        int errorMessageLength)
    {
    }

    /**
     * A live database's names, variables and program hash (version 3).
     *
     * @param buffer          holding the message.
     * @param databaseId      the database.
     * @param namesOffset     offset of its names, UTF-8, separated by newlines.
     * @param namesLength     their length.
     * @param variablesOffset offset of its variables, UTF-8 {@code name=value} lines.
     * @param variablesLength their length.
     * @param hashOffset      offset of the program hash.
     * @param hashLength      its length, 32 or 0.
     */
    default void onDatabaseSettings(
        DirectBuffer buffer,
        long databaseId,
        int namesOffset,
        int namesLength,
        int variablesOffset,
        int variablesLength,
        int hashOffset,
        int hashLength)
    {
    }
}
