package io.lightcone.wire;

import org.agrona.DirectBuffer;

/**
 * What the core receives from the edges, decoded by {@link CoreIngressAdapter}. Every offset refers to the
 * {@code buffer} argument of the same call and is valid only during it; identities are 32 byte little-endian
 * (BSATN) slices, names and text UTF-8, args and modules raw bytes. Request and edge ids are u32 in Java ints.
 */
public interface CoreIngressListener
{
    /**
     * A client calls a reducer.
     *
     * @param buffer               holding the message.
     * @param databaseId           target database.
     * @param edgeId               sending edge.
     * @param requestId            client's request id.
     * @param connectionIdLo       caller ConnectionId, low 64 bits.
     * @param connectionIdHi       caller ConnectionId, high 64 bits.
     * @param callerIdentityOffset offset of the caller Identity.
     * @param timestampMicros      when the edge received the call.
     * @param flags                SpacetimeDB call flags byte.
     * @param nameOffset           offset of the reducer name.
     * @param nameLength           length of the reducer name.
     * @param argsOffset           offset of the BSATN args.
     * @param argsLength           length of the BSATN args.
     */
    void onCallReducer(
        DirectBuffer buffer,
        long databaseId,
        int edgeId,
        int requestId,
        long connectionIdLo,
        long connectionIdHi,
        int callerIdentityOffset,
        long timestampMicros,
        int flags,
        int nameOffset,
        int nameLength,
        int argsOffset,
        int argsLength);

    /**
     * A client calls a procedure.
     *
     * @param buffer               holding the message.
     * @param databaseId           target database.
     * @param edgeId               sending edge.
     * @param requestId            client's request id.
     * @param connectionIdLo       caller ConnectionId, low 64 bits.
     * @param connectionIdHi       caller ConnectionId, high 64 bits.
     * @param callerIdentityOffset offset of the caller Identity.
     * @param timestampMicros      when the edge received the call.
     * @param flags                SpacetimeDB call flags byte.
     * @param nameOffset           offset of the procedure name.
     * @param nameLength           length of the procedure name.
     * @param argsOffset           offset of the BSATN args.
     * @param argsLength           length of the BSATN args.
     */
    void onCallProcedure(
        DirectBuffer buffer,
        long databaseId,
        int edgeId,
        int requestId,
        long connectionIdLo,
        long connectionIdHi,
        int callerIdentityOffset,
        long timestampMicros,
        int flags,
        int nameOffset,
        int nameLength,
        int argsOffset,
        int argsLength);

    /**
     * A client connected.
     *
     * @param buffer          holding the message.
     * @param databaseId      database it connected to.
     * @param edgeId          its edge.
     * @param connectionIdLo  ConnectionId, low 64 bits.
     * @param connectionIdHi  ConnectionId, high 64 bits.
     * @param identityOffset  offset of the client Identity.
     * @param timestampMicros when it connected.
     * @param jwtOffset       offset of the JWT payload JSON.
     * @param jwtLength       length of the JWT payload JSON.
     */
    void onClientConnected(
        DirectBuffer buffer,
        long databaseId,
        int edgeId,
        long connectionIdLo,
        long connectionIdHi,
        int identityOffset,
        long timestampMicros,
        int jwtOffset,
        int jwtLength);

    /**
     * A client disconnected.
     *
     * @param buffer          holding the message.
     * @param databaseId      database it was connected to.
     * @param edgeId          its edge.
     * @param connectionIdLo  ConnectionId, low 64 bits.
     * @param connectionIdHi  ConnectionId, high 64 bits.
     * @param identityOffset  offset of the client Identity.
     * @param timestampMicros when it disconnected.
     */
    void onClientDisconnected(
        DirectBuffer buffer,
        long databaseId,
        int edgeId,
        long connectionIdLo,
        long connectionIdHi,
        int identityOffset,
        long timestampMicros);

    /**
     * A SQL DML statement.
     *
     * @param buffer               holding the message.
     * @param databaseId           target database.
     * @param edgeId               sending edge.
     * @param requestId            request id for the reply.
     * @param connectionIdLo       caller ConnectionId, low 64 bits, zero for none.
     * @param connectionIdHi       caller ConnectionId, high 64 bits, zero for none.
     * @param callerIdentityOffset offset of the caller Identity.
     * @param sqlOffset            offset of the SQL text.
     * @param sqlLength            length of the SQL text.
     */
    void onSqlDml(
        DirectBuffer buffer,
        long databaseId,
        int edgeId,
        int requestId,
        long connectionIdLo,
        long connectionIdHi,
        int callerIdentityOffset,
        int sqlOffset,
        int sqlLength);

    /**
     * Publish a module (reassembled if it came in fragments).
     *
     * @param buffer              holding the message.
     * @param edgeId              sending edge.
     * @param requestId           request id for the reply.
     * @param ownerIdentityOffset offset of the owner Identity.
     * @param clear               drop existing data instead of migrating.
     * @param nameOffset          offset of the database name.
     * @param nameLength          length of the database name.
     * @param moduleOffset        offset of the wasm module.
     * @param moduleLength        length of the wasm module.
     */
    void onPublishModule(
        DirectBuffer buffer,
        int edgeId,
        int requestId,
        int ownerIdentityOffset,
        boolean clear,
        int nameOffset,
        int nameLength,
        int moduleOffset,
        int moduleLength);

    /**
     * Delete a database.
     *
     * @param buffer               holding the message.
     * @param edgeId               sending edge.
     * @param requestId            request id for the reply.
     * @param callerIdentityOffset offset of the caller Identity.
     * @param nameOffset           offset of the database name.
     * @param nameLength           length of the database name.
     */
    void onDeleteDatabase(
        DirectBuffer buffer, int edgeId, int requestId, int callerIdentityOffset, int nameOffset, int nameLength);

    /**
     * An edge (re)joins.
     *
     * @param edgeId       the edge.
     * @param fromTxOffset first tx offset wanted, -1 for a snapshot first.
     */
    void onEdgeBootstrap(int edgeId, long fromTxOffset);

    /**
     * Add a name to a database or replace all its names (owner only; version 3).
     *
     * @param buffer               holding the message.
     * @param edgeId               sending edge.
     * @param requestId            request id for the reply.
     * @param callerIdentityOffset offset of the caller Identity.
     * @param replace              true to replace every name, false to add one.
     * @param nameOffset           offset of a current name of the database.
     * @param nameLength           its length.
     * @param namesOffset          offset of the names, separated by newlines.
     * @param namesLength          their length.
     */
    default void onSetDatabaseNames(
        DirectBuffer buffer,
        int edgeId,
        int requestId,
        int callerIdentityOffset,
        boolean replace,
        int nameOffset,
        int nameLength,
        int namesOffset,
        int namesLength)
    {
    }
}
