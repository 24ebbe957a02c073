package io.lightcone.bench.plot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON file into maps (insertion-ordered), lists, strings, numbers (long or double), booleans and nulls, and
 * reads values back out of them by path.
 */
final class JsonTree
{
    private static final JsonFactory FACTORY = new JsonFactory();

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
        try (JsonParser parser = FACTORY.createParser(file.toFile()))
        {
            parser.nextToken();
            return value(parser);
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
        return at(root, path) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /**
     * @param root a value read by {@link #read}.
     * @param path keys or indexes.
     * @return the value at that path as a string, or "" when missing.
     */
    static String text(final Object root, final Object... path)
    {
        final Object value = at(root, path);
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

    private static Object value(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        if (null == token)
        {
            throw new IOException("empty JSON");
        }
        switch (token)
        {
            case START_OBJECT:
                final Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, value(parser));
                }
                return map;
            case START_ARRAY:
                final List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(value(parser));
                }
                return list;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + token + " at " + parser.currentLocation());
        }
    }
}
