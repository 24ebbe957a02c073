package io.lightcone.cli.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree over jackson-core for the answers of the HTTP API: objects are {@link LinkedHashMap}s (field
 * order kept), arrays {@link List}s, strings {@link String}s, numbers {@link RawNumber}s (their text, so nothing is
 * rounded), booleans {@link Boolean}s and null {@code null}. Not for hot paths.
 */
public final class Json
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /**
     * A JSON number kept as its text.
     *
     * @param text the number as written.
     */
    public record RawNumber(String text)
    {
        /**
         * @return the number as a long.
         * @throws NumberFormatException when it is not an integer in range.
         */
        public long longValue()
        {
            return Long.parseLong(text);
        }
    }

    private Json()
    {
    }

    /**
     * Parses one JSON value filling the whole text.
     *
     * @param text the JSON.
     * @return the tree.
     * @throws IllegalArgumentException with the parser's message when the text is not one JSON value.
     */
    public static Object parse(final String text)
    {
        try (JsonParser parser = FACTORY.createParser(text))
        {
            if (null == parser.nextToken())
            {
                throw new IllegalArgumentException("empty JSON");
            }
            final Object value = read(parser);
            if (null != parser.nextToken())
            {
                throw new IllegalArgumentException("unexpected text after the JSON value at column " +
                    parser.currentLocation().getColumnNr());
            }
            return value;
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException(ex.getOriginalMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Object read(final JsonParser parser) throws IOException
    {
        final JsonToken token = parser.currentToken();
        switch (token)
        {
            case START_OBJECT:
                final Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT)
                {
                    final String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, read(parser));
                }
                return object;
            case START_ARRAY:
                final List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY)
                {
                    array.add(read(parser));
                }
                return array;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new RawNumber(parser.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected JSON token " + token);
        }
    }

    /**
     * Writes a tree as compact JSON.
     *
     * @param value a tree as {@link #parse} makes them.
     * @return the JSON text.
     */
    public static String write(final Object value)
    {
        final StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out))
        {
            write(generator, value);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void write(final JsonGenerator generator, final Object value) throws IOException
    {
        if (null == value)
        {
            generator.writeNull();
        }
        else if (value instanceof Map<?, ?> map)
        {
            generator.writeStartObject();
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        }
        else if (value instanceof List<?> list)
        {
            generator.writeStartArray();
            for (final Object element : list)
            {
                write(generator, element);
            }
            generator.writeEndArray();
        }
        else if (value instanceof RawNumber number)
        {
            generator.writeNumber(number.text());
        }
        else if (value instanceof Boolean bool)
        {
            generator.writeBoolean(bool);
        }
        else
        {
            generator.writeString(value.toString());
        }
    }

    /**
     * @param value a tree node.
     * @param name  a field name.
     * @return the field of an object, or null when the node is not an object or has no such field.
     */
    public static Object field(final Object value, final String name)
    {
        return value instanceof Map<?, ?> map ? map.get(name) : null;
    }

    /**
     * @param value a tree node.
     * @param name  a field name.
     * @return the field as a list, empty when missing or not a list.
     */
    public static List<?> list(final Object value, final String name)
    {
        return field(value, name) instanceof List<?> list ? list : List.of();
    }

    /**
     * @param value a tree node.
     * @param name  a field name.
     * @return the field as a string, or null.
     */
    public static String string(final Object value, final String name)
    {
        return field(value, name) instanceof String text ? text : null;
    }

    /**
     * A sum value in typed SATS-JSON is an object with one field, its variant's name.
     *
     * @param value a tree node.
     * @return the only field name of an object, or null.
     */
    public static String variant(final Object value)
    {
        return value instanceof Map<?, ?> map && map.size() == 1 ? String.valueOf(map.keySet().iterator().next()) :
            null;
    }

    /**
     * @param value a typed SATS-JSON {@code Option<T>}: {@code {"some": v}} or {@code {"none": []}}.
     * @return v, or null for none.
     */
    public static Object option(final Object value)
    {
        return field(value, "some");
    }
}
