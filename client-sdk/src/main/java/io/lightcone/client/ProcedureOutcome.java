package io.lightcone.client;

/**
 * How a procedure call ended (ProcedureResult).
 *
 * @param returned        BSATN of the return value, or null on an internal error.
 * @param error           the internal error, or null.
 * @param timestampMicros when the procedure started.
 * @param durationMicros  total host execution time.
 */
public record ProcedureOutcome(byte[] returned, String error, long timestampMicros, long durationMicros)
{
    /**
     * Whether the procedure returned.
     *
     * @return true when {@link #returned()} is set.
     */
    public boolean isReturned()
    {
        return null != returned;
    }
}
