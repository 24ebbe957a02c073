package io.lightcone.txn.loop;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The databases of one loop, by id, by identity and by every name they answer to ({@link Database#names()}). Loop
 * thread only.
 */
public final class DatabaseRegistry
{
    private final Long2ObjectHashMap<Database> byId = new Long2ObjectHashMap<>();
    private final Map<String, Database> byName = new HashMap<>();
    private final Map<String, Database> byIdentityHex = new HashMap<>();
    private final ArrayList<Database> all = new ArrayList<>();

    void add(final Database database)
    {
        if (byId.containsKey(database.id()))
        {
            throw new IllegalArgumentException("database " + database.name() + " (" + database.id() + ") exists");
        }
        for (final String name : database.names())
        {
            if (byName.containsKey(name))
            {
                throw new IllegalArgumentException("database name " + name + " is taken");
            }
        }
        byId.put(database.id(), database);
        for (final String name : database.names())
        {
            byName.put(name, database);
        }
        byIdentityHex.put(TxnLoopAgent.hexBigEndian(database.identityBytes()), database);
        all.add(database);
    }

    void remove(final Database database)
    {
        byId.remove(database.id());
        byName.values().removeIf((d) -> d == database);
        byIdentityHex.values().removeIf((d) -> d == database);
        all.remove(database);
    }

    /**
     * Gives a registered database new names (the caller checked that none belongs to another database).
     *
     * @param database the database.
     * @param names    its names from now on.
     */
    void rename(final Database database, final List<String> names)
    {
        byName.values().removeIf((d) -> d == database);
        database.names(names);
        for (final String name : names)
        {
            byName.put(name, database);
        }
    }

    /**
     * @param nameOrIdentity one of a database's names, or its identity as 64 hex digits (any case).
     * @return the database, or null.
     */
    public Database resolve(final String nameOrIdentity)
    {
        final Database database = byName.get(nameOrIdentity);
        return null != database || nameOrIdentity.length() != 64 ? database :
            byIdentityHex.get(nameOrIdentity.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * @param id a database id.
     * @return the database, or null.
     */
    public Database byId(final long id)
    {
        return byId.get(id);
    }

    /**
     * @param name one of a database's names.
     * @return the database, or null.
     */
    public Database byName(final String name)
    {
        return byName.get(name);
    }

    /**
     * @return number of databases.
     */
    public int size()
    {
        return all.size();
    }

    /**
     * @param i position, below {@link #size()}.
     * @return the database.
     */
    public Database get(final int i)
    {
        return all.get(i);
    }

    /**
     * @return every database (a read-only view).
     */
    public List<Database> all()
    {
        return Collections.unmodifiableList(all);
    }
}
