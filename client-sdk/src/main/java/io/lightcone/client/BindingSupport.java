package io.lightcone.client;

import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.Hex;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.edge.auth.ConnectionId;
import io.lightcone.edge.auth.Identity;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * BSATN codecs and value helpers that the Java bindings of {@code lightcone generate --lang java} call
 * (docs/codegen.md): the SATS special types, {@code Option}, arrays, 128- and 256-bit integers, deep equality for
 * records holding arrays, and reused thread-local readers and writers. Not meant to be called by hand, but stable:
 * generated code depends on every public member.
 * <p>
 * Decoding throws {@link BsatnDecodeException} for malformed input, as core's {@link Bsatn} does, and never
 * allocates more than the remaining bytes justify.
 */
public final class BindingSupport
{
    private static final ThreadLocal<BsatnReader> READER = ThreadLocal.withInitial(BsatnReader::new);
    private static final ThreadLocal<BsatnWriter> ARGS = ThreadLocal.withInitial(BsatnWriter::new);

    private BindingSupport()
    {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Readers and writers
    // ---------------------------------------------------------------------------------------------------------

    /**
     * This thread's reusable reader, wrapped around a value (a generated {@code decode} reads the whole value with
     * it before it returns, so reuse is safe).
     *
     * @param buffer holding the value.
     * @param offset of its first byte.
     * @param length of the value.
     * @return the reader.
     */
    public static BsatnReader reader(final DirectBuffer buffer, final int offset, final int length)
    {
        return READER.get().wrap(buffer, offset, length);
    }

    /**
     * A new reader over an array.
     *
     * @param bytes the BSATN of one value.
     * @return the reader.
     */
    public static BsatnReader reader(final byte[] bytes)
    {
        return new BsatnReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /**
     * This thread's reusable writer for reducer and procedure arguments, reset to empty ({@link LightconeClient}
     * copies the arguments before {@code callReducer} returns).
     *
     * @return the writer.
     */
    public static BsatnWriter argsWriter()
    {
        return ARGS.get().reset();
    }

    /**
     * Checks a value used all of its bytes.
     *
     * @param reader after the value.
     * @param what   the type read, for the message.
     * @throws BsatnDecodeException when bytes are left over.
     */
    public static void expectEnd(final BsatnReader reader, final String what)
    {
        if (!reader.isExhausted())
        {
            throw reader.error(reader.remaining() + " trailing bytes after a " + what);
        }
    }

    /**
     * The error for a sum tag out of range.
     *
     * @param reader   just after the tag.
     * @param tag      the tag read.
     * @param sum      the sum's name.
     * @param variants how many variants it has.
     * @return the exception, for the caller to throw.
     */
    public static BsatnDecodeException badTag(final BsatnReader reader, final int tag, final String sum,
        final int variants)
    {
        return new BsatnDecodeException(reader.relativePosition() - 1,
            "invalid sum tag " + tag + " for " + sum + " (" + variants + " variants)");
    }

    /**
     * A product type from the hex of its BSATN, as generated tables embed a row type for
     * {@link PrimaryKey#column} when the key does not sit at a fixed offset.
     *
     * @param bsatnHex the type's BSATN, hex.
     * @return the type.
     */
    public static ProductType productType(final String bsatnHex)
    {
        return (ProductType)Bsatn.decodeType(new BsatnReader(Hex.decode(bsatnHex)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Special types
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @param reader at an {@code Identity} (u256, little-endian).
     * @return the identity.
     */
    public static Identity readIdentity(final BsatnReader reader)
    {
        return Identity.fromLittleEndian(reader.readBytes(Identity.LENGTH, "Identity"));
    }

    /**
     * @param writer to append to.
     * @param value  the identity.
     */
    public static void writeIdentity(final BsatnWriter writer, final Identity value)
    {
        writer.writeRaw(value.toLittleEndian());
    }

    /**
     * @param reader at a {@code ConnectionId} (u128, little-endian).
     * @return the connection id.
     */
    public static ConnectionId readConnectionId(final BsatnReader reader)
    {
        return ConnectionId.fromLittleEndian(reader.readBytes(ConnectionId.LENGTH, "ConnectionId"));
    }

    /**
     * @param writer to append to.
     * @param value  the connection id.
     */
    public static void writeConnectionId(final BsatnWriter writer, final ConnectionId value)
    {
        writer.writeRaw(value.toLittleEndian());
    }

    /**
     * @param reader at a {@code Timestamp} (i64 microseconds).
     * @return the timestamp.
     */
    public static Timestamp readTimestamp(final BsatnReader reader)
    {
        return new Timestamp(reader.readI64());
    }

    /**
     * @param writer to append to.
     * @param value  the timestamp.
     */
    public static void writeTimestamp(final BsatnWriter writer, final Timestamp value)
    {
        writer.writeU64(value.microsSinceUnixEpoch());
    }

    /**
     * @param reader at a {@code TimeDuration} (i64 microseconds).
     * @return the duration.
     */
    public static TimeDuration readTimeDuration(final BsatnReader reader)
    {
        return new TimeDuration(reader.readI64());
    }

    /**
     * @param writer to append to.
     * @param value  the duration.
     */
    public static void writeTimeDuration(final BsatnWriter writer, final TimeDuration value)
    {
        writer.writeU64(value.micros());
    }

    /**
     * @param reader at a {@code Uuid} (the u128 whose big-endian bytes are the UUID, little-endian).
     * @return the UUID.
     */
    public static UUID readUuid(final BsatnReader reader)
    {
        final long least = reader.readI64();
        return new UUID(reader.readI64(), least);
    }

    /**
     * @param writer to append to.
     * @param value  the UUID.
     */
    public static void writeUuid(final BsatnWriter writer, final UUID value)
    {
        writer.writeU64(value.getLeastSignificantBits());
        writer.writeU64(value.getMostSignificantBits());
    }

    /**
     * @param reader at a {@code ScheduleAt}.
     * @return the schedule.
     */
    public static ScheduleAt readScheduleAt(final BsatnReader reader)
    {
        final int tag = reader.readU8();
        return switch (tag)
        {
            case 0 -> new ScheduleAt.Interval(readTimeDuration(reader));
            case 1 -> new ScheduleAt.Time(readTimestamp(reader));
            default -> throw badTag(reader, tag, "ScheduleAt", 2);
        };
    }

    /**
     * @param writer to append to.
     * @param value  the schedule.
     */
    public static void writeScheduleAt(final BsatnWriter writer, final ScheduleAt value)
    {
        if (value instanceof ScheduleAt.Interval interval)
        {
            writer.writeU8(0);
            writeTimeDuration(writer, interval.interval());
        }
        else
        {
            writer.writeU8(1);
            writeTimestamp(writer, ((ScheduleAt.Time)value).time());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 128- and 256-bit integers (range-checked on write)
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @param reader at an i128.
     * @return the value.
     */
    public static BigInteger readI128(final BsatnReader reader)
    {
        return (BigInteger)Bsatn.decodeValue(reader, PrimitiveType.I128);
    }

    /**
     * @param reader at a u128.
     * @return the value.
     */
    public static BigInteger readU128(final BsatnReader reader)
    {
        return (BigInteger)Bsatn.decodeValue(reader, PrimitiveType.U128);
    }

    /**
     * @param reader at an i256.
     * @return the value.
     */
    public static BigInteger readI256(final BsatnReader reader)
    {
        return (BigInteger)Bsatn.decodeValue(reader, PrimitiveType.I256);
    }

    /**
     * @param reader at a u256.
     * @return the value.
     */
    public static BigInteger readU256(final BsatnReader reader)
    {
        return (BigInteger)Bsatn.decodeValue(reader, PrimitiveType.U256);
    }

    /**
     * @param writer to append to.
     * @param value  an i128.
     * @throws IllegalArgumentException when out of range.
     */
    public static void writeI128(final BsatnWriter writer, final BigInteger value)
    {
        Bsatn.encodeValue(writer, PrimitiveType.I128, value);
    }

    /**
     * @param writer to append to.
     * @param value  a u128.
     * @throws IllegalArgumentException when out of range.
     */
    public static void writeU128(final BsatnWriter writer, final BigInteger value)
    {
        Bsatn.encodeValue(writer, PrimitiveType.U128, value);
    }

    /**
     * @param writer to append to.
     * @param value  an i256.
     * @throws IllegalArgumentException when out of range.
     */
    public static void writeI256(final BsatnWriter writer, final BigInteger value)
    {
        Bsatn.encodeValue(writer, PrimitiveType.I256, value);
    }

    /**
     * @param writer to append to.
     * @param value  a u256.
     * @throws IllegalArgumentException when out of range.
     */
    public static void writeU256(final BsatnWriter writer, final BigInteger value)
    {
        Bsatn.encodeValue(writer, PrimitiveType.U256, value);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Option and arrays
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Reads {@code Option<T>}: tag 0 some, tag 1 none.
     *
     * @param reader at the option.
     * @param read   reads the value of {@code some}.
     * @param <T>    the value type.
     * @return the option.
     */
    public static <T> Optional<T> readOption(final BsatnReader reader, final Function<BsatnReader, T> read)
    {
        final int tag = reader.readU8();
        return switch (tag)
        {
            case 0 -> Optional.of(read.apply(reader));
            case 1 -> Optional.empty();
            default -> throw badTag(reader, tag, "Option", 2);
        };
    }

    /**
     * Writes {@code Option<T>}.
     *
     * @param writer to append to.
     * @param value  the option.
     * @param write  writes the value of {@code some}.
     * @param <T>    the value type.
     */
    public static <T> void writeOption(final BsatnWriter writer, final Optional<T> value,
        final BiConsumer<BsatnWriter, T> write)
    {
        if (value.isPresent())
        {
            writer.writeU8(0);
            write.accept(writer, value.get());
        }
        else
        {
            writer.writeU8(1);
        }
    }

    /**
     * Reads {@code Array<T>} into a new list.
     *
     * @param reader at the array.
     * @param read   reads one element.
     * @param <T>    the element type.
     * @return the elements.
     */
    public static <T> List<T> readList(final BsatnReader reader, final Function<BsatnReader, T> read)
    {
        final int count = reader.readLength(0, "array");
        if (count > reader.remaining() && count > Bsatn.MAX_ZERO_SIZE_ARRAY_LENGTH)
        {
            throw reader.error("absurd array length " + count + ": only " + reader.remaining() + " bytes remain");
        }
        final List<T> list = new ArrayList<>(Math.min(count, reader.remaining() + 1));
        for (int i = 0; i < count; i++)
        {
            list.add(read.apply(reader));
        }
        return list;
    }

    /**
     * Writes {@code Array<T>}.
     *
     * @param writer to append to.
     * @param value  the elements.
     * @param write  writes one element.
     * @param <T>    the element type.
     */
    public static <T> void writeList(final BsatnWriter writer, final List<T> value,
        final BiConsumer<BsatnWriter, T> write)
    {
        writer.writeU32(value.size());
        for (int i = 0; i < value.size(); i++)
        {
            write.accept(writer, value.get(i));
        }
    }

    /**
     * @param reader at an {@code Array<bool>}.
     * @return the elements.
     */
    public static boolean[] readBoolArray(final BsatnReader reader)
    {
        final boolean[] array = new boolean[reader.readLength(1, "bool array")];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = reader.readBool();
        }
        return array;
    }

    /**
     * @param writer to append to.
     * @param value  an {@code Array<bool>}.
     */
    public static void writeBoolArray(final BsatnWriter writer, final boolean[] value)
    {
        writer.writeU32(value.length);
        for (final boolean element : value)
        {
            writer.writeBool(element);
        }
    }

    /**
     * @param reader at an {@code Array<i16>} or {@code Array<u16>}.
     * @return the elements.
     */
    public static short[] readI16Array(final BsatnReader reader)
    {
        final short[] array = new short[reader.readLength(2, "i16 array")];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = reader.readI16();
        }
        return array;
    }

    /**
     * @param writer to append to.
     * @param value  an {@code Array<i16>} or {@code Array<u16>}.
     */
    public static void writeI16Array(final BsatnWriter writer, final short[] value)
    {
        writer.writeU32(value.length);
        for (final short element : value)
        {
            writer.writeU16(element);
        }
    }

    /**
     * @param reader at an {@code Array<i32>} or {@code Array<u32>}.
     * @return the elements.
     */
    public static int[] readI32Array(final BsatnReader reader)
    {
        final int[] array = new int[reader.readLength(4, "i32 array")];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = reader.readI32();
        }
        return array;
    }

    /**
     * @param writer to append to.
     * @param value  an {@code Array<i32>} or {@code Array<u32>}.
     */
    public static void writeI32Array(final BsatnWriter writer, final int[] value)
    {
        writer.writeU32(value.length);
        for (final int element : value)
        {
            writer.writeU32(element);
        }
    }

    /**
     * @param reader at an {@code Array<i64>} or {@code Array<u64>}.
     * @return the elements.
     */
    public static long[] readI64Array(final BsatnReader reader)
    {
        final long[] array = new long[reader.readLength(8, "i64 array")];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = reader.readI64();
        }
        return array;
    }

    /**
     * @param writer to append to.
     * @param value  an {@code Array<i64>} or {@code Array<u64>}.
     */
    public static void writeI64Array(final BsatnWriter writer, final long[] value)
    {
        writer.writeU32(value.length);
        for (final long element : value)
        {
            writer.writeU64(element);
        }
    }

    /**
     * @param reader at an {@code Array<f32>}.
     * @return the elements.
     */
    public static float[] readF32Array(final BsatnReader reader)
    {
        final float[] array = new float[reader.readLength(4, "f32 array")];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = reader.readF32();
        }
        return array;
    }

    /**
     * @param writer to append to.
     * @param value  an {@code Array<f32>}.
     */
    public static void writeF32Array(final BsatnWriter writer, final float[] value)
    {
        writer.writeU32(value.length);
        for (final float element : value)
        {
            writer.writeF32(element);
        }
    }

    /**
     * @param reader at an {@code Array<f64>}.
     * @return the elements.
     */
    public static double[] readF64Array(final BsatnReader reader)
    {
        final double[] array = new double[reader.readLength(8, "f64 array")];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = reader.readF64();
        }
        return array;
    }

    /**
     * @param writer to append to.
     * @param value  an {@code Array<f64>}.
     */
    public static void writeF64Array(final BsatnWriter writer, final double[] value)
    {
        writer.writeU32(value.length);
        for (final double element : value)
        {
            writer.writeF64(element);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deep equality: records whose components hold primitive arrays (directly or in lists and options)
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Equality that compares primitive arrays by content, also inside lists and options; other values by
     * {@code equals} (generated records holding arrays override theirs with this).
     *
     * @param a a value.
     * @param b another value.
     * @return whether they are equal.
     */
    public static boolean deepEquals(final Object a, final Object b)
    {
        if (a == b)
        {
            return true;
        }
        if (null == a || null == b)
        {
            return false;
        }
        if (a instanceof List<?> left && b instanceof List<?> right)
        {
            if (left.size() != right.size())
            {
                return false;
            }
            for (int i = 0; i < left.size(); i++)
            {
                if (!deepEquals(left.get(i), right.get(i)))
                {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Optional<?> left && b instanceof Optional<?> right)
        {
            return left.isPresent() == right.isPresent() && (left.isEmpty() || deepEquals(left.get(), right.get()));
        }
        if (a.getClass().isArray() && a.getClass() == b.getClass())
        {
            return Arrays.deepEquals(new Object[]{ a }, new Object[]{ b });
        }
        return a.equals(b);
    }

    /**
     * The hash code matching {@link #deepEquals}.
     *
     * @param value a value.
     * @return its hash code.
     */
    public static int deepHashCode(final Object value)
    {
        if (null == value)
        {
            return 0;
        }
        if (value instanceof List<?> list)
        {
            int hash = 1;
            for (int i = 0; i < list.size(); i++)
            {
                hash = 31 * hash + deepHashCode(list.get(i));
            }
            return hash;
        }
        if (value instanceof Optional<?> optional)
        {
            return optional.isPresent() ? deepHashCode(optional.get()) : 0;
        }
        if (value.getClass().isArray())
        {
            return Arrays.deepHashCode(new Object[]{ value });
        }
        return value.hashCode();
    }

    /**
     * The text of a value with primitive arrays spelled out, also inside lists and options.
     *
     * @param value a value.
     * @return its text.
     */
    public static String deepToString(final Object value)
    {
        if (value instanceof List<?> list)
        {
            final StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++)
            {
                sb.append(i == 0 ? "" : ", ").append(deepToString(list.get(i)));
            }
            return sb.append(']').toString();
        }
        if (value instanceof Optional<?> optional)
        {
            return optional.isPresent() ? "Optional[" + deepToString(optional.get()) + "]" : "Optional.empty";
        }
        if (null != value && value.getClass().isArray())
        {
            final String text = Arrays.deepToString(new Object[]{ value });
            return text.substring(1, text.length() - 1);
        }
        return String.valueOf(value);
    }
}
