package io.lightcone.cli.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Formats a {@code java.util.logging} record as one JSON line:
 * {@code {"ts":"2025-01-01T12:00:00.123Z","level":"INFO","logger":"io.lightcone...","thread":"main","msg":"..."}},
 * plus {@code "error"} (the stack trace) when the record has a throwable. Parameters ({@code {0}}) are filled in.
 */
public final class JsonLogFormatter extends Formatter
{
    /**
     * {@inheritDoc}
     */
    public String format(final LogRecord record)
    {
        final StringBuilder json = new StringBuilder(160);
        json.append("{\"ts\":\"").append(Instant.ofEpochMilli(record.getMillis())).append('"');
        field(json, "level", record.getLevel().getName());
        field(json, "logger", null == record.getLoggerName() ? "" : record.getLoggerName());
        field(json, "thread", Thread.currentThread().getName());
        field(json, "msg", formatMessage(record));
        if (null != record.getThrown())
        {
            final StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            field(json, "error", trace.toString());
        }
        return json.append("}\n").toString();
    }

    /**
     * Appends {@code ,"name":"value"} with the value escaped for JSON.
     *
     * @param json  where.
     * @param name  the field name (not escaped).
     * @param value the value.
     */
    static void field(final StringBuilder json, final String name, final String value)
    {
        json.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        json.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }
}
