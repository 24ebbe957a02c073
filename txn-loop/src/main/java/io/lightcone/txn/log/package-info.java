/**
 * The commit log: append-only segments of committed transaction records with a checksum each, written with group
 * commit, read back in order for recovery.
 */
package io.lightcone.txn.log;
