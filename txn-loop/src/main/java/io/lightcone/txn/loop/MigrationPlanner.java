package io.lightcone.txn.loop;

import io.lightcone.wasm.moduledef.ModuleDef;

/**
 * Decides how a database moves from its running module to a newly published one (republish). The loop asks it and
 * then carries the plan out; SpacetimeDB's automatic migration rules (add table, add column with a default at the
 * end, add index; refuse everything else with a message naming it) belong in an implementation of this interface
 * (the migration engineer's {@code io.lightcone.txn.migrate}).
 * <p>
 * Called on the loop thread; must not block on I/O.
 */
@FunctionalInterface
public interface MigrationPlanner
{
    /**
     * The default until automatic migration lands: refuse any update unless {@code clear} is set, in which case the
     * database is dropped and created again from the new module (its {@code init} runs again).
     */
    MigrationPlanner CLEAR_ONLY = (current, next, clear) -> clear ? MigrationPlan.clearAndRecreate() :
        MigrationPlan.refused("updating a database's module is not supported yet; publish with clear to drop " +
        "its data and start over");

    /**
     * Plans an update.
     *
     * @param current the running module's def.
     * @param next    the new module's def.
     * @param clear   whether the publisher asked to drop existing data.
     * @return the plan, or a refusal.
     */
    MigrationPlan plan(ModuleDef current, ModuleDef next, boolean clear);
}
