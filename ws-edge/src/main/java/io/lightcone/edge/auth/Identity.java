package io.lightcone.edge.auth;

import java.util.Arrays;

/**
 * A SpacetimeDB identity: a 256-bit value.
 * <p>
 * Invariants:
 * <ul>
 *     <li>held as 32 big-endian bytes, never shared (copied in and out);</li>
 *     <li>the text form is 64 lowercase hex characters of the big-endian bytes (SpacetimeDB {@code to_hex});</li>
 *     <li>the BSATN (wire and memory) form is the same u256 little-endian, so hex {@code c200..01} is BSATN
 *     {@code 01 .. 00 c2}.</li>
 * </ul>
 */
public final class Identity
{
    /**
     * Length of an identity in bytes.
     */
    public static final int LENGTH = 32;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] bigEndian;

    private Identity(final byte[] bigEndian)
    {
        this.bigEndian = bigEndian;
    }

    /**
     * An identity from its 32 big-endian bytes.
     *
     * @param bytes 32 bytes, most significant first; copied.
     * @return the identity.
     */
    public static Identity fromBigEndian(final byte[] bytes)
    {
        checkLength(bytes);
        return new Identity(bytes.clone());
    }

    /**
     * An identity from its 32 little-endian (BSATN) bytes.
     *
     * @param bytes 32 bytes, least significant first; copied.
     * @return the identity.
     */
    public static Identity fromLittleEndian(final byte[] bytes)
    {
        checkLength(bytes);
        return new Identity(reversed(bytes));
    }

    /**
     * Parse the text form: 64 hex characters of the big-endian bytes, either case.
     *
     * @param hex the text form.
     * @return the identity.
     * @throws IllegalArgumentException if it is not 64 hex characters.
     */
    public static Identity fromHex(final String hex)
    {
        return new Identity(Hex.decode(hex, LENGTH, "identity"));
    }

    /**
     * The text form.
     *
     * @return 64 lowercase hex characters of the big-endian bytes.
     */
    public String toHex()
    {
        return Hex.encode(bigEndian);
    }

    /**
     * The big-endian bytes.
     *
     * @return a fresh copy of the 32 big-endian bytes.
     */
    public byte[] toBigEndian()
    {
        return bigEndian.clone();
    }

    /**
     * The BSATN bytes.
     *
     * @return a fresh copy of the 32 bytes, least significant first.
     */
    public byte[] toLittleEndian()
    {
        return reversed(bigEndian);
    }

    /**
     * {@inheritDoc}
     */
    public boolean equals(final Object o)
    {
        return o instanceof Identity && Arrays.equals(bigEndian, ((Identity)o).bigEndian);
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

    static byte[] reversed(final byte[] bytes)
    {
        final byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }

    private static void checkLength(final byte[] bytes)
    {
        if (bytes.length != LENGTH)
        {
            throw new IllegalArgumentException("identity must be " + LENGTH + " bytes: " + bytes.length);
        }
    }

    /**
     * Lowercase hex text of bytes in order.
     */
    static final class Hex
    {
        private Hex()
        {
        }

        static String encode(final byte[] bytes)
        {
            final char[] out = new char[bytes.length * 2];
            for (int i = 0; i < bytes.length; i++)
            {
                out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
                out[2 * i + 1] = HEX[bytes[i] & 0xF];
            }
            return new String(out);
        }

        static byte[] decode(final String hex, final int length, final String what)
        {
            if (hex == null || hex.length() != length * 2)
            {
                throw new IllegalArgumentException(
                    what + " must be " + (length * 2) + " hex characters: " + (hex == null ? "null" : hex.length()));
            }
            final byte[] out = new byte[length];
            for (int i = 0; i < length; i++)
            {
                final int hi = Character.digit(hex.charAt(2 * i), 16);
                final int lo = Character.digit(hex.charAt(2 * i + 1), 16);
                if (hi < 0 || lo < 0)
                {
                    throw new IllegalArgumentException(what + " is not hex: " + hex);
                }
                out[i] = (byte)((hi << 4) | lo);
            }
            return out;
        }
    }
}
