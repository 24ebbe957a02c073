package io.lightcone.edge.replica;

import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.query.Catalog;
import io.lightcone.core.query.RowLevelSecurity;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TxDelta;
import io.lightcone.wire.DatabaseSettingsFormat;
import io.lightcone.wire.SnapshotChunkFormat;
import io.lightcone.wire.TxCommittedView;
import org.agrona.DirectBuffer;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One database's replica: a {@link Datastore} kept current by the core's committed transactions, applied in commit
 * order. Invariants: {@link #appliedTxOffset()} only grows; a transaction at or below it is ignored (at-least-once
 * delivery is harmless); {@link #durableTxOffset()} only grows. Single-threaded (the edge agent).
 */
public final class ReplicaDatabase implements AutoCloseable
{
    private final long databaseId;
    private final String name;
    private final byte[] identityLittleEndian;
    private final Datastore datastore = new Datastore();
    private final BsatnReader reader = new BsatnReader();
    private final SnapshotChunkFormat chunk = new SnapshotChunkFormat();
    private long appliedTxOffset;
    private long durableTxOffset = -1;
    private long rejectedTransactions;
    private byte[] ownerLittleEndian;
    private byte[] rawModuleDef;
    private ModuleDef moduleDef;
    private RowLevelSecurity rowLevelSecurity = RowLevelSecurity.NONE;
    private String rowLevelSecurityError;
    private List<String> names;
    private Map<String, Long> variables = Map.of();
    private byte[] programHash;

    ReplicaDatabase(
        final long databaseId, final String name, final byte[] identityLittleEndian, final long txOffset)
    {
        this.databaseId = databaseId;
        this.name = name;
        this.identityLittleEndian = identityLittleEndian;
        // A database is created just below its SchemaChanged offset: the transaction at that offset (the init
        // reducer on create, the rows of a bootstrap) follows and applies.
        this.appliedTxOffset = txOffset - 1;
    }

    void createTables(final List<TableSchema> schemas)
    {
        for (final TableSchema schema : schemas)
        {
            final StoredTable existing = datastore.table(schema.name());
            if (null == existing)
            {
                datastore.createTable(schema);
            }
            else if (!existing.schema().equals(schema))
            {
                // Altering a table needs its migrated rows: not in this slice (needs a snapshot from the core).
                datastore.dropTable(existing.tableId());
                datastore.createTable(schema);
            }
        }
        for (final StoredTable table : List.copyOf(datastore.tables()))
        {
            if (schemas.stream().noneMatch((s) -> s.name().equals(table.schema().name())))
            {
                datastore.dropTable(table.tableId());
            }
        }
    }

    /**
     * Apply a committed transaction: per table, its deleted rows then its inserted rows.
     *
     * @param tx the transaction.
     * @return what changed in the replica, valid until the next apply; null if the transaction was already applied
     * or could not be applied (counted in {@link #rejectedTransactions()}).
     */
    public TxDelta apply(final TxCommittedView tx)
    {
        if (tx.txOffset() <= appliedTxOffset)
        {
            return null;
        }
        final MutTx mutTx = datastore.beginMutTx();
        final DirectBuffer buffer = tx.buffer();
        for (int i = 0; i < tx.tableCount(); i++)
        {
            StoredTable table = datastore.table(tx.tableId(i));
            if (null == table || !table.schema().name().equals(tx.tableName(i)))
            {
                table = datastore.table(tx.tableName(i));
            }
            if (null == table)
            {
                continue;
            }
            final int deletedLength = tx.deletedLength(i);
            if (deletedLength > 0)
            {
                final int count = countRows(table, buffer, tx.deletedOffset(i), deletedLength);
                if (count < 0 || mutTx.deleteEqualRows(
                    table.tableId(), buffer, tx.deletedOffset(i), deletedLength, count) < 0)
                {
                    return reject(mutTx);
                }
            }
            int at = tx.insertedOffset(i);
            final int end = at + tx.insertedLength(i);
            while (at < end)
            {
                final int length = rowLength(table, buffer, at, end - at);
                if (length <= 0 || mutTx.insert(table.tableId(), buffer, at, length) < 0)
                {
                    return reject(mutTx);
                }
                at += length;
            }
        }
        appliedTxOffset = tx.txOffset();
        return mutTx.commit();
    }

    /**
     * Appends one chunk of the core's bootstrap snapshot at {@code txOffset} (table sections in
     * {@link SnapshotChunkFormat}): only while the replica is still just below that offset, i.e. freshly created by
     * the bootstrap's SchemaChanged; the last chunk moves {@link #appliedTxOffset()} to it. Each chunk is applied in
     * one transaction.
     *
     * @param txOffset the snapshot holds every transaction up to here.
     * @param buffer   holding the chunk.
     * @param offset   of the chunk's bytes.
     * @param length   of the chunk's bytes.
     * @param last     whether it is the final chunk.
     * @return false if ignored (already applied) or rejected (rows that do not decode; counted).
     */
    public boolean applySnapshotChunk(
        final long txOffset, final DirectBuffer buffer, final int offset, final int length, final boolean last)
    {
        if (appliedTxOffset != txOffset - 1)
        {
            return false;
        }
        final MutTx mutTx = datastore.beginMutTx();
        chunk.wrap(buffer, offset, length);
        while (chunk.next())
        {
            StoredTable table = datastore.table(chunk.tableId());
            if (null == table || !table.schema().name().equals(chunk.tableName()))
            {
                table = datastore.table(chunk.tableName());
            }
            if (null == table)
            {
                continue;
            }
            int at = chunk.rowsOffset();
            final int end = at + chunk.rowsLength();
            while (at < end)
            {
                final int rowLength = rowLength(table, buffer, at, end - at);
                if (rowLength <= 0 || mutTx.insert(table.tableId(), buffer, at, rowLength) < 0)
                {
                    reject(mutTx);
                    return false;
                }
                at += rowLength;
            }
        }
        if (chunk.isMalformed())
        {
            reject(mutTx);
            return false;
        }
        mutTx.commit();
        if (last)
        {
            appliedTxOffset = txOffset;
        }
        return true;
    }

    private TxDelta reject(final MutTx mutTx)
    {
        mutTx.rollback();
        rejectedTransactions++;
        return null;
    }

    private int countRows(final StoredTable table, final DirectBuffer buffer, final int offset, final int length)
    {
        int count = 0;
        int at = offset;
        while (at < offset + length)
        {
            final int rowLength = rowLength(table, buffer, at, offset + length - at);
            if (rowLength <= 0)
            {
                return -1;
            }
            at += rowLength;
            count++;
        }
        return count;
    }

    private int rowLength(final StoredTable table, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            reader.wrap(buffer, offset, length);
            Bsatn.skipValue(reader, table.schema().rowType());
            return reader.relativePosition();
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    void durable(final long upToTxOffset)
    {
        durableTxOffset = Math.max(durableTxOffset, upToTxOffset);
    }

    /**
     * @return the database id on the wire.
     */
    public long databaseId()
    {
        return databaseId;
    }

    /**
     * @return the database name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return every name the database answers to (its creation name until the core tells otherwise).
     */
    public List<String> names()
    {
        return null == names ? List.of(name) : names;
    }

    /**
     * @return the st_var variables set on the database (SpacetimeDB's {@code SET}), by name.
     */
    public Map<String, Long> variables()
    {
        return variables;
    }

    /**
     * @return Keccak-256 of the module (SpacetimeDB's program hash), or null when the core did not tell.
     */
    public byte[] programHash()
    {
        return programHash;
    }

    /**
     * What a version 3 core's DatabaseSettings tells.
     *
     * @param names       every name of the database.
     * @param variables   its st_var variables.
     * @param programHash Keccak-256 of its module, or null.
     */
    void settings(final List<String> names, final Map<String, Long> variables, final byte[] programHash)
    {
        this.names = List.copyOf(names);
        this.variables = Map.copyOf(variables);
        this.programHash = programHash;
    }

    /**
     * SpacetimeDB's {@code row_limit}: a query of a caller other than the owner may not return more rows than the
     * database's {@code row_limit} variable allows (ad-hoc SQL, one-off queries and subscriptions).
     *
     * @param catalog the caller's view (who is the owner).
     * @param rows    how many rows the query returns.
     * @return null when allowed, else SpacetimeDB's message.
     */
    public String checkRowLimit(final Catalog catalog, final long rows)
    {
        final Long limit = variables.get(DatabaseSettingsFormat.ROW_LIMIT);
        if (null == limit || catalog.callerIsOwner() || Long.compareUnsigned(rows, limit) <= 0)
        {
            return null;
        }
        return "Estimated cardinality (" + rows + " rows) exceeds limit (" + Long.toUnsignedString(limit) +
            " rows)";
    }

    /**
     * @return the database identity, 32 bytes little-endian.
     */
    public byte[] identityLittleEndian()
    {
        return identityLittleEndian.clone();
    }

    /**
     * Records what a version 2 core tells about the database besides its tables, and compiles the module's
     * row-level-security rules once. A definition the core sent but that does not decode (or whose rules do not
     * compile) fails closed: non-owners then cannot read at all (see {@link #catalog}).
     *
     * @param ownerLittleEndian the owner identity, 32 bytes little-endian, or null when not told.
     * @param rawModuleDef      the module's BSATN RawModuleDef, or null when not told.
     * @param moduleDef         the decoded definition, or null when not told or not decodable.
     * @return whether the row-level-security rules differ from the ones known before.
     */
    public boolean module(final byte[] ownerLittleEndian, final byte[] rawModuleDef, final ModuleDef moduleDef)
    {
        this.ownerLittleEndian = ownerLittleEndian;
        this.rawModuleDef = rawModuleDef;
        this.moduleDef = moduleDef;
        final RowLevelSecurity before = rowLevelSecurity;
        final String errorBefore = rowLevelSecurityError;
        rowLevelSecurity = RowLevelSecurity.NONE;
        rowLevelSecurityError = null;
        if (null != moduleDef)
        {
            try
            {
                rowLevelSecurity = RowLevelSecurity.compile(moduleDef.rowLevelSecurity(), (table) ->
                {
                    final StoredTable stored = datastore.table(table);
                    return null == stored ? null : stored.schema();
                });
            }
            catch (final SqlException ex)
            {
                rowLevelSecurityError = ex.getMessage();
            }
        }
        else if (null != rawModuleDef)
        {
            rowLevelSecurityError = "the module definition could not be decoded";
        }
        return !before.sql().equals(rowLevelSecurity.sql()) || !Objects.equals(errorBefore,
            rowLevelSecurityError);
    }

    /**
     * @return the module's compiled row-level-security rules ({@link RowLevelSecurity#NONE} when unknown).
     */
    public RowLevelSecurity rowLevelSecurity()
    {
        return rowLevelSecurity;
    }

    /**
     * The tables as a caller sees them: private tables only for the owner, row-level security for everyone else.
     *
     * @param callerLittleEndian the caller's identity, 32 bytes little-endian.
     * @return the catalog to plan the caller's queries with.
     * @throws SqlException for a non-owner when the module's rules could not be loaded (reads fail closed).
     */
    public Catalog catalog(final byte[] callerLittleEndian) throws SqlException
    {
        final boolean owner = isOwner(callerLittleEndian);
        if (!owner && null != rowLevelSecurityError)
        {
            throw new SqlException("the row-level security of database " + name + " could not be loaded (" +
                rowLevelSecurityError + "); only the owner may read it");
        }
        final byte[] bigEndian = new byte[callerLittleEndian.length];
        for (int i = 0; i < bigEndian.length; i++)
        {
            bigEndian[i] = callerLittleEndian[bigEndian.length - 1 - i];
        }
        return Catalog.of(datastore, new BigInteger(1, bigEndian), owner, rowLevelSecurity);
    }

    /**
     * @return the owner identity, 32 bytes little-endian, or null when the core did not tell it.
     */
    public byte[] ownerLittleEndian()
    {
        return null == ownerLittleEndian ? null : ownerLittleEndian.clone();
    }

    /**
     * @param identityLittleEndian an identity, 32 bytes little-endian.
     * @return whether it is the owner (false when the owner is unknown).
     */
    public boolean isOwner(final byte[] identityLittleEndian)
    {
        return null != ownerLittleEndian && java.util.Arrays.equals(ownerLittleEndian, identityLittleEndian);
    }

    /**
     * @return the module's BSATN RawModuleDef, or null when unknown.
     */
    public byte[] rawModuleDef()
    {
        return rawModuleDef;
    }

    /**
     * @return the module definition, or null when unknown.
     */
    public ModuleDef moduleDef()
    {
        return moduleDef;
    }

    /**
     * @return the tables.
     */
    public Datastore datastore()
    {
        return datastore;
    }

    /**
     * @return offset of the last applied transaction.
     */
    public long appliedTxOffset()
    {
        return appliedTxOffset;
    }

    /**
     * @return offset of the last durable transaction, -1 before the first Durable.
     */
    public long durableTxOffset()
    {
        return durableTxOffset;
    }

    /**
     * @return transactions whose rows did not decode against the replica's schema.
     */
    public long rejectedTransactions()
    {
        return rejectedTransactions;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        datastore.close();
    }
}
