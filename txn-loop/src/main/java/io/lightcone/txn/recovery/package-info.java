/**
 * Recovery: the data directory layout (one global commit log in {@code <dataDir>/log}, each database's snapshots in
 * {@code <dataDir>/db/<id>/snapshots}), loading the latest valid snapshot and replaying the commit log after it, and
 * applying table deltas to a datastore during replay. The transaction loop's startup recovery
 * ({@code TxnLoopAgent.recover}) uses these for every database in one pass over the log.
 */
package io.lightcone.txn.recovery;
