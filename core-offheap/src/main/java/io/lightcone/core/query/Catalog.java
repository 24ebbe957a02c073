package io.lightcone.core.query;

import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.StoredTable;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * What the planner knows about the database and the caller: tables by (case-sensitive, canonical) name with their
 * columns, types, indexes and access flag; the caller's identity and whether the caller owns the database (only
 * owners see private tables and bypass row-level security); and the row-level-security rules of each table.
 */
public interface Catalog
{
    /**
     * A table's schema.
     *
     * @param name the exact table name.
     * @return the schema (with its table id), or null when there is no such table.
     */
    TableSchema table(String name);

    /**
     * The caller's identity, the value of {@code :sender}.
     *
     * @return the identity as an unsigned 256-bit value, or null when there is no caller identity.
     */
    BigInteger caller();

    /**
     * Whether the caller owns the database.
     *
     * @return true for the owner.
     */
    boolean callerIsOwner();

    /**
     * The row-level-security rules of a table (each a {@code SELECT * FROM table WHERE ...} that may use
     * {@code :sender}); a non-owner sees a row of the table when any rule selects it.
     *
     * @param table the table name.
     * @return the rules; empty when the table has none (every row visible).
     */
    default List<String> rowLevelSecurity(final String table)
    {
        return List.of();
    }

    /**
     * A catalog over a datastore's tables without row-level security.
     *
     * @param datastore the tables.
     * @param caller    the caller identity, or null.
     * @param owner     whether the caller owns the database.
     * @return the catalog.
     */
    static Catalog of(final Datastore datastore, final BigInteger caller, final boolean owner)
    {
        return of(datastore, caller, owner, Map.of());
    }

    /**
     * A catalog over a datastore's tables.
     *
     * @param datastore the tables.
     * @param caller    the caller identity, or null.
     * @param owner     whether the caller owns the database.
     * @param rls       row-level-security rules by table name.
     * @return the catalog.
     */
    static Catalog of(
        final Datastore datastore, final BigInteger caller, final boolean owner, final Map<String, List<String>> rls)
    {
        return new Catalog()
        {
            @Override
            public TableSchema table(final String name)
            {
                final StoredTable table = datastore.table(name);
                return null == table ? null : table.schema();
            }

            @Override
            public BigInteger caller()
            {
                return caller;
            }

            @Override
            public boolean callerIsOwner()
            {
                return owner;
            }

            @Override
            public List<String> rowLevelSecurity(final String table)
            {
                return rls.getOrDefault(table, List.of());
            }
        };
    }
}
