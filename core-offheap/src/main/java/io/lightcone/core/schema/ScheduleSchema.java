package io.lightcone.core.schema;

import java.util.Objects;

/**
 * Marks a table as a schedule table: each row schedules a call of {@code functionName} at the time held in its
 * {@code ScheduleAt} column (reference/spacetimedb-contracts.md §7).
 *
 * @param functionName     the scheduled reducer or procedure.
 * @param scheduleAtColumn the column of type ScheduleAt.
 */
public record ScheduleSchema(String functionName, int scheduleAtColumn)
{
    /**
     * Checks the fields.
     *
     * @param functionName     the scheduled function.
     * @param scheduleAtColumn the ScheduleAt column.
     */
    public ScheduleSchema
    {
        Objects.requireNonNull(functionName, "functionName");
    }
}
