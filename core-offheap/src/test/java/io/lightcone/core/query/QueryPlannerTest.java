package io.lightcone.core.query;

import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import static io.lightcone.core.query.QueryFixture.insert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryPlannerTest
{
    private static final BigInteger SENDER = BigInteger.valueOf(7);

    private static void assertPlanError(final Datastore datastore, final String sql, final String fragment)
    {
        final SqlException ex = assertThrows(SqlException.class, () -> QueryPlanner.planSubscription(sql,
            Catalog.of(datastore, SENDER, false), QueryPlanner.Options.REFERENCE), sql);
        assertTrue(ex.getMessage().contains(fragment), "'" + ex.getMessage() + "' for " + sql);
    }

    @Test
    void shouldRejectWithTheReferenceMessages()
    {
        try (Datastore datastore = QueryFixture.create(false))
        {
            assertPlanError(datastore, "SELECT * FROM nope", "no such table: nope \u2014 it may be marked private");
            assertPlanError(datastore, "SELECT * FROM secret", "no such table: secret");
            assertPlanError(datastore, "SELECT * FROM Player", "no such table: Player");
            assertPlanError(datastore, "SELECT * FROM player WHERE nope = 1", "no such column: nope");
            assertPlanError(datastore, "SELECT * FROM player WHERE team = 300000000000",
                "value 300000000000 out of range for column team of type U32");
            assertPlanError(datastore, "SELECT * FROM team WHERE region = 300",
                "value 300 out of range for column region of type U8");
            assertPlanError(datastore, "SELECT * FROM team WHERE region = -1", "out of range for column region");
            assertPlanError(datastore, "SELECT * FROM team WHERE region = 1.5", "is not an integer");
            assertPlanError(datastore, "SELECT * FROM team WHERE label = 5", "cannot use number 5 for column label");
            assertPlanError(datastore, "SELECT * FROM team WHERE region = label", "cannot compare region of type U8");
            assertPlanError(datastore, "SELECT * FROM team WHERE label = :sender", ":sender is an Identity");
            assertPlanError(datastore, "SELECT * FROM team WHERE 1 = 1", "must involve a column");
            assertPlanError(datastore, "SELECT * FROM team WHERE label", "is not a boolean predicate");
            assertPlanError(datastore, "SELECT label FROM team", "Column projections are not supported in " +
                "subscriptions; Subscriptions must return a table type");
            assertPlanError(datastore, "SELECT COUNT(*) AS n FROM team", "Aggregates are not supported");
            assertPlanError(datastore, "SELECT * FROM team ORDER BY tid", "ORDER BY is not supported");
            assertPlanError(datastore, "SELECT * FROM team LIMIT 3", "LIMIT is not supported");
            assertPlanError(datastore, "SELECT DISTINCT * FROM team", "DISTINCT is not supported");
            assertPlanError(datastore, "DELETE FROM team", "only SELECT");
            assertPlanError(datastore, "SELECT * FROM player JOIN team ON player.team = team.tid",
                "SELECT * is not supported for joins");
            assertPlanError(datastore, "SELECT player.* FROM player JOIN team ON player.team = team.tid",
                "Subscriptions require indexes on join columns");
            assertPlanError(datastore, "SELECT a.* FROM player a JOIN team b ON a.id = b.tid",
                "cannot join \"a\".\"id\" of type U64");
            assertPlanError(datastore, "SELECT player.* FROM player JOIN player ON player.id = player.id",
                "self-join requires aliases");
            assertPlanError(datastore, "SELECT a.* FROM player a JOIN team b ON a.team = b.tid JOIN team c " +
                "ON c.tid = a.team", "Invalid number of tables");
            assertPlanError(datastore, "SELECT a.* FROM player a JOIN player b ON a.id = b.id WHERE score = 1",
                "ambiguous column: score");
        }
    }

    @Test
    void shouldUseIndexesAndOwnersSeePrivateTables() throws SqlException
    {
        try (Datastore datastore = QueryFixture.create(true))
        {
            final Catalog catalog = Catalog.of(datastore, SENDER, false);
            final QueryPlanner.Options ref = QueryPlanner.Options.REFERENCE;
            assertEquals(0, QueryPlanner.planSubscription("SELECT * FROM player WHERE id = 3", catalog, ref)
                .accessIndex() < 0 ? -1 : 0, "point lookup on the primary key");
            assertTrue(QueryPlanner.planSubscription("SELECT * FROM player WHERE score > 3 AND team = 1", catalog,
                ref).accessIndex() >= 0, "range on an index prefix");
            assertEquals(-1, QueryPlanner.planSubscription("SELECT * FROM player WHERE name = 'x'", catalog, ref)
                .accessIndex(), "name is not an index prefix");
            assertEquals(-1, QueryPlanner.planSubscription("SELECT * FROM player WHERE id = 3 OR id = 4", catalog,
                ref).accessIndex(), "a disjunction scans");
            QueryPlanner.planSubscription("SELECT * FROM secret", Catalog.of(datastore, SENDER, true), ref);
            QueryPlanner.planSubscription("SELECT player.* FROM player JOIN team ON player.team = team.tid",
                catalog, ref);
        }
    }

    @Test
    void shouldRestrictNonOwnersByRowLevelSecurity() throws SqlException
    {
        try (Datastore datastore = QueryFixture.create(true))
        {
            final MutTx tx = datastore.beginMutTx();
            for (int i = 0; i < 8; i++)
            {
                insert(tx, "team", i, (byte)(i % 4), "l" + i);
            }
            tx.commit();
            final RowLevelSecurity rls = RowLevelSecurity.compile(
                List.of("SELECT * FROM team WHERE region = 1", "SELECT * FROM team WHERE tid = 6"),
                (name) -> null == datastore.table(name) ? null : datastore.table(name).schema());
            final QueryPlan client = QueryPlanner.planSubscription("SELECT * FROM team WHERE tid > 2",
                Catalog.of(datastore, SENDER, false, rls), QueryPlanner.Options.REFERENCE);
            assertEquals(2, QueryFixture.evaluate(client, ReadView.committed(datastore)).size(), "tids 5 and 6");
            final QueryPlan owner = QueryPlanner.planSubscription("SELECT * FROM team WHERE tid > 2",
                Catalog.of(datastore, SENDER, true, rls), QueryPlanner.Options.REFERENCE);
            assertEquals(5, QueryFixture.evaluate(owner, ReadView.committed(datastore)).size());
        }
    }

    @Test
    void registryShouldShareNormalisedPlansAndCountReferences() throws SqlException
    {
        try (Datastore datastore = QueryFixture.create(true))
        {
            final QueryRegistry registry = new QueryRegistry(QueryPlanner.Options.REFERENCE);
            final Catalog alice = Catalog.of(datastore, BigInteger.ONE, false);
            final Catalog bob = Catalog.of(datastore, BigInteger.TWO, false);
            final QueryRegistry.Handle a = registry.acquire("select * from team where tid = 1", alice);
            final QueryRegistry.Handle b = registry.acquire("SELECT *  FROM \"team\" WHERE (tid=1)", bob);
            assertTrue(a.plan() == b.plan());
            assertEquals(1, registry.size());
            final QueryRegistry.Handle c = registry.acquire("SELECT * FROM team WHERE label = :sender".replace(
                "label = :sender", "tid = 2"), alice);
            assertEquals(2, registry.size());
            registry.release(a);
            assertEquals(2, registry.size());
            assertTrue(registry.release(b));
            assertTrue(registry.release(c));
            assertEquals(0, registry.size());
        }
    }

    /** Random single-table predicates and semijoins vs a plain-Java model over decoded rows. */
    @Test
    void evaluationShouldMatchANaiveModel() throws SqlException
    {
        for (long seed = 0; seed < 60; seed++)
        {
            final Random random = new Random(seed);
            try (Datastore datastore = QueryFixture.create(random.nextBoolean()))
            {
                final MutTx tx = datastore.beginMutTx();
                final List<ProductValue> players = new ArrayList<>();
                final List<ProductValue> teams = new ArrayList<>();
                for (int i = 0; i < 60; i++)
                {
                    final ProductValue p = ProductValue.of((long)i, random.nextInt(6), random.nextInt(200) - 100,
                        "n" + random.nextInt(5));
                    insert(tx, "player", p.fields().toArray());
                    players.add(p);
                }
                for (int i = 0; i < 5; i++)
                {
                    final ProductValue t = ProductValue.of(i, (byte)random.nextInt(3), "l" + i);
                    insert(tx, "team", t.fields().toArray());
                    teams.add(t);
                }
                tx.commit();
                final Catalog catalog = Catalog.of(datastore, SENDER, false);
                for (int q = 0; q < 20; q++)
                {
                    final int x = random.nextInt(200) - 100;
                    final int k = random.nextInt(6);
                    final String[] ops = {"=", "<>", "<", ">", "<=", ">="};
                    final String op = ops[random.nextInt(ops.length)];
                    final String sql = "SELECT * FROM player WHERE (score " + op + " " + x + " AND team >= " + k +
                        ") OR id = " + k;
                    final Predicate<ProductValue> model = (p) -> (cmp((Integer)p.get(2), x, op) &&
                        (Integer)p.get(1) >= k) || (Long)p.get(0) == k;
                    final List<ProductValue> expected = players.stream().filter(model).toList();
                    final QueryPlan plan = QueryPlanner.planSubscription(sql, catalog, QueryPlanner.Options.EXTENDED);
                    assertEquals(sorted(expected), sorted(decode(plan, datastore)), "seed " + seed + " " + sql);

                    final int region = random.nextInt(3);
                    final String join = "SELECT p.* FROM player p JOIN team t ON p.team = t.tid WHERE t.region = " +
                        region + " AND p.score " + op + " " + x;
                    final List<ProductValue> joined = new ArrayList<>();
                    for (final ProductValue p : players)
                    {
                        for (final ProductValue t : teams)
                        {
                            if (p.get(1).equals(t.get(0)) && ((Byte)t.get(1)) == region &&
                                cmp((Integer)p.get(2), x, op))
                            {
                                joined.add(p);
                            }
                        }
                    }
                    final QueryPlan joinPlan = QueryPlanner.planSubscription(join, catalog,
                        QueryPlanner.Options.EXTENDED);
                    assertEquals(sorted(joined), sorted(decode(joinPlan, datastore)), "seed " + seed + " " + join);
                }
            }
        }
    }

    private static boolean cmp(final int a, final int b, final String op)
    {
        return switch (op)
        {
            case "=" -> a == b;
            case "<>" -> a != b;
            case "<" -> a < b;
            case ">" -> a > b;
            case "<=" -> a <= b;
            default -> a >= b;
        };
    }

    private static List<ProductValue> decode(final QueryPlan plan, final Datastore datastore)
    {
        final List<ProductValue> out = new ArrayList<>();
        for (final byte[] row : QueryFixture.evaluate(plan, ReadView.committed(datastore)))
        {
            out.add((ProductValue)io.lightcone.core.sats.Bsatn.decodeValueFully(row, QueryFixture.PLAYER));
        }
        return out;
    }

    private static List<ProductValue> sorted(final List<ProductValue> rows)
    {
        final List<ProductValue> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing((ProductValue p) -> (Long)p.get(0)));
        return copy;
    }
}
