package io.lightcone.cli;

import io.lightcone.cli.client.ExitCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lightcone generate --database NAME} against a running {@link LightconeServer}: the bindings are byte for
 * byte those {@code --module FILE.wasm} writes; an unknown database or an unreachable server is a clear message and
 * a non-zero exit code, with nothing written.
 */
@Timeout(300)
final class GenerateFromDatabaseTest
{
    @TempDir
    static Path tempDir;

    private static LightconeServer server;
    private static String url;
    private static Path config;
    private static Path quickstart;
    private static Path chat;

    @BeforeAll
    static void startServer()
    {
        quickstart = NodeProcess.repositoryRoot().resolve("cli/src/test/resources/modules/quickstart.wasm");
        chat = NodeProcess.repositoryRoot().resolve("examples/chat/chat.wasm");
        final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        server = LightconeServer.start(new LightconeServer.Settings(tempDir.resolve("data"), "127.0.0.1:0", true,
            Map.of("quickstart", quickstart, "chat", chat)), log);
        url = "http://127.0.0.1:" + server.port();
        config = tempDir.resolve("cli.properties");
    }

    @AfterAll
    static void stopServer()
    {
        server.close();
    }

    /** What one run of {@code lightcone generate} printed and returned. */
    private record Run(int exit, String printed)
    {
    }

    private static Run generate(final String... args)
    {
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try
        {
            final List<String> all = new ArrayList<>(List.of("generate"));
            all.addAll(List.of(args));
            return new Run(Lightcone.commandLine().execute(all.toArray(String[]::new)),
                captured.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private static Map<String, String> files(final Path dir) throws IOException
    {
        final Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)walk::iterator)
            {
                if (Files.isRegularFile(path))
                {
                    files.put(dir.relativize(path).toString(), Files.readString(path));
                }
            }
        }
        return files;
    }

    private static void assertSameBindings(final String database, final Path wasm, final String lang)
        throws IOException
    {
        final Path fromModule = tempDir.resolve(database + "-" + lang + "-module");
        final Path fromDatabase = tempDir.resolve(database + "-" + lang + "-database");
        final Run module = generate("--lang", lang, "--module", wasm.toString(), "--out", fromModule.toString());
        assertEquals(0, module.exit(), module.printed());
        final Run db = generate("--lang", lang, "--database", database, "--server", url, "--config",
            config.toString(), "--out", fromDatabase.toString());
        assertEquals(0, db.exit(), db.printed());
        final Map<String, String> expected = files(fromModule);
        assertFalse(expected.isEmpty());
        assertEquals(expected, files(fromDatabase), database + " " + lang);
    }

    /** Invariant: a database's bindings are exactly its module file's. */
    @Test
    void shouldGenerateFromTheDatabaseWhatTheModuleFileGenerates() throws Exception
    {
        assertSameBindings("quickstart", quickstart, "typescript");
        assertSameBindings("chat", chat, "typescript");
        assertSameBindings("chat", chat, "java");
    }

    /** An unknown database or a server that is not there: a message, an exit code, and nothing written. */
    @Test
    void shouldRefuseAnUnknownDatabaseAndAnUnreachableServer()
    {
        final Path out = tempDir.resolve("refused");
        final Run unknown = generate("--lang", "typescript", "--database", "nope", "--server", url, "--config",
            config.toString(), "--out", out.toString());
        assertEquals(ExitCodes.NOT_FOUND, unknown.exit(), unknown.printed());
        assertTrue(unknown.printed().contains("lightcone generate: schema of nope"), unknown.printed());

        final Run down = generate("--lang", "java", "--database", "chat", "--server", "http://127.0.0.1:1",
            "--config", tempDir.resolve("down.properties").toString(), "--out", out.toString());
        assertEquals(ExitCodes.UNREACHABLE, down.exit(), down.printed());
        assertTrue(down.printed().contains("cannot reach a Lightcone server at http://127.0.0.1:1"), down.printed());
        assertFalse(Files.exists(out), "nothing may be written after a refusal");
    }
}
