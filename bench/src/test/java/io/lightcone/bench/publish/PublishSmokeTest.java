package io.lightcone.bench.publish;

import io.lightcone.cli.KeynoteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publish benchmark end to end once, against servers in this JVM, so it keeps working: the 935 KB module is
 * published cold (the harness checks the compile cache was empty and then holds it), cached, and cached after a
 * restart, and each database serves its first call. No time is asserted.
 */
@Timeout(300)
final class PublishSmokeTest
{
    private static final Path KEYNOTE = Path.of("src/main/resources/modules/keynote.wasm");
    private static final Path BIG = Path.of("src/main/resources/modules/big.wasm");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void shouldPublishColdCachedAndAfterARestart()
    {
        final PublishMain bench = new PublishMain((dataDir) ->
        {
            final KeynoteServer server = new KeynoteServer(dataDir, KEYNOTE);
            return new PublishMain.Server()
            {
                public String url()
                {
                    return server.url();
                }

                public void close()
                {
                    server.close();
                }
            };
        });
        final Map<String, Object> json = bench.run(dir, List.of(BIG), 1);
        final List<Object> modules = (List<Object>)json.get("modules");
        assertEquals(1, modules.size());
        final Map<String, Object> big = (Map<String, Object>)modules.get(0);
        assertEquals("big.wasm", big.get("module"));
        assertTrue((Integer)big.get("module_bytes") > 900_000, big.toString());
        final Map<String, Object> median = (Map<String, Object>)big.get("median");
        assertEquals(8, median.size(), median.toString());
        median.forEach((measure, value) -> assertTrue((Double)value > 0, measure + " = " + value));
        assertEquals(1, ((List<Object>)big.get("runs")).size());
    }

    @Test
    void medianShouldBeTheMiddleValue()
    {
        assertEquals(2.0, PublishMain.median(new double[]{ 3, 1, 2 }));
        assertEquals(2.5, PublishMain.median(new double[]{ 4, 1, 3, 2 }));
    }
}
