/**
 * Module update (republish): {@link io.lightcone.txn.migrate.MigrationPlanner} compares the old and new module
 * definitions and either lists the steps of an automatic migration or refuses it, naming every incompatible change;
 * {@link io.lightcone.txn.migrate.MigrationExecutor} applies an allowed plan to a datastore, all or nothing.
 */
package io.lightcone.txn.migrate;
