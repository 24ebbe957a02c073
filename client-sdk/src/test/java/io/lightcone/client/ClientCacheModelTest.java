package io.lightcone.client;

import io.lightcone.edge.protocol.ServerMessageEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache against a model: a "database" of rows {id: u32, value: i64} and overlapping query sets (filters on id),
 * with random transactions, subscribes, unsubscribes and reconnects, all encoded with ws-edge's
 * {@link ServerMessageEncoder} and read back with {@link ServerMessageReader} as the client does.
 * <p>
 * Invariants, after every message: the cache holds exactly the database rows matched by at least one active query
 * set; a mirror built only from the insert / update / delete listeners equals the cache; no delete ever names a row
 * the cache did not hold.
 */
final class ClientCacheModelTest
{
    private static final String TABLE = "t";
    private static final int IDS = 40;
    private static final List<IntPredicate> FILTERS = List.of(
        (id) -> id % 2 == 0, (id) -> id < 20, (id) -> true, (id) -> id % 3 == 1);

    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);
    private final ServerMessageEncoder encoder = new ServerMessageEncoder();
    private final ServerMessageReader reader = new ServerMessageReader();
    private final Map<Integer, Long> database = new TreeMap<>();
    private final boolean[] active = new boolean[FILTERS.size()];
    private final Map<String, Integer> mirror = new HashMap<>();
    private ClientCache cache;
    private int updates;

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 7L, 0x5EEDL, 42L })
    void shouldKeepTheCacheEqualToTheModelWithAPrimaryKey(final long seed)
    {
        run(seed, true);
        assertTrue(updates > 0, "updates were exercised");
    }

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 3L, 11L, 0xBEEFL })
    void shouldKeepTheCacheEqualToTheModelKeyedByRowBytes(final long seed)
    {
        run(seed, false);
        assertEquals(0, updates, "without a primary key a changed row is a delete and an insert");
    }

    private void run(final long seed, final boolean primaryKey)
    {
        final Random random = new Random(seed);
        final Map<String, PrimaryKey> keys = primaryKey ? Map.of(TABLE, PrimaryKey.fixed(0, 4)) : Map.of();
        cache = new ClientCache(keys, (t) ->
        {
            throw new AssertionError(t);
        });
        final TableCache table = cache.table(TABLE);
        table.onInsert((t, row) -> assertEquals(null, mirror.put(key(row), 1), "insert of a present row"));
        table.onDelete((t, row) -> assertEquals(1, mirror.remove(key(row)), "delete of an absent row"));
        table.onUpdate((t, oldRow, newRow) ->
        {
            updates++;
            assertEquals(oldRow.getI32(0), newRow.getI32(0), "an update keeps the key");
            assertEquals(1, mirror.remove(key(oldRow)));
            mirror.put(key(newRow), 1);
        });
        for (int id = 0; id < IDS; id += 3)
        {
            database.put(id, (long)id);
        }
        for (int step = 0; step < 400; step++)
        {
            final int action = random.nextInt(10);
            final int qs = random.nextInt(FILTERS.size());
            if (action == 0 && !active[qs])
            {
                subscribe(qs);
            }
            else if (action == 1 && active[qs])
            {
                unsubscribe(qs);
            }
            else if (action == 2)
            {
                reconnect(random);
            }
            else
            {
                transaction(random);
            }
            check(table);
        }
        assertEquals(0, table.unknownDeletes());
    }

    private void subscribe(final int qs)
    {
        active[qs] = true;
        encoder.wrap(out, 0).beginSubscribeApplied(qs + 100, qs).beginTable(TABLE);
        database.forEach((id, value) ->
        {
            if (FILTERS.get(qs).test(id))
            {
                encoder.row(row(id, value), 0, 12);
            }
        });
        encoder.endTable().endQueryRows();
        deliver();
    }

    private void unsubscribe(final int qs)
    {
        active[qs] = false;
        encoder.wrap(out, 0).beginUnsubscribeAppliedWithRows(qs + 200, qs).beginTable(TABLE);
        database.forEach((id, value) ->
        {
            if (FILTERS.get(qs).test(id))
            {
                encoder.row(row(id, value), 0, 12);
            }
        });
        encoder.endTable().endQueryRows();
        deliver();
    }

    private void transaction(final Random random)
    {
        final Map<Integer, Long> before = new TreeMap<>(database);
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++)
        {
            final int id = random.nextInt(IDS);
            final int kind = random.nextInt(3);
            if (kind == 0)
            {
                database.remove(id);
            }
            else if (kind == 1)
            {
                database.put(id, (long)random.nextInt(5));
            }
            else
            {
                database.merge(id, 1L, Long::sum);
            }
        }
        encoder.wrap(out, 0).beginTransactionUpdate();
        for (int qs = 0; qs < FILTERS.size(); qs++)
        {
            if (!active[qs])
            {
                continue;
            }
            final IntPredicate filter = FILTERS.get(qs);
            encoder.beginQuerySet(qs).beginTableUpdate(TABLE).beginPersistentRows();
            for (int id = 0; id < IDS; id++)
            {
                final Long old = filter.test(id) ? before.get(id) : null;
                final Long now = filter.test(id) ? database.get(id) : null;
                if (null != old && !old.equals(now))
                {
                    encoder.delete(row(id, old), 0, 12);
                }
                if (null != now && !now.equals(old))
                {
                    encoder.insert(row(id, now), 0, 12);
                }
            }
            encoder.endPersistentRows().endTableUpdate().endQuerySet();
        }
        encoder.endTransactionUpdate();
        deliver();
    }

    /** A reconnect: the database changes while away, then each active query set is applied again. */
    private void reconnect(final Random random)
    {
        for (int i = 0; i < 3; i++)
        {
            final int id = random.nextInt(IDS);
            if (random.nextBoolean())
            {
                database.remove(id);
            }
            else
            {
                database.put(id, (long)random.nextInt(5));
            }
        }
        cache.beginReconcile();
        for (int qs = 0; qs < FILTERS.size(); qs++)
        {
            if (active[qs])
            {
                subscribe(qs);
            }
        }
        cache.endReconcile();
    }

    private void check(final TableCache table)
    {
        final Map<String, Integer> expected = new HashMap<>();
        database.forEach((id, value) ->
        {
            for (int qs = 0; qs < FILTERS.size(); qs++)
            {
                if (active[qs] && FILTERS.get(qs).test(id))
                {
                    expected.put(id + "=" + value, 1);
                }
            }
        });
        final Map<String, Integer> cached = new HashMap<>();
        table.forEach((t, row) -> cached.put(key(row), 1));
        if (!cache.isReconciling())
        {
            assertEquals(expected, cached, "cache = rows matched by an active query set");
            assertEquals(expected, mirror, "listeners replay the cache");
        }
        assertEquals(expected.size(), table.count());
    }

    private void deliver()
    {
        final int length = encoder.position();
        final int end = reader.read(out, 0, length, new ApplyHandler());
        assertEquals(length, end, "the reader consumed exactly the message");
    }

    private static String key(final RowView row)
    {
        return row.getI32(0) + "=" + row.getI64(4);
    }

    private static UnsafeBuffer row(final int id, final long value)
    {
        final UnsafeBuffer row = new UnsafeBuffer(new byte[12]);
        row.putInt(0, id, ByteOrder.LITTLE_ENDIAN);
        row.putLong(4, value, ByteOrder.LITTLE_ENDIAN);
        return row;
    }

    private final class ApplyHandler implements ServerMessageReader.Handler
    {
        private final List<String> unexpected = new ArrayList<>();

        @Override
        public void onInitialConnection(final DirectBuffer b, final int i, final int c, final String t)
        {
            unexpected.add("InitialConnection");
        }

        @Override
        public void onSubscribeApplied(final int requestId, final int querySetId, final RowLists rows)
        {
            cache.apply(rows);
        }

        @Override
        public void onUnsubscribeApplied(final int requestId, final int querySetId, final RowLists droppedRows)
        {
            cache.apply(droppedRows);
        }

        @Override
        public void onSubscriptionError(final boolean has, final int requestId, final int qs, final String error)
        {
            unexpected.add(error);
        }

        @Override
        public void onTransactionUpdate(final RowLists rows)
        {
            cache.apply(rows);
        }

        @Override
        public void onOneOffQueryResult(final int requestId, final RowLists rows, final String error)
        {
            unexpected.add("OneOffQueryResult");
        }

        @Override
        public void onReducerResult(
            final int requestId, final long ts, final int outcome, final RowLists rows, final String error)
        {
            cache.apply(rows);
        }

        @Override
        public void onProcedureResult(
            final int requestId, final long ts, final long duration, final DirectBuffer buffer, final int offset,
            final int length, final String error)
        {
            unexpected.add("ProcedureResult");
        }
    }
}
