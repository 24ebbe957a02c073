package io.lightcone.core.query;

import io.lightcone.core.index.OrderedKeyEncoder;
import io.lightcone.core.query.SqlAst.Expr;
import io.lightcone.core.query.SqlAst.Literal;
import io.lightcone.core.query.SqlAst.LiteralKind;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumValue;
import org.agrona.ExpandableArrayBuffer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Literal coercion, comparison and key encoding of on-heap SATS values (the value model of
 * {@link ProductValue}).
 * <p>
 * Comparison is a total order consistent with {@link OrderedKeyEncoder} (so an index range scan and a filter agree):
 * unsigned integers compare unsigned, floats by {@link Double#compare} (-0.0 &lt; 0.0, NaN largest), strings by code
 * point (= UTF-8 byte order), bytes unsigned lexicographically, products field by field, sums by tag then payload.
 */
final class SqlValues
{
    private static final BigInteger MAX_BITS_256 = BigInteger.ONE.shiftLeft(256);

    private SqlValues()
    {
    }

    /**
     * Whether SQL may compare values of this type with {@code = < >} etc.: bool, integers, floats, string, bytes,
     * Identity, ConnectionId, Timestamp, Uuid (§5.1), and — as a Lightcone extension — TimeDuration, Option of a
     * comparable type and plain enums (all-unit sums).
     */
    static boolean isComparable(final AlgebraicType type)
    {
        if (type instanceof PrimitiveType)
        {
            return true;
        }
        if (type instanceof ArrayType array)
        {
            return array.isBytes();
        }
        if (type instanceof ProductType product)
        {
            return product.special() != SpecialType.NONE;
        }
        if (type instanceof SumType sum)
        {
            return sum.isSimpleEnum() || (sum.special() == SpecialType.OPTION && isComparable(sum.variants().get(0)
                .type()));
        }
        return false;
    }

    static String typeName(final AlgebraicType type)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return primitive.name();
        }
        if (type instanceof ArrayType array)
        {
            return array.isBytes() ? "Bytes" : "Array<" + typeName(array.elementType()) + ">";
        }
        if (type instanceof ProductType product)
        {
            return switch (product.special())
            {
                case IDENTITY -> "Identity";
                case CONNECTION_ID -> "ConnectionId";
                case TIMESTAMP -> "Timestamp";
                case TIME_DURATION -> "TimeDuration";
                case UUID -> "Uuid";
                default -> "Product";
            };
        }
        if (type instanceof SumType sum)
        {
            if (sum.special() == SpecialType.OPTION)
            {
                return "Option<" + typeName(sum.variants().get(0).type()) + ">";
            }
            return sum.isSimpleEnum() ? "Enum" : "Sum";
        }
        return String.valueOf(type);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Coercion
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Converts a literal or parameter to a value of the column's type.
     *
     * @param expr   a {@link Literal} or {@link SqlAst.Param}.
     * @param type   the column type.
     * @param column the column name for messages.
     * @param sender the caller identity for {@code :sender}, or null when there is none.
     * @return the on-heap value.
     * @throws SqlException when the literal does not fit.
     */
    static Object coerce(final Expr expr, final AlgebraicType type, final String column, final BigInteger sender)
        throws SqlException
    {
        if (expr instanceof SqlAst.Param param)
        {
            if (!param.name().equalsIgnoreCase("sender"))
            {
                throw new SqlException("unknown parameter :" + param.name() + " at " + param.position() +
                    " (only :sender is supported)", param.position());
            }
            if (null == sender)
            {
                throw new SqlException(":sender is not available here (at " + param.position() + ")",
                    param.position());
            }
            return coerceSender(type, column, sender, param.position());
        }
        final Literal literal = (Literal)expr;
        final Object value = coerceLiteral(literal, type, column);
        if (null == value)
        {
            throw new SqlException("cannot use " + describe(literal) + " for column " + column + " of type " +
                typeName(type) + " (at " + literal.position() + ")", literal.position());
        }
        return value;
    }

    private static Object coerceSender(
        final AlgebraicType type, final String column, final BigInteger sender, final int position)
        throws SqlException
    {
        if (type instanceof ProductType product && product.special() == SpecialType.IDENTITY)
        {
            return ProductValue.of(sender);
        }
        if (type instanceof ArrayType array && array.isBytes())
        {
            return bytesList(toLittleEndian(sender, 32));
        }
        if (type instanceof SumType sum && sum.special() == SpecialType.OPTION)
        {
            return SumValue.some(coerceSender(sum.variants().get(0).type(), column, sender, position));
        }
        throw new SqlException(":sender is an Identity, but column " + column + " has type " + typeName(type) +
            " (at " + position + ")", position);
    }

    private static String describe(final Literal literal)
    {
        return switch (literal.kind())
        {
            case NUMBER -> "number " + literal.text();
            case STRING -> "string '" + literal.text() + "'";
            case HEX -> "hex 0x" + literal.text();
            case BOOL -> "boolean " + literal.text();
        };
    }

    /** The value, or null when the literal kind does not fit the type; throws when it fits but is invalid. */
    private static Object coerceLiteral(
        final Literal literal, final AlgebraicType type, final String column)
        throws SqlException
    {
        final LiteralKind kind = literal.kind();
        final int at = literal.position();
        if (type instanceof PrimitiveType primitive)
        {
            return switch (primitive)
            {
                case BOOL -> kind == LiteralKind.BOOL ? Boolean.valueOf(literal.text().equals("true")) : null;
                case STRING -> kind == LiteralKind.STRING ? literal.text() : null;
                case F32, F64 -> kind == LiteralKind.NUMBER ? toFloat(literal, primitive, column) : null;
                default -> kind == LiteralKind.NUMBER ? toInteger(literal, primitive, column) : null;
            };
        }
        if (type instanceof ArrayType array && array.isBytes())
        {
            if (kind == LiteralKind.HEX || kind == LiteralKind.STRING)
            {
                final String digits = stripHexPrefix(literal.text());
                if ((digits.length() & 1) != 0 || !isHex(digits))
                {
                    throw new SqlException("invalid hex bytes " + describe(literal) + " at " + at, at);
                }
                final byte[] bytes = new byte[digits.length() / 2];
                for (int i = 0; i < bytes.length; i++)
                {
                    bytes[i] = (byte)Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
                }
                return bytesList(bytes);
            }
            return null;
        }
        if (type instanceof ProductType product)
        {
            return coerceSpecial(literal, product, column);
        }
        if (type instanceof SumType sum)
        {
            if (sum.special() == SpecialType.OPTION)
            {
                final Object some = coerceLiteral(literal, sum.variants().get(0).type(), column);
                return null == some ? null : SumValue.some(some);
            }
            if (sum.isSimpleEnum() && kind == LiteralKind.STRING)
            {
                final int tag = sum.tagOf(literal.text());
                if (tag < 0)
                {
                    throw new SqlException("no variant '" + literal.text() + "' in enum with variants " +
                        sum.variants().stream().map((v) -> v.name()).toList() + " (at " + at + ")", at);
                }
                return SumValue.unit(tag);
            }
        }
        return null;
    }

    private static Object coerceSpecial(
        final Literal literal, final ProductType product, final String column)
        throws SqlException
    {
        final LiteralKind kind = literal.kind();
        final int at = literal.position();
        switch (product.special())
        {
            case IDENTITY:
            case CONNECTION_ID:
            case UUID:
            {
                if (kind != LiteralKind.HEX && kind != LiteralKind.STRING)
                {
                    return null;
                }
                final int bits = product.special() == SpecialType.IDENTITY ? 256 : 128;
                String digits = literal.text();
                if (product.special() == SpecialType.UUID && kind == LiteralKind.STRING)
                {
                    digits = digits.replace("-", "");
                }
                digits = stripHexPrefix(digits);
                if (digits.isEmpty() || digits.length() > bits / 4 || !isHex(digits))
                {
                    throw new SqlException("invalid " + typeName(product) + " " + describe(literal) + ": expected " +
                        "at most " + bits / 4 + " hex digits (at " + at + ")", at);
                }
                return ProductValue.of(new BigInteger(digits, 16));
            }
            case TIMESTAMP:
            {
                if (kind != LiteralKind.STRING)
                {
                    return null;
                }
                try
                {
                    final OffsetDateTime time = OffsetDateTime.parse(literal.text(), DateTimeFormatter.ISO_DATE_TIME);
                    final long seconds = time.toEpochSecond();
                    final long micros = Math.addExact(Math.multiplyExact(seconds, 1_000_000L), time.getNano() / 1000);
                    return ProductValue.of(micros);
                }
                catch (final DateTimeParseException | ArithmeticException ex)
                {
                    throw new SqlException("invalid Timestamp " + describe(literal) + ": expected RFC 3339, e.g. " +
                        "'2025-01-31T12:00:00Z' (at " + at + ")", at);
                }
            }
            case TIME_DURATION:
            {
                if (kind != LiteralKind.NUMBER)
                {
                    return null;
                }
                return ProductValue.of(toInteger(literal, PrimitiveType.I64, column));
            }
            default:
                return null;
        }
    }

    private static Object toFloat(
        final Literal literal, final PrimitiveType type, final String column)
        throws SqlException
    {
        final double value;
        try
        {
            value = Double.parseDouble(literal.text());
        }
        catch (final NumberFormatException ex)
        {
            throw new SqlException("invalid number " + literal.text() + " at " + literal.position(),
                literal.position());
        }
        if (Double.isInfinite(value) || (type == PrimitiveType.F32 && Float.isInfinite((float)value)))
        {
            throw new SqlException("value " + literal.text() + " out of range for column " + column + " of type " +
                type.name() + " (at " + literal.position() + ")", literal.position());
        }
        return type == PrimitiveType.F32 ? (Object)Float.valueOf((float)value) : (Object)Double.valueOf(value);
    }

    private static Object toInteger(
        final Literal literal, final PrimitiveType type, final String column)
        throws SqlException
    {
        final int at = literal.position();
        final BigInteger value;
        try
        {
            final BigDecimal decimal = new BigDecimal(literal.text());
            if (decimal.signum() != 0 && decimal.precision() - decimal.scale() > 80)
            {
                throw new SqlException("value " + literal.text() + " out of range for column " + column +
                    " of type " + type.name() + " (at " + at + ")", at);
            }
            value = decimal.toBigIntegerExact();
        }
        catch (final NumberFormatException ex)
        {
            throw new SqlException("invalid number " + literal.text() + " at " + at, at);
        }
        catch (final ArithmeticException ex)
        {
            throw new SqlException("number " + literal.text() + " is not an integer, but the type is " + type.name() +
                " (at " + at + ")", at);
        }
        final int bits = type.fixedSize() * 8;
        final boolean signed = type.kind().isSignedInteger();
        final BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        final BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE) :
            BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0)
        {
            throw new SqlException("value " + literal.text() + " out of range for column " + column + " of type " +
                type.name() + " (at " + at + ")", at);
        }
        return switch (type)
        {
            case I8, U8 -> (Object)Byte.valueOf((byte)value.intValue());
            case I16, U16 -> (Object)Short.valueOf((short)value.intValue());
            case I32, U32 -> (Object)Integer.valueOf(value.intValue());
            case I64, U64 -> (Object)Long.valueOf(value.longValue());
            default -> value;
        };
    }

    private static String stripHexPrefix(final String text)
    {
        return text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    }

    private static boolean isHex(final String digits)
    {
        for (int i = 0; i < digits.length(); i++)
        {
            final char c = digits.charAt(i);
            if (c >= 128 || Character.digit(c, 16) < 0)
            {
                return false;
            }
        }
        return true;
    }

    static List<Object> bytesList(final byte[] bytes)
    {
        final List<Object> list = new ArrayList<>(bytes.length);
        for (final byte b : bytes)
        {
            list.add(b);
        }
        return List.copyOf(list);
    }

    static byte[] toLittleEndian(final BigInteger value, final int size)
    {
        final byte[] bytes = new byte[size];
        final BigInteger v = value.signum() < 0 ? value.add(MAX_BITS_256) : value;
        final byte[] be = v.toByteArray();
        for (int i = 0; i < size && i < be.length; i++)
        {
            bytes[i] = be[be.length - 1 - i];
        }
        return bytes;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Comparison
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Compares two values of the same type (see the class comment for the order).
     *
     * @param type the type.
     * @param a    a value.
     * @param b    another value.
     * @return negative, zero or positive.
     */
    @SuppressWarnings("unchecked")
    static int compare(final AlgebraicType type, final Object a, final Object b)
    {
        if (type instanceof PrimitiveType primitive)
        {
            return switch (primitive)
            {
                case BOOL -> Boolean.compare((Boolean)a, (Boolean)b);
                case I8, I16, I32, I64 -> Long.compare(((Number)a).longValue(), ((Number)b).longValue());
                case U8 -> Integer.compare(((Byte)a) & 0xFF, ((Byte)b) & 0xFF);
                case U16 -> Integer.compare(((Short)a) & 0xFFFF, ((Short)b) & 0xFFFF);
                case U32 -> Integer.compareUnsigned((Integer)a, (Integer)b);
                case U64 -> Long.compareUnsigned((Long)a, (Long)b);
                case I128, U128, I256, U256 -> ((BigInteger)a).compareTo((BigInteger)b);
                case F32 -> Float.compare((Float)a, (Float)b);
                case F64 -> Double.compare((Double)a, (Double)b);
                case STRING -> compareCodePoints((String)a, (String)b);
            };
        }
        if (type instanceof ArrayType array)
        {
            final List<Object> x = (List<Object>)a;
            final List<Object> y = (List<Object>)b;
            final int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++)
            {
                final int c = compare(array.elementType(), x.get(i), y.get(i));
                if (c != 0)
                {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        if (type instanceof ProductType product)
        {
            final ProductValue x = (ProductValue)a;
            final ProductValue y = (ProductValue)b;
            for (int i = 0; i < product.size(); i++)
            {
                final int c = compare(product.typeAt(i), x.get(i), y.get(i));
                if (c != 0)
                {
                    return c;
                }
            }
            return 0;
        }
        if (type instanceof SumType sum)
        {
            final SumValue x = (SumValue)a;
            final SumValue y = (SumValue)b;
            if (x.tag() != y.tag())
            {
                return Integer.compare(x.tag(), y.tag());
            }
            return compare(sum.variants().get(x.tag()).type(), x.value(), y.value());
        }
        throw new IllegalArgumentException("cannot compare values of " + type);
    }

    private static int compareCodePoints(final String a, final String b)
    {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length())
        {
            final int x = a.codePointAt(i);
            final int y = b.codePointAt(j);
            if (x != y)
            {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Encoding
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Appends the order-preserving key encoding of values to a key.
     *
     * @param types  the value types.
     * @param values the values.
     * @return the encoded key.
     */
    static byte[] keyOf(final List<AlgebraicType> types, final List<Object> values)
    {
        final ExpandableArrayBuffer key = new ExpandableArrayBuffer(32);
        int length = 0;
        for (int i = 0; i < types.size(); i++)
        {
            final byte[] bsatn = Bsatn.encodeToBytes(types.get(i), values.get(i));
            length += OrderedKeyEncoder.encode(new BsatnReader(bsatn), types.get(i), key, length);
        }
        final byte[] out = new byte[length];
        key.getBytes(0, out);
        return out;
    }
}
