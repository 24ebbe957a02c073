package io.lightcone.edge.protocol;

/**
 * Wire constants of the SpacetimeDB v2/v3 WebSocket protocol (reference contracts section 2).
 */
public final class Protocol
{
    /** Subprotocol: v2 message schema, several messages per frame in both directions. */
    public static final String SUBPROTOCOL_V3 = "v3.bsatn.spacetimedb";
    /** Subprotocol: v2 message schema, exactly one message per frame. */
    public static final String SUBPROTOCOL_V2 = "v2.bsatn.spacetimedb";

    /** Server frame compression tag: body not compressed. */
    public static final byte COMPRESSION_TAG_NONE = 0;
    /** Server frame compression tag: body is brotli. */
    public static final byte COMPRESSION_TAG_BROTLI = 1;
    /** Server frame compression tag: body is gzip. */
    public static final byte COMPRESSION_TAG_GZIP = 2;
    /** Bodies of at most this many bytes are never compressed. */
    public static final int COMPRESSION_THRESHOLD = 1024;
    /** v3: the server batches messages up to this many uncompressed body bytes per frame. */
    public static final int V3_MAX_BATCH_BYTES = 512 * 1024;

    /** ClientMessage tag: Subscribe. */
    public static final int CLIENT_SUBSCRIBE = 0;
    /** ClientMessage tag: Unsubscribe. */
    public static final int CLIENT_UNSUBSCRIBE = 1;
    /** ClientMessage tag: OneOffQuery. */
    public static final int CLIENT_ONE_OFF_QUERY = 2;
    /** ClientMessage tag: CallReducer. */
    public static final int CLIENT_CALL_REDUCER = 3;
    /** ClientMessage tag: CallProcedure. */
    public static final int CLIENT_CALL_PROCEDURE = 4;

    /** ServerMessage tag: InitialConnection. */
    public static final int SERVER_INITIAL_CONNECTION = 0;
    /** ServerMessage tag: SubscribeApplied. */
    public static final int SERVER_SUBSCRIBE_APPLIED = 1;
    /** ServerMessage tag: UnsubscribeApplied. */
    public static final int SERVER_UNSUBSCRIBE_APPLIED = 2;
    /** ServerMessage tag: SubscriptionError. */
    public static final int SERVER_SUBSCRIPTION_ERROR = 3;
    /** ServerMessage tag: TransactionUpdate. */
    public static final int SERVER_TRANSACTION_UPDATE = 4;
    /** ServerMessage tag: OneOffQueryResult. */
    public static final int SERVER_ONE_OFF_QUERY_RESULT = 5;
    /** ServerMessage tag: ReducerResult. */
    public static final int SERVER_REDUCER_RESULT = 6;
    /** ServerMessage tag: ProcedureResult. */
    public static final int SERVER_PROCEDURE_RESULT = 7;

    /** ReducerOutcome tag: Ok(ReducerOk). */
    public static final int REDUCER_OK = 0;
    /** ReducerOutcome tag: OkEmpty. */
    public static final int REDUCER_OK_EMPTY = 1;
    /** ReducerOutcome tag: Err(Bytes holding a BSATN String). */
    public static final int REDUCER_ERR = 2;
    /** ReducerOutcome tag: InternalError(String). */
    public static final int REDUCER_INTERNAL_ERROR = 3;

    /** ProcedureStatus tag: Returned(Bytes). */
    public static final int PROCEDURE_RETURNED = 0;
    /** ProcedureStatus tag: InternalError(String). */
    public static final int PROCEDURE_INTERNAL_ERROR = 1;

    /** TableUpdateRows tag: PersistentTable{inserts, deletes}. */
    public static final int ROWS_PERSISTENT = 0;
    /** TableUpdateRows tag: EventTable{events}. */
    public static final int ROWS_EVENT = 1;

    /** RowSizeHint tag: FixedSize(u16). */
    public static final int HINT_FIXED_SIZE = 0;
    /** RowSizeHint tag: RowOffsets(Array&lt;u64&gt;). */
    public static final int HINT_ROW_OFFSETS = 1;

    /** Option tag: Some. */
    public static final int OPTION_SOME = 0;
    /** Option tag: None. */
    public static final int OPTION_NONE = 1;
    /** Result tag: Ok. */
    public static final int RESULT_OK = 0;
    /** Result tag: Err. */
    public static final int RESULT_ERR = 1;

    /** Size of an Identity on the wire (u256 little-endian). */
    public static final int IDENTITY_BYTES = 32;
    /** Size of a ConnectionId on the wire (u128 little-endian). */
    public static final int CONNECTION_ID_BYTES = 16;

    private Protocol()
    {
    }
}
