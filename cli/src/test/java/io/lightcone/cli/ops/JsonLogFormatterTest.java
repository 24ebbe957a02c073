package io.lightcone.cli.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: every record is one line of valid JSON whose fields give back the record's time, level, logger and
 * message exactly, whatever characters the message holds.
 */
final class JsonLogFormatterTest
{
    @Test
    void shouldWriteOneLineOfJsonThatGivesTheRecordBack() throws IOException
    {
        final String message = "quote \" backslash \\ newline \n tab \t control \u0001 unicode é \uD83D\uDE00 {0}";
        final LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName("io.lightcone.test");
        record.setParameters(new Object[]{ "param" });
        record.setInstant(Instant.parse("2025-03-04T05:06:07.891Z"));
        record.setThrown(new IllegalStateException("boom"));
        final String line = new JsonLogFormatter().format(record);

        assertTrue(line.endsWith("}\n"));
        assertEquals(line.length() - 1, line.indexOf('\n'), "one line");
        final Map<String, String> fields = parse(line);
        assertEquals("2025-03-04T05:06:07.891Z", fields.get("ts"));
        assertEquals("WARNING", fields.get("level"));
        assertEquals("io.lightcone.test", fields.get("logger"));
        assertEquals(message.replace("{0}", "param"), fields.get("msg"));
        assertTrue(fields.get("error").startsWith("java.lang.IllegalStateException: boom"), fields.get("error"));
    }

    @Test
    void textAndJsonHandlersShouldWriteEveryRecordToAFile() throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ServerLogging.FlushingHandler handler =
            new ServerLogging.FlushingHandler(bytes, new JsonLogFormatter());
        handler.publish(new LogRecord(Level.INFO, "first"));
        handler.close();
        handler.publish(new LogRecord(Level.INFO, "after the JDK closed the handlers"));
        final String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertEquals("after the JDK closed the handlers", parse(lines[1] + "\n").get("msg"));
    }

    static Map<String, String> parse(final String line) throws IOException
    {
        final Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(line))
        {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                assertEquals(JsonToken.VALUE_STRING, parser.nextToken(), name);
                fields.put(name, parser.getText());
            }
            assertEquals(null, parser.nextToken(), "nothing after the object");
        }
        return fields;
    }
}
