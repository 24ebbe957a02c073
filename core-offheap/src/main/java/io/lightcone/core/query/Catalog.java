package io.lightcone.core.query;

import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.StoredTable;

import java.math.BigInteger;

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
     * The database's row-level-security rules; a non-owner sees a row of a table with rules when any of them
     * selects it.
     *
     * @return the compiled rules, {@link RowLevelSecurity#NONE} when there are none.
     */
    default RowLevelSecurity rowLevelSecurity()
    {
        return RowLevelSecurity.NONE;
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
        return of(datastore, caller, owner, RowLevelSecurity.NONE);
    }

    /**
     * A catalog over a datastore's tables.
     *
     * @param datastore the tables.
     * @param caller    the caller identity, or null.
     * @param owner     whether the caller owns the database.
     * @param rls       the database's row-level-security rules.
     * @return the catalog.
     */
    static Catalog of(
        final Datastore datastore, final BigInteger caller, final boolean owner, final RowLevelSecurity rls)
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
            public RowLevelSecurity rowLevelSecurity()
            {
                return rls;
            }
        };
    }
}
