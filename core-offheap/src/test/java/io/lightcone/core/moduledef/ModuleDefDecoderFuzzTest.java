package io.lightcone.core.moduledef;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Truncated and corrupted definitions give a {@link ModuleDefException} or a valid definition, never another
 * exception.
 */
class ModuleDefDecoderFuzzTest
{
    private static void decodeOrRefuse(final byte[] bytes, final String what)
    {
        try
        {
            ModuleDefDecoder.decode(bytes);
        }
        catch (final ModuleDefException e)
        {
            assertFalse(null == e.getMessage() || e.getMessage().isEmpty(), what);
        }
        catch (final RuntimeException | Error e)
        {
            fail(what + ": " + e, e);
        }
    }

    @Test
    void shouldRefuseEveryTruncation() throws Exception
    {
        for (final String name : new String[] {"everything", "v9", "keynote", "quickstart"})
        {
            final byte[] full = ModuleDefDecoderModulesTest.captured(name);
            for (int length = 0; length < full.length; length++)
            {
                final byte[] cut = java.util.Arrays.copyOf(full, length);
                try
                {
                    ModuleDefDecoder.decode(cut);
                    fail(name + " truncated to " + length + " bytes was accepted");
                }
                catch (final ModuleDefException e)
                {
                    assertFalse(e.getMessage().isEmpty());
                }
            }
        }
    }

    @Test
    void shouldSurviveByteFlips() throws Exception
    {
        final Random random = new Random(42);
        for (final String name : new String[] {"everything", "v9", "keynote", "quickstart"})
        {
            final byte[] full = ModuleDefDecoderModulesTest.captured(name);
            for (int i = 0; i < full.length; i++)
            {
                for (final int value : new int[] {0x00, 0xff, full[i] ^ 0x01, full[i] + 1, random.nextInt(256)})
                {
                    final byte[] flipped = full.clone();
                    flipped[i] = (byte)value;
                    decodeOrRefuse(flipped, name + " byte " + i + " := " + value);
                }
            }
        }
    }

    @Test
    void shouldSurviveRandomBytes()
    {
        final Random random = new Random(7);
        for (int i = 0; i < 5000; i++)
        {
            final byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (bytes.length > 0)
            {
                bytes[0] = (byte)(1 + random.nextInt(2));
            }
            decodeOrRefuse(bytes, "random #" + i);
        }
    }
}
