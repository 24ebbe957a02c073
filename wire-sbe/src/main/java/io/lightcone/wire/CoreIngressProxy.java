package io.lightcone.wire;

import io.lightcone.wire.sbe.BooleanType;
import io.lightcone.wire.sbe.CallProcedureEncoder;
import io.lightcone.wire.sbe.CallReducerEncoder;
import io.lightcone.wire.sbe.ClientConnectedEncoder;
import io.lightcone.wire.sbe.ClientDisconnectedEncoder;
import io.lightcone.wire.sbe.DeleteDatabaseEncoder;
import io.lightcone.wire.sbe.EdgeBootstrapEncoder;
import io.lightcone.wire.sbe.MessageHeaderEncoder;
import io.lightcone.wire.sbe.PublishModuleEncoder;
import io.lightcone.wire.sbe.SetDatabaseNamesEncoder;
import io.lightcone.wire.sbe.SqlDmlEncoder;
import org.agrona.DirectBuffer;

/**
 * What an edge sends to the core (ingress). One method per message, allocation free; var-data arguments are
 * (buffer, offset, length) slices (UTF-8 for names and text, BSATN or wasm for bytes) copied during the call;
 * identities are 32 byte little-endian slices. Each returns {@code true} when the message was accepted and
 * {@code false} on back pressure or another refusal (see {@link AbstractWireProxy}); retry the same call later.
 */
public final class CoreIngressProxy extends AbstractWireProxy
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int VAR = 4;

    private final CallReducerEncoder callReducer = new CallReducerEncoder();
    private final CallProcedureEncoder callProcedure = new CallProcedureEncoder();
    private final ClientConnectedEncoder clientConnected = new ClientConnectedEncoder();
    private final ClientDisconnectedEncoder clientDisconnected = new ClientDisconnectedEncoder();
    private final SqlDmlEncoder sqlDml = new SqlDmlEncoder();
    private final PublishModuleEncoder publishModule = new PublishModuleEncoder();
    private final DeleteDatabaseEncoder deleteDatabase = new DeleteDatabaseEncoder();
    private final EdgeBootstrapEncoder edgeBootstrap = new EdgeBootstrapEncoder();
    private final SetDatabaseNamesEncoder setDatabaseNames = new SetDatabaseNamesEncoder();

    /**
     * A proxy with the configured limits ({@link WireConfiguration}).
     *
     * @param publication to the core.
     */
    public CoreIngressProxy(final WirePublication publication)
    {
        this(publication, WireConfiguration.maxMessageLength(), WireConfiguration.maxReassemblyLength());
    }

    /**
     * A proxy with explicit limits.
     *
     * @param publication         to the core.
     * @param maxMessageLength    largest message in one piece (capped by the publication's max payload).
     * @param maxReassemblyLength largest message sent at all, as fragments.
     */
    public CoreIngressProxy(
        final WirePublication publication, final int maxMessageLength, final int maxReassemblyLength)
    {
        super(publication, maxMessageLength, maxReassemblyLength);
    }

    /**
     * A client calls a reducer.
     *
     * @param databaseId      target database.
     * @param edgeId          sending edge.
     * @param requestId       client's request id.
     * @param connectionIdLo  caller ConnectionId, low 64 bits.
     * @param connectionIdHi  caller ConnectionId, high 64 bits.
     * @param identity        buffer holding the caller Identity.
     * @param identityOffset  offset of the 32 byte Identity.
     * @param timestampMicros when the edge received the call.
     * @param flags           SpacetimeDB call flags byte.
     * @param name            buffer holding the UTF-8 reducer name.
     * @param nameOffset      offset of the name.
     * @param nameLength      length of the name.
     * @param args            buffer holding the BSATN arguments.
     * @param argsOffset      offset of the arguments.
     * @param argsLength      length of the arguments.
     * @return true if accepted.
     */
    public boolean callReducer(
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final DirectBuffer identity,
        final int identityOffset,
        final long timestampMicros,
        final int flags,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer args,
        final int argsOffset,
        final int argsLength)
    {
        final long length = HEADER + CallReducerEncoder.BLOCK_LENGTH + VAR + (long)nameLength + VAR + argsLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        callReducer.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder);
        putConnectionId(callReducer.connectionId(), connectionIdLo, connectionIdHi);
        putIdentity(callReducer.callerIdentity(), identity, identityOffset);
        callReducer
            .databaseId(databaseId)
            .timestampMicros(timestampMicros)
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .flags((short)(flags & 0xFF))
            .putReducerName(name, nameOffset, nameLength)
            .putArgs(args, argsOffset, argsLength);
        return commit();
    }

    /**
     * A client calls a procedure; as {@link #callReducer}.
     *
     * @param databaseId      target database.
     * @param edgeId          sending edge.
     * @param requestId       client's request id.
     * @param connectionIdLo  caller ConnectionId, low 64 bits.
     * @param connectionIdHi  caller ConnectionId, high 64 bits.
     * @param identity        buffer holding the caller Identity.
     * @param identityOffset  offset of the 32 byte Identity.
     * @param timestampMicros when the edge received the call.
     * @param flags           SpacetimeDB call flags byte.
     * @param name            buffer holding the UTF-8 procedure name.
     * @param nameOffset      offset of the name.
     * @param nameLength      length of the name.
     * @param args            buffer holding the BSATN arguments.
     * @param argsOffset      offset of the arguments.
     * @param argsLength      length of the arguments.
     * @return true if accepted.
     */
    public boolean callProcedure(
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final DirectBuffer identity,
        final int identityOffset,
        final long timestampMicros,
        final int flags,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer args,
        final int argsOffset,
        final int argsLength)
    {
        final long length = HEADER + CallProcedureEncoder.BLOCK_LENGTH + VAR + (long)nameLength + VAR + argsLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        callProcedure.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder);
        putConnectionId(callProcedure.connectionId(), connectionIdLo, connectionIdHi);
        putIdentity(callProcedure.callerIdentity(), identity, identityOffset);
        callProcedure
            .databaseId(databaseId)
            .timestampMicros(timestampMicros)
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .flags((short)(flags & 0xFF))
            .putProcedureName(name, nameOffset, nameLength)
            .putArgs(args, argsOffset, argsLength);
        return commit();
    }

    /**
     * A client connected.
     *
     * @param databaseId      database it connected to.
     * @param edgeId          its edge.
     * @param connectionIdLo  ConnectionId, low 64 bits.
     * @param connectionIdHi  ConnectionId, high 64 bits.
     * @param identity        buffer holding the client Identity.
     * @param identityOffset  offset of the 32 byte Identity.
     * @param timestampMicros when it connected.
     * @param jwt             buffer holding the JWT payload JSON.
     * @param jwtOffset       offset of the payload.
     * @param jwtLength       length of the payload.
     * @return true if accepted.
     */
    public boolean clientConnected(
        final long databaseId,
        final int edgeId,
        final long connectionIdLo,
        final long connectionIdHi,
        final DirectBuffer identity,
        final int identityOffset,
        final long timestampMicros,
        final DirectBuffer jwt,
        final int jwtOffset,
        final int jwtLength)
    {
        final long length = HEADER + ClientConnectedEncoder.BLOCK_LENGTH + VAR + (long)jwtLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        clientConnected.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder);
        putConnectionId(clientConnected.connectionId(), connectionIdLo, connectionIdHi);
        putIdentity(clientConnected.identity(), identity, identityOffset);
        clientConnected
            .databaseId(databaseId)
            .timestampMicros(timestampMicros)
            .edgeId(u32(edgeId))
            .putJwtPayload(jwt, jwtOffset, jwtLength);
        return commit();
    }

    /**
     * A client disconnected.
     *
     * @param databaseId      database it was connected to.
     * @param edgeId          its edge.
     * @param connectionIdLo  ConnectionId, low 64 bits.
     * @param connectionIdHi  ConnectionId, high 64 bits.
     * @param identity        buffer holding the client Identity.
     * @param identityOffset  offset of the 32 byte Identity.
     * @param timestampMicros when it disconnected.
     * @return true if accepted.
     */
    public boolean clientDisconnected(
        final long databaseId,
        final int edgeId,
        final long connectionIdLo,
        final long connectionIdHi,
        final DirectBuffer identity,
        final int identityOffset,
        final long timestampMicros)
    {
        final int offset = claim(HEADER + ClientDisconnectedEncoder.BLOCK_LENGTH);
        if (offset < 0)
        {
            return false;
        }
        clientDisconnected.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder);
        putConnectionId(clientDisconnected.connectionId(), connectionIdLo, connectionIdHi);
        putIdentity(clientDisconnected.identity(), identity, identityOffset);
        clientDisconnected
            .databaseId(databaseId)
            .timestampMicros(timestampMicros)
            .edgeId(u32(edgeId));
        return commit();
    }

    /**
     * A DML statement from the SQL endpoint.
     *
     * @param databaseId     target database.
     * @param edgeId         sending edge.
     * @param requestId      request id for the {@code RequestCompleted} reply.
     * @param connectionIdLo caller ConnectionId, low 64 bits, zero for none.
     * @param connectionIdHi caller ConnectionId, high 64 bits, zero for none.
     * @param identity       buffer holding the caller Identity.
     * @param identityOffset offset of the 32 byte Identity.
     * @param sql            buffer holding the UTF-8 SQL text.
     * @param sqlOffset      offset of the text.
     * @param sqlLength      length of the text.
     * @return true if accepted.
     */
    public boolean sqlDml(
        final long databaseId,
        final int edgeId,
        final int requestId,
        final long connectionIdLo,
        final long connectionIdHi,
        final DirectBuffer identity,
        final int identityOffset,
        final DirectBuffer sql,
        final int sqlOffset,
        final int sqlLength)
    {
        final long length = HEADER + SqlDmlEncoder.BLOCK_LENGTH + VAR + (long)sqlLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        sqlDml.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder);
        putConnectionId(sqlDml.connectionId(), connectionIdLo, connectionIdHi);
        putIdentity(sqlDml.callerIdentity(), identity, identityOffset);
        sqlDml
            .databaseId(databaseId)
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .putSql(sql, sqlOffset, sqlLength);
        return commit();
    }

    /**
     * Publish a module; modules longer than {@link #maxMessageLength()} go as fragments.
     *
     * @param edgeId         sending edge.
     * @param requestId      request id for the {@code RequestCompleted} reply.
     * @param identity       buffer holding the owner Identity.
     * @param identityOffset offset of the 32 byte Identity.
     * @param clear          drop existing data instead of migrating.
     * @param name           buffer holding the UTF-8 database name.
     * @param nameOffset     offset of the name.
     * @param nameLength     length of the name.
     * @param module         buffer holding the wasm module.
     * @param moduleOffset   offset of the module.
     * @param moduleLength   length of the module.
     * @return true if accepted.
     */
    public boolean publishModule(
        final int edgeId,
        final int requestId,
        final DirectBuffer identity,
        final int identityOffset,
        final boolean clear,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer module,
        final int moduleOffset,
        final int moduleLength)
    {
        final long length = HEADER + PublishModuleEncoder.BLOCK_LENGTH + VAR + (long)nameLength + VAR + moduleLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        publishModule.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder);
        putIdentity(publishModule.ownerIdentity(), identity, identityOffset);
        publishModule
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .clear(clear ? BooleanType.TRUE : BooleanType.FALSE)
            .putDatabaseName(name, nameOffset, nameLength)
            .putModule(module, moduleOffset, moduleLength);
        return commit();
    }

    /**
     * Delete a database.
     *
     * @param edgeId         sending edge.
     * @param requestId      request id for the {@code RequestCompleted} reply.
     * @param identity       buffer holding the caller Identity.
     * @param identityOffset offset of the 32 byte Identity.
     * @param name           buffer holding the UTF-8 database name.
     * @param nameOffset     offset of the name.
     * @param nameLength     length of the name.
     * @return true if accepted.
     */
    public boolean deleteDatabase(
        final int edgeId,
        final int requestId,
        final DirectBuffer identity,
        final int identityOffset,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength)
    {
        final long length = HEADER + DeleteDatabaseEncoder.BLOCK_LENGTH + VAR + (long)nameLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        deleteDatabase.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder);
        putIdentity(deleteDatabase.callerIdentity(), identity, identityOffset);
        deleteDatabase
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .putDatabaseName(name, nameOffset, nameLength);
        return commit();
    }

    /**
     * An edge (re)joins and asks for state.
     *
     * @param edgeId       the edge.
     * @param fromTxOffset first tx offset wanted, or -1 for a snapshot first.
     * @return true if accepted.
     */
    public boolean edgeBootstrap(final int edgeId, final long fromTxOffset)
    {
        final int offset = claim(HEADER + EdgeBootstrapEncoder.BLOCK_LENGTH);
        if (offset < 0)
        {
            return false;
        }
        edgeBootstrap.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder)
            .fromTxOffset(fromTxOffset)
            .edgeId(u32(edgeId));
        return commit();
    }

    /**
     * Add a name to a database, or replace all its names.
     *
     * @param edgeId         sending edge.
     * @param requestId      request id for the reply.
     * @param identity       buffer holding the caller Identity.
     * @param identityOffset offset of the 32 byte Identity.
     * @param replace        true to replace every name, false to add the one name.
     * @param name           buffer holding a current name of the database, UTF-8.
     * @param nameOffset     offset of the name.
     * @param nameLength     length of the name.
     * @param names          buffer holding the names, UTF-8, separated by newlines.
     * @param namesOffset    offset of the names.
     * @param namesLength    length of the names.
     * @return true if accepted.
     */
    public boolean setDatabaseNames(
        final int edgeId,
        final int requestId,
        final DirectBuffer identity,
        final int identityOffset,
        final boolean replace,
        final DirectBuffer name,
        final int nameOffset,
        final int nameLength,
        final DirectBuffer names,
        final int namesOffset,
        final int namesLength)
    {
        final long length = HEADER + SetDatabaseNamesEncoder.BLOCK_LENGTH + VAR + (long)nameLength + VAR +
            namesLength;
        final int offset = claim(length);
        if (offset < 0)
        {
            return false;
        }
        setDatabaseNames.wrapAndApplyHeader(claimedBuffer(), offset, headerEncoder);
        putIdentity(setDatabaseNames.callerIdentity(), identity, identityOffset);
        setDatabaseNames
            .edgeId(u32(edgeId))
            .requestId(u32(requestId))
            .replace(replace ? BooleanType.TRUE : BooleanType.FALSE)
            .putDatabaseName(name, nameOffset, nameLength)
            .putNames(names, namesOffset, namesLength);
        return commit();
    }
}
