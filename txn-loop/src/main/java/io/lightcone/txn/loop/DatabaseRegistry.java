package io.lightcone.txn.loop;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The databases of one loop, by id and by name. Loop thread only.
 */
public final class DatabaseRegistry
{
    private final Long2ObjectHashMap<Database> byId = new Long2ObjectHashMap<>();
    private final Map<String, Database> byName = new HashMap<>();
    private final ArrayList<Database> all = new ArrayList<>();

    void add(final Database database)
    {
        if (byId.containsKey(database.id()) || byName.containsKey(database.name()))
        {
            throw new IllegalArgumentException("database " + database.name() + " (" + database.id() + ") exists");
        }
        byId.put(database.id(), database);
        byName.put(database.name(), database);
        all.add(database);
    }

    void remove(final Database database)
    {
        byId.remove(database.id());
        byName.remove(database.name());
        all.remove(database);
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
     * @param name a database name.
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
