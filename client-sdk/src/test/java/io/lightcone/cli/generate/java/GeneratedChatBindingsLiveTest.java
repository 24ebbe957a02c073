package io.lightcone.cli.generate.java;

import io.lightcone.cli.InProcessLightcone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The generated chat bindings through the SDK against a live Lightcone in-process: the bindings of
 * {@code examples/chat/chat.wasm} are generated into package {@code chat} and compiled together with
 * {@code codegen/ChatBindingsUsage.java} (a test resource written against them, typed end to end), which then runs:
 * typed reducer calls (set_name, send_message, delete_message, a failing one with its message), typed rows in the
 * typed caches (find by primary key, rows, Identity and Timestamp columns) and typed insert / update / delete
 * listeners firing, for two clients.
 */
@Timeout(300)
final class GeneratedChatBindingsLiveTest
{
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void shouldChatThroughGeneratedBindings() throws Exception
    {
        JavaBindings.generate(JavaBindings.CHAT, "chat", dir.resolve("src"));
        final Path usage = dir.resolve("src/chatusage/ChatBindingsUsage.java");
        Files.createDirectories(usage.getParent());
        try (InputStream in =
            GeneratedChatBindingsLiveTest.class.getResourceAsStream("/codegen/ChatBindingsUsage.java"))
        {
            assertNotNull(in, "codegen/ChatBindingsUsage.java on the test classpath");
            Files.write(usage, in.readAllBytes());
        }
        assertEquals(List.of(), JavaBindings.compile(dir.resolve("src"), dir.resolve("classes")));

        try (InProcessLightcone server =
            InProcessLightcone.start(dir.resolve("data"), Map.of("chat", JavaBindings.CHAT));
            URLClassLoader loader = JavaBindings.loader(dir.resolve("classes")))
        {
            final Consumer<String> run = (Consumer<String>)loader.loadClass("chatusage.ChatBindingsUsage")
                .getConstructor().newInstance();
            run.accept(server.httpUrl());
        }
    }
}
