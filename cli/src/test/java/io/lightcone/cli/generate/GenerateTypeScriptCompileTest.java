package io.lightcone.cli.generate;

import io.lightcone.cli.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: the TypeScript bindings of every module with a valid definition (every test module of wasm-aot and the
 * chat example) compile with {@code tsc --strict} against the npm {@code spacetimedb@2.10.1} SDK, and the chat
 * bindings type rows and reducers precisely (cli/src/test/node/codegen/usage/chat-usage.ts). Modules whose
 * definition is refused are refused with a message, not written.
 * <p>
 * Needs node and {@code npm ci} in {@code cli/src/test/node/codegen} ({@code ./test.sh} does both).
 */
@Timeout(600)
final class GenerateTypeScriptCompileTest
{
    private static final long TSC_TIMEOUT_MS = 480_000;
    /** The test modules that are broken on purpose (bad definitions, bad imports, missing exports). */
    private static final Set<String> REFUSED = Set.of("baddef_empty", "baddef_garbage", "baddef_truncated",
        "badimport_major", "badimport_minor", "badimport_name", "noexports");

    @TempDir
    Path out;

    @Test
    void shouldCompileTheBindingsOfEveryValidModuleWithStrictTsc() throws Exception
    {
        final Path root = NodeProcess.repositoryRoot();
        final Path project = root.resolve("cli/src/test/node/codegen");
        NodeProcess.requireNodeModules(project, "spacetimedb", "typescript");

        final TreeMap<String, Path> modules = new TreeMap<>();
        try (Stream<Path> files = Files.list(root.resolve("wasm-aot/src/test/resources/modules")))
        {
            files.filter((p) -> p.toString().endsWith(".wasm"))
                .forEach((p) -> modules.put(p.getFileName().toString().replace(".wasm", ""), p));
        }
        modules.put("chat", root.resolve("examples/chat/chat.wasm"));
        final List<String> generated = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        for (final var module : modules.entrySet())
        {
            try
            {
                GenerateCommand.write(out.resolve(module.getKey()),
                    new TypeScriptGenerator(ModuleDefs.fromWasm(module.getValue()), "").generate());
                generated.add(module.getKey());
            }
            catch (final GenerateException ex)
            {
                assertTrue(ex.getMessage().contains(module.getValue().toString()), ex.getMessage());
                refused.add(module.getKey());
            }
        }
        assertEquals(REFUSED, Set.copyOf(refused), "refused: " + refused);
        assertTrue(generated.containsAll(List.of("big", "chat", "everything", "keynote", "quickstart", "v9")),
            generated::toString);

        Files.copy(project.resolve("usage/chat-usage.ts"), out.resolve("chat-usage.ts"));
        Files.createSymbolicLink(out.resolve("node_modules"), project.resolve("node_modules"));
        Files.writeString(out.resolve("tsconfig.json"), tsconfig());
        final NodeProcess.Result tsc = NodeProcess.run(project, TSC_TIMEOUT_MS,
            "node_modules/typescript/bin/tsc", "-p", out.resolve("tsconfig.json").toString());
        assertEquals(0, tsc.exitCode(), () -> "tsc --strict failed on the bindings of " + generated + ":\n" +
            tsc.output());
        assertTrue(countTs(out) > generated.size() * 5, "fewer files than expected under " + out);
    }

    private static String tsconfig()
    {
        return """
            {
              "compilerOptions": {
                "strict": true,
                "noEmit": true,
                "target": "es2022",
                "module": "esnext",
                "moduleResolution": "bundler",
                "skipLibCheck": true,
                "lib": ["es2022", "dom"]
              },
              "include": ["**/*.ts"],
              "exclude": ["node_modules"]
            }
            """;
    }

    private static long countTs(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.filter((p) -> p.toString().endsWith(".ts") && !p.toString().contains("node_modules"))
                .count();
        }
    }
}
