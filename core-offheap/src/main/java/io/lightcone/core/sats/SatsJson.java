package io.lightcone.core.sats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * SATS-JSON for the HTTP API (reference/spacetimedb-contracts.md §1.5), over the on-heap value model of
 * {@link ProductValue}.
 * <p>
 * Writing, typed ({@link #write}): a product is an object {@code {name: value}} (an unnamed field is named by its
 * index, {@code "0"}, {@code "1"}, ...; unit is {@code {}}); a sum is {@code {"variant": value}}, or
 * {@code [tag, value]} when the variant is unnamed. Untyped ({@link #writeUntyped}, the SQL row format): products
 * are arrays and sums are {@code [tag, value]}. In both: Array&lt;U8&gt; is lowercase hex without a prefix; integers
 * up to 128 bits are JSON numbers (unsigned types by their unsigned value); 256-bit integers are {@code "0x"}-prefixed
 * hex strings without leading zeros ({@code "-0x..."} when negative); floats are numbers, except NaN and the
 * infinities, written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. The special types follow
 * from their structure, so an Identity is {@code {"__identity__": "0xc200..."}} and an {@code Option<T>} is
 * {@code {"some": v}} or {@code {"none": {}}}.
 * <p>
 * Reading ({@link #read}) is permissive: products accept arrays or objects keyed by field name (or index); sums accept
 * {@code {"name": v}}, {@code {"<tag>": v}}, {@code [tag, v]} and, for unit variants, the bare string
 * {@code "name"}; Array&lt;U8&gt; accepts hex (optionally {@code 0x}-prefixed) or an array of numbers; integers accept
 * numbers or numeric strings (decimal or {@code 0x} hex), and are range-checked against their type; floats accept
 * numbers and the three special strings; Identity and ConnectionId also accept a bare hex string (their textual
 * form). Every error is a {@link SatsJsonException} naming the JSON path.
 */
public final class SatsJson
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final BigInteger[] MIN = new BigInteger[TypeKind.values().length];
    private static final BigInteger[] MAX = new BigInteger[TypeKind.values().length];

    static
    {
        for (final TypeKind kind : TypeKind.values())
        {
            final int bits = kind.fixedSize() * 8;
            if (kind.isSignedInteger())
            {
                MIN[kind.ordinal()] = BigInteger.ONE.shiftLeft(bits - 1).negate();
                MAX[kind.ordinal()] = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            }
            else if (kind.isUnsignedInteger())
            {
                MIN[kind.ordinal()] = BigInteger.ZERO;
                MAX[kind.ordinal()] = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            }
        }
    }

    private SatsJson()
    {
    }

    /**
     * Writes a value as typed SATS-JSON (products as objects, sums as {@code {"variant": value}}).
     *
     * @param type of the value; must contain no {@link RefType}.
     * @param value in the on-heap model.
     * @return the JSON text.
     * @throws SatsJsonException when the value does not fit the type.
     */
    public static String write(final AlgebraicType type, final Object value)
    {
        return toString(type, value, true);
    }

    /**
     * Writes a value as untyped SATS-JSON (products as arrays, sums as {@code [tag, value]}), the SQL row format.
     *
     * @param type of the value; must contain no {@link RefType}.
     * @param value in the on-heap model.
     * @return the JSON text.
     * @throws SatsJsonException when the value does not fit the type.
     */
    public static String writeUntyped(final AlgebraicType type, final Object value)
    {
        return toString(type, value, false);
    }

    /**
     * Writes a value to a generator, for callers composing larger documents (e.g. arrays of rows).
     *
     * @param generator to write to.
     * @param type of the value; must contain no {@link RefType}.
     * @param value in the on-heap model.
     * @param typed true for typed SATS-JSON, false for untyped.
     * @throws IOException when the generator fails.
     * @throws SatsJsonException when the value does not fit the type.
     */
    public static void write(
        final JsonGenerator generator, final AlgebraicType type, final Object value, final boolean typed)
        throws IOException
    {
        try
        {
            writeValue(generator, type, value, typed);
        }
        catch (final Failure ex)
        {
            throw ex.toException();
        }
    }

    /**
     * Reads SATS-JSON, typed or untyped, into the on-heap model.
     *
     * @param type of the value; must contain no {@link RefType}.
     * @param json the text of exactly one JSON value.
     * @return the value.
     * @throws SatsJsonException when the text is not JSON or does not fit the type.
     */
    public static Object read(final AlgebraicType type, final String json)
    {
        try (JsonParser parser = FACTORY.createParser(json))
        {
            next(parser);
            final Object value = readValue(parser, type);
            if (null != next(parser))
            {
                throw new Failure("trailing content after the value");
            }
            return value;
        }
        catch (final Failure ex)
        {
            throw ex.toException();
        }
        catch (final IOException ex)
        {
            throw new SatsJsonException("$", "malformed JSON: " + ex.getMessage());
        }
    }

    /**
     * Reads one value from a parser positioned at the value's first token (after {@code nextToken()}); the parser is
     * left at the value's last token.
     *
     * @param parser positioned at the value.
     * @param type of the value; must contain no {@link RefType}.
     * @return the value.
     * @throws SatsJsonException when the JSON is malformed or does not fit the type.
     */
    public static Object read(final JsonParser parser, final AlgebraicType type)
    {
        try
        {
            return readValue(parser, type);
        }
        catch (final Failure ex)
        {
            throw ex.toException();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing
    // ---------------------------------------------------------------------------------------------------------

    private static String toString(final AlgebraicType type, final Object value, final boolean typed)
    {
        final StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out))
        {
            writeValue(generator, type, value, typed);
        }
        catch (final Failure ex)
        {
            throw ex.toException();
        }
        catch (final IOException ex)
        {
            throw new SatsJsonException("$", "cannot write JSON: " + ex.getMessage());
        }
        return out.toString();
    }

    private static void writeValue(
        final JsonGenerator generator, final AlgebraicType type, final Object value, final boolean typed)
        throws IOException
    {
        if (null == value)
        {
            throw new Failure("null value for " + type.kind());
        }
        if (type instanceof PrimitiveType primitive)
        {
            writePrimitive(generator, primitive, value);
        }
        else if (type instanceof ArrayType array)
        {
            writeArray(generator, array, value, typed);
        }
        else if (type instanceof ProductType product)
        {
            final ProductValue productValue = cast(ProductValue.class, type, value);
            if (productValue.size() != product.size())
            {
                throw new Failure("product of " + product.size() + " fields given " + productValue.size() + " values");
            }
            if (typed)
            {
                generator.writeStartObject();
            }
            else
            {
                generator.writeStartArray();
            }
            for (int i = 0; i < product.size(); i++)
            {
                final String name = fieldName(product.elements().get(i).name(), i);
                if (typed)
                {
                    generator.writeFieldName(name);
                }
                try
                {
                    writeValue(generator, product.typeAt(i), productValue.get(i), typed);
                }
                catch (final Failure ex)
                {
                    throw ex.prepend("." + name);
                }
            }
            if (typed)
            {
                generator.writeEndObject();
            }
            else
            {
                generator.writeEndArray();
            }
        }
        else if (type instanceof SumType sum)
        {
            writeSum(generator, sum, value, typed);
        }
        else
        {
            throw new Failure("type references must be inlined before writing JSON: " + type);
        }
    }

    private static void writeSum(
        final JsonGenerator generator, final SumType sum, final Object value, final boolean typed) throws IOException
    {
        final SumValue sumValue = cast(SumValue.class, sum, value);
        final int tag = sumValue.tag();
        if (tag >= sum.size())
        {
            throw new Failure("tag " + tag + " for a sum of " + sum.size() + " variants");
        }
        final SumTypeVariant variant = sum.variants().get(tag);
        final boolean asObject = typed && null != variant.name();
        if (asObject)
        {
            generator.writeStartObject();
            generator.writeFieldName(variant.name());
        }
        else
        {
            generator.writeStartArray();
            generator.writeNumber(tag);
        }
        try
        {
            writeValue(generator, variant.type(), sumValue.value(), typed);
        }
        catch (final Failure ex)
        {
            throw ex.prepend("." + fieldName(variant.name(), tag));
        }
        if (asObject)
        {
            generator.writeEndObject();
        }
        else
        {
            generator.writeEndArray();
        }
    }

    private static void writeArray(
        final JsonGenerator generator, final ArrayType array, final Object value, final boolean typed)
        throws IOException
    {
        if (array.isBytes() && value instanceof byte[] bytes)
        {
            generator.writeString(Hex.encode(bytes));
            return;
        }
        final List<?> list = cast(List.class, array, value);
        if (array.isBytes())
        {
            final byte[] bytes = new byte[list.size()];
            for (int i = 0; i < bytes.length; i++)
            {
                if (!(list.get(i) instanceof Byte b))
                {
                    throw new Failure("expected Byte for U8").prepend("[" + i + "]");
                }
                bytes[i] = b;
            }
            generator.writeString(Hex.encode(bytes));
            return;
        }
        generator.writeStartArray();
        int i = 0;
        for (final Object element : list)
        {
            try
            {
                writeValue(generator, array.elementType(), element, typed);
            }
            catch (final Failure ex)
            {
                throw ex.prepend("[" + i + "]");
            }
            i++;
        }
        generator.writeEndArray();
    }

    private static void writePrimitive(final JsonGenerator generator, final PrimitiveType type, final Object value)
        throws IOException
    {
        switch (type)
        {
            case BOOL -> generator.writeBoolean(cast(Boolean.class, type, value));
            case I8 -> generator.writeNumber(cast(Byte.class, type, value));
            case U8 -> generator.writeNumber(cast(Byte.class, type, value) & 0xFF);
            case I16 -> generator.writeNumber(cast(Short.class, type, value));
            case U16 -> generator.writeNumber(cast(Short.class, type, value) & 0xFFFF);
            case I32 -> generator.writeNumber(cast(Integer.class, type, value));
            case U32 -> generator.writeNumber(Integer.toUnsignedLong(cast(Integer.class, type, value)));
            case I64 -> generator.writeNumber(cast(Long.class, type, value));
            case U64 ->
            {
                final long bits = cast(Long.class, type, value);
                if (bits >= 0)
                {
                    generator.writeNumber(bits);
                }
                else
                {
                    generator.writeNumber(new BigInteger(Long.toUnsignedString(bits)));
                }
            }
            case I128, U128 -> generator.writeNumber(checkedWide(type, value));
            case I256, U256 ->
            {
                final BigInteger v = checkedWide(type, value);
                generator.writeString(v.signum() < 0 ? "-0x" + v.negate().toString(16) : "0x" + v.toString(16));
            }
            case F32 ->
            {
                final float f = cast(Float.class, type, value);
                if (Float.isFinite(f))
                {
                    generator.writeNumber(f);
                }
                else
                {
                    generator.writeString(nonFinite(f));
                }
            }
            case F64 ->
            {
                final double d = cast(Double.class, type, value);
                if (Double.isFinite(d))
                {
                    generator.writeNumber(d);
                }
                else
                {
                    generator.writeString(nonFinite(d));
                }
            }
            case STRING -> generator.writeString(cast(String.class, type, value));
            default -> throw new IllegalStateException("unknown primitive " + type);
        }
    }

    private static String nonFinite(final double value)
    {
        if (Double.isNaN(value))
        {
            return "NaN";
        }
        return value > 0 ? "Infinity" : "-Infinity";
    }

    private static BigInteger checkedWide(final PrimitiveType type, final Object value)
    {
        final BigInteger v = cast(BigInteger.class, type, value);
        if (!Bsatn.fitsWide(type, v))
        {
            throw new Failure(v + " is out of range for " + type);
        }
        return v;
    }

    private static <T> T cast(final Class<T> expected, final AlgebraicType type, final Object value)
    {
        if (!expected.isInstance(value))
        {
            throw new Failure("expected " + expected.getSimpleName() + " for " +
                (type instanceof PrimitiveType ? type.toString() : type.kind().toString()) + ", got " +
                value.getClass().getSimpleName());
        }
        return expected.cast(value);
    }

    private static String fieldName(final String name, final int index)
    {
        return null == name ? Integer.toString(index) : name;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------------------------

    private static JsonToken next(final JsonParser parser)
    {
        try
        {
            return parser.nextToken();
        }
        catch (final IOException ex)
        {
            throw new Failure("malformed JSON: " + ex.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Object readValue(final JsonParser parser, final AlgebraicType type)
    {
        final JsonToken token = parser.currentToken();
        if (null == token)
        {
            throw new Failure("unexpected end of JSON, expected " + expectation(type));
        }
        if (type instanceof PrimitiveType primitive)
        {
            return readPrimitive(parser, primitive, token);
        }
        if (type instanceof ArrayType array)
        {
            return readArray(parser, array, token);
        }
        if (type instanceof ProductType product)
        {
            return readProduct(parser, product, token);
        }
        if (type instanceof SumType sum)
        {
            return readSum(parser, sum, token);
        }
        throw new Failure("type references must be inlined before reading JSON: " + type);
    }

    private static Object readProduct(final JsonParser parser, final ProductType product, final JsonToken token)
    {
        final SpecialType special = product.special();
        final boolean hexText = special == SpecialType.IDENTITY || special == SpecialType.CONNECTION_ID;
        if (token == JsonToken.VALUE_STRING && hexText)
        {
            final PrimitiveType fieldType = (PrimitiveType)product.typeAt(0);
            final String text = text(parser);
            final String digits = text.startsWith("0x") ? text.substring(2) : text;
            try
            {
                return ProductValue.of(Hex.parseFixed(digits, fieldType.fixedSize()));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new Failure("invalid " + special + " text \"" + text + "\": " + ex.getMessage());
            }
        }
        final Object[] fields = new Object[product.size()];
        if (token == JsonToken.START_ARRAY)
        {
            for (int i = 0; i < fields.length; i++)
            {
                if (next(parser) == JsonToken.END_ARRAY)
                {
                    throw new Failure("product of " + fields.length + " fields given an array of " + i);
                }
                fields[i] = readField(parser, product, i);
            }
            if (next(parser) != JsonToken.END_ARRAY)
            {
                throw new Failure("product of " + fields.length + " fields given a longer array");
            }
        }
        else if (token == JsonToken.START_OBJECT)
        {
            for (JsonToken t = next(parser); t != JsonToken.END_OBJECT; t = next(parser))
            {
                if (t != JsonToken.FIELD_NAME)
                {
                    throw new Failure("malformed object");
                }
                final String name = currentName(parser);
                final int index = fieldIndex(product, name);
                if (index < 0)
                {
                    throw new Failure("unknown field \"" + name + "\"");
                }
                if (null != fields[index])
                {
                    throw new Failure("duplicate field \"" + name + "\"");
                }
                next(parser);
                fields[index] = readField(parser, product, index);
            }
            for (int i = 0; i < fields.length; i++)
            {
                if (null == fields[i])
                {
                    throw new Failure("missing field \"" + fieldName(product.elements().get(i).name(), i) + "\"");
                }
            }
        }
        else
        {
            throw unexpected(parser, token, "a product (array or object)");
        }
        return fields.length == 0 ? ProductValue.UNIT : new ProductValue(List.of(fields));
    }

    private static Object readField(final JsonParser parser, final ProductType product, final int index)
    {
        try
        {
            return readValue(parser, product.typeAt(index));
        }
        catch (final Failure ex)
        {
            throw ex.prepend("." + fieldName(product.elements().get(index).name(), index));
        }
    }

    private static int fieldIndex(final ProductType product, final String name)
    {
        final int index = product.indexOf(name);
        if (index >= 0)
        {
            return index;
        }
        final int position = parseSmallIndex(name);
        return position < product.size() ? position : -1;
    }

    private static int parseSmallIndex(final String text)
    {
        if (text.isEmpty() || text.length() > 3)
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Object readSum(final JsonParser parser, final SumType sum, final JsonToken token)
    {
        final int tag;
        final Object payload;
        if (token == JsonToken.START_OBJECT)
        {
            if (next(parser) != JsonToken.FIELD_NAME)
            {
                throw new Failure("a sum object must have exactly one field, the variant");
            }
            final String name = currentName(parser);
            tag = variantTag(sum, name);
            next(parser);
            payload = readPayload(parser, sum, tag);
            if (next(parser) != JsonToken.END_OBJECT)
            {
                throw new Failure("a sum object must have exactly one field, the variant");
            }
        }
        else if (token == JsonToken.START_ARRAY)
        {
            final JsonToken tagToken = next(parser);
            if (tagToken == JsonToken.VALUE_NUMBER_INT)
            {
                final BigInteger value = bigInteger(parser);
                if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(sum.size())) >= 0)
                {
                    throw new Failure("invalid sum tag " + value + " for a sum of " + sum.size() + " variants");
                }
                tag = value.intValue();
            }
            else if (tagToken == JsonToken.VALUE_STRING)
            {
                tag = variantTag(sum, text(parser));
            }
            else
            {
                throw new Failure("a sum array must be [tag, value]");
            }
            next(parser);
            payload = readPayload(parser, sum, tag);
            if (next(parser) != JsonToken.END_ARRAY)
            {
                throw new Failure("a sum array must be [tag, value]");
            }
        }
        else if (token == JsonToken.VALUE_STRING)
        {
            tag = variantTag(sum, text(parser));
            if (!sum.variants().get(tag).isUnit())
            {
                throw new Failure("variant \"" + text(parser) + "\" needs a payload");
            }
            payload = ProductValue.UNIT;
        }
        else
        {
            throw unexpected(parser, token, "a sum ({\"variant\": value} or [tag, value])");
        }
        return new SumValue(tag, payload);
    }

    private static Object readPayload(final JsonParser parser, final SumType sum, final int tag)
    {
        try
        {
            return readValue(parser, sum.variants().get(tag).type());
        }
        catch (final Failure ex)
        {
            throw ex.prepend("." + fieldName(sum.variants().get(tag).name(), tag));
        }
    }

    private static int variantTag(final SumType sum, final String name)
    {
        final int tag = sum.tagOf(name);
        if (tag >= 0)
        {
            return tag;
        }
        final int position = parseSmallIndex(name);
        if (position >= 0 && position < sum.size())
        {
            return position;
        }
        throw new Failure("unknown variant \"" + name + "\" for a sum of " + sum.size() + " variants");
    }

    private static Object readArray(final JsonParser parser, final ArrayType array, final JsonToken token)
    {
        if (array.isBytes() && token == JsonToken.VALUE_STRING)
        {
            final String text = text(parser);
            try
            {
                final byte[] bytes = Hex.decode(text.startsWith("0x") ? text.substring(2) : text);
                final List<Object> list = new ArrayList<>(bytes.length);
                for (final byte b : bytes)
                {
                    list.add(b);
                }
                return list;
            }
            catch (final IllegalArgumentException ex)
            {
                throw new Failure("invalid hex for Array<U8>: " + ex.getMessage());
            }
        }
        if (token != JsonToken.START_ARRAY)
        {
            throw unexpected(parser, token, array.isBytes() ? "a hex string or an array" : "an array");
        }
        final List<Object> list = new ArrayList<>();
        for (JsonToken t = next(parser); t != JsonToken.END_ARRAY; t = next(parser))
        {
            if (null == t)
            {
                throw new Failure("unexpected end of JSON in array");
            }
            try
            {
                list.add(readValue(parser, array.elementType()));
            }
            catch (final Failure ex)
            {
                throw ex.prepend("[" + list.size() + "]");
            }
        }
        return list;
    }

    private static Object readPrimitive(final JsonParser parser, final PrimitiveType type, final JsonToken token)
    {
        switch (type)
        {
            case BOOL:
                if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE)
                {
                    return token == JsonToken.VALUE_TRUE;
                }
                throw unexpected(parser, token, "a bool");

            case STRING:
                if (token == JsonToken.VALUE_STRING)
                {
                    return text(parser);
                }
                throw unexpected(parser, token, "a string");

            case F32:
                return (float)readFloat(parser, token, true);

            case F64:
                return readFloat(parser, token, false);

            default:
                return readInteger(parser, type, token);
        }
    }

    private static double readFloat(final JsonParser parser, final JsonToken token, final boolean single)
    {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT)
        {
            final String text = text(parser);
            return single ? Float.parseFloat(text) : Double.parseDouble(text);
        }
        if (token == JsonToken.VALUE_STRING)
        {
            switch (text(parser))
            {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                case "inf":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    throw new Failure("invalid float string \"" + text(parser) + "\"");
            }
        }
        throw unexpected(parser, token, "a number");
    }

    private static Object readInteger(final JsonParser parser, final PrimitiveType type, final JsonToken token)
    {
        final BigInteger value;
        if (token == JsonToken.VALUE_NUMBER_INT)
        {
            value = bigInteger(parser);
        }
        else if (token == JsonToken.VALUE_STRING)
        {
            value = parseIntegerText(text(parser));
        }
        else
        {
            throw unexpected(parser, token, "an integer");
        }
        final int kind = type.kind().ordinal();
        if (value.compareTo(MIN[kind]) < 0 || value.compareTo(MAX[kind]) > 0)
        {
            throw new Failure(value + " is out of range for " + type + " [" + MIN[kind] + ", " + MAX[kind] + "]");
        }
        return switch (type)
        {
            case I8, U8 -> (byte)value.intValue();
            case I16, U16 -> (short)value.intValue();
            case I32, U32 -> value.intValue();
            case I64, U64 -> value.longValue();
            default -> value;
        };
    }

    private static BigInteger parseIntegerText(final String text)
    {
        int i = 0;
        final boolean negative = text.startsWith("-");
        if (negative || text.startsWith("+"))
        {
            i++;
        }
        int radix = 10;
        if (text.startsWith("0x", i) || text.startsWith("0X", i))
        {
            radix = 16;
            i += 2;
        }
        if (i == text.length() || text.length() - i > 100)
        {
            throw new Failure("invalid integer string \"" + text + "\"");
        }
        for (int k = i; k < text.length(); k++)
        {
            final char c = text.charAt(k);
            if (c >= 128 || Character.digit(c, radix) < 0)
            {
                throw new Failure("invalid integer string \"" + text + "\"");
            }
        }
        final BigInteger magnitude = new BigInteger(text.substring(i), radix);
        return negative ? magnitude.negate() : magnitude;
    }

    private static BigInteger bigInteger(final JsonParser parser)
    {
        try
        {
            return parser.getBigIntegerValue();
        }
        catch (final IOException ex)
        {
            throw new Failure("invalid integer: " + ex.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String text(final JsonParser parser)
    {
        try
        {
            return parser.getText();
        }
        catch (final IOException ex)
        {
            throw new Failure("malformed JSON: " + ex.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String currentName(final JsonParser parser)
    {
        try
        {
            return parser.currentName();
        }
        catch (final IOException ex)
        {
            throw new Failure("malformed JSON: " + ex.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Failure unexpected(final JsonParser parser, final JsonToken token, final String expected)
    {
        return new Failure("expected " + expected + ", got " + describe(parser, token));
    }

    private static String describe(final JsonParser parser, final JsonToken token)
    {
        return switch (token)
        {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string \"" + abbreviate(text(parser)) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + abbreviate(text(parser));
            case VALUE_TRUE, VALUE_FALSE -> "a bool";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    private static String abbreviate(final String text)
    {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String expectation(final AlgebraicType type)
    {
        return type instanceof PrimitiveType ? type.toString() : type.kind().toString();
    }

    /**
     * An error carrying its JSON path, built while unwinding.
     */
    private static final class Failure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        private String path = "";

        Failure(final String message)
        {
            super(message, null, false, false);
        }

        Failure prepend(final String segment)
        {
            path = segment + path;
            return this;
        }

        SatsJsonException toException()
        {
            return new SatsJsonException("$" + path, getMessage());
        }
    }
}
