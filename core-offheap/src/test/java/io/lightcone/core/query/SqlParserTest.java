package io.lightcone.core.query;

import io.lightcone.core.query.SqlAst.Select;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SqlParserTest
{
    private static String canonical(final String sql) throws SqlException
    {
        return SqlParser.parse(sql).toSql();
    }

    @Test
    void shouldParseSubscriptionForms() throws SqlException
    {
        assertEquals("SELECT * FROM \"t\"", canonical("select * from t"));
        assertEquals("SELECT * FROM \"t\" WHERE (\"t\".\"col\" = 5)",
            canonical("SELECT * FROM \"t\" WHERE (\"t\".\"col\" = 5)"));
        assertEquals("SELECT \"a\".* FROM \"t\" AS \"a\" JOIN \"u\" AS \"b\" ON \"a\".\"x\" = \"b\".\"y\" " +
            "WHERE ((\"b\".\"z\" > -3) OR (\"a\".\"w\" <> 'it''s'))",
            canonical("SELECT a.* FROM t a INNER JOIN u AS b ON a.x = b.y WHERE b.z > -3 OR a.w != 'it''s'"));
        assertEquals("SELECT * FROM \"t\" WHERE ((\"x\" <= 1.5e3) AND (\"y\" >= 0xff) AND TRUE AND (\"s\" = :sender))",
            canonical("SELECT * FROM t WHERE x <= 1.5e3 AND y >= 0xff AND true AND s = :sender;"));
        assertEquals("SELECT * FROM \"Weird \"\"name\"\"\"", canonical("SELECT * FROM \"Weird \"\"name\"\"\""));
        assertEquals(canonical("SELECT * FROM t WHERE (a = 1 AND (b = 2 OR c < 3))"),
            canonical("sElEcT *   FROM t where (a=1 and (b=2 or c<3))"));
        assertEquals("SELECT * FROM \"t\" WHERE (\"x\" < +2)".replace("+", ""),
            canonical("SELECT * FROM t WHERE x < +2"));
        assertEquals("SELECT * FROM \"t\" WHERE (\"x\" > 1)", canonical("SELECT * FROM t WHERE 1 < x"
            .replace("1 < x", "x > 1")));
    }

    /**
     * Invariant: splitting a request and joining the pieces with {@code ;} parses to the same statements as the
     * pieces, for seeded random mixes of statements, string literals holding {@code ;}, spaces and empty pieces.
     */
    @Test
    void shouldSplitStatementsOutsideLiterals() throws SqlException
    {
        assertEquals(List.of("SELECT * FROM t WHERE s = 'a;b'", "SHOW row_limit"),
            SqlParser.split("SELECT * FROM t WHERE s = 'a;b'; SHOW row_limit;"));
        assertEquals(List.of("SELECT * FROM \"x;y\""), SqlParser.split(" ; SELECT * FROM \"x;y\" ;; "));
        assertEquals(List.of(), SqlParser.split(" ; ;"));
        assertThrows(SqlException.class, () -> SqlParser.split("SELECT 'unterminated; SHOW x"));
        final String[] pool = {"SELECT * FROM t", "SET row_limit = 5", "SHOW row_limit",
            "DELETE FROM t WHERE s = ';'", "INSERT INTO t VALUES ('a;''b')", "UPDATE t SET s = ';;' WHERE id = 1"};
        final Random random = new Random(17);
        for (int round = 0; round < 200; round++)
        {
            final List<String> pieces = new java.util.ArrayList<>();
            final StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(5); i >= 0; i--)
            {
                final String piece = pool[random.nextInt(pool.length)];
                pieces.add(piece);
                text.append(" ".repeat(random.nextInt(3))).append(piece).append(random.nextBoolean() ? ";" : "; ;");
            }
            final List<String> split = SqlParser.split(text.toString());
            assertEquals(pieces, split, text.toString());
            for (final String piece : split)
            {
                assertEquals(SqlParser.parse(piece).toSql(), SqlParser.parse(piece + ";").toSql());
            }
        }
    }

    @Test
    void shouldParseAdHocForms() throws SqlException
    {
        final Select select = (Select)SqlParser.parse(
            "SELECT DISTINCT a AS x, t.b y FROM t ORDER BY a DESC, b LIMIT 10");
        assertTrue(select.distinct());
        assertEquals(2, select.projections().size());
        assertEquals(10, select.limit());
        assertEquals(2, select.orderBy().size());
        assertTrue(select.orderBy().get(0).descending());
        assertEquals("SELECT COUNT(*) AS \"n\", COUNT(DISTINCT \"c\") AS \"d\", SUM(\"c\") FROM \"t\"",
            canonical("select count(*) as n, count(distinct c) d, sum(c) from t"));
        assertEquals("INSERT INTO \"t\" (\"a\", \"b\") VALUES (1, 'x'), (-2, 'y')",
            canonical("insert into t (a, b) values (1, 'x'), (-2, 'y')"));
        assertEquals("INSERT INTO \"t\" VALUES (0x01, TRUE)", canonical("INSERT INTO t VALUES (0x01, true)"));
        assertEquals("UPDATE \"t\" SET \"a\" = 1, \"b\" = 'z' WHERE (\"c\" = 2)",
            canonical("update t set a = 1, b = 'z' where c = 2"));
        assertEquals("DELETE FROM \"t\"", canonical("delete from t"));
        assertEquals("DELETE FROM \"t\" WHERE (\"c\" >= 2)", canonical("DELETE FROM t WHERE c >= 2"));
        assertEquals("SET \"row_limit\" = 100", canonical("SET row_limit = 100"));
        assertEquals("SHOW \"row_limit\"", canonical("show row_limit"));
        assertInstanceOf(SqlAst.Insert.class, SqlParser.parse("INSERT INTO t VALUES (:sender)"));
    }

    @Test
    void shouldNameTheProblemAndItsPosition()
    {
        assertError("SELECT * FORM t", "unexpected token 'FORM' at 9: expected FROM", 9);
        assertError("SELECT * FROM", "unexpected end of input at 13: expected table name", 13);
        assertError("SELECT * FROM t WHERE", "unexpected end of input at 21: expected a literal or a column", 21);
        assertError("SELECT * FROM t WHERE a = 'x", "unterminated string starting at 26", 26);
        assertError("SELECT * FROM t WHERE NOT a = 1", "NOT is not supported (at 22)", 22);
        assertError("SELECT * FROM t WHERE a IS NULL", "IS is not supported (at 24)", 24);
        assertError("SELECT * FROM t LEFT JOIN u ON t.a = u.b", "unsupported join 'LEFT' at 16", 16);
        assertError("SELECT * FROM t JOIN u ON a = u.b", "JOIN ON columns must be qualified", 26);
        assertError("SELECT * FROM t JOIN u ON t.a = u.b AND t.c = u.d", "single equality", 36);
        assertError("SELECT * FROM (SELECT * FROM t)", "subqueries are not supported", 14);
        assertError("SELECT * FROM t; SELECT * FROM u", "expected exactly one statement", 17);
        assertError("SELECT * FROM t WHERE a = 1 GROUP BY a", "GROUP BY is not supported", 28);
        assertError("SELECT * FROM t OFFSET 3", "OFFSET is not supported", 16);
        assertError("SELECT * FROM t WHERE a = 0x", "hex literal without digits at 26", 26);
        assertError("SELECT * FROM t WHERE a = 1e", "malformed exponent", 26);
        assertError("SELECT * FROM t WHERE a = #", "unexpected character '#' at 26", 26);
        assertError("SELECT * FROM \"\"", "empty quoted identifier at 14", 14);
        assertError("SELECT * FROM select", "unexpected token 'select' at 14: expected table name", 14);
        assertError("DROP TABLE t", "expected SELECT, INSERT, UPDATE, DELETE, SET or SHOW", 0);
        assertError("SELECT * FROM t LIMIT -1", "LIMIT", 22);
        assertError("SELECT * FROM t WHERE " + "(".repeat(100) + "a = 1" + ")".repeat(100), "nested deeper", -2);
        final SqlException tooLong = assertThrows(SqlException.class,
            () -> SqlParser.parse("SELECT * FROM t WHERE a = '" + "x".repeat(50_000) + "'"));
        assertTrue(tooLong.getMessage().contains("maximum length of 50000 bytes"), tooLong.getMessage());
    }

    private static void assertError(final String sql, final String fragment, final int position)
    {
        final SqlException ex = assertThrows(SqlException.class, () -> SqlParser.parse(sql), sql);
        assertTrue(ex.getMessage().contains(fragment), "message '" + ex.getMessage() + "' for " + sql);
        if (position >= 0)
        {
            assertEquals(position, ex.position(), ex.getMessage());
        }
    }

    private static final List<String> TOKENS = List.of("SELECT", "*", "FROM", "t", "u", "\"q x\"", "WHERE", "AND",
        "OR", "(", ")", "=", "<>", "!=", "<", ">", "<=", ">=", "JOIN", "INNER", "ON", "AS", ".", ",", "1", "-1",
        "1.5e-3", "'s'", "''", "0xAB", "TRUE", "FALSE", ":sender", "ORDER", "BY", "LIMIT", "DESC", "COUNT", "SUM",
        "DISTINCT", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE", "SHOW", ";", "NOT", "NULL", "IS", "x",
        "a.b", "--c\n", "'", "\"", "0x", "1e", ":", "#", "\u00e9", "\u0000", "99999999999999999999999");

    private static final List<String> VALID = List.of(
        "SELECT * FROM t WHERE a = 1 AND (b > 2 OR c <> 'x')",
        "SELECT t.* FROM t JOIN u ON t.a = u.b WHERE u.c = :sender",
        "SELECT DISTINCT a, b AS c FROM t ORDER BY a DESC LIMIT 5",
        "SELECT COUNT(*) AS n FROM t WHERE x >= -1.5e3",
        "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 0xff)",
        "UPDATE t SET a = 1 WHERE b = TRUE",
        "DELETE FROM t WHERE a < 3",
        "SELECT * FROM \"t\" WHERE (\"t\".\"col\" = 5)");

    @Test
    void shouldOnlyEverThrowSqlExceptionOnTokenSoups()
    {
        for (long seed = 0; seed < 3000; seed++)
        {
            final Random random = new Random(seed);
            final StringBuilder sql = new StringBuilder();
            final int n = random.nextInt(25);
            for (int i = 0; i < n; i++)
            {
                sql.append(TOKENS.get(random.nextInt(TOKENS.size()))).append(random.nextInt(4) == 0 ? "" : " ");
            }
            parseSafely(sql.toString(), seed);
        }
    }

    @Test
    void shouldOnlyEverThrowSqlExceptionOnMutatedQueries()
    {
        for (long seed = 0; seed < 5000; seed++)
        {
            final Random random = new Random(seed);
            final StringBuilder sql = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
            final int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations && sql.length() > 0; m++)
            {
                final int at = random.nextInt(sql.length());
                switch (random.nextInt(4))
                {
                    case 0 -> sql.deleteCharAt(at);
                    case 1 -> sql.insert(at, (char)(32 + random.nextInt(95)));
                    case 2 -> sql.setCharAt(at, (char)random.nextInt(0x3000));
                    default -> sql.insert(at, TOKENS.get(random.nextInt(TOKENS.size())));
                }
            }
            parseSafely(sql.toString(), seed);
        }
    }

    private static void parseSafely(final String sql, final long seed)
    {
        try
        {
            final SqlAst.Statement statement = SqlParser.parse(sql);
            assertEquals(statement.toSql(), SqlParser.parse(statement.toSql()).toSql(),
                "canonical text must be a fixed point, seed " + seed + ": " + sql);
        }
        catch (final SqlException expected)
        {
            assertTrue(null != expected.getMessage() && !expected.getMessage().isEmpty(), "seed " + seed);
        }
        catch (final RuntimeException | Error ex)
        {
            fail("seed " + seed + " input <" + sql + "> threw " + ex, ex);
        }
    }
}
