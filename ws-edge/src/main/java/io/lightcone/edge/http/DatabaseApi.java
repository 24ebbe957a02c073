package io.lightcone.edge.http;

import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ModuleDefDecoder;
import io.lightcone.core.moduledef.ModuleDefException;
import io.lightcone.core.moduledef.ProcedureDef;
import io.lightcone.core.moduledef.RawModuleDefConverter;
import io.lightcone.core.moduledef.RawModuleDefJson;
import io.lightcone.core.moduledef.ReducerDef;
import io.lightcone.core.query.Catalog;
import io.lightcone.core.query.QueryPlanner;
import io.lightcone.core.query.ReadView;
import io.lightcone.core.query.SqlAst;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.query.SqlParser;
import io.lightcone.core.query.SqlResult;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.AlgebraicTypeJson;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.Hex;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.sats.SatsJson;
import io.lightcone.core.sats.SatsJsonException;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumValue;
import io.lightcone.edge.auth.Identity;
import io.lightcone.edge.replica.Replica;
import io.lightcone.edge.replica.ReplicaDatabase;
import io.lightcone.wire.CoreIngressProxy;
import io.lightcone.wire.DatabaseSettingsFormat;
import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The HTTP database API's work on the edge agent thread (reference/spacetimedb-contracts.md §3.2): reads are served
 * from the replica, and what needs the core (publish, delete, reducer and procedure calls, SQL DML) is sent as a wire
 * request and answered when the core replies. Nothing here waits: a request is registered under its request id (or,
 * for a reducer call, under the random connection id it runs with), the {@link HttpResponder} answers 504 on its own
 * event loop if the core stays silent, and the registration is then dropped.
 * <p>
 * Authorization follows SpacetimeDB standalone: anyone may create a database; update, delete and logs are for the
 * owner; SQL runs as the caller, the owner seeing private tables; DML is for the owner (checked by the core).
 */
public final class DatabaseApi
{
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String NDJSON = "application/x-ndjson";
    private static final String[] LEVELS = {"Error", "Warn", "Info", "Debug", "Trace"};
    private static final String ENERGY_USED = "spacetime-energy-used";
    private static final String DURATION_MICROS = "spacetime-execution-duration-micros";
    private static final String NO_STATS = "{\"rows_inserted\":0,\"rows_deleted\":0,\"rows_updated\":0}";
    /** SpacetimeDB's {@code StVarValue}, the type of {@code st_var.value} that {@code SHOW} answers. */
    private static final SumType ST_VAR_VALUE = SumType.of("Bool", AlgebraicType.BOOL, "I8", AlgebraicType.I8,
        "U8", AlgebraicType.U8, "I16", AlgebraicType.I16, "U16", AlgebraicType.U16, "I32", AlgebraicType.I32,
        "U32", AlgebraicType.U32, "I64", AlgebraicType.I64, "U64", AlgebraicType.U64, "I128", AlgebraicType.I128,
        "U128", AlgebraicType.U128, "F32", AlgebraicType.F32, "F64", AlgebraicType.F64, "String",
        AlgebraicType.STRING);
    private static final int ST_VAR_U64 = 8;
    private static final ProductType SHOW_SCHEMA = ProductType.of("value", ST_VAR_VALUE);

    /** What to do with the core's answer to one request. */
    @FunctionalInterface
    private interface Completion
    {
        void complete(Outcome outcome, String message, long databaseId);
    }

    private record Pending(HttpResponder responder, Completion completion, int requestId, long connectionIdLo)
    {
    }

    private final int edgeId;
    private final CoreIngressProxy ingress;
    private final Replica replica;
    private final Consumer<Runnable> submit;
    private final long timeoutNs = HttpApiConfiguration.requestTimeoutNs();
    private final int logLines = HttpApiConfiguration.logLines();
    private final Int2ObjectHashMap<Pending> byRequest = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<Pending> byConnection = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<ArrayDeque<String>> logs = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<List<HttpResponder>> followers = new Long2ObjectHashMap<>();
    private int nextRequestId;

    /**
     * The API of one edge.
     *
     * @param edgeId   this edge's id on the wire.
     * @param ingress  requests to the core.
     * @param replica  the edge's replica.
     * @param submit   runs a task on the agent thread (used from event loops, for timeouts and closed streams).
     */
    public DatabaseApi(
        final int edgeId, final CoreIngressProxy ingress, final Replica replica, final Consumer<Runnable> submit)
    {
        this.edgeId = edgeId;
        this.ingress = ingress;
        this.replica = replica;
        this.submit = submit;
    }

    // ---------------------------------------------------------------- from the core

    /**
     * A version 2 SchemaChanged told the owner and module definition of a live database.
     *
     * @param database        the database.
     * @param buffer          holding the message.
     * @param ownerOffset     offset of the owner, or -1.
     * @param moduleDefOffset offset of the RawModuleDef.
     * @param moduleDefLength its length, 0 when not sent.
     * @return whether the database's row-level-security rules changed.
     */
    public boolean onModule(
        final ReplicaDatabase database,
        final DirectBuffer buffer,
        final int ownerOffset,
        final int moduleDefOffset,
        final int moduleDefLength)
    {
        byte[] owner = null;
        if (ownerOffset >= 0)
        {
            owner = new byte[32];
            buffer.getBytes(ownerOffset, owner);
        }
        byte[] raw = null;
        ModuleDef def = null;
        if (moduleDefLength > 0)
        {
            raw = new byte[moduleDefLength];
            buffer.getBytes(moduleDefOffset, raw);
            try
            {
                def = ModuleDefDecoder.decode(raw);
            }
            catch (final ModuleDefException ex)
            {
                def = null;
            }
        }
        return database.module(owner, raw, def);
    }

    /**
     * A database was deleted: its logs go and followers are disconnected.
     *
     * @param databaseId the database.
     */
    public void onDatabaseDeleted(final long databaseId)
    {
        logs.remove(databaseId);
        final List<HttpResponder> streams = followers.remove(databaseId);
        if (null != streams)
        {
            for (final HttpResponder stream : streams)
            {
                stream.close();
            }
        }
    }

    /**
     * A module log record: kept in the database's ring and streamed to followers.
     *
     * @param databaseId      the database.
     * @param timestampMicros when.
     * @param level           the level.
     * @param message         the text.
     */
    public void onModuleLog(
        final long databaseId, final long timestampMicros, final LogLevel level, final String message)
    {
        final String line = "{\"level\":\"" + levelName(level) + "\",\"ts\":" + timestampMicros +
            ",\"target\":null,\"filename\":null,\"line_number\":null,\"message\":" + quote(message) + "}\n";
        ArrayDeque<String> ring = logs.get(databaseId);
        if (null == ring)
        {
            ring = new ArrayDeque<>();
            logs.put(databaseId, ring);
        }
        ring.addLast(line);
        while (ring.size() > logLines)
        {
            ring.removeFirst();
        }
        final List<HttpResponder> streams = followers.get(databaseId);
        if (null != streams)
        {
            streams.removeIf((stream) -> !stream.chunk(line));
        }
    }

    /**
     * The core answered a request of this edge.
     *
     * @param databaseId the database.
     * @param requestId  the request.
     * @param outcome    how it ended.
     * @param message    the message.
     */
    public void onRequestCompleted(
        final long databaseId, final int requestId, final Outcome outcome, final String message)
    {
        final Pending pending = byRequest.remove(requestId);
        if (null != pending)
        {
            byConnection.remove(pending.connectionIdLo());
            pending.completion().complete(outcome, message, databaseId);
        }
    }

    /**
     * A transaction committed: answers the HTTP reducer call it was, if any, with the energy and duration headers.
     *
     * @param connectionIdLo the caller's connection id, low word.
     * @param energyUsed     energy the reducer used.
     * @param durationMicros how long the core ran it.
     */
    public void onTxCommitted(final long connectionIdLo, final long energyUsed, final long durationMicros)
    {
        if (0 == connectionIdLo || byConnection.isEmpty())
        {
            return;
        }
        final Pending pending = byConnection.remove(connectionIdLo);
        if (null != pending)
        {
            byRequest.remove(pending.requestId());
            pending.responder().header(ENERGY_USED, Long.toUnsignedString(energyUsed))
                .header(DURATION_MICROS, Long.toUnsignedString(durationMicros));
            pending.completion().complete(Outcome.COMMITTED, "", 0);
        }
    }

    /**
     * A procedure ended: answers the HTTP procedure call it was, if any (the return value as JSON, or the error).
     *
     * @param connectionIdLo    the caller's connection id, low word.
     * @param durationMicros    how long the core ran it.
     * @param status            how it ended.
     * @param buffer            holds the return value.
     * @param returnValueOffset where the BSATN return value starts.
     * @param returnValueLength its length.
     * @param message           the error, when it did not return.
     */
    public void onProcedureResult(
        final long connectionIdLo,
        final long durationMicros,
        final ProcedureStatus status,
        final DirectBuffer buffer,
        final int returnValueOffset,
        final int returnValueLength,
        final String message)
    {
        final Pending pending = 0 == connectionIdLo ? null : byConnection.remove(connectionIdLo);
        if (null == pending)
        {
            return;
        }
        byRequest.remove(pending.requestId());
        pending.responder().header(DURATION_MICROS, Long.toUnsignedString(durationMicros));
        switch (status)
        {
            case RETURNED ->
            {
                final byte[] value = new byte[returnValueLength];
                buffer.getBytes(returnValueOffset, value);
                pending.completion().complete(Outcome.COMMITTED, Hex.encode(value), 0);
            }
            case USER_ERROR -> pending.completion().complete(Outcome.USER_ERROR, message, 0);
            case OUT_OF_ENERGY -> pending.completion().complete(Outcome.OUT_OF_ENERGY, message, 0);
            default -> pending.completion().complete(Outcome.INTERNAL_ERROR, message, 0);
        }
    }

    /**
     * A call did not commit: answers the HTTP reducer call it was, if any, with the energy and duration headers.
     *
     * @param connectionIdLo the caller's connection id, low word.
     * @param energyUsed     energy the reducer used.
     * @param durationMicros how long the core ran it.
     * @param outcome        how it ended.
     * @param message        the error.
     */
    public void onTxFailed(
        final long connectionIdLo,
        final long energyUsed,
        final long durationMicros,
        final Outcome outcome,
        final String message)
    {
        final Pending pending = 0 == connectionIdLo ? null : byConnection.remove(connectionIdLo);
        if (null != pending)
        {
            byRequest.remove(pending.requestId());
            pending.responder().header(ENERGY_USED, Long.toUnsignedString(energyUsed))
                .header(DURATION_MICROS, Long.toUnsignedString(durationMicros));
            pending.completion().complete(outcome, message, 0);
        }
    }

    // ---------------------------------------------------------------- routes (agent thread)

    /**
     * {@code POST /v1/database} (name null) and {@code PUT /v1/database/:name}.
     *
     * @param r              the answer.
     * @param caller         the caller, who becomes the owner.
     * @param nameOrIdentity the database, or null to create one with a generated name.
     * @param wasm           the module.
     * @param clear          drop the existing data instead of migrating.
     */
    public void publish(
        final HttpResponder r, final Identity caller, final String nameOrIdentity, final byte[] wasm,
        final boolean clear)
    {
        final ReplicaDatabase existing = null == nameOrIdentity ? null : replica.database(normalize(nameOrIdentity));
        if (null == existing && null != nameOrIdentity && DatabaseSettingsFormat.isIdentityHex(nameOrIdentity))
        {
            r.respond(HttpResponseStatus.NOT_FOUND, TEXT, "no database with identity " + nameOrIdentity);
            return;
        }
        final String name = null != existing ? existing.name() : null == nameOrIdentity ? generatedName() :
            nameOrIdentity;
        if (null == existing && !validName(name))
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, "invalid database name: " + name +
                " (1 to 64 characters: letters, digits, '-' and '_')");
            return;
        }
        if (null != existing && null != existing.ownerLittleEndian() && !existing.isOwner(caller.toLittleEndian()))
        {
            r.respond(HttpResponseStatus.UNAUTHORIZED, JSON, permissionDenied(name));
            return;
        }
        final String op = null == existing ? "created" : "updated";
        final String domain = null == nameOrIdentity ? "null" : quote(name);
        final int requestId = register(r, (outcome, message, databaseId) ->
        {
            if (outcome == Outcome.COMMITTED)
            {
                final ReplicaDatabase database = replica.database(databaseId);
                if (null == database)
                {
                    r.respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT,
                        "published, but this edge has no replica of database " + name);
                    return;
                }
                r.respond(HttpResponseStatus.OK, JSON, "{\"Success\":{\"domain\":" + domain +
                    ",\"database_identity\":\"" + Replica.hex(database.identityLittleEndian()) + "\",\"op\":\"" + op +
                    "\"}}");
            }
            else if (message.contains("owned by another identity"))
            {
                r.respond(HttpResponseStatus.UNAUTHORIZED, JSON, permissionDenied(name));
            }
            else if (message.startsWith("update refused"))
            {
                r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, "Database update rejected: " + message);
            }
            else
            {
                r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, message);
            }
        }, 0);
        // An existing database is named by its identity: the core resolves it even when renamed since.
        final byte[] nameBytes = (null == existing ? name : Replica.hex(existing.identityLittleEndian()))
            .getBytes(StandardCharsets.UTF_8);
        if (!ingress.publishModule(edgeId, requestId, new UnsafeBuffer(caller.toLittleEndian()), 0, clear,
            new UnsafeBuffer(nameBytes), 0, nameBytes.length, new UnsafeBuffer(wasm), 0, wasm.length))
        {
            unavailable(r, requestId);
        }
    }

    /**
     * {@code GET /v1/database/:name}.
     *
     * @param r              the answer.
     * @param nameOrIdentity the database.
     */
    public void describe(final HttpResponder r, final String nameOrIdentity)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null != db)
        {
            final byte[] owner = db.ownerLittleEndian();
            final String ownerJson = null == owner ? "null" : "\"" + Replica.hex(owner) + "\"";
            final byte[] programHash = db.programHash();
            r.respond(HttpResponseStatus.OK, JSON, "{\"database_identity\":\"" +
                Replica.hex(db.identityLittleEndian()) + "\",\"owner_identity\":" + ownerJson +
                ",\"host_type\":\"wasm\"" + (null == programHash ? "" : ",\"initial_program\":\"" +
                Hex.encode(programHash) + "\"") + "}");
        }
    }

    /**
     * {@code GET /v1/database/:name/names}.
     *
     * @param r              the answer.
     * @param nameOrIdentity the database.
     */
    public void names(final HttpResponder r, final String nameOrIdentity)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null != db)
        {
            final StringBuilder json = new StringBuilder("{\"names\":[");
            for (int i = 0; i < db.names().size(); i++)
            {
                json.append(0 == i ? "" : ",").append(quote(db.names().get(i)));
            }
            r.respond(HttpResponseStatus.OK, JSON, json.append("]}").toString());
        }
    }

    /**
     * {@code POST /v1/database/:name/names}: adds one name (the body), owner only. Answers as SpacetimeDB:
     * 200 {@code {"Success":{"domain":…,"database_identity":…}}}, 400 with the name rule broken, 401
     * {@code {"PermissionDenied":{"domain":…}}} for a non-owner, 500 {@code record with the name … already exists}.
     *
     * @param r              the answer.
     * @param caller         the caller.
     * @param nameOrIdentity the database.
     * @param name           the name to add.
     */
    public void addName(final HttpResponder r, final Identity caller, final String nameOrIdentity, final String name)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null == db)
        {
            return;
        }
        final String invalid = DatabaseSettingsFormat.checkName(name);
        if (null != invalid)
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, invalid);
            return;
        }
        if (!db.isOwner(caller.toLittleEndian()))
        {
            r.respond(HttpResponseStatus.UNAUTHORIZED, JSON, "{\"PermissionDenied\":{\"domain\":" + quote(name) +
                "}}");
            return;
        }
        final String identityHex = Replica.hex(db.identityLittleEndian());
        setNames(r, caller, identityHex, List.of(name), false, (outcome, message, databaseId) ->
        {
            if (outcome == Outcome.COMMITTED)
            {
                r.respond(HttpResponseStatus.OK, JSON, "{\"Success\":{\"domain\":" + quote(name) +
                    ",\"database_identity\":\"" + identityHex + "\"}}");
            }
            else if (message.startsWith("only the owner"))
            {
                r.respond(HttpResponseStatus.UNAUTHORIZED, JSON, "{\"PermissionDenied\":{\"domain\":" +
                    quote(name) + "}}");
            }
            else
            {
                r.respond(message.startsWith("record with the name") ? HttpResponseStatus.INTERNAL_SERVER_ERROR :
                    HttpResponseStatus.BAD_REQUEST, TEXT, message);
            }
        });
    }

    /**
     * {@code PUT /v1/database/:name/names}: replaces every name by the body's JSON array of names, owner only.
     * Answers as SpacetimeDB: 200 {@code "Success"}, 400 {@code Error parsing `…`: …} for a name that breaks the
     * rules, 400 {@code {"OtherError":"Cannot rename to … because it already is in use."}} for a name of another
     * database, 401 {@code {"NotYourDatabase":{"database":…}}} for a non-owner.
     *
     * @param r              the answer.
     * @param caller         the caller.
     * @param nameOrIdentity the database.
     * @param json           the JSON array of names.
     */
    public void replaceNames(
        final HttpResponder r, final Identity caller, final String nameOrIdentity, final String json)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null == db)
        {
            return;
        }
        final List<String> names = new ArrayList<>();
        try
        {
            for (final Object name : (List<?>)SatsJson.read(new ArrayType(AlgebraicType.STRING), json))
            {
                names.add((String)name);
            }
        }
        catch (final RuntimeException ex)
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, "expected a JSON array of names: " + ex.getMessage());
            return;
        }
        for (final String name : names)
        {
            final String invalid = DatabaseSettingsFormat.checkName(name);
            if (null != invalid)
            {
                r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, "Error parsing `" + name + "`: " + invalid);
                return;
            }
        }
        final String identityHex = Replica.hex(db.identityLittleEndian());
        final String notYours = "{\"NotYourDatabase\":{\"database\":\"" + identityHex + "\"}}";
        if (!db.isOwner(caller.toLittleEndian()))
        {
            r.respond(HttpResponseStatus.UNAUTHORIZED, JSON, notYours);
            return;
        }
        setNames(r, caller, identityHex, names, true, (outcome, message, databaseId) ->
        {
            if (outcome == Outcome.COMMITTED)
            {
                r.respond(HttpResponseStatus.OK, JSON, "\"Success\"");
            }
            else if (message.startsWith("only the owner"))
            {
                r.respond(HttpResponseStatus.UNAUTHORIZED, JSON, notYours);
            }
            else
            {
                r.respond(HttpResponseStatus.BAD_REQUEST, JSON, "{\"OtherError\":" + quote(message) + "}");
            }
        });
    }

    private void setNames(
        final HttpResponder r,
        final Identity caller,
        final String identityHex,
        final List<String> names,
        final boolean replace,
        final Completion completion)
    {
        final int requestId = register(r, completion, 0);
        final byte[] target = identityHex.getBytes(StandardCharsets.UTF_8);
        final byte[] text = DatabaseSettingsFormat.joinNames(names).getBytes(StandardCharsets.UTF_8);
        if (!ingress.setDatabaseNames(edgeId, requestId, new UnsafeBuffer(caller.toLittleEndian()), 0, replace,
            new UnsafeBuffer(target), 0, target.length, new UnsafeBuffer(text), 0, text.length))
        {
            unavailable(r, requestId);
        }
    }

    /**
     * {@code GET /v1/database/:name/identity}.
     *
     * @param r              the answer.
     * @param nameOrIdentity the database.
     */
    public void identity(final HttpResponder r, final String nameOrIdentity)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null != db)
        {
            r.respond(HttpResponseStatus.OK, TEXT, Replica.hex(db.identityLittleEndian()));
        }
    }

    /**
     * {@code GET /v1/identity/:identity/databases}.
     *
     * @param r     the answer.
     * @param owner the owner.
     */
    public void ownedBy(final HttpResponder r, final Identity owner)
    {
        final StringBuilder json = new StringBuilder("{\"identities\":[");
        final byte[] ownerBytes = owner.toLittleEndian();
        boolean first = true;
        for (final ReplicaDatabase db : replica.databases())
        {
            if (db.isOwner(ownerBytes))
            {
                json.append(first ? "" : ",").append('"').append(Replica.hex(db.identityLittleEndian())).append('"');
                first = false;
            }
        }
        r.respond(HttpResponseStatus.OK, JSON, json.append("]}").toString());
    }

    /**
     * {@code DELETE /v1/database/:name}: owner only.
     *
     * @param r              the answer.
     * @param caller         the caller.
     * @param nameOrIdentity the database.
     */
    public void delete(final HttpResponder r, final Identity caller, final String nameOrIdentity)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null == db || !requireOwner(r, db, caller, "delete"))
        {
            return;
        }
        final int requestId = register(r, (outcome, message, databaseId) -> r.respond(
            outcome == Outcome.COMMITTED ? HttpResponseStatus.OK :
            message.startsWith("only the owner") ? HttpResponseStatus.UNAUTHORIZED : HttpResponseStatus.BAD_REQUEST,
            TEXT, outcome == Outcome.COMMITTED ? "" : message), 0);
        final byte[] name = Replica.hex(db.identityLittleEndian()).getBytes(StandardCharsets.UTF_8);
        if (!ingress.deleteDatabase(edgeId, requestId, new UnsafeBuffer(caller.toLittleEndian()), 0,
            new UnsafeBuffer(name), 0, name.length))
        {
            unavailable(r, requestId);
        }
    }

    /**
     * {@code POST /v1/database/:name/call/:function}: a reducer, or else a procedure.
     *
     * @param r              the answer.
     * @param caller         the caller.
     * @param nameOrIdentity the database.
     * @param function       the reducer or procedure name.
     * @param json           the SATS-JSON arguments (array or object).
     */
    public void call(
        final HttpResponder r, final Identity caller, final String nameOrIdentity, final String function,
        final String json)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null == db)
        {
            return;
        }
        final ModuleDef def = db.moduleDef();
        if (null == def)
        {
            r.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
                "the module definition of database " + db.name() + " is not known to this edge");
            return;
        }
        final ReducerDef reducer = def.reducer(function);
        final ProcedureDef procedure = null == reducer ? def.procedure(function) : null;
        if (null == reducer && null == procedure)
        {
            r.respond(HttpResponseStatus.NOT_FOUND, TEXT, "no such reducer or procedure: " + function);
            return;
        }
        if (null != reducer && (null != reducer.lifecycle() || !reducer.clientCallable()))
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, "reducer " + function + " cannot be called by clients" +
                (null != reducer.lifecycle() ? " (lifecycle reducer)" : ""));
            return;
        }
        final byte[] args;
        try
        {
            final AlgebraicType params = null != reducer ? reducer.params() : procedure.params();
            args = Bsatn.encodeToBytes(params, SatsJson.read(params, json.isBlank() ? "[]" : json));
        }
        catch (final SatsJsonException | IllegalArgumentException ex)
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, "invalid arguments for " + function + ": " +
                ex.getMessage());
            return;
        }
        final byte[] nameBytes = function.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer identity = new UnsafeBuffer(caller.toLittleEndian());
        final long connectionIdLo = randomNonZero();
        final long connectionIdHi = ThreadLocalRandom.current().nextLong();
        final long nowMicros = System.currentTimeMillis() * 1000L;
        final boolean sent;
        if (null != reducer)
        {
            // As SpacetimeDB does: the call runs between client_connected and client_disconnected of a fresh
            // connection, and only once client_connected has committed.
            final long databaseId = db.databaseId();
            final Runnable disconnect = () -> ingress.clientDisconnected(databaseId, edgeId, connectionIdLo,
                connectionIdHi, identity, 0, System.currentTimeMillis() * 1000L);
            final int connectId = register(r, (connected, why, ignored) ->
            {
                if (connected != Outcome.COMMITTED)
                {
                    r.respond(HttpResponseStatus.FORBIDDEN, TEXT, "client_connected rejected the call: " + why);
                    return;
                }
                final int callId = register(r, (outcome, message, unused) ->
                {
                    answerCall(r, outcome, message);
                    disconnect.run();
                }, connectionIdLo);
                if (!ingress.callReducer(databaseId, edgeId, callId, connectionIdLo, connectionIdHi, identity, 0,
                    nowMicros, 0, new UnsafeBuffer(nameBytes), 0, nameBytes.length, new UnsafeBuffer(args), 0,
                    args.length))
                {
                    unavailable(r, callId);
                    disconnect.run();
                }
            }, connectionIdLo);
            sent = ingress.clientConnected(databaseId, edgeId, connectionIdLo, connectionIdHi, identity, 0, nowMicros,
                identity, 0, 0);
            if (!sent)
            {
                unavailable(r, connectId);
            }
            return;
        }
        final AlgebraicType returnType = procedure.returnType();
        final int requestId = register(r, (outcome, message, databaseId) ->
        {
            if (outcome == Outcome.COMMITTED)
            {
                answerProcedure(r, returnType, message);
            }
            else
            {
                answerCall(r, outcome, message);
            }
        }, connectionIdLo);
        if (!ingress.callProcedure(db.databaseId(), edgeId, requestId, connectionIdLo, connectionIdHi, identity, 0,
            nowMicros, 0, new UnsafeBuffer(nameBytes), 0, nameBytes.length, new UnsafeBuffer(args), 0, args.length))
        {
            unavailable(r, requestId);
        }
    }

    /**
     * {@code GET /v1/database/:name/schema?version=9|10}: the module's definition as the typed SATS-JSON of a
     * {@code RawModuleDefV9} or {@code RawModuleDefV10}, whichever version the module wrote
     * ({@link RawModuleDefConverter}: the module's own version is its own definition).
     *
     * @param r              the answer.
     * @param nameOrIdentity the database.
     * @param version        the {@code version} parameter, or null.
     */
    public void schema(final HttpResponder r, final String nameOrIdentity, final String version)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null == db)
        {
            return;
        }
        if (!"9".equals(version) && !"10".equals(version))
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, "query parameter version is required: 9 or 10");
            return;
        }
        final byte[] raw = db.rawModuleDef();
        if (null == raw)
        {
            r.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT,
                "the module definition of database " + db.name() + " is not known to this edge");
            return;
        }
        try
        {
            r.respond(HttpResponseStatus.OK, JSON,
                RawModuleDefJson.write(RawModuleDefConverter.convert(raw, Integer.parseInt(version))));
        }
        catch (final ModuleDefException ex)
        {
            r.respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, ex.getMessage());
        }
    }

    /**
     * {@code GET /v1/database/:name/logs?num_lines=N&follow=bool}: owner only.
     *
     * @param r              the answer.
     * @param caller         the caller.
     * @param nameOrIdentity the database.
     * @param numLines       the newest records to send, or -1 for all kept.
     * @param follow         whether to keep streaming new records.
     */
    public void logs(
        final HttpResponder r, final Identity caller, final String nameOrIdentity, final int numLines,
        final boolean follow)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null == db || !requireOwner(r, db, caller, "read the logs of"))
        {
            return;
        }
        final StringBuilder body = new StringBuilder();
        final ArrayDeque<String> ring = logs.get(db.databaseId());
        if (null != ring)
        {
            int skip = numLines < 0 ? 0 : Math.max(0, ring.size() - numLines);
            for (final String line : ring)
            {
                if (skip-- <= 0)
                {
                    body.append(line);
                }
            }
        }
        if (!follow)
        {
            r.respond(HttpResponseStatus.OK, NDJSON, body.toString());
            return;
        }
        if (r.startStream(NDJSON))
        {
            if (body.length() > 0)
            {
                r.chunk(body.toString());
            }
            final long databaseId = db.databaseId();
            followers.computeIfAbsent(databaseId, (id) -> new ArrayList<>()).add(r);
            r.onClose(() -> submit.accept(() ->
            {
                final List<HttpResponder> streams = followers.get(databaseId);
                if (null != streams)
                {
                    streams.remove(r);
                }
            }));
        }
    }

    /**
     * {@code POST /v1/database/:name/sql}: one or more {@code ;}-separated statements, run in order, each in its
     * own transaction as SpacetimeDB does; the answer is the array of their results, or the first error (the
     * statements before it stay applied). SELECT and SHOW read the edge's replica (after the request's own earlier
     * DML: the core sends a transaction before its completion); INSERT, UPDATE, DELETE and SET go through the core.
     *
     * @param r              the answer.
     * @param caller         the caller.
     * @param nameOrIdentity the database.
     * @param sql            the statements.
     */
    public void sql(final HttpResponder r, final Identity caller, final String nameOrIdentity, final String sql)
    {
        final ReplicaDatabase db = resolve(r, nameOrIdentity);
        if (null == db)
        {
            return;
        }
        final List<String> texts;
        final List<SqlAst.Statement> statements = new ArrayList<>();
        try
        {
            texts = SqlParser.split(sql);
            for (final String text : texts)
            {
                statements.add(SqlParser.parse(text));
            }
        }
        catch (final SqlException ex)
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, ex.getMessage());
            return;
        }
        if (statements.isEmpty())
        {
            r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, "no SQL statement");
            return;
        }
        new SqlRequest(r, caller, db.databaseId(), texts, statements).next();
    }

    /** The statements of one {@code /sql} request, run one after the other. */
    private final class SqlRequest
    {
        private final HttpResponder r;
        private final Identity caller;
        private final long databaseId;
        private final List<String> texts;
        private final List<SqlAst.Statement> statements;
        private final long startNs = System.nanoTime();
        private final StringBuilder results = new StringBuilder("[");
        private int index;

        SqlRequest(
            final HttpResponder r,
            final Identity caller,
            final long databaseId,
            final List<String> texts,
            final List<SqlAst.Statement> statements)
        {
            this.r = r;
            this.caller = caller;
            this.databaseId = databaseId;
            this.texts = texts;
            this.statements = statements;
        }

        /** Runs statements until one needs the core (then its completion continues) or all are done. */
        void next()
        {
            while (index < statements.size())
            {
                final ReplicaDatabase db = replica.database(databaseId);
                if (null == db)
                {
                    r.respond(HttpResponseStatus.NOT_FOUND, TEXT, "database deleted during the request");
                    return;
                }
                final SqlAst.Statement statement = statements.get(index);
                final long statementStartNs = System.nanoTime();
                if (statement instanceof SqlAst.Select || statement instanceof SqlAst.ShowVar)
                {
                    try
                    {
                        final SqlResult result = statement instanceof SqlAst.Select select ? select(db, select) :
                            show(db, (SqlAst.ShowVar)statement);
                        append(result, statementStartNs, NO_STATS);
                    }
                    catch (final SqlException | RuntimeException ex)
                    {
                        r.respond(HttpResponseStatus.BAD_REQUEST, TEXT, String.valueOf(ex.getMessage()));
                        return;
                    }
                    index++;
                    continue;
                }
                final int requestId = register(r, (outcome, message, ignored) ->
                {
                    if (outcome == Outcome.COMMITTED)
                    {
                        append(null, statementStartNs, message.isEmpty() ? NO_STATS : message);
                        index++;
                        next();
                    }
                    else
                    {
                        r.respond(message.startsWith("only the owner") ? HttpResponseStatus.UNAUTHORIZED :
                            HttpResponseStatus.BAD_REQUEST, TEXT, message);
                    }
                }, 0);
                final byte[] text = texts.get(index).getBytes(StandardCharsets.UTF_8);
                if (!ingress.sqlDml(databaseId, edgeId, requestId, 0, 0, new UnsafeBuffer(caller.toLittleEndian()), 0,
                    new UnsafeBuffer(text), 0, text.length))
                {
                    unavailable(r, requestId);
                }
                return;
            }
            r.header(DURATION_MICROS, Long.toString((System.nanoTime() - startNs) / 1000));
            r.respond(HttpResponseStatus.OK, JSON, results.append(']').toString());
        }

        private SqlResult select(final ReplicaDatabase db, final SqlAst.Select select) throws SqlException
        {
            final Catalog catalog = db.catalog(caller.toLittleEndian());
            final SqlResult result = QueryPlanner.plan(select, catalog, false, QueryPlanner.Options.EXTENDED)
                .execute(ReadView.committed(db.datastore()));
            final String overLimit = db.checkRowLimit(catalog, result.rows().size());
            if (null != overLimit)
            {
                throw new SqlException(overLimit);
            }
            return result;
        }

        private SqlResult show(final ReplicaDatabase db, final SqlAst.ShowVar show) throws SqlException
        {
            if (!DatabaseSettingsFormat.VARIABLES.contains(show.name()))
            {
                throw new SqlException(show.name() + " is not a valid system variable");
            }
            final Long value = db.variables().get(show.name());
            return SqlResult.rows(SHOW_SCHEMA, null == value ? List.of() :
                List.of(ProductValue.of(new SumValue(ST_VAR_U64, value))));
        }

        private void append(final SqlResult result, final long statementStartNs, final String stats)
        {
            results.append(results.length() > 1 ? "," : "")
                .append(sqlJson(result, (System.nanoTime() - statementStartNs) / 1000, stats));
        }
    }

    // ---------------------------------------------------------------- helpers

    private int register(final HttpResponder r, final Completion completion, final long connectionIdLo)
    {
        int requestId = ++nextRequestId;
        while (0 == requestId || byRequest.containsKey(requestId))
        {
            requestId = ++nextRequestId;
        }
        final Pending pending = new Pending(r, completion, requestId, connectionIdLo);
        byRequest.put(requestId, pending);
        if (0 != connectionIdLo)
        {
            byConnection.put(connectionIdLo, pending);
        }
        final int id = requestId;
        r.timeoutAfter(timeoutNs, () -> submit.accept(() -> forget(id)));
        return requestId;
    }

    private void forget(final int requestId)
    {
        final Pending pending = byRequest.remove(requestId);
        if (null != pending && 0 != pending.connectionIdLo())
        {
            byConnection.remove(pending.connectionIdLo());
        }
    }

    private void unavailable(final HttpResponder r, final int requestId)
    {
        forget(requestId);
        r.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "core unavailable (back pressure), try again");
    }

    private static void answerCall(final HttpResponder r, final Outcome outcome, final String message)
    {
        if (outcome == Outcome.COMMITTED)
        {
            r.respond(HttpResponseStatus.OK, null, "");
        }
        else if (outcome == Outcome.OUT_OF_ENERGY)
        {
            r.respond(HttpResponseStatus.PAYMENT_REQUIRED, TEXT, "Module energy budget exhausted.");
        }
        else
        {
            r.respond(HttpResponseStatus.valueOf(530), TEXT, message);
        }
    }

    private static void answerProcedure(final HttpResponder r, final AlgebraicType returnType, final String hex)
    {
        try
        {
            final Object value = Bsatn.decodeValueFully(Hex.decode(hex), returnType);
            r.respond(HttpResponseStatus.OK, JSON, SatsJson.write(returnType, value));
        }
        catch (final BsatnDecodeException | SatsJsonException | IllegalArgumentException ex)
        {
            r.respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "procedure returned an undecodable value: " +
                ex.getMessage());
        }
    }

    private boolean requireOwner(
        final HttpResponder r, final ReplicaDatabase db, final Identity caller, final String what)
    {
        if (db.isOwner(caller.toLittleEndian()))
        {
            return true;
        }
        r.respond(HttpResponseStatus.UNAUTHORIZED, TEXT, "only the owner of database " + db.name() + " may " +
            what + " it");
        return false;
    }

    private ReplicaDatabase resolve(final HttpResponder r, final String nameOrIdentity)
    {
        final ReplicaDatabase db = replica.database(normalize(nameOrIdentity));
        if (null == db)
        {
            r.respond(HttpResponseStatus.NOT_FOUND, TEXT, "database not found: " + nameOrIdentity);
        }
        return db;
    }

    private static String normalize(final String nameOrIdentity)
    {
        return DatabaseSettingsFormat.isIdentityHex(nameOrIdentity) ?
            nameOrIdentity.toLowerCase(java.util.Locale.ROOT) : nameOrIdentity;
    }

    private static boolean validName(final String name)
    {
        if (name.isEmpty() || name.length() > 64)
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!(c == '-' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }
        return true;
    }

    private static String generatedName()
    {
        return "db-" + Long.toHexString(randomNonZero());
    }

    private static long randomNonZero()
    {
        long value;
        do
        {
            value = ThreadLocalRandom.current().nextLong();
        }
        while (0 == value);
        return value;
    }

    private static String permissionDenied(final String name)
    {
        return "{\"PermissionDenied\":{\"name\":" + quote(name) + "}}";
    }

    private static String sqlJson(final SqlResult result, final long durationMicros, final String stats)
    {
        final StringBuilder json = new StringBuilder("{\"schema\":");
        if (null == result)
        {
            json.append("{\"elements\":[]},\"rows\":[]");
        }
        else
        {
            json.append(AlgebraicTypeJson.productJson(result.schema())).append(",\"rows\":[");
            boolean first = true;
            for (final ProductValue row : result.rows())
            {
                json.append(first ? "" : ",").append(SatsJson.writeUntyped(result.schema(), row));
                first = false;
            }
            json.append(']');
        }
        return json.append(",\"total_duration_micros\":").append(durationMicros).append(",\"stats\":").append(stats)
            .append('}').toString();
    }

    private static String levelName(final LogLevel level)
    {
        return level == LogLevel.PANIC ? "Panic" : level.ordinal() < LEVELS.length ? LEVELS[level.ordinal()] : "Info";
    }

    private static String quote(final String text)
    {
        return SatsJson.write(AlgebraicType.STRING, text);
    }
}
