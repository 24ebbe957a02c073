package io.lightcone.txn.loop;

import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.wasm.host.ModuleInstance;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ReducerDef;
import org.agrona.CloseHelper;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One database served by the loop: its name, identities, tables ({@link Datastore}), running module
 * ({@link ModuleInstance}), connected clients and bookkeeping for snapshots and durability. Touched only by the loop
 * thread.
 * <p>
 * Identity: {@link #deriveIdentity(String, byte[])}, deterministic from the name and the owner, so a database keeps
 * its identity across restarts and republishes without a catalog lookup. The database id used on the wire is the
 * identity's low 63 bits ({@link #deriveId(byte[])}).
 */
public final class Database implements AutoCloseable
{
    /**
     * A schedule table: which reducer its rows call and where the {@code ScheduleAt} column sits.
     *
     * @param schema   the table schema.
     * @param reducer  the scheduled reducer.
     * @param column   the ScheduleAt column.
     */
    record ScheduleTable(TableSchema schema, ReducerDef reducer, int column)
    {
    }

    /**
     * A client connection.
     *
     * @param lo ConnectionId low 64 bits.
     * @param hi ConnectionId high 64 bits.
     */
    record ConnectionKey(long lo, long hi)
    {
    }

    private final long id;
    private final String name;
    private final byte[] identity;
    private final UnsafeBuffer identityBuffer;
    private final byte[] owner;
    private final String moduleHash;
    private final Datastore datastore;
    private final ModuleInstance instance;
    private final ModuleDef moduleDef;
    private final Path dir;
    private final Int2ObjectHashMap<ScheduleTable> scheduleTables = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<UnsafeBuffer> tableNames = new Int2ObjectHashMap<>();
    private final Map<ConnectionKey, String> jwtPayloads = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, Long> variables = new LinkedHashMap<>();
    private byte[] programHash = new byte[0];
    private DatabaseMetrics metrics;
    long lastTxOffset = -1;
    long durablePublished = -1;
    long txsSinceSnapshot;
    long createdTxOffset;
    long logRecordsSeen;
    /** Recovery only: interval anchors by {@link ScheduleAnchors#key}, consumed when timers are rebuilt. */
    Map<String, Long> recoveredAnchors;

    Database(
        final long id,
        final String name,
        final byte[] identity,
        final byte[] owner,
        final String moduleHash,
        final Datastore datastore,
        final ModuleInstance instance,
        final Path dir)
    {
        this.id = id;
        this.name = name;
        this.identity = identity.clone();
        this.identityBuffer = new UnsafeBuffer(this.identity);
        this.owner = owner.clone();
        this.moduleHash = moduleHash;
        this.datastore = datastore;
        this.instance = instance;
        this.moduleDef = instance.moduleDef();
        this.dir = dir;
        this.names.add(name);
    }

    /**
     * Takes over the state of the database this one replaces in an update (same tables, new module).
     *
     * @param previous the database before the update.
     */
    void takeOver(final Database previous)
    {
        lastTxOffset = previous.lastTxOffset;
        durablePublished = previous.durablePublished;
        txsSinceSnapshot = previous.txsSinceSnapshot;
        createdTxOffset = previous.createdTxOffset;
        jwtPayloads.putAll(previous.jwtPayloads);
        names(previous.names);
        variables.putAll(previous.variables);
    }

    /**
     * The names the database answers to (SpacetimeDB's DNS records): the creation name {@link #name()} at first;
     * {@code PUT /names} may replace it. The creation name keeps defining the identity and directory.
     *
     * @return the names, in order (a read-only view).
     */
    public List<String> names()
    {
        return Collections.unmodifiableList(names);
    }

    void names(final List<String> newNames)
    {
        names.clear();
        names.addAll(newNames);
    }

    /**
     * SpacetimeDB's {@code st_var} of the database: the system variables {@code SET} gave a value.
     *
     * @return the values by name (mutable, loop thread only).
     */
    Map<String, Long> variables()
    {
        return variables;
    }

    /**
     * @return Keccak-256 of the module bytes (SpacetimeDB's program hash), or empty when not known.
     */
    public byte[] programHash()
    {
        return programHash;
    }

    void programHash(final byte[] hash)
    {
        programHash = hash.clone();
    }

    /**
     * Indexes the tables after they were created: names for the wire, schedule tables for the scheduler.
     */
    void tablesCreated()
    {
        for (final StoredTable table : datastore.tables())
        {
            final TableSchema schema = table.schema();
            tableNames.put(table.tableId(), new UnsafeBuffer(schema.name().getBytes(StandardCharsets.UTF_8)));
            if (null != schema.schedule())
            {
                final ReducerDef reducer = moduleDef.reducer(schema.schedule().functionName());
                if (null != reducer)
                {
                    scheduleTables.put(table.tableId(),
                        new ScheduleTable(schema, reducer, schema.schedule().scheduleAtColumn()));
                }
            }
        }
    }

    /**
     * The database identity: SHA-256 of {@code "lightcone-database|" + name + "|" + hex(owner)} with its two most
     * significant bytes set to {@code c2 00} (so its hex form starts {@code c200}, like every SpacetimeDB
     * identity), as 32 bytes little-endian (BSATN order: the most significant bytes are the last two).
     *
     * @param name  the database name.
     * @param owner the owner identity, 32 bytes little-endian.
     * @return the identity, 32 bytes little-endian.
     */
    public static byte[] deriveIdentity(final String name, final byte[] owner)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("lightcone-database|".getBytes(StandardCharsets.UTF_8));
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte)'|');
            final StringBuilder hex = new StringBuilder(64);
            for (int i = owner.length - 1; i >= 0; i--)
            {
                hex.append(Character.forDigit((owner[i] >> 4) & 0xF, 16)).append(Character.forDigit(owner[i] & 0xF,
                    16));
            }
            digest.update(hex.toString().getBytes(StandardCharsets.US_ASCII));
            final byte[] identity = digest.digest();
            identity[31] = (byte)0xc2;
            identity[30] = 0;
            return identity;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The database id on the wire: the identity's low 63 bits, never 0.
     *
     * @param identity 32 bytes little-endian.
     * @return the id.
     */
    public static long deriveId(final byte[] identity)
    {
        long id = 0;
        for (int i = 7; i >= 0; i--)
        {
            id = (id << 8) | (identity[i] & 0xFF);
        }
        id &= Long.MAX_VALUE;
        return 0 == id ? 1 : id;
    }

    /**
     * @return the database id.
     */
    public long id()
    {
        return id;
    }

    /**
     * @return the database name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return a copy of the identity, 32 bytes little-endian.
     */
    public byte[] identity()
    {
        return identity.clone();
    }

    UnsafeBuffer identityBuffer()
    {
        return identityBuffer;
    }

    byte[] identityBytes()
    {
        return identity;
    }

    /**
     * @return a copy of the owner identity.
     */
    public byte[] owner()
    {
        return owner.clone();
    }

    boolean isOwner(final byte[] candidate)
    {
        return MessageDigest.isEqual(owner, candidate);
    }

    /**
     * @return the SHA-256 of the module bytes, hex.
     */
    public String moduleHash()
    {
        return moduleHash;
    }

    /**
     * @return the tables. Read them only on the loop thread.
     */
    public Datastore datastore()
    {
        return datastore;
    }

    /**
     * @return the running module.
     */
    public ModuleInstance instance()
    {
        return instance;
    }

    /**
     * @return the module def.
     */
    public ModuleDef moduleDef()
    {
        return moduleDef;
    }

    /**
     * @return the database directory: {@code <dataDir>/db/<id>}.
     */
    public Path dir()
    {
        return dir;
    }

    /**
     * @return offset of the last transaction committed in this database, or -1.
     */
    public long lastTxOffset()
    {
        return lastTxOffset;
    }

    ScheduleTable scheduleTable(final int tableId)
    {
        return scheduleTables.get(tableId);
    }

    boolean hasScheduleTables()
    {
        return !scheduleTables.isEmpty();
    }

    UnsafeBuffer tableName(final int tableId)
    {
        return tableNames.get(tableId);
    }

    String jwtPayload(final byte[] connectionId)
    {
        long lo = 0;
        long hi = 0;
        for (int i = 7; i >= 0; i--)
        {
            lo = (lo << 8) | (connectionId[i] & 0xFF);
            hi = (hi << 8) | (connectionId[i + 8] & 0xFF);
        }
        return jwtPayloads.get(new ConnectionKey(lo, hi));
    }

    void connect(final long lo, final long hi, final String jwtPayload)
    {
        jwtPayloads.put(new ConnectionKey(lo, hi), jwtPayload);
    }

    void disconnect(final long lo, final long hi)
    {
        jwtPayloads.remove(new ConnectionKey(lo, hi));
    }

    /**
     * @return number of connected clients.
     */
    public int connectionCount()
    {
        return jwtPayloads.size();
    }

    DatabaseMetrics metrics()
    {
        return metrics;
    }

    void metrics(final DatabaseMetrics metrics)
    {
        this.metrics = metrics;
    }

    /**
     * Closes the module, frees the tables and the database's metrics.
     */
    public void close()
    {
        try
        {
            instance.close();
        }
        finally
        {
            datastore.close();
            CloseHelper.close(metrics);
        }
    }
}
