/**
 * The edge replica of every database, kept current by the core's committed transactions.
 */
package io.lightcone.edge.replica;
