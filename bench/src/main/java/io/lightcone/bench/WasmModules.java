package io.lightcone.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The test modules the wasm benchmarks run: copies of wasm-aot's {@code src/test/resources/modules/*.wasm} (built
 * from the C sources in wasm-aot/src/test/modules) in this module's resources, so the benchmark jar is self
 * contained. Keep them byte-identical to the originals when those are rebuilt. {@code ledger.wasm} is the
 * benchmarks' own (bench/src/main/c, recovery benchmark).
 */
public final class WasmModules
{
    private WasmModules()
    {
    }

    /**
     * @param module the module's name, without {@code .wasm}.
     * @return its bytes.
     */
    public static byte[] bytes(final String module)
    {
        try (InputStream in = WasmModules.class.getResourceAsStream("/modules/" + module + ".wasm"))
        {
            if (null == in)
            {
                throw new IllegalArgumentException("no module " + module + " in the benchmark resources");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Deletes a directory and everything in it; nothing when it does not exist.
     *
     * @param dir the directory, or null.
     */
    public static void deleteTree(final Path dir)
    {
        if (null == dir || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
