package io.lightcone.edge.replica;

import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.schema.SchemaCodec;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.wire.TxCommittedView;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge's replica of every database, one {@link ReplicaDatabase} each: created from {@code SchemaChanged}
 * (a u32 table count then each {@link TableSchema} in {@link SchemaCodec} form; no tables = database deleted), kept
 * current by {@code TxCommitted}, with the durable offset from {@code Durable}. Single-threaded (the edge agent).
 * <p>
 * An edge learns the databases that exist when it starts by sending {@code EdgeBootstrap}: the core answers, per
 * database, with SchemaChanged at its last tx offset, its rows as SnapshotChunks at that offset for this edge
 * ({@link ReplicaDatabase#applySnapshotChunk}), and Durable.
 * <p>
 * Not in this slice: migrating the rows of an altered table (it is recreated empty).
 */
public final class Replica implements AutoCloseable
{
    private final Long2ObjectHashMap<ReplicaDatabase> byId = new Long2ObjectHashMap<>();
    private final Map<String, ReplicaDatabase> byName = new HashMap<>();
    private final BsatnReader reader = new BsatnReader();

    /**
     * A database was created or its schema changed.
     *
     * @param buffer         holding the message.
     * @param databaseId     the database.
     * @param txOffset       tx in which it changed.
     * @param identityOffset offset of the 32 byte little-endian database identity.
     * @param nameOffset     offset of the name.
     * @param nameLength     length of the name.
     * @param schemaOffset   offset of the schema.
     * @param schemaLength   length of the schema.
     * @return the database, or null if it was deleted.
     */
    public ReplicaDatabase onSchemaChanged(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int identityOffset,
        final int nameOffset,
        final int nameLength,
        final int schemaOffset,
        final int schemaLength)
    {
        final List<TableSchema> schemas = new ArrayList<>();
        if (schemaLength > 0)
        {
            reader.wrap(buffer, schemaOffset, schemaLength);
            final int count = reader.readLength(1, "table count");
            for (int i = 0; i < count; i++)
            {
                schemas.add(SchemaCodec.decode(reader));
            }
        }
        ReplicaDatabase database = byId.get(databaseId);
        if (schemas.isEmpty())
        {
            if (null != database)
            {
                byId.remove(databaseId);
                byName.values().removeIf((d) -> d.databaseId() == databaseId);
                database.close();
            }
            return null;
        }
        if (null == database)
        {
            final byte[] identity = new byte[32];
            buffer.getBytes(identityOffset, identity);
            final String name = buffer.getStringWithoutLengthUtf8(nameOffset, nameLength);
            database = new ReplicaDatabase(databaseId, name, identity, txOffset);
            byId.put(databaseId, database);
            byName.putIfAbsent(name, database);
            byName.put(hex(identity), database);
        }
        database.createTables(schemas);
        return database;
    }

    /**
     * A live database's names, variables and program hash (DatabaseSettings): from now on it answers to exactly
     * these names (and its identity); a name another database held moves to this one.
     *
     * @param databaseId  the database.
     * @param names       its names.
     * @param variables   its st_var variables.
     * @param programHash Keccak-256 of its module, or null.
     * @return the database, or null if unknown.
     */
    public ReplicaDatabase onDatabaseSettings(
        final long databaseId, final List<String> names, final Map<String, Long> variables, final byte[] programHash)
    {
        final ReplicaDatabase database = byId.get(databaseId);
        if (null != database)
        {
            final String identityHex = hex(database.identityLittleEndian());
            byName.values().removeIf((d) -> d == database);
            byName.put(identityHex, database);
            for (final String name : names)
            {
                byName.put(name, database);
            }
            database.settings(names, variables, programHash);
        }
        return database;
    }

    /**
     * @param tx a committed transaction.
     * @return its database, or null if unknown.
     */
    public ReplicaDatabase database(final TxCommittedView tx)
    {
        return byId.get(tx.databaseId());
    }

    /**
     * @param databaseId the database.
     * @return it, or null.
     */
    public ReplicaDatabase database(final long databaseId)
    {
        return byId.get(databaseId);
    }

    /**
     * @param nameOrIdentity a database name or its identity as 64 hex digits (big-endian).
     * @return it, or null.
     */
    public ReplicaDatabase database(final String nameOrIdentity)
    {
        return byName.get(nameOrIdentity);
    }

    /**
     * Everything of a database up to an offset is durable.
     *
     * @param databaseId   the database.
     * @param upToTxOffset last durable offset.
     * @return the database, or null.
     */
    public ReplicaDatabase onDurable(final long databaseId, final long upToTxOffset)
    {
        final ReplicaDatabase database = byId.get(databaseId);
        if (null != database)
        {
            database.durable(upToTxOffset);
        }
        return database;
    }

    /**
     * @return every database.
     */
    public Collection<ReplicaDatabase> databases()
    {
        return byId.values();
    }

    /**
     * Identity bytes (little-endian, as on the wire) to big-endian hex, as in URLs.
     *
     * @param littleEndian 32 bytes.
     * @return 64 hex digits.
     */
    public static String hex(final byte[] littleEndian)
    {
        final StringBuilder sb = new StringBuilder(64);
        for (int i = littleEndian.length - 1; i >= 0; i--)
        {
            sb.append(Character.forDigit((littleEndian[i] >> 4) & 0xF, 16))
                .append(Character.forDigit(littleEndian[i] & 0xF, 16));
        }
        return sb.toString();
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        for (final ReplicaDatabase database : byId.values())
        {
            database.close();
        }
        byId.clear();
        byName.clear();
    }
}
