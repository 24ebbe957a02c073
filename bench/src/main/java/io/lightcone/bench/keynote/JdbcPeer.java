package io.lightcone.bench.keynote;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A SQL database driven through JDBC as a keynote peer: how to connect (with its durability setting), how to seed,
 * how to run one transfer on a worker's connection, and how to read the balances back.
 */
public interface JdbcPeer
{
    /**
     * @return {@code postgresql} or {@code sqlite}.
     */
    String system();

    /**
     * @return the durability variant of this peer ({@code synchronous_commit=on}, ...).
     */
    String durability();

    /**
     * Opens one connection with the peer's settings applied.
     *
     * @return the connection.
     * @throws SQLException on failure.
     */
    Connection open() throws SQLException;

    /**
     * Creates the schema if needed and replaces every account with ids {@code 0..accounts-1} at
     * {@code initialBalance}.
     *
     * @param connection     a connection from {@link #open()}.
     * @param accounts       how many.
     * @param initialBalance balance of each.
     * @throws SQLException on failure.
     */
    void seed(Connection connection, int accounts, long initialBalance) throws SQLException;

    /**
     * Prepares the transfer on a worker's connection.
     *
     * @param connection the worker's connection.
     * @return the prepared transfer.
     * @throws SQLException on failure.
     */
    Transfer prepare(Connection connection) throws SQLException;

    /**
     * @return the server's process id for CPU accounting, or -1 when it runs in this JVM.
     */
    long serverPid();

    /** One worker's prepared transfer. */
    interface Transfer
    {
        /**
         * Runs {@code transfer(from, to, amount)} as one transaction.
         *
         * @param from   sender.
         * @param to     receiver.
         * @param amount amount.
         * @throws SQLException when the database refuses it (the transaction did not happen).
         */
        void run(int from, int to, long amount) throws SQLException;
    }
}
