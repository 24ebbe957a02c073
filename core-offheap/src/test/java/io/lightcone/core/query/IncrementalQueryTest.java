package io.lightcone.core.query;

import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TxDelta;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.lightcone.core.query.QueryFixture.bag;
import static io.lightcone.core.query.QueryFixture.evaluate;
import static io.lightcone.core.query.QueryFixture.insert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential test of what-users-ask.md §7 (#5837): a client view maintained only from incremental deltas
 * must equal a full re-evaluation after every transaction.
 */
class IncrementalQueryTest
{
    private static final BigInteger SENDER = BigInteger.valueOf(42);

    @Test
    void shouldDeleteARowThatAnUpdateMovesOutOfAJoin() throws SqlException
    {
        try (Datastore datastore = QueryFixture.create(true))
        {
            MutTx tx = datastore.beginMutTx();
            insert(tx, "team", 1, (byte)5, "red");
            insert(tx, "team", 2, (byte)7, "blue");
            final int p = insert(tx, "player", 10L, 1, 100, "ann");
            tx.commit();
            final QueryPlan plan = QueryPlanner.planSubscription(
                "SELECT player.* FROM player JOIN team ON player.team = team.tid WHERE team.region = 5",
                Catalog.of(datastore, SENDER, false), QueryPlanner.Options.REFERENCE);
            final List<byte[]> initial = evaluate(plan, ReadView.committed(datastore));
            assertEquals(1, initial.size());

            // the partner changes but still matches: no flicker
            tx = datastore.beginMutTx();
            tx.delete(datastore.table("team").tableId(), rowOf(tx, datastore.table("team"), 1));
            insert(tx, "team", 1, (byte)5, "crimson");
            TxDelta delta = tx.commit();
            assertTrue(plan.evaluateDelta(delta, ReadView.committed(datastore)).isEmpty(), "no flicker");

            // UPDATE player SET team = 2: the row leaves the join and must be deleted (#5837)
            tx = datastore.beginMutTx();
            tx.delete(datastore.table("player").tableId(), p);
            insert(tx, "player", 10L, 2, 100, "ann");
            delta = tx.commit();
            RowDelta rows = plan.evaluateDelta(delta, ReadView.committed(datastore));
            assertEquals(0, rows.inserts().size());
            assertEquals(1, rows.deletes().size());
            assertEquals(new QueryPlan.BytesKey(initial.get(0)), new QueryPlan.BytesKey(rows.deletes().get(0)));

            // the other side changes: team 2 moves into region 5, the player re-enters
            tx = datastore.beginMutTx();
            final StoredTable team = datastore.table("team");
            tx.delete(team.tableId(), rowOf(tx, team, 2));
            insert(tx, "team", 2, (byte)5, "blue");
            delta = tx.commit();
            rows = plan.evaluateDelta(delta, ReadView.committed(datastore));
            assertEquals(1, rows.inserts().size());
            assertEquals(0, rows.deletes().size());
        }
    }

    /** The visible row whose first column (the key) is {@code key}. */
    private static int rowOf(final MutTx tx, final StoredTable table, final long key)
    {
        for (int r = tx.nextVisible(table, 0); r >= 0; r = tx.nextVisible(table, r + 1))
        {
            if (table.rows().getLong(r, 0) == key)
            {
                return r;
            }
        }
        throw new AssertionError("no row with key " + key);
    }

    private static final String[] QUERIES = {
        "SELECT * FROM player",
        "SELECT * FROM player WHERE score > %d",
        "SELECT * FROM player WHERE team = %t AND score <= %d",
        "SELECT * FROM player WHERE score >= %d AND name = 'n%t'",
        "SELECT * FROM team WHERE region = %r OR label = 'l%r'",
        "SELECT player.* FROM player JOIN team ON player.team = team.tid",
        "SELECT player.* FROM player JOIN team ON player.team = team.tid WHERE team.region = %r",
        "SELECT team.* FROM player JOIN team ON player.team = team.tid WHERE player.score > %d",
        "SELECT t.* FROM team t JOIN player p ON t.tid = p.team WHERE p.score < %d AND t.region <> %r",
        "SELECT a.* FROM player a JOIN player b ON a.team = b.team WHERE b.score > %d",
        "SELECT p.* FROM player p JOIN team t ON p.team = t.tid WHERE (t.region = %r OR p.score < %d)",
    };

    @Test
    void incrementalViewsShouldEqualFullReevaluationAcrossRandomSchedules() throws SqlException
    {
        int transactions = 0;
        for (long seed = 0; seed < 40; seed++)
        {
            transactions += runSchedule(seed);
        }
        assertTrue(transactions >= 4000, "ran " + transactions);
    }

    private static String instantiate(final String template, final Random random)
    {
        return template.replace("%d", Integer.toString(random.nextInt(200) - 100))
            .replace("%t", Integer.toString(random.nextInt(6))).replace("%r", Integer.toString(random.nextInt(4)));
    }

    private static int runSchedule(final long seed) throws SqlException
    {
        final Random random = new Random(seed);
        try (Datastore datastore = QueryFixture.create(random.nextBoolean()))
        {
            final Catalog catalog = Catalog.of(datastore, SENDER, false);
            final List<QueryPlan> plans = new ArrayList<>();
            final List<Map<QueryPlan.BytesKey, Integer>> views = new ArrayList<>();
            for (final String template : QUERIES)
            {
                final QueryPlan plan = QueryPlanner.planSubscription(instantiate(template, random), catalog,
                    QueryPlanner.Options.EXTENDED);
                plans.add(plan);
                views.add(bag(evaluate(plan, ReadView.committed(datastore))));
            }
            final int count = 100 + random.nextInt(50);
            for (int t = 0; t < count; t++)
            {
                final MutTx tx = datastore.beginMutTx();
                final int ops = 1 + random.nextInt(5);
                for (int o = 0; o < ops; o++)
                {
                    randomOp(tx, random);
                }
                final TxDelta delta = tx.commit();
                for (int q = 0; q < plans.size(); q++)
                {
                    final String context = "seed " + seed + " tx " + t + " query " + plans.get(q).sql();
                    QueryFixture.apply(views.get(q), plans.get(q).evaluateDelta(delta, ReadView.committed(datastore)),
                        context);
                    assertEquals(bag(evaluate(plans.get(q), ReadView.committed(datastore))), views.get(q), context);
                }
            }
            return count;
        }
    }

    private static void randomOp(final MutTx tx, final Random random)
    {
        final boolean players = random.nextInt(3) != 0;
        final StoredTable table = tx.datastore().table(players ? "player" : "team");
        final List<Integer> rows = new ArrayList<>();
        for (int r = tx.nextVisible(table, 0); r >= 0; r = tx.nextVisible(table, r + 1))
        {
            rows.add(r);
        }
        final int kind = random.nextInt(3);
        if (kind == 0 || rows.isEmpty())
        {
            insertRandom(tx, players, random, random.nextInt(players ? 30 : 6));
            return;
        }
        final int victim = rows.get(random.nextInt(rows.size()));
        final long key = table.rows().getLong(victim, 0);
        tx.delete(table.tableId(), victim);
        if (kind == 2)
        {
            insertRandom(tx, players, random, (int)key);
        }
    }

    private static void insertRandom(final MutTx tx, final boolean players, final Random random, final int key)
    {
        if (players)
        {
            final int team = random.nextInt(6);
            insert(tx, "player", (long)key, team, random.nextInt(200) - 100, "n" + random.nextInt(6));
        }
        else
        {
            insert(tx, "team", key, (byte)random.nextInt(4), "l" + random.nextInt(4));
        }
    }
}
