/**
 * The commit log: append-only segments of committed transaction records with a checksum each, written with group
 * commit, read back in order for recovery. The transaction loop keeps one global log in {@code <dataDir>/log} for
 * all databases (tx offsets are global), each record a {@code TxCommitted} message naming its database.
 */
package io.lightcone.txn.log;
