package io.lightcone.bench.keynote;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite in this JVM through JDBC (performance-anchors §6: in-process, WAL, prepared statements): the keynote
 * transfer as one {@code BEGIN IMMEDIATE} transaction of two point reads, the checks and two updates.
 * {@code synchronous=FULL} is the durable variant (fsync of the WAL at every commit), {@code NORMAL} the one that may
 * lose the last transactions on power loss.
 */
public final class SqlitePeer implements JdbcPeer
{
    private final Path file;
    private final boolean full;

    /**
     * @param file the database file (created).
     * @param full {@code synchronous=FULL} (durable) or {@code NORMAL}.
     */
    public SqlitePeer(final Path file, final boolean full)
    {
        this.file = file;
        this.full = full;
    }

    @Override
    public String system()
    {
        return "sqlite";
    }

    @Override
    public String durability()
    {
        return full ? "WAL, synchronous=FULL" : "WAL, synchronous=NORMAL";
    }

    @Override
    public Connection open() throws SQLException
    {
        final Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = connection.createStatement())
        {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=" + (full ? "FULL" : "NORMAL"));
            s.execute("PRAGMA busy_timeout=10000");
        }
        connection.setAutoCommit(true);
        return connection;
    }

    @Override
    public void seed(final Connection connection, final int accounts, final long initialBalance)
        throws SQLException
    {
        try (Statement s = connection.createStatement())
        {
            s.execute("CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
            s.execute("BEGIN IMMEDIATE");
            s.execute("DELETE FROM accounts");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO accounts VALUES (?, ?)"))
            {
                for (int id = 0; id < accounts; id++)
                {
                    insert.setInt(1, id);
                    insert.setLong(2, initialBalance);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            s.execute("COMMIT");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @Override
    public Transfer prepare(final Connection connection) throws SQLException
    {
        final PreparedStatement begin = connection.prepareStatement("BEGIN IMMEDIATE");
        final PreparedStatement commit = connection.prepareStatement("COMMIT");
        final PreparedStatement rollback = connection.prepareStatement("ROLLBACK");
        final PreparedStatement balance = connection.prepareStatement("SELECT balance FROM accounts WHERE id = ?");
        final PreparedStatement update = connection.prepareStatement(
            "UPDATE accounts SET balance = ? WHERE id = ?");
        return (from, to, amount) ->
        {
            if (from == to)
            {
                throw new SQLException("cannot transfer to the same account");
            }
            if (amount <= 0)
            {
                throw new SQLException("amount must be positive");
            }
            begin.execute();
            try
            {
                final long fromBalance = read(balance, from);
                final long toBalance = read(balance, to);
                if (fromBalance < amount)
                {
                    throw new SQLException("insufficient balance");
                }
                write(update, from, fromBalance - amount);
                write(update, to, toBalance + amount);
                commit.execute();
            }
            catch (final SQLException ex)
            {
                rollback.execute();
                throw ex;
            }
        };
    }

    @Override
    public long serverPid()
    {
        return -1;
    }

    private static long read(final PreparedStatement balance, final int id) throws SQLException
    {
        balance.setInt(1, id);
        try (ResultSet rs = balance.executeQuery())
        {
            if (!rs.next())
            {
                throw new SQLException("account " + id + " not found");
            }
            return rs.getLong(1);
        }
    }

    private static void write(final PreparedStatement update, final int id, final long value) throws SQLException
    {
        update.setLong(1, value);
        update.setInt(2, id);
        update.executeUpdate();
    }
}
