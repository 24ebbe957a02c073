package io.lightcone.txn.loop;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link MigrationPlanner} decided.
 *
 * @param kind    what to do.
 * @param message the refusal, naming the change that cannot be applied; empty otherwise.
 * @param steps   for {@link Kind#AUTOMATIC}: the plan's steps, opaque to the loop for now (TODO: the migration
 *                engineer defines the step type and the loop applies them in the update transaction).
 */
public record MigrationPlan(Kind kind, String message, List<Object> steps)
{
    /** The kinds of plan. */
    public enum Kind
    {
        /** Refuse the update; the database keeps its module and data. */
        REFUSED,
        /** Drop every table and create the database again from the new module, running its {@code init}. */
        CLEAR_AND_RECREATE,
        /** Apply {@link #steps()} and keep the data (not implemented by the loop yet: refused with a message). */
        AUTOMATIC
    }

    /**
     * Copies the steps.
     *
     * @param kind    what to do.
     * @param message the refusal or empty.
     * @param steps   the steps.
     */
    public MigrationPlan
    {
        Objects.requireNonNull(kind, "kind");
        message = null == message ? "" : message;
        steps = List.copyOf(steps);
    }

    /**
     * @param message what cannot be applied.
     * @return a refusal.
     */
    public static MigrationPlan refused(final String message)
    {
        return new MigrationPlan(Kind.REFUSED, message, List.of());
    }

    /**
     * @return drop and recreate.
     */
    public static MigrationPlan clearAndRecreate()
    {
        return new MigrationPlan(Kind.CLEAR_AND_RECREATE, "", List.of());
    }
}
