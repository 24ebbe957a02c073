package io.lightcone.bench.plot;

import io.lightcone.cli.client.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON file into the CLI's JSON tree ({@link Json}: insertion-ordered maps, lists, strings, numbers kept as
 * their text, booleans and nulls) and reads values back out of it by path.
 */
final class JsonTree
{
    private JsonTree()
    {
    }

    /**
     * @param file a JSON file.
     * @return its value.
     * @throws IOException if it cannot be read or is not JSON.
     */
    static Object read(final Path file) throws IOException
    {
        try
        {
            return Json.parse(Files.readString(file));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + " is not JSON: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param root a value read by {@link #read}.
     * @param path keys (for maps) or indexes (for lists).
     * @return the value at that path, or null when some step is missing.
     */
    static Object at(final Object root, final Object... path)
    {
        Object value = root;
        for (final Object step : path)
        {
            if (value instanceof Map<?, ?> map)
            {
                value = map.get(step);
            }
            else if (value instanceof List<?> list && step instanceof Integer index && index < list.size())
            {
                value = list.get(index);
            }
            else
            {
                return null;
            }
        }
        return value;
    }

    /**
     * @param root a value read by {@link #read}.
     * @param path keys or indexes.
     * @return the number at that path as a double, or NaN.
     */
    static double number(final Object root, final Object... path)
    {
        final Object value = at(root, path);
        if (value instanceof Json.RawNumber n)
        {
            return Double.parseDouble(n.text());
        }
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /**
     * @param root a value read by {@link #read}.
     * @param path keys or indexes.
     * @return the value at that path as a string, or "" when missing.
     */
    static String text(final Object root, final Object... path)
    {
        final Object value = at(root, path);
        if (value instanceof Json.RawNumber n)
        {
            return n.text();
        }
        return null == value ? "" : value.toString();
    }

    /**
     * @param root a value read by {@link #read}.
     * @param path keys or indexes.
     * @return the list at that path, or an empty list.
     */
    static List<?> list(final Object root, final Object... path)
    {
        return at(root, path) instanceof List<?> list ? list : List.of();
    }
}
