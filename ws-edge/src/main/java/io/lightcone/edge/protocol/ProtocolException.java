package io.lightcone.edge.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A malformed client frame: says what was wrong and at which byte of the frame. The only exception the client
 * message decoder throws for bad input.
 */
public final class ProtocolException extends RuntimeException
{
    /** Longest close reason a WebSocket close frame can carry, in UTF-8 bytes (RFC 6455 5.5: 125 - 2). */
    public static final int MAX_CLOSE_REASON_BYTES = 123;

    private static final long serialVersionUID = 1L;

    private final int offset;

    /**
     * A protocol error.
     *
     * @param offset byte offset in the frame where the error was found.
     * @param message what was wrong and where.
     */
    public ProtocolException(final int offset, final String message)
    {
        super(message);
        this.offset = offset;
    }

    /**
     * A protocol error caused by another exception (typically a BSATN decode error).
     *
     * @param offset byte offset in the frame where the error was found.
     * @param message what was wrong and where.
     * @param cause the underlying error.
     */
    public ProtocolException(final int offset, final String message, final Throwable cause)
    {
        super(message, cause);
        this.offset = offset;
    }

    /**
     * Where in the frame the error was found.
     *
     * @return the byte offset relative to the start of the frame.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * The message cut to what fits a WebSocket close frame (at most 123 UTF-8 bytes, never splitting a character).
     *
     * @return the close reason.
     */
    public String closeReason()
    {
        final String message = getMessage();
        if (message.getBytes(StandardCharsets.UTF_8).length <= MAX_CLOSE_REASON_BYTES)
        {
            return message;
        }
        int bytes = 0;
        int end = 0;
        while (end < message.length())
        {
            final int codePoint = message.codePointAt(end);
            final int width = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + width > MAX_CLOSE_REASON_BYTES)
            {
                break;
            }
            bytes += width;
            end += Character.charCount(codePoint);
        }
        return message.substring(0, end);
    }
}
