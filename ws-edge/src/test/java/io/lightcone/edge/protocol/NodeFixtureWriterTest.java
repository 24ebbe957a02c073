package io.lightcone.edge.protocol;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes seeded random server messages (hex, one per line, with the expected variant name) to
 * {@code target/protocol-fixtures/server-messages.txt} for {@code src/test/node/check-server-messages.mjs}, which
 * decodes them with the deserializers of npm {@code spacetimedb@2.10.1} (optional, run by hand).
 */
class NodeFixtureWriterTest
{
    private static final String[] NAMES =
    {
        "InitialConnection", "SubscribeApplied", "UnsubscribeApplied", "SubscriptionError", "TransactionUpdate",
        "OneOffQueryResult", "ReducerResult", "ProcedureResult"
    };

    @Test
    void writeFixtures() throws IOException
    {
        final Random random = new Random(0x5eed_3001L);
        final StringBuilder sb = new StringBuilder();
        final ServerMessageEncoder enc = new ServerMessageEncoder();
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        for (int i = 0; i < 500; i++)
        {
            enc.wrap(out, 0);
            ServerModel.encode(ServerModel.random(random), enc);
            final byte[] bytes = Hex.copy(out, 0, enc.position());
            sb.append(NAMES[bytes[0]]).append(' ').append(Hex.string(bytes).replace(" ", "")).append('\n');
        }
        final Path dir = Path.of("target", "protocol-fixtures");
        Files.createDirectories(dir);
        final Path file = dir.resolve("server-messages.txt");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        assertTrue(Files.size(file) > 0);
    }
}
