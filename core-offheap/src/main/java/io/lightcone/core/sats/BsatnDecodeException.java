package io.lightcone.core.sats;

/**
 * Malformed BSATN: says what was wrong and at which byte offset. Decoders throw this and nothing else for bad
 * input; they never read outside the buffer they were given.
 */
public final class BsatnDecodeException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String reason;

    /**
     * A decode error.
     *
     * @param offset of the offending byte, relative to the start of the decoded input.
     * @param reason what was wrong.
     */
    public BsatnDecodeException(final int offset, final String reason)
    {
        super("BSATN decode error at offset " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /**
     * Where the error was found.
     *
     * @return the byte offset relative to the start of the decoded input.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * What was wrong, without the offset.
     *
     * @return the reason.
     */
    public String reason()
    {
        return reason;
    }
}
