package io.lightcone.client;

import io.lightcone.core.sats.BsatnWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A {@link TableCache} seen through a {@link RowDecoder}: the base of the table classes that
 * {@code lightcone generate --lang java} writes (docs/java-sdk.md). Listeners receive decoded rows; a generated
 * subclass adds {@code findBy<PrimaryKey>(..)} for tables with a primary key.
 * <p>
 * Same threading as the cache: use it on the thread that polls the client. Each listener call and each row of
 * {@link #forEach} decodes one row object; for allocation-free reads use {@link #cache()} and {@link RowView}s.
 *
 * @param <T> the row type.
 */
public class TypedTable<T>
{
    private final TableCache cache;
    private final RowDecoder<T> decoder;
    private final BsatnWriter keyWriter = new BsatnWriter();

    /**
     * Wraps a cache.
     *
     * @param cache   the table's cache ({@link LightconeClient#table}).
     * @param decoder decodes one row.
     */
    protected TypedTable(final TableCache cache, final RowDecoder<T> decoder)
    {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    /**
     * The untyped cache.
     *
     * @return the cache.
     */
    public final TableCache cache()
    {
        return cache;
    }

    /**
     * The decoder of this table's rows.
     *
     * @return the decoder.
     */
    public final RowDecoder<T> decoder()
    {
        return decoder;
    }

    /**
     * The table's name.
     *
     * @return the name as the server sends it.
     */
    public final String name()
    {
        return cache.name();
    }

    /**
     * Number of distinct rows in the cache.
     *
     * @return the count.
     */
    public final int count()
    {
        return cache.count();
    }

    /**
     * Calls the consumer with every cached row, decoded.
     *
     * @param consumer the consumer.
     */
    public final void forEach(final Consumer<? super T> consumer)
    {
        cache.forEach(decoding(consumer));
    }

    /**
     * A snapshot of the cached rows, decoded, in no particular order.
     *
     * @return a new list.
     */
    public final List<T> rows()
    {
        final List<T> rows = new ArrayList<>(cache.count());
        forEach(rows::add);
        return rows;
    }

    /**
     * Adds a listener for inserted rows (including a subscription's initial rows).
     *
     * @param listener gets the decoded row.
     * @return the registered listener, for {@link #removeListener}.
     */
    public final RowListener onInsert(final Consumer<? super T> listener)
    {
        final RowListener registered = decoding(listener);
        cache.onInsert(registered);
        return registered;
    }

    /**
     * Adds a listener for deleted rows.
     *
     * @param listener gets the decoded row.
     * @return the registered listener, for {@link #removeListener}.
     */
    public final RowListener onDelete(final Consumer<? super T> listener)
    {
        final RowListener registered = decoding(listener);
        cache.onDelete(registered);
        return registered;
    }

    /**
     * Adds a listener for replaced rows (tables with a primary key).
     *
     * @param listener gets the old and the new row, decoded.
     * @return the registered listener, for {@link #removeListener}.
     */
    public final UpdateListener onUpdate(final BiConsumer<? super T, ? super T> listener)
    {
        final UpdateListener registered =
            (table, oldRow, newRow) -> listener.accept(oldRow.decode(decoder), newRow.decode(decoder));
        cache.onUpdate(registered);
        return registered;
    }

    /**
     * Adds a listener for the rows of an event table (delivered, never cached).
     *
     * @param listener gets the decoded row.
     * @return the registered listener, for {@link #removeListener}.
     */
    public final RowListener onEvent(final Consumer<? super T> listener)
    {
        final RowListener registered = decoding(listener);
        cache.onEvent(registered);
        return registered;
    }

    private RowListener decoding(final Consumer<? super T> listener)
    {
        return (table, row) -> listener.accept(row.decode(decoder));
    }

    /**
     * Removes a listener returned by one of the {@code on*} methods.
     *
     * @param registered the listener.
     * @return true if it was registered.
     */
    public final boolean removeListener(final Object registered)
    {
        return cache.removeListener(registered);
    }

    /**
     * The reused writer for a key, emptied: a generated {@code findBy..} writes the key's BSATN into it.
     *
     * @return the writer.
     */
    protected final BsatnWriter keyWriter()
    {
        return keyWriter.reset();
    }

    /**
     * Looks up the row whose key (primary key, or whole row for tables without one) is the BSATN written.
     *
     * @param key the writer from {@link #keyWriter()}, holding the key.
     * @return the decoded row, or empty.
     */
    protected final Optional<T> find(final BsatnWriter key)
    {
        return Optional.ofNullable(cache.find(key.buffer(), key.start(), key.length(), decoder));
    }
}
