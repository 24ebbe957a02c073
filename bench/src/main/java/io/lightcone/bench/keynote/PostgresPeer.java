package io.lightcone.bench.keynote;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL's best client path for the keynote (performance-anchors §6 "fn"): the transfer as one PL/pgSQL function
 * with the keynote's logic (same-account and amount checks, both rows locked in id order with {@code FOR UPDATE},
 * balance check, two updates), called through a server-side prepared statement on autocommit connections, one
 * connection per worker thread. {@code synchronous_commit} is set per connection.
 */
public final class PostgresPeer implements JdbcPeer
{
    /** The schema and the function, created if missing. */
    static final String SCHEMA = """
        CREATE TABLE IF NOT EXISTS accounts (id integer PRIMARY KEY, balance bigint NOT NULL);
        CREATE OR REPLACE FUNCTION transfer(p_from integer, p_to integer, p_amount bigint) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
          locked integer;
        BEGIN
          IF p_from = p_to THEN RAISE EXCEPTION 'cannot transfer to the same account'; END IF;
          IF p_amount <= 0 THEN RAISE EXCEPTION 'amount must be positive'; END IF;
          SELECT count(*) INTO locked FROM
            (SELECT id FROM accounts WHERE id IN (p_from, p_to) ORDER BY id FOR UPDATE) AS l;
          IF locked < 2 THEN RAISE EXCEPTION 'account not found'; END IF;
          UPDATE accounts SET balance = balance - p_amount WHERE id = p_from AND balance >= p_amount;
          IF NOT FOUND THEN RAISE EXCEPTION 'insufficient balance'; END IF;
          UPDATE accounts SET balance = balance + p_amount WHERE id = p_to;
        END
        $$;
        """;

    private final String jdbcUrl;
    private final boolean synchronousCommit;
    private final long serverPid;

    /**
     * @param jdbcUrl           e.g. {@code jdbc:postgresql://127.0.0.1:5433/postgres?user=postgres}.
     * @param synchronousCommit {@code synchronous_commit} on (durable) or off.
     * @param serverPid         the postmaster, for CPU accounting (its backends are its children).
     */
    public PostgresPeer(final String jdbcUrl, final boolean synchronousCommit, final long serverPid)
    {
        this.jdbcUrl = jdbcUrl;
        this.synchronousCommit = synchronousCommit;
        this.serverPid = serverPid;
    }

    @Override
    public String system()
    {
        return "postgresql";
    }

    @Override
    public String durability()
    {
        return synchronousCommit ? "synchronous_commit=on" : "synchronous_commit=off";
    }

    @Override
    public Connection open() throws SQLException
    {
        final Connection connection = DriverManager.getConnection(jdbcUrl);
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement())
        {
            s.execute("SET synchronous_commit = " + (synchronousCommit ? "on" : "off"));
        }
        return connection;
    }

    @Override
    public void seed(final Connection connection, final int accounts, final long initialBalance)
        throws SQLException
    {
        try (Statement s = connection.createStatement())
        {
            s.execute(SCHEMA);
            s.execute("TRUNCATE accounts");
            s.execute("INSERT INTO accounts SELECT g, " + initialBalance + " FROM generate_series(0, " +
                (accounts - 1) + ") AS g");
            s.execute("VACUUM ANALYZE accounts");
            s.execute("CHECKPOINT");
        }
    }

    @Override
    public Transfer prepare(final Connection connection) throws SQLException
    {
        final PreparedStatement statement = connection.prepareStatement("SELECT transfer(?, ?, ?)");
        return (from, to, amount) ->
        {
            statement.setInt(1, from);
            statement.setInt(2, to);
            statement.setLong(3, amount);
            statement.execute();
        };
    }

    @Override
    public long serverPid()
    {
        return serverPid;
    }
}
