package io.lightcone.client;

import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * All {@link TableCache}s of a client and the three-pass application of one message's row lists: every delete,
 * then every insert (a pending delete met by an insert of the same key is an update), then the deletes nobody
 * re-inserted; listeners fire afterwards, in that order, from a reused event log. Nothing here allocates in steady
 * state except a {@link CachedRow} for a row never seen before (recycled rows are reused first) and growth of the
 * reused arrays.
 * <p>
 * Polling thread only.
 */
final class ClientCache
{
    private static final byte INSERTED = 0;
    private static final byte UPDATED = 1;
    private static final byte DELETED = 2;

    private final ArrayList<TableCache> tables = new ArrayList<>();
    private final Map<String, PrimaryKey> primaryKeys;
    private final ErrorHandler errorHandler;
    private final ArrayList<CachedRow> pending = new ArrayList<>();
    private final ArrayList<CachedRow> scratch = new ArrayList<>();
    private final ExpandableArrayBuffer oldBytes = new ExpandableArrayBuffer(1024);
    private final RowLists.Visitor deleteVisitor = this::onDeletes;
    private final RowLists.Visitor insertVisitor = this::onInserts;
    private byte[] kinds = new byte[64];
    private CachedRow[] rows = new CachedRow[64];
    private int[] oldOffsets = new int[64];
    private int[] oldLengths = new int[64];
    private int eventCount;
    private int oldBytesLength;
    private boolean reconciling;

    ClientCache(final Map<String, PrimaryKey> primaryKeys, final ErrorHandler errorHandler)
    {
        this.primaryKeys = primaryKeys;
        this.errorHandler = errorHandler;
        for (final Map.Entry<String, PrimaryKey> entry : primaryKeys.entrySet())
        {
            tables.add(new TableCache(entry.getKey(), entry.getValue()));
        }
    }

    /**
     * The cache of a table, created (keyed by primary key if one was registered, else by row bytes) on first use.
     *
     * @param name of the table.
     * @return its cache.
     */
    TableCache table(final String name)
    {
        for (int i = 0; i < tables.size(); i++)
        {
            if (tables.get(i).name().equals(name))
            {
                return tables.get(i);
            }
        }
        final TableCache table = new TableCache(name, primaryKeys.get(name));
        tables.add(table);
        return table;
    }

    List<TableCache> tables()
    {
        return tables;
    }

    /**
     * Applies one message's rows and fires the listeners.
     *
     * @param lists the row lists of the message.
     */
    void apply(final RowLists lists)
    {
        lists.walk(deleteVisitor);
        lists.walk(insertVisitor);
        for (int i = 0; i < pending.size(); i++)
        {
            pending.get(i).table.settle(pending.get(i), this);
        }
        pending.clear();
        fireEvents();
    }

    /** After a reconnect: every cached row counts zero until resubscriptions bring it back. */
    void beginReconcile()
    {
        reconciling = true;
        for (int i = 0; i < tables.size(); i++)
        {
            tables.get(i).beginReconcile();
        }
    }

    boolean isReconciling()
    {
        return reconciling;
    }

    /** Every resubscription answered: rows that did not come back are deleted. */
    void endReconcile()
    {
        if (!reconciling)
        {
            return;
        }
        reconciling = false;
        for (int i = 0; i < tables.size(); i++)
        {
            tables.get(i).endReconcile(this, scratch);
        }
        fireEvents();
    }

    void pendingDelete(final CachedRow row)
    {
        pending.add(row);
    }

    void inserted(final CachedRow row)
    {
        record(INSERTED, row, 0, 0);
    }

    void updated(final CachedRow row)
    {
        final int at = oldBytesLength;
        oldBytes.putBytes(at, row.buffer, 0, row.length);
        oldBytesLength += row.length;
        record(UPDATED, row, at, row.length);
    }

    void deleted(final CachedRow row)
    {
        record(DELETED, row, 0, 0);
    }

    void fire(final RowListener listener, final TableCache table, final RowView row)
    {
        try
        {
            listener.onRow(table, row);
        }
        catch (final Throwable t)
        {
            errorHandler.onError(t);
        }
    }

    void fire(final UpdateListener listener, final TableCache table, final RowView oldRow, final RowView newRow)
    {
        try
        {
            listener.onUpdate(table, oldRow, newRow);
        }
        catch (final Throwable t)
        {
            errorHandler.onError(t);
        }
    }

    private void record(final byte kind, final CachedRow row, final int oldOffset, final int oldLength)
    {
        if (eventCount == kinds.length)
        {
            final int capacity = eventCount * 2;
            kinds = Arrays.copyOf(kinds, capacity);
            rows = Arrays.copyOf(rows, capacity);
            oldOffsets = Arrays.copyOf(oldOffsets, capacity);
            oldLengths = Arrays.copyOf(oldLengths, capacity);
        }
        kinds[eventCount] = kind;
        rows[eventCount] = row;
        oldOffsets[eventCount] = oldOffset;
        oldLengths[eventCount] = oldLength;
        eventCount++;
    }

    private void fireEvents()
    {
        for (int i = 0; i < eventCount; i++)
        {
            final CachedRow row = rows[i];
            rows[i] = null;
            switch (kinds[i])
            {
                case INSERTED:
                    row.table.fireInsert(row, this);
                    break;
                case UPDATED:
                    row.table.fireUpdate(oldBytes, oldOffsets[i], oldLengths[i], row, this);
                    break;
                default:
                    row.table.fireDelete(row, this);
                    break;
            }
        }
        eventCount = 0;
        oldBytesLength = 0;
    }

    private TableCache table(final DirectBuffer buffer, final int nameOffset, final int nameLength)
    {
        for (int i = 0; i < tables.size(); i++)
        {
            if (tables.get(i).nameEquals(buffer, nameOffset, nameLength))
            {
                return tables.get(i);
            }
        }
        final byte[] name = new byte[nameLength];
        buffer.getBytes(nameOffset, name);
        return table(new String(name, StandardCharsets.UTF_8));
    }

    private void onDeletes(
        final DirectBuffer buffer, final int nameOffset, final int nameLength, final int kind, final RowList list)
    {
        if (kind != RowLists.DELETES)
        {
            return;
        }
        final TableCache table = table(buffer, nameOffset, nameLength);
        for (int i = 0, n = list.count(); i < n; i++)
        {
            table.delete(buffer, list.rowOffset(i), list.rowLength(i), this);
        }
    }

    private void onInserts(
        final DirectBuffer buffer, final int nameOffset, final int nameLength, final int kind, final RowList list)
    {
        if (kind == RowLists.DELETES)
        {
            return;
        }
        final TableCache table = table(buffer, nameOffset, nameLength);
        for (int i = 0, n = list.count(); i < n; i++)
        {
            if (kind == RowLists.INSERTS)
            {
                table.insert(buffer, list.rowOffset(i), list.rowLength(i), this);
            }
            else
            {
                table.event(buffer, list.rowOffset(i), list.rowLength(i), this);
            }
        }
    }
}
