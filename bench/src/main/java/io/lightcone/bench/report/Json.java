package io.lightcone.bench.report;

import java.util.Collection;
import java.util.Map;

/**
 * Renders maps, collections, arrays of long, strings, numbers and booleans as JSON (the results files; nothing is
 * parsed back).
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * @param value what to render.
     * @return JSON text.
     */
    public static String render(final Object value)
    {
        final StringBuilder out = new StringBuilder();
        render(value, out, "");
        return out.append('\n').toString();
    }

    private static void render(final Object value, final StringBuilder out, final String indent)
    {
        if (value instanceof Map<?, ?> map)
        {
            out.append('{');
            String separator = "\n";
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                out.append(separator).append(indent).append("  ");
                string(String.valueOf(entry.getKey()), out);
                out.append(": ");
                render(entry.getValue(), out, indent + "  ");
                separator = ",\n";
            }
            out.append(map.isEmpty() ? "" : "\n" + indent).append('}');
        }
        else if (value instanceof Collection<?> list)
        {
            out.append('[');
            String separator = "\n";
            for (final Object item : list)
            {
                out.append(separator).append(indent).append("  ");
                render(item, out, indent + "  ");
                separator = ",\n";
            }
            out.append(list.isEmpty() ? "" : "\n" + indent).append(']');
        }
        else if (value instanceof long[] array)
        {
            out.append('[');
            for (int i = 0; i < array.length; i++)
            {
                out.append(i == 0 ? "" : ", ").append(array[i]);
            }
            out.append(']');
        }
        else if (value instanceof Double d)
        {
            out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else if (null == value)
        {
            out.append("null");
        }
        else
        {
            string(value.toString(), out);
        }
    }

    private static void string(final String s, final StringBuilder out)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        out.append('"');
    }
}
