package io.lightcone.edge.auth;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A SpacetimeDB connection id: a 128-bit value naming one client connection.
 * <p>
 * Invariants: held as 16 big-endian bytes, never shared; the text (URL) form is 32 lowercase hex characters of the
 * big-endian bytes; the BSATN form is the u128 little-endian; {@link #random()} never returns zero (zero means
 * "no connection" in SpacetimeDB).
 */
public final class ConnectionId
{
    /**
     * Length of a connection id in bytes.
     */
    public static final int LENGTH = 16;

    /**
     * The zero connection id ("none").
     */
    public static final ConnectionId ZERO = new ConnectionId(new byte[LENGTH]);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bigEndian;

    private ConnectionId(final byte[] bigEndian)
    {
        this.bigEndian = bigEndian;
    }

    /**
     * A fresh random, non-zero connection id.
     *
     * @return the connection id.
     */
    public static ConnectionId random()
    {
        final byte[] bytes = new byte[LENGTH];
        do
        {
            RANDOM.nextBytes(bytes);
        }
        while (isZero(bytes));
        return new ConnectionId(bytes);
    }

    /**
     * A connection id from its 16 big-endian bytes.
     *
     * @param bytes 16 bytes, most significant first; copied.
     * @return the connection id.
     */
    public static ConnectionId fromBigEndian(final byte[] bytes)
    {
        checkLength(bytes);
        return new ConnectionId(bytes.clone());
    }

    /**
     * A connection id from its 16 little-endian (BSATN) bytes.
     *
     * @param bytes 16 bytes, least significant first; copied.
     * @return the connection id.
     */
    public static ConnectionId fromLittleEndian(final byte[] bytes)
    {
        checkLength(bytes);
        return new ConnectionId(Identity.reversed(bytes));
    }

    /**
     * Parse the text form: 32 hex characters of the big-endian bytes, either case.
     *
     * @param hex the text form.
     * @return the connection id.
     * @throws IllegalArgumentException if it is not 32 hex characters.
     */
    public static ConnectionId fromHex(final String hex)
    {
        return new ConnectionId(Identity.Hex.decode(hex, LENGTH, "connection id"));
    }

    /**
     * The text form.
     *
     * @return 32 lowercase hex characters of the big-endian bytes.
     */
    public String toHex()
    {
        return Identity.Hex.encode(bigEndian);
    }

    /**
     * The big-endian bytes.
     *
     * @return a fresh copy of the 16 big-endian bytes.
     */
    public byte[] toBigEndian()
    {
        return bigEndian.clone();
    }

    /**
     * The BSATN bytes.
     *
     * @return a fresh copy of the 16 bytes, least significant first.
     */
    public byte[] toLittleEndian()
    {
        return Identity.reversed(bigEndian);
    }

    /**
     * Whether this is the zero ("none") connection id.
     *
     * @return true if all 16 bytes are zero.
     */
    public boolean isZero()
    {
        return isZero(bigEndian);
    }

    /**
     * {@inheritDoc}
     */
    public boolean equals(final Object o)
    {
        return o instanceof ConnectionId && Arrays.equals(bigEndian, ((ConnectionId)o).bigEndian);
    }

    /**
     * {@inheritDoc}
     */
    public int hashCode()
    {
        return Arrays.hashCode(bigEndian);
    }

    /**
     * The text form.
     *
     * @return {@link #toHex()}.
     */
    public String toString()
    {
        return toHex();
    }

    private static boolean isZero(final byte[] bytes)
    {
        for (final byte b : bytes)
        {
            if (b != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void checkLength(final byte[] bytes)
    {
        if (bytes.length != LENGTH)
        {
            throw new IllegalArgumentException("connection id must be " + LENGTH + " bytes: " + bytes.length);
        }
    }
}
