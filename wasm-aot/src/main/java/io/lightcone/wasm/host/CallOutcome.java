package io.lightcone.wasm.host;

/**
 * How a call into a module ended. On anything but {@link Status#OK} the caller rolls the transaction back.
 *
 * @param status  the kind of ending.
 * @param message the user error text, the trap description, or "reducer ran out of energy"; empty on OK.
 * @param output  the bytes a view or procedure wrote to its result sink (empty for reducers and on failure).
 */
public record CallOutcome(Status status, String message, byte[] output)
{
    /** Message of {@link Status#OUT_OF_ENERGY}, as SpacetimeDB words it. */
    public static final String OUT_OF_ENERGY_MESSAGE = "reducer ran out of energy";

    private static final byte[] EMPTY = new byte[0];
    private static final CallOutcome OK_EMPTY = new CallOutcome(Status.OK, "", EMPTY);

    /** The kinds of ending. */
    public enum Status
    {
        /** Returned 0: commit. */
        OK,
        /** Returned 1 with a message in the error sink: roll back, report the message to the caller. */
        USER_ERROR,
        /** Trapped, or returned an unexpected code, or a host call failed in a way no errno describes. */
        INTERNAL_ERROR,
        /** Exceeded its budget (time or memory). */
        OUT_OF_ENERGY
    }

    /**
     * Success without output.
     *
     * @return the shared instance.
     */
    public static CallOutcome ok()
    {
        return OK_EMPTY;
    }

    /**
     * Success with output.
     *
     * @param output the result bytes.
     * @return the outcome.
     */
    public static CallOutcome ok(final byte[] output)
    {
        return new CallOutcome(Status.OK, "", output);
    }

    /**
     * A failure.
     *
     * @param status  the kind.
     * @param message the message.
     * @return the outcome.
     */
    public static CallOutcome failed(final Status status, final String message)
    {
        return new CallOutcome(status, message, EMPTY);
    }

    /**
     * Whether the call succeeded.
     *
     * @return true for OK.
     */
    public boolean isOk()
    {
        return status == Status.OK;
    }
}
