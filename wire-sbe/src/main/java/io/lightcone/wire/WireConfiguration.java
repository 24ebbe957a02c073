package io.lightcone.wire;

import org.agrona.SystemUtil;

/**
 * Configuration of the wire: property names and defaults, read through {@link SystemUtil} so sizes may be written as
 * {@code 64k} or {@code 16m}.
 * <p>
 * The maximum message length defaults to 64 KiB. The proxies cap it further at the publication's
 * {@code maxPayloadLength()} (the channel MTU less the 32 byte Aeron frame header: 1376 bytes with the default MTU of
 * 1408, up to 65472 with {@code mtu=65504}), so every message is a single {@code tryClaim}. On {@code aeron:ipc}
 * choose a large MTU ({@code aeron:ipc?mtu=65504}) and most messages travel whole; on {@code aeron:udp} keep the
 * network MTU and long messages are fragmented by the proxy.
 */
public final class WireConfiguration
{
    /**
     * Largest message put on the wire in one piece; longer ones are sent as Fragment envelopes.
     */
    public static final String MAX_MESSAGE_LENGTH_PROP_NAME = "lightcone.wire.max.message.length";

    /**
     * Default of {@link #MAX_MESSAGE_LENGTH_PROP_NAME}: 64 KiB.
     */
    public static final int MAX_MESSAGE_LENGTH_DEFAULT = 64 * 1024;

    /**
     * Largest whole message a proxy fragments or an adapter reassembles (modules, schemas, big transactions).
     */
    public static final String MAX_REASSEMBLY_LENGTH_PROP_NAME = "lightcone.wire.max.reassembly.length";

    /**
     * Default of {@link #MAX_REASSEMBLY_LENGTH_PROP_NAME}: 64 MiB.
     */
    public static final int MAX_REASSEMBLY_LENGTH_DEFAULT = 64 * 1024 * 1024;

    private WireConfiguration()
    {
    }

    /**
     * The configured maximum message length.
     *
     * @return {@link #MAX_MESSAGE_LENGTH_PROP_NAME} or its default.
     */
    public static int maxMessageLength()
    {
        return SystemUtil.getSizeAsInt(MAX_MESSAGE_LENGTH_PROP_NAME, MAX_MESSAGE_LENGTH_DEFAULT);
    }

    /**
     * The configured maximum reassembly length.
     *
     * @return {@link #MAX_REASSEMBLY_LENGTH_PROP_NAME} or its default.
     */
    public static int maxReassemblyLength()
    {
        return SystemUtil.getSizeAsInt(MAX_REASSEMBLY_LENGTH_PROP_NAME, MAX_REASSEMBLY_LENGTH_DEFAULT);
    }

    /**
     * Validate a maximum message length and a maximum reassembly length.
     *
     * @param maxMessageLength    largest message sent in one piece.
     * @param maxReassemblyLength largest message fragmented or reassembled.
     * @throws IllegalArgumentException if they are out of range.
     */
    public static void validate(final int maxMessageLength, final int maxReassemblyLength)
    {
        if (maxMessageLength < WireConstants.MIN_MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException(
                "maxMessageLength must be >= " + WireConstants.MIN_MAX_MESSAGE_LENGTH + ": " + maxMessageLength);
        }
        if (maxReassemblyLength < maxMessageLength)
        {
            throw new IllegalArgumentException(
                "maxReassemblyLength must be >= maxMessageLength: " + maxReassemblyLength + " < " + maxMessageLength);
        }
    }
}
