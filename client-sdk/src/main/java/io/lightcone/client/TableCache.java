package io.lightcone.client;

import org.agrona.DirectBuffer;
import org.agrona.collections.Object2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;

/**
 * The client's copy of one table: the rows of every active subscription that touches it, kept current by
 * SubscribeApplied, TransactionUpdate, ReducerResult and UnsubscribeApplied.
 * <p>
 * Rows are keyed by primary key when the table has one ({@link PrimaryKey}), else by their bytes with a
 * multiplicity, as the TypeScript SDK does; a row sent by several overlapping query sets is one row here and leaves
 * when the last of them drops it. Within one message all deletes are applied before the inserts, so a delete and an
 * insert of the same key become one {@link UpdateListener update}; a delete and re-insert of identical bytes fire
 * nothing. Listeners run after the whole message is applied, so they always see a consistent cache.
 * <p>
 * Not thread-safe: read it and register listeners on the thread that polls the client (see {@link LightconeClient}).
 */
public final class TableCache
{
    private final String name;
    private final byte[] nameUtf8;
    private final PrimaryKey primaryKey;
    private final Object2ObjectHashMap<RowKey, CachedRow> rows = new Object2ObjectHashMap<>();
    private final ArrayDeque<CachedRow> freeRows = new ArrayDeque<>();
    private final RowKey probe = new RowKey();
    private final RowView view = new RowView();
    private final RowView oldView = new RowView();
    private final ArrayList<RowListener> insertListeners = new ArrayList<>();
    private final ArrayList<RowListener> deleteListeners = new ArrayList<>();
    private final ArrayList<RowListener> eventListeners = new ArrayList<>();
    private final ArrayList<UpdateListener> updateListeners = new ArrayList<>();
    private long unknownDeletes;

    TableCache(final String name, final PrimaryKey primaryKey)
    {
        this.name = name;
        this.nameUtf8 = name.getBytes(StandardCharsets.UTF_8);
        this.primaryKey = primaryKey;
    }

    /**
     * The table's name as the server sends it.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Whether rows are keyed by primary key.
     *
     * @return true when a {@link PrimaryKey} was registered for the table.
     */
    public boolean hasPrimaryKey()
    {
        return null != primaryKey;
    }

    /**
     * Number of distinct rows.
     *
     * @return the row count.
     */
    public int count()
    {
        return rows.size();
    }

    /**
     * Deletes the server sent for rows this cache did not hold (should stay 0; a non-zero value means the server
     * and the cache disagree).
     *
     * @return the count.
     */
    public long unknownDeletes()
    {
        return unknownDeletes;
    }

    /**
     * Calls the consumer once per distinct row (not re-entrant: do not iterate this table from the consumer).
     *
     * @param consumer to call with a reused view.
     */
    public void forEach(final RowListener consumer)
    {
        final Iterator<CachedRow> iterator = rows.values().iterator();
        while (iterator.hasNext())
        {
            final CachedRow row = iterator.next();
            consumer.onRow(this, view.wrap(row.buffer, 0, row.length));
        }
    }

    /**
     * Looks a row up by its key: the primary-key bytes, or the whole row for tables without a primary key.
     *
     * @param key    buffer holding the key's BSATN.
     * @param offset of the key.
     * @param length of the key.
     * @param into   view to point at the row.
     * @return true if found ({@code into} then shows it until the next poll), false otherwise.
     */
    public boolean find(final DirectBuffer key, final int offset, final int length, final RowView into)
    {
        final CachedRow row = rows.get(probe.wrap(key, offset, length));
        if (null == row || row.count == 0)
        {
            return false;
        }
        into.wrap(row.buffer, 0, row.length);
        return true;
    }

    /**
     * Looks a row up by its key and decodes it.
     *
     * @param key     buffer holding the key's BSATN.
     * @param offset  of the key.
     * @param length  of the key.
     * @param decoder for the row.
     * @param <T>     the row type.
     * @return the decoded row, or null if absent.
     */
    public <T> T find(final DirectBuffer key, final int offset, final int length, final RowDecoder<T> decoder)
    {
        final CachedRow row = rows.get(probe.wrap(key, offset, length));
        return null == row || row.count == 0 ? null : decoder.decode(row.buffer, 0, row.length);
    }

    /**
     * Adds a listener for inserted rows (including the initial rows of a subscription).
     *
     * @param listener the listener.
     * @return this table.
     */
    public TableCache onInsert(final RowListener listener)
    {
        insertListeners.add(listener);
        return this;
    }

    /**
     * Adds a listener for deleted rows (including rows dropped by an unsubscribe or a reconnect).
     *
     * @param listener the listener.
     * @return this table.
     */
    public TableCache onDelete(final RowListener listener)
    {
        deleteListeners.add(listener);
        return this;
    }

    /**
     * Adds a listener for replaced rows (tables with a primary key only).
     *
     * @param listener the listener.
     * @return this table.
     */
    public TableCache onUpdate(final UpdateListener listener)
    {
        updateListeners.add(listener);
        return this;
    }

    /**
     * Adds a listener for event-table rows, which are delivered but never cached.
     *
     * @param listener the listener.
     * @return this table.
     */
    public TableCache onEvent(final RowListener listener)
    {
        eventListeners.add(listener);
        return this;
    }

    /**
     * Removes a listener added with any of the {@code on*} methods.
     *
     * @param listener the listener.
     * @return true if it was registered.
     */
    public boolean removeListener(final Object listener)
    {
        return insertListeners.remove(listener) | deleteListeners.remove(listener) |
            eventListeners.remove(listener) | updateListeners.remove(listener);
    }

    @Override
    public String toString()
    {
        return "TableCache{" + name + ", rows=" + rows.size() + '}';
    }

    // ---------------------------------------------------------------------------------------------------------
    // Applied by ClientCache on the polling thread.
    // ---------------------------------------------------------------------------------------------------------

    boolean nameEquals(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != nameUtf8.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != nameUtf8[i])
            {
                return false;
            }
        }
        return true;
    }

    void delete(final DirectBuffer buffer, final int offset, final int length, final ClientCache cache)
    {
        final CachedRow row = rows.get(probe(buffer, offset, length));
        if (null == row || row.count == 0)
        {
            unknownDeletes++;
            return;
        }
        if (--row.count == 0 && !row.pending)
        {
            row.pending = true;
            cache.pendingDelete(row);
        }
    }

    void insert(final DirectBuffer buffer, final int offset, final int length, final ClientCache cache)
    {
        final CachedRow row = rows.get(probe(buffer, offset, length));
        if (null == row)
        {
            final CachedRow added = freeRows.isEmpty() ? new CachedRow() : freeRows.pollLast();
            added.table = this;
            added.copyFrom(buffer, offset, length);
            final long range = locate(added.buffer, 0, length);
            added.key.wrap(added.buffer, PrimaryKey.offsetOf(range), PrimaryKey.lengthOf(range));
            added.count = 1;
            rows.put(added.key, added);
            cache.inserted(added);
            return;
        }
        row.count++;
        if (!RowKey.regionEquals(row.buffer, 0, row.length, buffer, offset, length))
        {
            cache.updated(row);
            row.copyFrom(buffer, offset, length);
            row.key.move(row.buffer, PrimaryKey.offsetOf(locate(row.buffer, 0, length)));
        }
    }

    void event(final DirectBuffer buffer, final int offset, final int length, final ClientCache cache)
    {
        view.wrap(buffer, offset, length);
        for (int i = 0; i < eventListeners.size(); i++)
        {
            cache.fire(eventListeners.get(i), this, view);
        }
    }

    /** Ends a pending delete: the row leaves if no insert brought it back. */
    void settle(final CachedRow row, final ClientCache cache)
    {
        row.pending = false;
        if (row.count == 0)
        {
            rows.remove(row.key);
            cache.deleted(row);
        }
    }

    /** Reconnect: every row counts zero until the new SubscribeApplied rows bring it back. */
    void beginReconcile()
    {
        final Iterator<CachedRow> iterator = rows.values().iterator();
        while (iterator.hasNext())
        {
            iterator.next().count = 0;
        }
    }

    /** Reconnect done: rows no query set sent again are deleted. */
    void endReconcile(final ClientCache cache, final ArrayList<CachedRow> scratch)
    {
        scratch.clear();
        final Iterator<CachedRow> iterator = rows.values().iterator();
        while (iterator.hasNext())
        {
            final CachedRow row = iterator.next();
            if (row.count == 0 && !row.pending)
            {
                scratch.add(row);
            }
        }
        for (int i = 0; i < scratch.size(); i++)
        {
            settle(scratch.get(i), cache);
        }
        scratch.clear();
    }

    void fireInsert(final CachedRow row, final ClientCache cache)
    {
        view.wrap(row.buffer, 0, row.length);
        for (int i = 0; i < insertListeners.size(); i++)
        {
            cache.fire(insertListeners.get(i), this, view);
        }
    }

    void fireDelete(final CachedRow row, final ClientCache cache)
    {
        view.wrap(row.buffer, 0, row.length);
        for (int i = 0; i < deleteListeners.size(); i++)
        {
            cache.fire(deleteListeners.get(i), this, view);
        }
        row.table = null;
        freeRows.addLast(row);
    }

    void fireUpdate(final DirectBuffer old, final int oldOffset, final int oldLength, final CachedRow row,
        final ClientCache cache)
    {
        oldView.wrap(old, oldOffset, oldLength);
        view.wrap(row.buffer, 0, row.length);
        for (int i = 0; i < updateListeners.size(); i++)
        {
            cache.fire(updateListeners.get(i), this, oldView, view);
        }
    }

    private RowKey probe(final DirectBuffer buffer, final int offset, final int length)
    {
        final long range = locate(buffer, offset, length);
        return probe.wrap(buffer, offset + PrimaryKey.offsetOf(range), PrimaryKey.lengthOf(range));
    }

    private long locate(final DirectBuffer buffer, final int offset, final int length)
    {
        return null == primaryKey ? PrimaryKey.range(0, length) : primaryKey.locate(buffer, offset, length);
    }
}
