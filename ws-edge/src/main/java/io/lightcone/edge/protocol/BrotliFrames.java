package io.lightcone.edge.protocol;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import com.aayushatharva.brotli4j.encoder.Encoder;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.util.logging.Logger;

/**
 * Brotli compression and decompression of server frame bodies (tag 1), through brotli4j's JNI binding of Google's
 * library; its pom brings the native library of the platform the project is built on.
 * <p>
 * Quality 1 (the fastest), as SpacetimeDB's server compresses: frames are compressed once per send, on the hot path.
 * Where the native library cannot be loaded, {@link #AVAILABLE} is false and frames for Brotli clients go
 * uncompressed (tag 0, which every client accepts); the cause is logged once.
 */
final class BrotliFrames
{
    /** Whether the native encoder loaded on this platform. */
    static final boolean AVAILABLE = load();

    private static final Encoder.Parameters PARAMETERS = new Encoder.Parameters().setQuality(1);

    private BrotliFrames()
    {
    }

    /**
     * Compresses a body.
     *
     * @param input  holding the body.
     * @param offset of the body.
     * @param length of the body.
     * @return the Brotli stream (a fresh array: brotli4j's encoder returns one per call).
     * @throws IOException when the encoder fails.
     */
    static byte[] compress(final byte[] input, final int offset, final int length) throws IOException
    {
        return Encoder.compress(input, offset, length, PARAMETERS);
    }

    /**
     * Decompresses a body (client side: tests, the CLI, the Java SDK).
     *
     * @param buffer holding the Brotli stream.
     * @param offset of the stream.
     * @param length of the stream.
     * @return the body.
     * @throws ProtocolException when the stream is corrupt or truncated, or Brotli is not available here.
     */
    static byte[] decompress(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!AVAILABLE)
        {
            throw new ProtocolException(1, "brotli server frame body, but the native brotli4j decoder is not " +
                "available here: " + Brotli4jLoader.getUnavailabilityCause());
        }
        final byte[] stream = new byte[length];
        buffer.getBytes(offset, stream);
        final DirectDecompress result;
        try
        {
            result = DirectDecompress.decompress(stream);
        }
        catch (final IOException ex)
        {
            throw new ProtocolException(1, "corrupt brotli server frame body: " + ex.getMessage(), ex);
        }
        if (result.getResultStatus() != DecoderJNI.Status.DONE)
        {
            throw new ProtocolException(1, "corrupt or truncated brotli server frame body: decoder status " +
                result.getResultStatus());
        }
        return result.getDecompressedData();
    }

    private static boolean load()
    {
        if (Brotli4jLoader.isAvailable())
        {
            return true;
        }
        Logger.getLogger(BrotliFrames.class.getName()).warning("Brotli frames are sent uncompressed: the native " +
            "brotli4j encoder is not available here (" + Brotli4jLoader.getUnavailabilityCause() + ")");
        return false;
    }
}
