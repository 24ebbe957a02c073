package io.lightcone.cli.generate;

import io.lightcone.cli.NodeProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Invariant: the committed bindings of the chat example ({@code examples/chat/client/bindings/}, which the npm SDK
 * check runs with) are exactly what {@code lightcone generate} writes for {@code examples/chat/chat.wasm} now, so
 * they cannot go stale. Regenerate them with
 * {@code ./lightcone generate --lang typescript --module examples/chat/chat.wasm
 * --out examples/chat/client/bindings --import-extension js} (or {@code npm run bindings} in the client).
 */
final class ChatBindingsTest
{
    @Test
    void shouldHaveCommittedExactlyWhatTheGeneratorWritesForTheChatModule() throws IOException
    {
        final Path root = NodeProcess.repositoryRoot();
        final SortedMap<String, String> expected =
            new TypeScriptGenerator(ModuleDefs.fromWasm(root.resolve("examples/chat/chat.wasm")), ".js").generate();
        final Path bindings = root.resolve("examples/chat/client/bindings");
        final SortedMap<String, String> committed = new TreeMap<>();
        try (Stream<Path> files = Files.walk(bindings))
        {
            for (final Path file : (Iterable<Path>)files.filter(Files::isRegularFile)::iterator)
            {
                committed.put(bindings.relativize(file).toString().replace('\\', '/'),
                    Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertEquals(expected.keySet(), committed.keySet(), "files in " + bindings + "; regenerate them (see " +
            "ChatBindingsTest)");
        for (final String file : expected.keySet())
        {
            assertEquals(expected.get(file), committed.get(file), file + " is stale; regenerate the chat bindings: " +
                "./lightcone generate --lang typescript --module examples/chat/chat.wasm " +
                "--out examples/chat/client/bindings --import-extension js");
        }
    }
}
