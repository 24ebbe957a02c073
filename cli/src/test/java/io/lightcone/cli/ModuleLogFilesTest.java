package io.lightcone.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lightcone.cli.ops.ModuleLogFiles;
import io.lightcone.edge.protocol.ServerMessage.InitialConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Module logs reach {@code <dataDir>/db/<id>/logs/module.log} as JSON lines, in order and each once, and rotation
 * keeps the configured number of files.
 */
@Timeout(180)
final class ModuleLogFilesTest
{
    @TempDir
    Path dataDir;

    @Test
    void moduleLogsShouldBeWrittenAsJsonLinesInOrderAndEachOnce() throws Exception
    {
        final int calls = 60;
        final Path logs = run(dataDir.resolve("whole"), calls);
        final List<String> messages = read(logs.resolve("module.log")).stream().map((line) -> line.get("msg")).toList();
        final List<String> expected = new ArrayList<>();
        expected.add("quickstart: init");
        for (int i = 0; i < calls; i++)
        {
            expected.add("Hello, Ada!");
            expected.add("Hello, World!");
        }
        assertEquals(expected, messages.stream().filter((msg) -> !msg.startsWith("client ")).toList());
        assertTrue(messages.get(messages.size() - 1).startsWith("client disconnected: "),
            "written up to the last record before the server stopped");
        assertFalse(Files.exists(logs.resolve("module.log.1")), "no rotation below 10 MiB");
    }

    @Test
    void rotationShouldKeepTheConfiguredNumberOfFiles() throws Exception
    {
        System.setProperty(ModuleLogFiles.MAX_BYTES_PROP_NAME, "1024");
        System.setProperty(ModuleLogFiles.FILES_PROP_NAME, "2");
        final Path logs;
        try
        {
            logs = run(dataDir.resolve("rotated"), 80);
        }
        finally
        {
            System.clearProperty(ModuleLogFiles.MAX_BYTES_PROP_NAME);
            System.clearProperty(ModuleLogFiles.FILES_PROP_NAME);
        }
        assertTrue(Files.exists(logs.resolve("module.log.1")));
        assertTrue(Files.exists(logs.resolve("module.log.2")));
        assertFalse(Files.exists(logs.resolve("module.log.3")));
        final List<Map<String, String>> kept = new ArrayList<>(read(logs.resolve("module.log.2")));
        kept.addAll(read(logs.resolve("module.log.1")));
        kept.addAll(read(logs.resolve("module.log")));
        assertTrue(kept.get(kept.size() - 1).get("msg").startsWith("client disconnected: "),
            "the newest records are kept");
        assertTrue(kept.stream().noneMatch((line) -> "quickstart: init".equals(line.get("msg"))),
            "the oldest were rotated away");
    }

    private static Path run(final Path dataDir, final int calls) throws Exception
    {
        final Path module = Path.of(ModuleLogFilesTest.class.getResource("/modules/quickstart.wasm").toURI());
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (LightconeServer server = LightconeServer.start(new LightconeServer.Settings(dataDir, "127.0.0.1:0", true,
            Map.of("qs", module)), new PrintStream(output, true, StandardCharsets.UTF_8)))
        {
            final long id = server.core().onLoop((agent) -> agent.registry().byName("qs").id(), 5_000);
            final WsClient client = WsClient.connect(server.url(), "qs");
            client.next(InitialConnection.class);
            final byte[] name = "Ada".getBytes(StandardCharsets.UTF_8);
            GracefulShutdownTest.call(client, 1, "add",
                ByteBuffer.allocate(4 + name.length).order(ByteOrder.LITTLE_ENDIAN).putInt(name.length).put(name));
            for (int i = 0; i < calls; i++)
            {
                GracefulShutdownTest.call(client, 2 + i, "say_hello", ByteBuffer.allocate(0));
            }
            client.close();
            return dataDir.resolve("db").resolve(Long.toString(id)).resolve("logs");
        }
    }

    private static List<Map<String, String>> read(final Path file) throws IOException
    {
        final List<Map<String, String>> lines = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            final Map<String, String> fields = new HashMap<>();
            try (JsonParser parser = new JsonFactory().createParser(line))
            {
                assertEquals(JsonToken.START_OBJECT, parser.nextToken(), line);
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String field = parser.currentName();
                    parser.nextToken();
                    fields.put(field, parser.getText());
                }
            }
            lines.add(fields);
        }
        return lines;
    }
}
