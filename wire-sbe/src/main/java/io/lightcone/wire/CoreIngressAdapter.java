package io.lightcone.wire;

import io.lightcone.wire.sbe.BooleanType;
import io.lightcone.wire.sbe.CallProcedureDecoder;
import io.lightcone.wire.sbe.CallReducerDecoder;
import io.lightcone.wire.sbe.ClientConnectedDecoder;
import io.lightcone.wire.sbe.ClientDisconnectedDecoder;
import io.lightcone.wire.sbe.DeleteDatabaseDecoder;
import io.lightcone.wire.sbe.EdgeBootstrapDecoder;
import io.lightcone.wire.sbe.PublishModuleDecoder;
import io.lightcone.wire.sbe.SetDatabaseNamesDecoder;
import io.lightcone.wire.sbe.SqlDmlDecoder;
import org.agrona.DirectBuffer;

/**
 * Decodes what the edges send to the core and hands it to a {@link CoreIngressListener}; poll the ingress
 * subscription with it directly. Checks, counters and reassembly: {@link AbstractWireAdapter}.
 */
public final class CoreIngressAdapter extends AbstractWireAdapter
{
    private final CoreIngressListener listener;
    private final CallReducerDecoder callReducer = new CallReducerDecoder();
    private final CallProcedureDecoder callProcedure = new CallProcedureDecoder();
    private final ClientConnectedDecoder clientConnected = new ClientConnectedDecoder();
    private final ClientDisconnectedDecoder clientDisconnected = new ClientDisconnectedDecoder();
    private final SqlDmlDecoder sqlDml = new SqlDmlDecoder();
    private final PublishModuleDecoder publishModule = new PublishModuleDecoder();
    private final DeleteDatabaseDecoder deleteDatabase = new DeleteDatabaseDecoder();
    private final EdgeBootstrapDecoder edgeBootstrap = new EdgeBootstrapDecoder();
    private final SetDatabaseNamesDecoder setDatabaseNames = new SetDatabaseNamesDecoder();

    /**
     * An adapter with the configured maximum reassembly length.
     *
     * @param listener to deliver to.
     */
    public CoreIngressAdapter(final CoreIngressListener listener)
    {
        this(listener, WireConfiguration.maxReassemblyLength());
    }

    /**
     * An adapter with an explicit maximum reassembly length.
     *
     * @param listener            to deliver to.
     * @param maxReassemblyLength largest message reassembled from fragments.
     */
    public CoreIngressAdapter(final CoreIngressListener listener, final int maxReassemblyLength)
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
            case CallReducerDecoder.TEMPLATE_ID:
                onCallReducer(buffer, offset, blockLength, version, end);
                return true;
            case CallProcedureDecoder.TEMPLATE_ID:
                onCallProcedure(buffer, offset, blockLength, version, end);
                return true;
            case ClientConnectedDecoder.TEMPLATE_ID:
                onClientConnected(buffer, offset, blockLength, version, end);
                return true;
            case ClientDisconnectedDecoder.TEMPLATE_ID:
                onClientDisconnected(buffer, offset, blockLength, version);
                return true;
            case SqlDmlDecoder.TEMPLATE_ID:
                onSqlDml(buffer, offset, blockLength, version, end);
                return true;
            case PublishModuleDecoder.TEMPLATE_ID:
                onPublishModule(buffer, offset, blockLength, version, end);
                return true;
            case DeleteDatabaseDecoder.TEMPLATE_ID:
                onDeleteDatabase(buffer, offset, blockLength, version, end);
                return true;
            case EdgeBootstrapDecoder.TEMPLATE_ID:
                onEdgeBootstrap(buffer, offset, blockLength, version);
                return true;
            case SetDatabaseNamesDecoder.TEMPLATE_ID:
                onSetDatabaseNames(buffer, offset, blockLength, version, end);
                return true;
            default:
                return false;
        }
    }

    private void onCallReducer(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < CallReducerDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final CallReducerDecoder d = callReducer.wrap(buffer, offset, blockLength, version);
        final long connectionIdLo = d.connectionId().lo();
        final long connectionIdHi = d.connectionId().hi();
        final long databaseId = d.databaseId();
        final long timestampMicros = d.timestampMicros();
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        final int flags = d.flags();
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
        d.skipArgs();
        listener.onCallReducer(
            buffer, databaseId, edgeId, requestId, connectionIdLo, connectionIdHi,
            offset + CallReducerDecoder.callerIdentityEncodingOffset(), timestampMicros, flags,
            nameOffset, nameLength, varOffset(), varLength());
    }

    private void onCallProcedure(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < CallProcedureDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final CallProcedureDecoder d = callProcedure.wrap(buffer, offset, blockLength, version);
        final long connectionIdLo = d.connectionId().lo();
        final long connectionIdHi = d.connectionId().hi();
        final long databaseId = d.databaseId();
        final long timestampMicros = d.timestampMicros();
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        final int flags = d.flags();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        final int nameOffset = varOffset();
        final int nameLength = varLength();
        d.skipProcedureName();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipArgs();
        listener.onCallProcedure(
            buffer, databaseId, edgeId, requestId, connectionIdLo, connectionIdHi,
            offset + CallProcedureDecoder.callerIdentityEncodingOffset(), timestampMicros, flags,
            nameOffset, nameLength, varOffset(), varLength());
    }

    private void onClientConnected(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < ClientConnectedDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final ClientConnectedDecoder d = clientConnected.wrap(buffer, offset, blockLength, version);
        final long connectionIdLo = d.connectionId().lo();
        final long connectionIdHi = d.connectionId().hi();
        final long databaseId = d.databaseId();
        final long timestampMicros = d.timestampMicros();
        final int edgeId = (int)d.edgeId();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipJwtPayload();
        listener.onClientConnected(
            buffer, databaseId, edgeId, connectionIdLo, connectionIdHi,
            offset + ClientConnectedDecoder.identityEncodingOffset(), timestampMicros, varOffset(), varLength());
    }

    private void onClientDisconnected(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (blockLength < ClientDisconnectedDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final ClientDisconnectedDecoder d = clientDisconnected.wrap(buffer, offset, blockLength, version);
        listener.onClientDisconnected(
            buffer, d.databaseId(), (int)d.edgeId(), d.connectionId().lo(), d.connectionId().hi(),
            offset + ClientDisconnectedDecoder.identityEncodingOffset(), d.timestampMicros());
    }

    private void onSqlDml(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < SqlDmlDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final SqlDmlDecoder d = sqlDml.wrap(buffer, offset, blockLength, version);
        final long connectionIdLo = d.connectionId().lo();
        final long connectionIdHi = d.connectionId().hi();
        final long databaseId = d.databaseId();
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipSql();
        listener.onSqlDml(
            buffer, databaseId, edgeId, requestId, connectionIdLo, connectionIdHi,
            offset + SqlDmlDecoder.callerIdentityEncodingOffset(), varOffset(), varLength());
    }

    private void onPublishModule(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < PublishModuleDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final PublishModuleDecoder d = publishModule.wrap(buffer, offset, blockLength, version);
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        final boolean clear = d.clear() == BooleanType.TRUE;
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
        d.skipModule();
        listener.onPublishModule(
            buffer, edgeId, requestId, offset + PublishModuleDecoder.ownerIdentityEncodingOffset(), clear,
            nameOffset, nameLength, varOffset(), varLength());
    }

    private void onDeleteDatabase(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < DeleteDatabaseDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final DeleteDatabaseDecoder d = deleteDatabase.wrap(buffer, offset, blockLength, version);
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        if (!readVar(buffer, d.limit(), end))
        {
            malformed();
            return;
        }
        d.skipDatabaseName();
        listener.onDeleteDatabase(
            buffer, edgeId, requestId, offset + DeleteDatabaseDecoder.callerIdentityEncodingOffset(),
            varOffset(), varLength());
    }

    private void onEdgeBootstrap(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        if (blockLength < EdgeBootstrapDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final EdgeBootstrapDecoder d = edgeBootstrap.wrap(buffer, offset, blockLength, version);
        listener.onEdgeBootstrap((int)d.edgeId(), d.fromTxOffset());
    }

    private void onSetDatabaseNames(
        final DirectBuffer buffer, final int offset, final int blockLength, final int version, final int end)
    {
        if (blockLength < SetDatabaseNamesDecoder.BLOCK_LENGTH)
        {
            malformed();
            return;
        }
        final SetDatabaseNamesDecoder d = setDatabaseNames.wrap(buffer, offset, blockLength, version);
        final int edgeId = (int)d.edgeId();
        final int requestId = (int)d.requestId();
        final boolean replace = d.replace() == BooleanType.TRUE;
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
        d.skipNames();
        listener.onSetDatabaseNames(
            buffer, edgeId, requestId, offset + SetDatabaseNamesDecoder.callerIdentityEncodingOffset(), replace,
            nameOffset, nameLength, varOffset(), varLength());
    }
}
