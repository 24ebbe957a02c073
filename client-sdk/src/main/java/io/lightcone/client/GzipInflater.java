package io.lightcone.client;

import io.lightcone.edge.protocol.ProtocolException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates gzip frame bodies into a reused buffer with one reused {@link Inflater}: no garbage per frame once the
 * buffers have grown to the largest body seen. The gzip header is parsed here (RFC 1952); the trailer's CRC is not
 * checked (the WebSocket runs over TCP, and the inflater already rejects corrupt deflate data).
 */
final class GzipInflater implements AutoCloseable
{
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final Inflater inflater = new Inflater(true);
    private final UnsafeBuffer output = new UnsafeBuffer(new byte[0]);
    private byte[] input = new byte[4096];
    private byte[] plain = new byte[16384];

    /**
     * Inflates a gzip member.
     *
     * @param buffer holding the gzip bytes.
     * @param offset of the first gzip byte.
     * @param length of the gzip bytes.
     * @return a view of the inflated bytes, valid until the next call.
     */
    DirectBuffer inflate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (input.length < length)
        {
            input = new byte[Math.max(length, input.length * 2)];
        }
        buffer.getBytes(offset, input, 0, length);
        final int start = headerLength(length);
        inflater.reset();
        inflater.setInput(input, start, length - start);
        int size = 0;
        try
        {
            while (!inflater.finished())
            {
                if (size == plain.length)
                {
                    final byte[] bigger = new byte[plain.length * 2];
                    System.arraycopy(plain, 0, bigger, 0, size);
                    plain = bigger;
                }
                final int n = inflater.inflate(plain, size, plain.length - size);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary()))
                {
                    throw new ProtocolException(1, "truncated gzip server frame body");
                }
                size += n;
            }
        }
        catch (final DataFormatException e)
        {
            throw new ProtocolException(1, "corrupt gzip server frame body: " + e.getMessage(), e);
        }
        output.wrap(plain, 0, size);
        return output;
    }

    private int headerLength(final int length)
    {
        if (length < 18 || (input[0] & 0xFF) != 0x1F || (input[1] & 0xFF) != 0x8B || input[2] != 8)
        {
            throw new ProtocolException(1, "gzip server frame body without a gzip header");
        }
        final int flags = input[3] & 0xFF;
        int at = 10;
        if ((flags & FEXTRA) != 0)
        {
            at += 2 + ((input[at] & 0xFF) | (input[at + 1] & 0xFF) << 8);
        }
        if ((flags & FNAME) != 0)
        {
            at = skipZeroTerminated(at, length);
        }
        if ((flags & FCOMMENT) != 0)
        {
            at = skipZeroTerminated(at, length);
        }
        if ((flags & FHCRC) != 0)
        {
            at += 2;
        }
        if (at >= length)
        {
            throw new ProtocolException(1, "gzip header longer than the frame body");
        }
        return at;
    }

    private int skipZeroTerminated(final int from, final int length)
    {
        int at = from;
        while (at < length && input[at] != 0)
        {
            at++;
        }
        return at + 1;
    }

    @Override
    public void close()
    {
        inflater.end();
    }
}
