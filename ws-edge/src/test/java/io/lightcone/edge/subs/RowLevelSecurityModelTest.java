package io.lightcone.edge.subs;

import io.lightcone.core.query.Catalog;
import io.lightcone.core.query.QueryPlan;
import io.lightcone.core.query.QueryPlanner;
import io.lightcone.core.query.ReadView;
import io.lightcone.core.query.RowDelta;
import io.lightcone.core.query.RowLevelSecurity;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TxDelta;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row-level security through the edge's {@link SubscriptionManager}, against a model.
 * <p>
 * Invariants, after the initial rows and after every random transaction, for every client (the owner and several
 * non-owner identities, two clients per identity, each with random query sets subscribed and dropped as it goes):
 * <ol>
 *   <li>its incrementally maintained view (initial rows plus every delta) equals a full re-evaluation of its
 *   queries planned with its own catalog;</li>
 *   <li>it also equals the rows a plain Java model of the queries and the module's rules selects (so an RLS
 *   predicate compiled wrongly, for example an AND where the rules are OR-ed, is caught);</li>
 *   <li>a non-owner's view never holds a row that its rules hide from it (checked on the decoded row).</li>
 * </ol>
 * Plus the sharing rule: plans depending on {@code :sender} are shared only between clients of one identity, a
 * plan whose rules do not use {@code :sender} is shared by all non-owners, and the owner (exempt) never shares a
 * non-owner's plan. Private tables are invisible to non-owners.
 */
class RowLevelSecurityModelTest
{
    private static final ProductType MESSAGE = ProductType.of("id", AlgebraicType.U64, "owner",
        SpecialTypes.IDENTITY, "topic", AlgebraicType.U32, "shared", AlgebraicType.BOOL);
    private static final ProductType TOPIC = ProductType.of("tid", AlgebraicType.U32, "owner",
        SpecialTypes.IDENTITY, "open", AlgebraicType.BOOL);
    private static final ProductType CONFIG = ProductType.of("k", AlgebraicType.U32, "v", AlgebraicType.U32);
    private static final List<String> RULES = List.of(
        "SELECT * FROM message WHERE owner = :sender",
        "SELECT * FROM message WHERE shared = true",
        "SELECT * FROM topic WHERE open = true",
        "SELECT t.* FROM topic t WHERE t.owner = :sender",
        "SELECT * FROM config WHERE k < 5");
    private static final BigInteger OWNER = BigInteger.valueOf(0xABCDEF);
    private static final BigInteger[] IDENTITIES = {OWNER, BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3)};

    /** The replica's rows by key, and their row ids by "table/key". */
    private record Model(
        Map<Long, ProductValue> messages,
        Map<Integer, ProductValue> topics,
        Map<Integer, ProductValue> configs,
        Map<String, Integer> rowIds)
    {
    }

    /** A pool query, with what the model says a caller sees: (model, caller, owner) rows of {@link #table}. */
    private record PoolQuery(String sql, String table, Selector selector)
    {
    }

    @FunctionalInterface
    private interface Selector
    {
        List<ProductValue> select(Model model, BigInteger caller, boolean owner);
    }

    private static final List<PoolQuery> POOL = List.of(
        new PoolQuery("SELECT * FROM message", "message", (m, c, o) -> m.messages.values().stream()
            .filter((r) -> visibleMessage(r, c, o)).toList()),
        new PoolQuery("SELECT * FROM message WHERE topic = 2", "message", (m, c, o) -> m.messages.values().stream()
            .filter((r) -> visibleMessage(r, c, o) && (int)r.get(2) == 2).toList()),
        new PoolQuery("SELECT * FROM message WHERE shared = false", "message", (m, c, o) -> m.messages.values()
            .stream().filter((r) -> visibleMessage(r, c, o) && !(boolean)r.get(3)).toList()),
        new PoolQuery("SELECT * FROM message WHERE owner = :sender", "message", (m, c, o) -> m.messages.values()
            .stream().filter((r) -> visibleMessage(r, c, o) && identity(r).equals(c)).toList()),
        new PoolQuery("SELECT * FROM topic", "topic", (m, c, o) -> m.topics.values().stream()
            .filter((r) -> visibleTopic(r, c, o)).toList()),
        new PoolQuery("SELECT * FROM config", "config", (m, c, o) -> m.configs.values().stream()
            .filter((r) -> o || (int)r.get(0) < 5).toList()),
        new PoolQuery("SELECT message.* FROM message JOIN topic ON message.topic = topic.tid", "message",
            (m, c, o) -> joined(m, c, o, false, true)),
        new PoolQuery("SELECT topic.* FROM message JOIN topic ON message.topic = topic.tid " +
            "WHERE message.shared = true", "topic", (m, c, o) -> joined(m, c, o, true, false)));

    private static BigInteger identity(final ProductValue row)
    {
        return (BigInteger)((ProductValue)row.get(1)).get(0);
    }

    private static boolean visibleMessage(final ProductValue row, final BigInteger caller, final boolean owner)
    {
        return owner || identity(row).equals(caller) || (boolean)row.get(3);
    }

    private static boolean visibleTopic(final ProductValue row, final BigInteger caller, final boolean owner)
    {
        return owner || (boolean)row.get(2) || identity(row).equals(caller);
    }

    /** Semijoin with multiplicity: one result row per visible (message, topic) pair. */
    private static List<ProductValue> joined(
        final Model m, final BigInteger caller, final boolean owner, final boolean sharedOnly, final boolean messages)
    {
        final List<ProductValue> out = new ArrayList<>();
        for (final ProductValue message : m.messages.values())
        {
            final ProductValue topic = m.topics.get((int)message.get(2));
            if (null != topic && visibleMessage(message, caller, owner) && visibleTopic(topic, caller, owner) &&
                (!sharedOnly || (boolean)message.get(3)))
            {
                out.add(messages ? message : topic);
            }
        }
        return out;
    }

    /** One client: its identity and, per query set, its pool queries and its maintained rows per table. */
    private static final class Client
    {
        private final BigInteger identity;
        private final Map<Integer, List<PoolQuery>> queries = new LinkedHashMap<>();
        private final Map<Integer, Map<String, Map<String, Integer>>> views = new LinkedHashMap<>();
        private int nextSetId = 1;

        Client(final BigInteger identity)
        {
            this.identity = identity;
        }

        boolean owner()
        {
            return identity.equals(OWNER);
        }

        @Override
        public String toString()
        {
            return "client of " + identity.toString(16);
        }
    }

    private final Model model = new Model(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new HashMap<>());
    private final SubscriptionManager manager = new SubscriptionManager();
    private Datastore datastore;
    private RowLevelSecurity rls;

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1L, 7L, 42L, 0x5EEDL, 2024L})
    void everyClientsViewShouldFollowItsOwnRulesAcrossRandomTransactions(final long seed) throws SqlException
    {
        final Random random = new Random(seed);
        try (Datastore replica = datastore())
        {
            datastore = replica;
            rls = RowLevelSecurity.compile(RULES, (name) -> schema(replica, name));
            final List<Client> clients = new ArrayList<>();
            for (final BigInteger identity : IDENTITIES)
            {
                clients.add(new Client(identity));
                clients.add(new Client(identity));
            }
            for (final Client client : clients)
            {
                for (int s = 1 + random.nextInt(3); s > 0; s--)
                {
                    subscribe(client, random);
                }
            }
            for (int t = 0; t < 150; t++)
            {
                final MutTx tx = datastore.beginMutTx();
                for (int o = 1 + random.nextInt(4); o > 0; o--)
                {
                    randomOp(tx, random, model);
                }
                final TxDelta delta = tx.commit();
                final Map<QueryPlan, RowDelta> deltas = manager.evaluate(delta, ReadView.committed(datastore));
                for (final Client client : clients)
                {
                    for (final QuerySetUpdate update : manager.updatesFor(client, deltas))
                    {
                        final Map<String, Map<String, Integer>> view = client.views.get(update.querySetId());
                        for (final TableRows rows : update.tables())
                        {
                            apply(view.computeIfAbsent(rows.table(), (k) -> new TreeMap<>()), rows, client);
                        }
                    }
                }
                if (random.nextInt(10) == 0)
                {
                    churn(clients.get(random.nextInt(clients.size())), random);
                }
                for (final Client client : clients)
                {
                    check(client, "seed " + seed + " tx " + t);
                }
            }
        }
    }

    @Test
    void plansShouldBeSharedOnlyWhereTheRulesAllow() throws SqlException
    {
        try (Datastore replica = datastore())
        {
            datastore = replica;
            rls = RowLevelSecurity.compile(RULES, (name) -> schema(replica, name));
            final List<String> queries = List.of("SELECT * FROM message", "SELECT * FROM config");
            final QuerySet owner = manager.subscribe("owner", 1, queries, catalog(datastore, OWNER, rls), datastore);
            final QuerySet oneA = manager.subscribe("1a", 1, queries, catalog(datastore, IDENTITIES[1], rls),
                datastore);
            final QuerySet oneB = manager.subscribe("1b", 1, queries, catalog(datastore, IDENTITIES[1], rls),
                datastore);
            final QuerySet two = manager.subscribe("2", 1, queries, catalog(datastore, IDENTITIES[2], rls),
                datastore);
            assertSame(plan(oneA, 0), plan(oneB, 0), "same identity, same :sender plan");
            assertNotSame(plan(oneA, 0), plan(two, 0), "message rules use :sender: one plan per identity");
            assertNotSame(plan(owner, 0), plan(oneA, 0), "the owner is exempt");
            assertSame(plan(oneA, 1), plan(two, 1), "config rules do not use :sender: shared by non-owners");
            assertNotSame(plan(owner, 1), plan(two, 1), "the owner is exempt");
            assertEquals(5, manager.planCount(), "owner: 2, identity 1: 1, identity 2: 1, shared config: 1");

            final SqlException hidden = assertThrows(SqlException.class, () -> manager.subscribe("2", 2,
                List.of("SELECT * FROM audit"), catalog(datastore, IDENTITIES[2], rls), datastore));
            assertTrue(hidden.getMessage().startsWith("no such table: audit"), hidden.getMessage());
            manager.subscribe("owner", 2, List.of("SELECT * FROM audit"), catalog(datastore, OWNER, rls), datastore);
        }
    }

    private static QueryPlan plan(final QuerySet set, final int query)
    {
        return set.handles().get(query).plan();
    }

    private static Datastore datastore()
    {
        final Datastore datastore = new Datastore();
        datastore.createTable(TableSchema.builder("message", MESSAGE).primaryKey(0).index(IndexAlgorithm.BTREE, 0)
            .index(IndexAlgorithm.BTREE, 2).build());
        datastore.createTable(TableSchema.builder("topic", TOPIC).primaryKey(0).index(IndexAlgorithm.HASH, 0)
            .build());
        datastore.createTable(TableSchema.builder("config", CONFIG).primaryKey(0).index(IndexAlgorithm.BTREE, 0)
            .build());
        datastore.createTable(TableSchema.builder("audit", CONFIG).access(TableAccess.PRIVATE).build());
        return datastore;
    }

    private static TableSchema schema(final Datastore datastore, final String name)
    {
        final StoredTable table = datastore.table(name);
        return null == table ? null : table.schema();
    }

    private static Catalog catalog(final Datastore datastore, final BigInteger caller, final RowLevelSecurity rls)
    {
        return Catalog.of(datastore, caller, caller.equals(OWNER), rls);
    }

    private void subscribe(final Client client, final Random random) throws SqlException
    {
        final List<PoolQuery> picked = new ArrayList<>();
        for (int q = 1 + random.nextInt(2); q > 0; q--)
        {
            picked.add(POOL.get(random.nextInt(POOL.size())));
        }
        final int setId = client.nextSetId++;
        final QuerySet set = manager.subscribe(client, setId, picked.stream().map(PoolQuery::sql).toList(),
            catalog(datastore, client.identity, rls), datastore);
        final Map<String, Map<String, Integer>> view = new HashMap<>();
        for (final TableRows rows : SubscriptionManager.rows(set, ReadView.committed(datastore)))
        {
            apply(view.computeIfAbsent(rows.table(), (k) -> new TreeMap<>()), rows, client);
        }
        client.queries.put(setId, picked);
        client.views.put(setId, view);
        check(client, "after subscribing " + picked);
    }

    private void churn(final Client client, final Random random) throws SqlException
    {
        if (!client.queries.isEmpty() && random.nextBoolean())
        {
            final int setId = client.queries.keySet().iterator().next();
            assertEquals(setId, manager.unsubscribe(client, setId).querySetId());
            client.queries.remove(setId);
            client.views.remove(setId);
        }
        else
        {
            subscribe(client, random);
        }
    }

    private void check(final Client client, final String context) throws SqlException
    {
        final Catalog catalog = catalog(datastore, client.identity, rls);
        for (final Map.Entry<Integer, List<PoolQuery>> entry : client.queries.entrySet())
        {
            final Map<String, Map<String, Integer>> reevaluated = new HashMap<>();
            final Map<String, Map<String, Integer>> modelled = new HashMap<>();
            for (final PoolQuery query : entry.getValue())
            {
                final QueryPlan plan = QueryPlanner.planSubscription(query.sql(), catalog,
                    QueryPlanner.Options.REFERENCE);
                final Map<String, Integer> bag = reevaluated.computeIfAbsent(query.table(), (k) -> new TreeMap<>());
                plan.evaluate(ReadView.committed(datastore), (row) -> bag.merge(hex(row), 1, Integer::sum));
                final Map<String, Integer> expected = modelled.computeIfAbsent(query.table(), (k) -> new TreeMap<>());
                final AlgebraicType type = datastore.table(query.table()).schema().rowType();
                for (final ProductValue row : query.selector().select(model, client.identity, client.owner()))
                {
                    expected.merge(hex(Bsatn.encodeToBytes(type, row)), 1, Integer::sum);
                }
            }
            final Map<String, Map<String, Integer>> view = withoutEmpty(client.views.get(entry.getKey()));
            final String where = context + ", " + client + ", set " + entry.getKey() + " " + entry.getValue().stream()
                .map(PoolQuery::sql).toList();
            assertEquals(withoutEmpty(reevaluated), view, "incremental view vs full re-evaluation: " + where);
            assertEquals(withoutEmpty(modelled), view, "incremental view vs the model: " + where);
            if (!client.owner())
            {
                assertNothingHidden(view, client, datastore, where);
            }
        }
    }

    private static void assertNothingHidden(
        final Map<String, Map<String, Integer>> view, final Client client, final Datastore datastore,
        final String where)
    {
        for (final Map.Entry<String, Map<String, Integer>> table : view.entrySet())
        {
            final AlgebraicType type = datastore.table(table.getKey()).schema().rowType();
            for (final String row : table.getValue().keySet())
            {
                final ProductValue value = (ProductValue)Bsatn.decodeValueFully(HexFormat.of().parseHex(row), type);
                final boolean visible = switch (table.getKey())
                {
                    case "message" -> visibleMessage(value, client.identity, false);
                    case "topic" -> visibleTopic(value, client.identity, false);
                    default -> (int)value.get(0) < 5;
                };
                assertTrue(visible, "a row the rules hide from " + client + " reached it: " + table.getKey() + " " +
                    value + " at " + where);
            }
        }
    }

    private static Map<String, Map<String, Integer>> withoutEmpty(final Map<String, Map<String, Integer>> view)
    {
        final Map<String, Map<String, Integer>> out = new TreeMap<>();
        view.forEach((table, rows) ->
        {
            if (!rows.isEmpty())
            {
                out.put(table, rows);
            }
        });
        return out;
    }

    private static void apply(final Map<String, Integer> view, final TableRows rows, final Client client)
    {
        for (final byte[] row : rows.deletes())
        {
            final String key = hex(row);
            final Integer count = view.get(key);
            if (null == count)
            {
                throw new AssertionError(client + " was told to delete a row it does not have: " + key);
            }
            if (count == 1)
            {
                view.remove(key);
            }
            else
            {
                view.put(key, count - 1);
            }
        }
        for (final byte[] row : rows.inserts())
        {
            view.merge(hex(row), 1, Integer::sum);
        }
    }

    private static String hex(final byte[] row)
    {
        return HexFormat.of().formatHex(row);
    }

    private static void randomOp(final MutTx tx, final Random random, final Model model)
    {
        final BigInteger owner = IDENTITIES[random.nextInt(IDENTITIES.length)];
        switch (random.nextInt(5))
        {
            case 0, 1 -> upsert(tx, "message", model.messages, model.rowIds, (long)random.nextInt(16),
                ProductValue.of(0L, ProductValue.of(owner), random.nextInt(4), random.nextInt(3) == 0), random);
            case 2, 3 -> upsert(tx, "topic", model.topics, model.rowIds, random.nextInt(4),
                ProductValue.of(0, ProductValue.of(owner), random.nextBoolean()), random);
            default -> upsert(tx, "config", model.configs, model.rowIds, random.nextInt(8),
                ProductValue.of(0, random.nextInt(100)), random);
        }
    }

    /**
     * Deletes the row with the key if present; then, unless only deleting, inserts {@code template} with the key in
     * place of its first field.
     */
    private static <K> void upsert(
        final MutTx tx,
        final String table,
        final Map<K, ProductValue> rows,
        final Map<String, Integer> rowIds,
        final K key,
        final ProductValue template,
        final Random random)
    {
        final StoredTable stored = tx.datastore().table(table);
        final String rowKey = table + "/" + key;
        if (null != rows.remove(key))
        {
            assertTrue(tx.delete(stored.tableId(), rowIds.remove(rowKey)) >= 0, tx.lastError());
            if (random.nextInt(3) == 0)
            {
                return;
            }
        }
        final Object[] fields = new Object[template.size()];
        fields[0] = key;
        for (int i = 1; i < fields.length; i++)
        {
            fields[i] = template.get(i);
        }
        final ProductValue row = ProductValue.of(fields);
        final byte[] bytes = Bsatn.encodeToBytes(stored.schema().rowType(), row);
        final int rowId = tx.insert(stored.tableId(), new UnsafeBuffer(bytes), 0, bytes.length);
        assertTrue(rowId >= 0, tx.lastError());
        rowIds.put(rowKey, rowId);
        rows.put(key, row);
    }
}
