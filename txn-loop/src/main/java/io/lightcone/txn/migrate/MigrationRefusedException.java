package io.lightcone.txn.migrate;

import java.util.List;

/**
 * A module update that cannot be applied automatically: the plan was refused, or applying it failed on the
 * existing data (e.g. rows that break a new unique index). The datastore is unchanged.
 */
public final class MigrationRefusedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Every reason, one incompatible change or failure each. */
    private final List<String> reasons;

    /**
     * An exception listing the reasons.
     *
     * @param reasons one message per incompatible change or failure; at least one.
     */
    public MigrationRefusedException(final List<String> reasons)
    {
        super("automatic migration refused: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    /**
     * The reasons.
     *
     * @return one message per incompatible change or failure.
     */
    public List<String> reasons()
    {
        return reasons;
    }
}
