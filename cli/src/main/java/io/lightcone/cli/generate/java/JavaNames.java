package io.lightcone.cli.generate.java;

import io.lightcone.cli.generate.TypeScriptNames;
import io.lightcone.core.moduledef.CaseConversion;

import java.util.Locale;
import java.util.Set;

/**
 * The names Java bindings use: types PascalCase ({@code player_state -> PlayerState}), fields, parameters,
 * accessors and methods camelCase ({@code send_message -> sendMessage}), enum constants UPPER_SNAKE
 * ({@code dark_green -> DARK_GREEN}), with the same word splitting as the TypeScript bindings
 * ({@link CaseConversion}); then made legal Java: characters that cannot be in an identifier become {@code _}, a
 * leading digit gets a {@code _} in front, and keywords, literals and names a record or class may not use
 * ({@code hashCode}, {@code wait}, ...) get a {@code _} appended.
 */
final class JavaNames
{
    private static final Set<String> KEYWORDS = Set.of(
        "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
        "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
        "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
        "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
        "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "_",
        "var", "yield", "record", "sealed", "permits");

    /** Methods of {@link Object} (a record component or a no-argument method may not be named so). */
    private static final Set<String> OBJECT_METHODS = Set.of(
        "clone", "equals", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

    private JavaNames()
    {
    }

    /**
     * A type name: PascalCase, legal.
     *
     * @param name     the PascalCase name (already derived) or a source name.
     * @param fallback the name when nothing of {@code name} is usable.
     * @return the identifier.
     */
    static String type(final String name, final String fallback)
    {
        return legal(TypeScriptNames.pascal(null == name ? "" : name), fallback);
    }

    /**
     * A field, parameter, accessor or method name: camelCase, legal, not a method of {@link Object}.
     *
     * @param name     the canonical or source name, or null for an unnamed element.
     * @param fallback the name when the element has no usable name.
     * @return the identifier.
     */
    static String member(final String name, final String fallback)
    {
        final String identifier = legal(null == name ? "" : TypeScriptNames.camel(name), fallback);
        return OBJECT_METHODS.contains(identifier) ? identifier + "_" : identifier;
    }

    /**
     * An enum constant: UPPER_SNAKE, legal.
     *
     * @param name     the variant name, or null.
     * @param fallback the name when the variant has no usable name.
     * @return the identifier.
     */
    static String constant(final String name, final String fallback)
    {
        return legal(null == name ? "" : CaseConversion.toSnakeCase(name).toUpperCase(Locale.ROOT), fallback);
    }

    /**
     * The default package of a module's bindings: its name lowercased, each dot-separated segment made a legal
     * identifier.
     *
     * @param moduleName the module's name (its file name without {@code .wasm}).
     * @return the package name.
     */
    static String packageName(final String moduleName)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String segment : moduleName.toLowerCase(Locale.ROOT).split("\\.", -1))
        {
            sb.append(sb.length() == 0 ? "" : ".").append(legal(segment.replace('-', '_'), "module"));
        }
        return sb.toString();
    }

    /**
     * Whether a package name is a dot-separated list of legal identifiers.
     *
     * @param packageName the name.
     * @return true when valid.
     */
    static boolean isPackageName(final String packageName)
    {
        for (final String segment : packageName.split("\\.", -1))
        {
            if (segment.isEmpty() || !segment.equals(legal(segment, "")))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A Java string literal.
     *
     * @param text the string.
     * @return the literal with quotes, backslashes and control characters escaped (octal: a Unicode escape of a line
     *     terminator would end the literal, javac translates those before it reads the string), non-ASCII as
     *     Unicode escapes.
     */
    static String literal(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20 || c == 0x7f)
            {
                sb.append(String.format(Locale.ROOT, "\\%03o", (int)c));
            }
            else if (c > 0x7f)
            {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Text for a Javadoc comment: HTML and comment delimiters escaped.
     *
     * @param text the text.
     * @return the escaped text.
     */
    static String doc(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;")
            .replace("@", "&#64;").replace("\\u", "\\\\u");
    }

    /**
     * Text set as code in a Javadoc comment.
     *
     * @param text the text.
     * @return {@code <code>text</code>}, escaped.
     */
    static String code(final String text)
    {
        return "<code>" + doc(text) + "</code>";
    }

    private static String legal(final String name, final String fallback)
    {
        final StringBuilder sb = new StringBuilder(name.length() + 1);
        name.codePoints().forEach((c) -> sb.appendCodePoint(
            Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c) ? c : '_'));
        if (sb.length() == 0 || sb.chars().allMatch((c) -> c == '_'))
        {
            return fallback;
        }
        if (!Character.isJavaIdentifierStart(sb.codePointAt(0)))
        {
            sb.insert(0, '_');
        }
        final String identifier = sb.toString();
        return KEYWORDS.contains(identifier) ? identifier + "_" : identifier;
    }
}
