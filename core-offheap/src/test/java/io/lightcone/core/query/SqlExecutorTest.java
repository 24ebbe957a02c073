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
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlExecutorTest
{
    private static final BigInteger OWNER = BigInteger.TEN;

    @Test
    void shouldRunAdHocQueriesAgainstAModel() throws SqlException
    {
        for (long seed = 0; seed < 30; seed++)
        {
            final Random random = new Random(seed);
            final long seed2 = seed;
            try (Datastore datastore = QueryFixture.create(true))
            {
                final Catalog catalog = Catalog.of(datastore, OWNER, true);
                final SqlExecutor sql = new SqlExecutor();
                final MutTx tx = datastore.beginMutTx();
                final TreeMap<Long, Object[]> model = new TreeMap<>();
                for (int i = 0; i < 40; i++)
                {
                    final long id = random.nextInt(60);
                    final int team = random.nextInt(4);
                    final int score = random.nextInt(100) - 50;
                    final String name = "n" + random.nextInt(5);
                    final String insert = "INSERT INTO player (name, id, team, score) VALUES ('" + name + "', " + id +
                        ", " + team + ", " + score + ")";
                    if (model.containsKey(id) && java.util.Arrays.equals(model.get(id),
                        new Object[] {id, team, score, name}))
                    {
                        assertEquals(0, sql.execute(insert, catalog, tx).rowsInserted(), "set semantics, seed " + seed);
                    }
                    else if (model.containsKey(id))
                    {
                        final SqlException ex = assertThrows(SqlException.class, () -> sql.execute(insert, catalog, tx),
                            () -> "seed " + seed2 + " " + insert + " over " + java.util.Arrays.toString(model.get(id)));
                        assertTrue(ex.getMessage().toLowerCase().contains("unique"), ex.getMessage());
                    }
                    else
                    {
                        assertEquals(1, sql.execute(insert, catalog, tx).rowsInserted(), "seed " + seed);
                        model.put(id, new Object[] {id, team, score, name});
                    }
                }
                sql.execute("INSERT INTO team VALUES (0, 1, 'a'), (1, 2, 'b'), (2, 1, 'c')", catalog, tx);
                // UPDATE / DELETE
                final int bump = random.nextInt(4);
                final long updated = sql.execute("UPDATE player SET score = 7, name = 'u' WHERE team = " + bump,
                    catalog, tx).rowsUpdated();
                long expectedUpdated = 0;
                for (final Object[] row : model.values())
                {
                    if ((Integer)row[1] == bump)
                    {
                        row[2] = 7;
                        row[3] = "u";
                        expectedUpdated++;
                    }
                }
                assertEquals(expectedUpdated, updated, "seed " + seed);
                final int cut = random.nextInt(60);
                final long deleted = sql.execute("DELETE FROM player WHERE id < " + cut, catalog, tx).rowsDeleted();
                assertEquals(model.headMap((long)cut).size(), deleted, "seed " + seed);
                model.headMap((long)cut).clear();

                // ORDER BY + LIMIT + projection
                final SqlResult ordered = sql.execute(
                    "SELECT id, score AS s FROM player ORDER BY score DESC, id LIMIT 5", catalog, tx);
                final List<Object[]> rows = new ArrayList<>(model.values());
                rows.sort(Comparator.comparing((Object[] r) -> -(Integer)r[2]).thenComparing((r) -> (Long)r[0]));
                final List<ProductValue> expected = rows.stream().limit(5).map((r) -> ProductValue.of(r[0], r[2]))
                    .toList();
                assertEquals(expected, ordered.rows(), "seed " + seed);
                assertEquals("s", ordered.schema().elements().get(1).name());

                // aggregates
                final SqlResult agg = sql.execute("SELECT COUNT(*) AS n, SUM(score) AS total, COUNT(DISTINCT name) " +
                    "AS names FROM player", catalog, tx);
                final long sum = model.values().stream().mapToLong((r) -> (Integer)r[2]).sum();
                final long names = model.values().stream().map((r) -> r[3]).distinct().count();
                assertEquals(List.of(ProductValue.of((long)model.size(), sum, names)), agg.rows(), "seed " + seed);

                // DISTINCT
                final SqlResult distinct = sql.execute("SELECT DISTINCT team FROM player ORDER BY team", catalog, tx);
                assertEquals(model.values().stream().map((r) -> (Integer)r[1]).distinct().sorted()
                    .map((t) -> ProductValue.of(t)).toList(), distinct.rows(), "seed " + seed);

                // join with projections from both sides
                final SqlResult join = sql.execute("SELECT p.id, t.label FROM player p JOIN team t ON p.team = t.tid " +
                    "WHERE t.region = 1 ORDER BY p.id", catalog, tx);
                final List<ProductValue> joined = model.values().stream().filter((r) -> (Integer)r[1] == 0 ||
                    (Integer)r[1] == 2).map((r) -> ProductValue.of(r[0], (Integer)r[1] == 0 ? "a" : "c")).toList();
                assertEquals(joined, join.rows(), "seed " + seed);
                tx.rollback();
            }
        }
    }

    @Test
    void shouldHandleVariablesAndErrors() throws SqlException
    {
        try (Datastore datastore = QueryFixture.create(true))
        {
            final Catalog owner = Catalog.of(datastore, OWNER, true);
            final SqlExecutor sql = new SqlExecutor();
            final MutTx tx = datastore.beginMutTx();
            sql.execute("INSERT INTO team VALUES (0, 1, 'a'), (1, 2, 'b'), (2, 1, 'c')", owner, tx);
            sql.execute("SET row_limit = 2", owner, tx);
            assertEquals(List.of(ProductValue.of("row_limit", 2L)), sql.execute("SHOW row_limit", owner, tx).rows());
            assertTrue(assertThrows(SqlException.class, () -> sql.execute("SELECT * FROM team", owner, tx))
                .getMessage().contains("row_limit"));
            assertEquals(1, sql.execute("SELECT * FROM team WHERE tid = 1", owner, tx).rows().size());
            assertTrue(assertThrows(SqlException.class, () -> sql.execute("SET nope = 1", owner, tx))
                .getMessage().contains("unknown variable"));
            assertTrue(assertThrows(SqlException.class, () -> sql.execute("INSERT INTO team VALUES (1, 2)", owner,
                tx)).getMessage().contains("expected 3"));
            assertTrue(assertThrows(SqlException.class, () -> sql.execute("INSERT INTO team VALUES (9, 256, 'x')",
                owner, tx)).getMessage().contains("out of range for column region of type U8"));
            assertTrue(assertThrows(SqlException.class, () -> sql.execute("UPDATE team SET tid = 5", owner, tx))
                .getMessage().toLowerCase().contains("unique"));
            final Catalog client = Catalog.of(datastore, BigInteger.ONE, false);
            assertTrue(assertThrows(SqlException.class, () -> sql.execute("DELETE FROM secret", client, tx))
                .getMessage().contains("may be marked private"));
            assertTrue(assertThrows(SqlException.class, () -> sql.execute("SELECT name, COUNT(*) FROM player", owner,
                tx)).getMessage().contains("GROUP BY"));
            tx.rollback();
        }
    }
}
