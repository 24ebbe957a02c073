/**
 * The single-writer transaction loop, commit log and recovery.
 * <p>
 * Placeholder until its issue lands; the module exists so that the dependency direction is fixed now.
 */
package io.lightcone.txn;
