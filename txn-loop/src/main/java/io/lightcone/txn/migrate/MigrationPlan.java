package io.lightcone.txn.migrate;

import java.util.List;

/**
 * The outcome of {@link MigrationPlanner#plan}: either the steps of an automatic migration, or a refusal listing
 * every incompatible change.
 *
 * @param steps    the steps, in order (empty when refused).
 * @param refusals one message per incompatible change (empty when allowed).
 */
public record MigrationPlan(List<MigrationStep> steps, List<String> refusals)
{
    /**
     * Copies the lists.
     *
     * @param steps    the steps.
     * @param refusals the refusals.
     */
    public MigrationPlan
    {
        steps = List.copyOf(steps);
        refusals = List.copyOf(refusals);
        if (!refusals.isEmpty() && !steps.isEmpty())
        {
            throw new IllegalArgumentException("a refused plan has no steps");
        }
    }

    /**
     * An allowed plan.
     *
     * @param steps the steps, in order.
     * @return the plan.
     */
    public static MigrationPlan allowed(final List<MigrationStep> steps)
    {
        return new MigrationPlan(steps, List.of());
    }

    /**
     * A refused plan.
     *
     * @param refusals at least one message.
     * @return the plan.
     */
    public static MigrationPlan refused(final List<String> refusals)
    {
        if (refusals.isEmpty())
        {
            throw new IllegalArgumentException("a refusal needs a reason");
        }
        return new MigrationPlan(List.of(), refusals);
    }

    /**
     * Whether the migration was refused.
     *
     * @return true when {@link #refusals()} is not empty.
     */
    public boolean isRefused()
    {
        return !refusals.isEmpty();
    }

    /**
     * Whether applying the plan changes the datastore.
     *
     * @return true when some step changes data or schemas.
     */
    public boolean changesData()
    {
        for (final MigrationStep step : steps)
        {
            if (step.changesData())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The plan as text: one step or refusal a line.
     *
     * @return the description.
     */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(isRefused() ? "migration refused:" : "migration plan:");
        if (isRefused())
        {
            refusals.forEach(r -> sb.append("\n  - ").append(r));
        }
        else
        {
            steps.forEach(s -> sb.append("\n  - ").append(s.describe()));
        }
        return sb.toString();
    }
}
