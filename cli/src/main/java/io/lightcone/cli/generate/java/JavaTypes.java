package io.lightcone.cli.generate.java;

import io.lightcone.cli.generate.TypeUse;
import io.lightcone.core.sats.PrimitiveType;

import java.util.Locale;
import java.util.Map;

/**
 * The Java type of each SATS type use, and the expressions that read and write it with core's
 * {@code BsatnReader} / {@code BsatnWriter} and the SDK's {@code BindingSupport} (docs/codegen.md, "Java"):
 * primitives unboxed (same width: {@code u64} is a {@code long}), 128- and 256-bit integers {@code BigInteger},
 * {@code Option<T>} {@code Optional<T>}, {@code Array<u8>} {@code byte[]}, arrays of other fixed-size primitives
 * primitive arrays, other arrays {@code List<T>}, the special types the SDK's and ws-edge's classes, named types
 * their generated class.
 * <p>
 * Expressions nest lambdas for options and lists; their parameters are numbered by depth ({@code r1}, {@code w1},
 * {@code v1}) so that they never clash with each other or with the enclosing method's {@code reader} and
 * {@code writer}.
 */
final class JavaTypes
{
    private static final String SUPPORT = "io.lightcone.client.BindingSupport";

    private final JavaFile file;
    private final Map<Integer, String> names;

    /**
     * Types as written in one file.
     *
     * @param file  the file (imports, shadowing).
     * @param names typespace index of each named type to its class name.
     */
    JavaTypes(final JavaFile file, final Map<Integer, String> names)
    {
        this.file = file;
        this.names = names;
    }

    /**
     * The Java type of a use.
     *
     * @param use   the use.
     * @param boxed whether a primitive must be boxed (a type argument).
     * @return the type as this file writes it.
     * @throws IllegalArgumentException for a type the Java bindings cannot write.
     */
    String type(final TypeUse use, final boolean boxed)
    {
        if (use instanceof TypeUse.Primitive primitive)
        {
            return primitive(primitive.type(), boxed);
        }
        if (use instanceof TypeUse.Array array)
        {
            final String elements = primitiveArray(array.element());
            return null != elements ? elements + "[]" :
                file.library("java.util.List") + "<" + type(array.element(), true) + ">";
        }
        if (use instanceof TypeUse.Option option)
        {
            return file.library("java.util.Optional") + "<" + type(option.value(), true) + ">";
        }
        if (use instanceof TypeUse.Special special)
        {
            return file.library(switch (special.kind())
            {
                case IDENTITY -> "io.lightcone.edge.auth.Identity";
                case CONNECTION_ID -> "io.lightcone.edge.auth.ConnectionId";
                case TIMESTAMP -> "io.lightcone.client.Timestamp";
                case TIME_DURATION -> "io.lightcone.client.TimeDuration";
                case UUID -> "java.util.UUID";
                case SCHEDULE_AT -> "io.lightcone.client.ScheduleAt";
            });
        }
        if (use instanceof TypeUse.Ref ref)
        {
            return file.generated(names.get(ref.typeRef()));
        }
        throw unsupported(use);
    }

    /**
     * An expression reading a value of the use.
     *
     * @param use    the use.
     * @param reader the reader variable.
     * @param depth  the lambda nesting depth (0 outside any lambda).
     * @return the expression.
     */
    String read(final TypeUse use, final String reader, final int depth)
    {
        if (use instanceof TypeUse.Primitive primitive)
        {
            return switch (primitive.type())
            {
                case BOOL -> reader + ".readBool()";
                case I8, U8 -> reader + ".readI8()";
                case I16, U16 -> reader + ".readI16()";
                case I32, U32 -> reader + ".readI32()";
                case I64, U64 -> reader + ".readI64()";
                case F32 -> reader + ".readF32()";
                case F64 -> reader + ".readF64()";
                case STRING -> reader + ".readString()";
                default -> support() + ".read" + wideName(primitive.type()) + "(" + reader + ")";
            };
        }
        if (use instanceof TypeUse.Array array)
        {
            final String elements = primitiveArray(array.element());
            if ("byte".equals(elements))
            {
                return reader + ".readByteArray()";
            }
            if (null != elements)
            {
                return support() + ".read" + arrayName(elements) + "Array(" + reader + ")";
            }
            final String r = "r" + (depth + 1);
            return support() + ".readList(" + reader + ", (" + r + ") -> " + read(array.element(), r, depth + 1) +
                ")";
        }
        if (use instanceof TypeUse.Option option)
        {
            final String r = "r" + (depth + 1);
            return support() + ".readOption(" + reader + ", (" + r + ") -> " + read(option.value(), r, depth + 1) +
                ")";
        }
        if (use instanceof TypeUse.Special special)
        {
            return support() + ".read" + specialName(special.kind()) + "(" + reader + ")";
        }
        if (use instanceof TypeUse.Ref)
        {
            return type(use, false) + ".read(" + reader + ")";
        }
        throw unsupported(use);
    }

    /**
     * A statement expression (no semicolon) writing a value of the use.
     *
     * @param use    the use.
     * @param writer the writer variable.
     * @param value  the value expression.
     * @param depth  the lambda nesting depth (0 outside any lambda).
     * @return the expression.
     */
    String write(final TypeUse use, final String writer, final String value, final int depth)
    {
        if (use instanceof TypeUse.Primitive primitive)
        {
            return switch (primitive.type())
            {
                case BOOL -> writer + ".writeBool(" + value + ")";
                case I8, U8 -> writer + ".writeU8(" + value + ")";
                case I16, U16 -> writer + ".writeU16(" + value + ")";
                case I32, U32 -> writer + ".writeU32(" + value + ")";
                case I64, U64 -> writer + ".writeU64(" + value + ")";
                case F32 -> writer + ".writeF32(" + value + ")";
                case F64 -> writer + ".writeF64(" + value + ")";
                case STRING -> writer + ".writeString(" + value + ")";
                default -> support() + ".write" + wideName(primitive.type()) + "(" + writer + ", " + value + ")";
            };
        }
        if (use instanceof TypeUse.Array array)
        {
            final String elements = primitiveArray(array.element());
            if ("byte".equals(elements))
            {
                return writer + ".writeByteArray(" + value + ")";
            }
            if (null != elements)
            {
                return support() + ".write" + arrayName(elements) + "Array(" + writer + ", " + value + ")";
            }
            return support() + ".writeList(" + writer + ", " + value + ", " + lambda(array.element(), depth) + ")";
        }
        if (use instanceof TypeUse.Option option)
        {
            return support() + ".writeOption(" + writer + ", " + value + ", " + lambda(option.value(), depth) + ")";
        }
        if (use instanceof TypeUse.Special special)
        {
            return support() + ".write" + specialName(special.kind()) + "(" + writer + ", " + value + ")";
        }
        if (use instanceof TypeUse.Ref)
        {
            return value + ".write(" + writer + ")";
        }
        throw unsupported(use);
    }

    /**
     * Whether a value of the use holds a Java array (directly, or in a list or an option), so that a record with
     * such a component needs content-based {@code equals}, {@code hashCode} and {@code toString}.
     *
     * @param use the use.
     * @return true when it does.
     */
    static boolean holdsArray(final TypeUse use)
    {
        if (use instanceof TypeUse.Array array)
        {
            return null != primitiveArray(array.element()) || holdsArray(array.element());
        }
        return use instanceof TypeUse.Option option && holdsArray(option.value());
    }

    /**
     * Whether the use is a Java primitive (compared with {@code ==} or {@code compare}, not {@code equals}).
     *
     * @param use the use.
     * @return true for bool, the integers up to 64 bits and the floats.
     */
    static boolean isPrimitive(final TypeUse use)
    {
        return use instanceof TypeUse.Primitive primitive && primitive.type().fixedSize() > 0 &&
            primitive.type().fixedSize() <= 8;
    }

    /**
     * The use written the SATS way, for documentation: {@code u64}, {@code Option<String>}, {@code Array<Point>}.
     *
     * @param use the use.
     * @return the text.
     */
    static String sats(final TypeUse use)
    {
        if (use instanceof TypeUse.Primitive primitive)
        {
            return primitive.type() == PrimitiveType.STRING ? "String" :
                primitive.type().name().toLowerCase(Locale.ROOT);
        }
        if (use instanceof TypeUse.Array array)
        {
            return "Array<" + sats(array.element()) + ">";
        }
        if (use instanceof TypeUse.Option option)
        {
            return "Option<" + sats(option.value()) + ">";
        }
        if (use instanceof TypeUse.Result result)
        {
            return "Result<" + sats(result.ok()) + ", " + sats(result.err()) + ">";
        }
        if (use instanceof TypeUse.Special special)
        {
            return specialName(special.kind());
        }
        if (use instanceof TypeUse.Ref ref)
        {
            return ref.name();
        }
        if (use instanceof TypeUse.Unit)
        {
            return "()";
        }
        return use instanceof TypeUse.AnonymousProduct ? "product" : "sum";
    }

    /**
     * A note on how an unsigned integer is held, for documentation.
     *
     * @param use the use.
     * @return the note, or the empty string.
     */
    static String unsignedNote(final TypeUse use)
    {
        if (!(use instanceof TypeUse.Primitive primitive))
        {
            return "";
        }
        return switch (primitive.type())
        {
            case U8 -> " (unsigned in a byte: Byte.toUnsignedInt)";
            case U16 -> " (unsigned in a short: Short.toUnsignedInt)";
            case U32 -> " (unsigned in an int: Integer.toUnsignedLong)";
            case U64 -> " (unsigned in a long: Long.toUnsignedString, Long.compareUnsigned)";
            default -> "";
        };
    }

    private String support()
    {
        return file.library(SUPPORT);
    }

    private String lambda(final TypeUse element, final int depth)
    {
        final String w = "w" + (depth + 1);
        final String v = "v" + (depth + 1);
        return "(" + w + ", " + v + ") -> " + write(element, w, v, depth + 1);
    }

    private String primitive(final PrimitiveType type, final boolean boxed)
    {
        return switch (type)
        {
            case STRING -> file.library("java.lang.String");
            case I128, U128, I256, U256 -> file.library("java.math.BigInteger");
            default -> boxed ? file.library("java.lang." + boxed(type)) : primitiveArray(new TypeUse.Primitive(type));
        };
    }

    /**
     * The wrapper class of a primitive held in a Java primitive.
     *
     * @param type bool, an integer up to 64 bits or a float.
     * @return e.g. {@code Integer}.
     */
    static String boxed(final PrimitiveType type)
    {
        return switch (type)
        {
            case BOOL -> "Boolean";
            case I8, U8 -> "Byte";
            case I16, U16 -> "Short";
            case I32, U32 -> "Integer";
            case I64, U64 -> "Long";
            case F32 -> "Float";
            case F64 -> "Double";
            default -> throw new IllegalArgumentException("not a Java primitive: " + type);
        };
    }

    /** The Java primitive an array of this element type is held in, or null when it is a {@code List}. */
    private static String primitiveArray(final TypeUse element)
    {
        if (!(element instanceof TypeUse.Primitive primitive))
        {
            return null;
        }
        return switch (primitive.type())
        {
            case BOOL -> "boolean";
            case I8, U8 -> "byte";
            case I16, U16 -> "short";
            case I32, U32 -> "int";
            case I64, U64 -> "long";
            case F32 -> "float";
            case F64 -> "double";
            default -> null;
        };
    }

    private static String arrayName(final String primitive)
    {
        return switch (primitive)
        {
            case "boolean" -> "Bool";
            case "short" -> "I16";
            case "int" -> "I32";
            case "long" -> "I64";
            case "float" -> "F32";
            default -> "F64";
        };
    }

    private static String wideName(final PrimitiveType type)
    {
        return type.name().charAt(0) + type.name().substring(1);
    }

    private static String specialName(final TypeUse.SpecialKind kind)
    {
        return switch (kind)
        {
            case IDENTITY -> "Identity";
            case CONNECTION_ID -> "ConnectionId";
            case TIMESTAMP -> "Timestamp";
            case TIME_DURATION -> "TimeDuration";
            case UUID -> "Uuid";
            case SCHEDULE_AT -> "ScheduleAt";
        };
    }

    private static IllegalArgumentException unsupported(final TypeUse use)
    {
        if (use instanceof TypeUse.Result)
        {
            return new IllegalArgumentException("Result types are not supported by the Java bindings yet");
        }
        if (use instanceof TypeUse.Unit)
        {
            return new IllegalArgumentException("the unit type () is supported by the Java bindings only as a " +
                "sum variant's payload or a procedure's return type");
        }
        return new IllegalArgumentException("a " + sats(use) + " type without a name cannot be written as Java: " +
            "give it a name in the module (as SpacetimeDB's codegen requires)");
    }
}
