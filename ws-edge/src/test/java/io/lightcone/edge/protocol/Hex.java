package io.lightcone.edge.protocol;

import org.agrona.DirectBuffer;

final class Hex
{
    private Hex()
    {
    }

    static byte[] bytes(final String spaced)
    {
        final String hex = spaced.replaceAll("[\\s|]", "");
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    static String string(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes)
        {
            sb.append(String.format("%02x ", b & 0xFF));
        }
        return sb.toString().trim();
    }
}
