/**
 * Recovery: the data directory layout of a database, loading the latest valid snapshot and replaying the commit log
 * after it, and applying table deltas to a datastore during replay.
 */
package io.lightcone.txn.recovery;
