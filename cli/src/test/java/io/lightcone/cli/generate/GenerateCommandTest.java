package io.lightcone.cli.generate;

import io.lightcone.cli.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lightcone generate} on the command line: it writes the bindings, replaces only files it generated, and
 * refuses what it cannot do with a message and an exit code.
 */
final class GenerateCommandTest
{
    @TempDir
    Path dir;

    private final StringBuilder err = new StringBuilder();

    private int run(final String... args)
    {
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try
        {
            return new CommandLine(new GenerateCommand()).execute(args);
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
            err.append(captured.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldWriteTheChatBindingsAndRemoveOnlyStaleGeneratedFiles() throws Exception
    {
        final Path chat = NodeProcess.repositoryRoot().resolve("examples/chat/chat.wasm");
        final Path out = dir.resolve("bindings");
        Files.createDirectories(out);
        final Path stale = out.resolve("kick_reducer.ts");
        Files.writeString(stale, TypeScriptGenerator.GENERATED_MARK + " (an older run)\nexport default {};\n");
        final Path mine = out.resolve("helpers.ts");
        Files.writeString(mine, "export const mine = 1;\n");

        assertEquals(0, run("--lang", "typescript", "--module", chat.toString(), "--out", out.toString()),
            err::toString);
        assertTrue(err.toString().contains("wrote 9 files to " + out + " (removed 1 stale generated file)"),
            err::toString);
        assertFalse(Files.exists(stale));
        assertEquals("export const mine = 1;\n", Files.readString(mine));
        assertTrue(Files.readString(out.resolve("index.ts")).contains("import UserRow from \"./user_table\";"));
        assertTrue(Files.isRegularFile(out.resolve("types/reducers.ts")));
    }

    @Test
    void shouldWriteTheChatJavaBindingsIntoTheirPackageAndRemoveOnlyStaleOnesThere() throws Exception
    {
        final Path chat = NodeProcess.repositoryRoot().resolve("examples/chat/chat.wasm");
        final Path out = dir.resolve("src");
        Files.createDirectories(out.resolve("chat"));
        Files.createDirectories(out.resolve("other"));
        final Path stale = out.resolve("chat/KickReducer.java");
        Files.writeString(stale, TypeScriptGenerator.GENERATED_MARK + " (an older run)\npackage chat;\n");
        final Path mine = out.resolve("chat/Mine.java");
        Files.writeString(mine, "package chat;\nfinal class Mine {}\n");
        final Path otherModule = out.resolve("other/OtherModule.java");
        Files.writeString(otherModule, TypeScriptGenerator.GENERATED_MARK + " (another module)\npackage other;\n");

        assertEquals(0, run("--lang", "java", "--module", chat.toString(), "--out", out.toString()), err::toString);
        assertTrue(err.toString().contains("wrote 8 files to " + out + " (removed 1 stale generated file)"),
            err::toString);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(mine), "a file we did not generate stays");
        assertTrue(Files.exists(otherModule), "another package's bindings stay");
        assertTrue(Files.readString(out.resolve("chat/ChatModule.java")).contains("\npackage chat;\n"));
        assertTrue(Files.readString(out.resolve("chat/ChatReducers.java"))
            .contains("public CompletableFuture<ReducerOutcome> sendMessage(final String text)"));

        assertEquals(0, run("--lang", "java", "--module", chat.toString(), "--out", out.toString(), "--package",
            "com.example.chat"), err::toString);
        assertTrue(Files.readString(out.resolve("com/example/chat/User.java"))
            .contains("public record User(Identity identity, Optional<String> name, boolean online)"));
    }

    @Test
    void shouldRefuseBadArguments()
    {
        final String chat = NodeProcess.repositoryRoot().resolve("examples/chat/chat.wasm").toString();
        final String out = dir.resolve("x").toString();
        assertEquals(2, run("--lang", "cobol", "--module", chat, "--out", out));
        assertTrue(err.toString().contains("unknown --lang cobol"), err::toString);
        assertEquals(2, run("--lang", "ts", "--module", chat, "--database", "chat", "--out", out));
        assertEquals(2, run("--lang", "ts", "--module", chat, "--out", out, "--import-extension", "mjs"));
        assertEquals(2, run("--lang", "ts", "--module", chat, "--out", out, "--package", "chat"));
        assertTrue(err.toString().contains("--package applies to --lang java"), err::toString);
        assertEquals(2, run("--lang", "java", "--module", chat, "--out", out, "--package", "com.int.chat"));
        assertTrue(err.toString().contains("--package com.int.chat is not a Java package name"), err::toString);
        assertEquals(2, run("--lang", "java", "--module", chat, "--out", out, "--import-extension", "js"));
        assertFalse(Files.exists(dir.resolve("x")), "nothing may be written after a refusal");
    }

    @Test
    void shouldExitFiveSayingWhyWhenTheModuleIsRefused() throws Exception
    {
        final Path garbage = dir.resolve("garbage.wasm");
        Files.write(garbage, new byte[] {0, 'a', 's', 'm', 9, 9, 9, 9});
        assertEquals(GenerateCommand.EXIT_MODULE,
            run("--lang", "typescript", "--module", garbage.toString(), "--out", dir.resolve("x").toString()));
        assertTrue(err.toString().contains("lightcone generate: module " + garbage + " was refused: "),
            err::toString);
        assertEquals(GenerateCommand.EXIT_MODULE, run("--lang", "typescript", "--module",
            dir.resolve("missing.wasm").toString(), "--out", dir.resolve("x").toString()));
        assertTrue(err.toString().contains("cannot read module"), err::toString);
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void shouldWriteNestedFilesAndLeaveNonGeneratedOrBinaryFilesAlone() throws Exception
    {
        final Path out = dir.resolve("o");
        Files.createDirectories(out.resolve("types"));
        Files.write(out.resolve("types/blob.ts"), new byte[] {(byte)0xff, (byte)0xfe, 0});
        assertEquals(0, GenerateCommand.write(out, Map.of("a.ts", "x\n", "types/b.ts", "y\n")));
        assertEquals("y\n", Files.readString(out.resolve("types/b.ts")));
        assertTrue(Files.exists(out.resolve("types/blob.ts")));
    }
}
