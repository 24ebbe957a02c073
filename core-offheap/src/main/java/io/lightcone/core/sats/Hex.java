package io.lightcone.core.sats;

import java.math.BigInteger;

/**
 * Hex text for bytes and for the textual forms of Identity (64 hex chars) and ConnectionId (32 hex chars).
 * <p>
 * The textual form of an Identity is the lowercase hex of its <em>big-endian</em> bytes, while BSATN and memory hold
 * it little-endian (reference/spacetimedb-contracts.md §1.3): hex {@code c200…01} is BSATN {@code 01 00 … 00 c2}.
 */
public final class Hex
{
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex()
    {
    }

    /**
     * Lowercase hex of bytes in order, without a prefix.
     *
     * @param bytes to format.
     * @return two hex chars per byte.
     */
    public static String encode(final byte[] bytes)
    {
        final char[] chars = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            chars[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            chars[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(chars);
    }

    /**
     * Parses hex (either case, no prefix) into bytes in order.
     *
     * @param hex an even number of hex digits.
     * @return the bytes.
     * @throws IllegalArgumentException on an odd length or a non-hex character.
     */
    public static byte[] decode(final CharSequence hex)
    {
        if ((hex.length() & 1) != 0)
        {
            throw new IllegalArgumentException("hex has an odd number of digits: " + hex.length());
        }
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)((digit(hex, 2 * i) << 4) | digit(hex, 2 * i + 1));
        }
        return bytes;
    }

    /**
     * The big-endian textual hex of a little-endian integer, e.g. an Identity's 32 BSATN bytes.
     *
     * @param littleEndian the integer's bytes, least significant first.
     * @return lowercase hex, most significant byte first, two chars per byte.
     */
    public static String littleEndianToHex(final byte[] littleEndian)
    {
        final byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++)
        {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return encode(bigEndian);
    }

    /**
     * The little-endian bytes of a big-endian hex text, e.g. an Identity's text to its 32 BSATN bytes.
     *
     * @param hex exactly {@code 2 * size} hex digits, most significant first.
     * @param size of the integer in bytes.
     * @return the bytes, least significant first.
     * @throws IllegalArgumentException when the text is not {@code 2 * size} hex digits.
     */
    public static byte[] hexToLittleEndian(final CharSequence hex, final int size)
    {
        if (hex.length() != 2 * size)
        {
            throw new IllegalArgumentException("expected " + 2 * size + " hex digits, got " + hex.length());
        }
        final byte[] bigEndian = decode(hex);
        final byte[] littleEndian = new byte[size];
        for (int i = 0; i < size; i++)
        {
            littleEndian[i] = bigEndian[size - 1 - i];
        }
        return littleEndian;
    }

    /**
     * The textual form of an Identity (the value of its U256 field): 64 lowercase hex digits, zero padded.
     *
     * @param identity the u256 value, 0 to 2^256 - 1.
     * @return the 64-char hex.
     */
    public static String identityHex(final BigInteger identity)
    {
        return padded(identity, 64);
    }

    /**
     * The textual form of a ConnectionId (the value of its U128 field): 32 lowercase hex digits, zero padded.
     *
     * @param connectionId the u128 value, 0 to 2^128 - 1.
     * @return the 32-char hex.
     */
    public static String connectionIdHex(final BigInteger connectionId)
    {
        return padded(connectionId, 32);
    }

    /**
     * Parses the textual form of an Identity or ConnectionId back into its integer value.
     *
     * @param hex 64 (Identity) or 32 (ConnectionId) hex digits, most significant first.
     * @param size 32 or 16, the integer size in bytes.
     * @return the non-negative value.
     * @throws IllegalArgumentException when the text is not {@code 2 * size} hex digits.
     */
    public static BigInteger parseFixed(final CharSequence hex, final int size)
    {
        if (hex.length() != 2 * size)
        {
            throw new IllegalArgumentException("expected " + 2 * size + " hex digits, got " + hex.length());
        }
        return new BigInteger(1, decode(hex));
    }

    private static String padded(final BigInteger value, final int digits)
    {
        if (value.signum() < 0 || value.bitLength() > digits * 4)
        {
            throw new IllegalArgumentException("value does not fit " + digits + " hex digits: " + value);
        }
        final String hex = value.toString(16);
        return "0".repeat(digits - hex.length()) + hex;
    }

    private static int digit(final CharSequence hex, final int index)
    {
        final char c = hex.charAt(index);
        final int digit = c < 128 ? Character.digit(c, 16) : -1;
        if (digit < 0)
        {
            throw new IllegalArgumentException("invalid hex digit '" + hex.charAt(index) + "' at index " + index);
        }
        return digit;
    }
}
