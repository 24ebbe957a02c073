package io.lightcone.core.index;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductTypeElement;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.SumTypeVariant;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Order-preserving, prefix-free byte encoding of SATS values, read straight from BSATN. Unsigned lexicographic
 * comparison of two encodings of the same type has the sign of the SATS comparison of the values, so one index
 * implementation over byte keys serves every type.
 * <table>
 *   <caption>Encoding rules</caption>
 *   <tr><th>type</th><th>encoding</th></tr>
 *   <tr><td>Bool</td><td>one byte 0x00 / 0x01</td></tr>
 *   <tr><td>U8..U64</td><td>big-endian</td></tr>
 *   <tr><td>I8..I64</td><td>big-endian, sign bit flipped</td></tr>
 *   <tr><td>U128, U256</td><td>all bytes big-endian (BSATN little-endian bytes reversed)</td></tr>
 *   <tr><td>I128, I256</td><td>all bytes big-endian, sign bit of the top byte flipped</td></tr>
 *   <tr><td>F32, F64</td><td>IEEE bits; negative: every bit flipped, else the sign bit flipped; big-endian. Total
 *       order -NaN &lt; -inf &lt; ... &lt; -0 &lt; +0 &lt; ... &lt; +inf &lt; NaN</td></tr>
 *   <tr><td>String, Array&lt;U8&gt;</td><td>the bytes with 0x00 escaped as 0x00 0xFF, then 0x00 0x00</td></tr>
 *   <tr><td>Array&lt;T&gt; (other T)</td><td>each element as 0x01 then its encoding; then 0x00</td></tr>
 *   <tr><td>Product</td><td>the fields' encodings concatenated (Identity orders by its u256 value, Timestamp by
 *       its i64)</td></tr>
 *   <tr><td>Sum</td><td>the tag byte then the payload's encoding (Option: some(x) = 0 before none = 1)</td></tr>
 * </table>
 * Every rule is prefix-free given prefix-free parts, so a multi-column key is the concatenation of its columns'
 * encodings and "starts with the encoding of the first k columns" means "equal on the first k columns".
 * <p>
 * Writes go through {@link MutableDirectBuffer#putByte} and friends, so an expandable buffer grows as needed.
 * Malformed BSATN raises {@link io.lightcone.core.sats.BsatnDecodeException} from the reader.
 */
public final class OrderedKeyEncoder
{
    private OrderedKeyEncoder()
    {
    }

    /**
     * Consumes one BSATN value of {@code type} and writes its key encoding.
     *
     * @param src       positioned at the value; advanced past it.
     * @param type      of the value; must contain no {@link io.lightcone.core.sats.RefType}.
     * @param dst       receives the encoding.
     * @param dstOffset where the encoding starts.
     * @return the number of bytes written.
     * @throws IllegalArgumentException if the type contains a reference.
     */
    public static int encode(
        final BsatnReader src, final AlgebraicType type, final MutableDirectBuffer dst, final int dstOffset)
    {
        switch (type.kind())
        {
            case BOOL:
                dst.putByte(dstOffset, src.readBool() ? (byte)1 : (byte)0);
                return 1;
            case U8:
                dst.putByte(dstOffset, src.readI8());
                return 1;
            case I8:
                dst.putByte(dstOffset, (byte)(src.readI8() ^ 0x80));
                return 1;
            case U16:
                dst.putShort(dstOffset, src.readI16(), BIG_ENDIAN);
                return 2;
            case I16:
                dst.putShort(dstOffset, (short)(src.readI16() ^ 0x8000), BIG_ENDIAN);
                return 2;
            case U32:
                dst.putInt(dstOffset, src.readI32(), BIG_ENDIAN);
                return 4;
            case I32:
                dst.putInt(dstOffset, src.readI32() ^ Integer.MIN_VALUE, BIG_ENDIAN);
                return 4;
            case U64:
                dst.putLong(dstOffset, src.readI64(), BIG_ENDIAN);
                return 8;
            case I64:
                dst.putLong(dstOffset, src.readI64() ^ Long.MIN_VALUE, BIG_ENDIAN);
                return 8;
            case U128:
                return reversed(src, 16, false, dst, dstOffset);
            case I128:
                return reversed(src, 16, true, dst, dstOffset);
            case U256:
                return reversed(src, 32, false, dst, dstOffset);
            case I256:
                return reversed(src, 32, true, dst, dstOffset);
            case F32:
            {
                final int bits = src.readI32();
                dst.putInt(dstOffset, bits < 0 ? ~bits : bits ^ Integer.MIN_VALUE, BIG_ENDIAN);
                return 4;
            }
            case F64:
            {
                final long bits = src.readI64();
                dst.putLong(dstOffset, bits < 0 ? ~bits : bits ^ Long.MIN_VALUE, BIG_ENDIAN);
                return 8;
            }
            case STRING:
            {
                final int length = src.readLength(1, "string");
                final int at = src.position();
                src.validateUtf8(length);
                return escapedBytes(src.buffer(), at, length, dst, dstOffset);
            }
            case ARRAY:
                return array(src, (ArrayType)type, dst, dstOffset);
            case PRODUCT:
            {
                int written = 0;
                for (final ProductTypeElement element : ((ProductType)type).elements())
                {
                    written += encode(src, element.type(), dst, dstOffset + written);
                }
                return written;
            }
            case SUM:
            {
                final SumType sum = (SumType)type;
                final int tag = src.readU8();
                if (tag >= sum.size())
                {
                    throw src.error("sum tag " + tag + " out of range for " + sum.size() + " variants");
                }
                dst.putByte(dstOffset, (byte)tag);
                final SumTypeVariant variant = sum.variants().get(tag);
                return 1 + encode(src, variant.type(), dst, dstOffset + 1);
            }
            default:
                throw new IllegalArgumentException("cannot key-encode a type reference; resolve it first: " + type);
        }
    }

    /**
     * Consumes {@code count} consecutive BSATN values of {@code types[from .. from + count)} (a multi-column key
     * whose BSATN is the concatenation of its columns, i.e. their product) and writes their key encodings back to
     * back.
     *
     * @param src       positioned at the first value; advanced past the last.
     * @param types     of the columns.
     * @param from      index of the first column type.
     * @param count     number of columns.
     * @param dst       receives the encoding.
     * @param dstOffset where the encoding starts.
     * @return the number of bytes written.
     */
    public static int encodeColumns(
        final BsatnReader src,
        final AlgebraicType[] types,
        final int from,
        final int count,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        int written = 0;
        for (int i = from; i < from + count; i++)
        {
            written += encode(src, types[i], dst, dstOffset + written);
        }
        return written;
    }

    /**
     * The length of every key encoding of this type when it is fixed.
     *
     * @param type of the value.
     * @return the encoded length in bytes, or -1 when it varies.
     */
    public static int fixedEncodedLength(final AlgebraicType type)
    {
        switch (type.kind())
        {
            case PRODUCT:
            {
                int length = 0;
                for (final ProductTypeElement element : ((ProductType)type).elements())
                {
                    final int fieldLength = fixedEncodedLength(element.type());
                    if (fieldLength < 0)
                    {
                        return -1;
                    }
                    length += fieldLength;
                }
                return length;
            }
            case SUM:
            {
                final SumType sum = (SumType)type;
                int payload = -2;
                for (final SumTypeVariant variant : sum.variants())
                {
                    final int variantLength = fixedEncodedLength(variant.type());
                    if (variantLength < 0 || (payload != -2 && payload != variantLength))
                    {
                        return -1;
                    }
                    payload = variantLength;
                }
                return payload < 0 ? -1 : 1 + payload;
            }
            case ARRAY:
            case STRING:
            case REF:
                return -1;
            default:
                return type.kind().fixedSize();
        }
    }

    /**
     * The fixed encoded length of a multi-column key.
     *
     * @param keyColumnTypes the key's column types.
     * @return the total encoded length, or -1 when any column varies.
     */
    public static int fixedEncodedLength(final AlgebraicType[] keyColumnTypes)
    {
        int length = 0;
        for (final AlgebraicType type : keyColumnTypes)
        {
            final int columnLength = fixedEncodedLength(type);
            if (columnLength < 0)
            {
                return -1;
            }
            length += columnLength;
        }
        return length;
    }

    /**
     * The length of the encoding of one complete multi-column key at the start of {@code key}, so a caller can tell
     * a full key from a prefix of one.
     *
     * @param key            buffer holding encoded key bytes.
     * @param offset         where the key starts.
     * @param length         how many bytes may be read.
     * @param keyColumnTypes the key's column types.
     * @return the length of the full key's encoding, or -1 when the bytes end before the key does or are not a
     *     valid encoding.
     */
    public static int encodedLength(
        final DirectBuffer key, final int offset, final int length, final AlgebraicType[] keyColumnTypes)
    {
        final int end = offset + length;
        int at = offset;
        for (final AlgebraicType type : keyColumnTypes)
        {
            at = skipEncoded(key, at, end, type);
            if (at < 0)
            {
                return -1;
            }
        }
        return at - offset;
    }

    private static int skipEncoded(final DirectBuffer key, final int at, final int end, final AlgebraicType type)
    {
        final int fixed = fixedEncodedLength(type);
        if (fixed >= 0)
        {
            return end - at >= fixed ? at + fixed : -1;
        }
        switch (type.kind())
        {
            case STRING:
                return skipEscaped(key, at, end);
            case ARRAY:
            {
                final AlgebraicType elementType = ((ArrayType)type).elementType();
                if (elementType == PrimitiveType.U8)
                {
                    return skipEscaped(key, at, end);
                }
                int p = at;
                while (p >= 0 && p < end && key.getByte(p) == 1)
                {
                    p = skipEncoded(key, p + 1, end, elementType);
                }
                return p >= 0 && p < end && key.getByte(p) == 0 ? p + 1 : -1;
            }
            case PRODUCT:
            {
                int p = at;
                for (final ProductTypeElement element : ((ProductType)type).elements())
                {
                    p = skipEncoded(key, p, end, element.type());
                    if (p < 0)
                    {
                        return -1;
                    }
                }
                return p;
            }
            case SUM:
            {
                final SumType sum = (SumType)type;
                if (at >= end || (key.getByte(at) & 0xFF) >= sum.size())
                {
                    return -1;
                }
                return skipEncoded(key, at + 1, end, sum.variants().get(key.getByte(at) & 0xFF).type());
            }
            default:
                return -1;
        }
    }

    private static int skipEscaped(final DirectBuffer key, final int at, final int end)
    {
        for (int p = at; p + 1 < end; p++)
        {
            if (key.getByte(p) == 0)
            {
                final byte next = key.getByte(p + 1);
                if (next == 0)
                {
                    return p + 2;
                }
                if (next != (byte)0xFF)
                {
                    return -1;
                }
                p++;
            }
        }
        return -1;
    }

    /**
     * Whether every key of these column types encodes to the same length of at most 8 bytes, so
     * {@link #toLong} maps keys to longs that compare (unsigned) as the keys do.
     *
     * @param keyColumnTypes the key's column types.
     * @return true when the long fast path applies.
     */
    public static boolean fitsInLong(final AlgebraicType[] keyColumnTypes)
    {
        final int length = fixedEncodedLength(keyColumnTypes);
        return length >= 0 && length <= 8;
    }

    /**
     * An encoded key of at most 8 bytes as a long: big-endian, left-justified (zero padded on the right), so for
     * keys of one fixed length {@link Long#compareUnsigned} orders the longs as the keys.
     *
     * @param key    buffer holding the encoded key.
     * @param offset of the key.
     * @param length of the key, 0..8.
     * @return the key as a long.
     */
    public static long toLong(final DirectBuffer key, final int offset, final int length)
    {
        if (length == 8)
        {
            return key.getLong(offset, BIG_ENDIAN);
        }
        if (length == 4)
        {
            return (long)key.getInt(offset, BIG_ENDIAN) << 32;
        }
        if (length > 8 || length < 0)
        {
            throw new IllegalArgumentException("key of " + length + " bytes does not fit a long");
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            value = (value << 8) | (key.getByte(offset + i) & 0xFFL);
        }
        return length == 0 ? 0 : value << (64 - 8 * length);
    }

    /**
     * Writes a long made by {@link #toLong} back as {@code length} key bytes.
     *
     * @param value  the left-justified key.
     * @param length of the key, 0..8.
     * @param dst    receives the bytes.
     * @param offset where they go.
     */
    public static void fromLong(final long value, final int length, final MutableDirectBuffer dst, final int offset)
    {
        for (int i = 0; i < length; i++)
        {
            dst.putByte(offset + i, (byte)(value >>> (56 - 8 * i)));
        }
    }

    private static int reversed(
        final BsatnReader src,
        final int size,
        final boolean signed,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        src.require(size, signed ? "i128/i256" : "u128/u256");
        final DirectBuffer buffer = src.buffer();
        final int at = src.position();
        for (int i = 0; i < size; i++)
        {
            dst.putByte(dstOffset + i, buffer.getByte(at + size - 1 - i));
        }
        if (signed)
        {
            dst.putByte(dstOffset, (byte)(dst.getByte(dstOffset) ^ 0x80));
        }
        src.position(at + size);
        return size;
    }

    private static int array(
        final BsatnReader src, final ArrayType type, final MutableDirectBuffer dst, final int dstOffset)
    {
        if (type.elementType() == PrimitiveType.U8)
        {
            final int length = src.readLength(1, "bytes");
            final int at = src.position();
            src.skip(length, "bytes");
            return escapedBytes(src.buffer(), at, length, dst, dstOffset);
        }
        final AlgebraicType elementType = type.elementType();
        final int count = src.readLength(elementType.fixedSize() == 0 ? 0 : 1, "array");
        int written = 0;
        for (int i = 0; i < count; i++)
        {
            dst.putByte(dstOffset + written, (byte)1);
            written++;
            written += encode(src, elementType, dst, dstOffset + written);
        }
        dst.putByte(dstOffset + written, (byte)0);
        return written + 1;
    }

    private static int escapedBytes(
        final DirectBuffer src, final int at, final int length, final MutableDirectBuffer dst, final int dstOffset)
    {
        int out = dstOffset;
        for (int i = 0; i < length; i++)
        {
            final byte b = src.getByte(at + i);
            dst.putByte(out++, b);
            if (b == 0)
            {
                dst.putByte(out++, (byte)0xFF);
            }
        }
        dst.putByte(out++, (byte)0);
        dst.putByte(out++, (byte)0);
        return out - dstOffset;
    }
}
