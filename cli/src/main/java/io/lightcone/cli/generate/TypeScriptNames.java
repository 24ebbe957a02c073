package io.lightcone.cli.generate;

import io.lightcone.core.moduledef.CaseConversion;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names TypeScript bindings use, derived as SpacetimeDB's codegen derives them with the Rust crate
 * {@code convert_case} ({@link CaseConversion} splits words the same way): accessors are camelCase
 * ({@code send_message -> sendMessage}), type names PascalCase ({@code player_state -> PlayerState}), file names
 * snake_case with a role suffix ({@code sendMessage -> send_message_reducer.ts}).
 */
public final class TypeScriptNames
{
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private TypeScriptNames()
    {
    }

    /**
     * {@code convert_case}'s {@code Case::Camel}: the first word lowercased, the others capitalised.
     *
     * @param name a source or canonical name.
     * @return the camelCase name.
     */
    public static String camel(final String name)
    {
        return CaseConversion.toCamelCase(name);
    }

    /**
     * {@code convert_case}'s {@code Case::Pascal}: every word capitalised.
     *
     * @param name a source or canonical name.
     * @return the PascalCase name.
     */
    public static String pascal(final String name)
    {
        final String camel = CaseConversion.toCamelCase(name);
        if (camel.isEmpty())
        {
            return camel;
        }
        final int head = camel.offsetByCodePoints(0, 1);
        return camel.substring(0, head).toUpperCase(Locale.ROOT) + camel.substring(head);
    }

    /**
     * {@code convert_case}'s {@code Case::Snake}.
     *
     * @param name a source or canonical name.
     * @return the snake_case name.
     */
    public static String snake(final String name)
    {
        return CaseConversion.toSnakeCase(name);
    }

    /**
     * The name of a named type: its scope and name, each PascalCase, concatenated.
     *
     * @param scope the scope path.
     * @param name  the name.
     * @return the type name.
     */
    public static String typeName(final List<String> scope, final String name)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String segment : scope)
        {
            sb.append(pascal(segment));
        }
        return sb.append(pascal(name)).toString();
    }

    /**
     * @param accessor the table's (or view's) source name.
     * @return the file stem of its row type, {@code <snake>_table}.
     */
    static String tableModule(final String accessor)
    {
        return snake(accessor) + "_table";
    }

    /**
     * @param accessor the table's (or view's) source name.
     * @return the identifier its row type is imported as in {@code index.ts}, {@code <Pascal>Row}.
     */
    static String tableRow(final String accessor)
    {
        return pascal(accessor) + "Row";
    }

    /**
     * @param accessor the reducer's source name.
     * @return the file stem of its parameters, {@code <snake>_reducer}.
     */
    static String reducerModule(final String accessor)
    {
        return snake(accessor) + "_reducer";
    }

    /**
     * @param accessor the reducer's source name.
     * @return the identifier its parameters are imported as, {@code <Pascal>Reducer}.
     */
    static String reducerArgs(final String accessor)
    {
        return pascal(accessor) + "Reducer";
    }

    /**
     * @param accessor the procedure's source name.
     * @return the file stem of its parameters and return type, {@code <snake>_procedure}.
     */
    static String procedureModule(final String accessor)
    {
        return snake(accessor) + "_procedure";
    }

    /**
     * @param accessor the procedure's source name.
     * @return the namespace its file is imported as, {@code <Pascal>Procedure}.
     */
    static String procedureArgs(final String accessor)
    {
        return pascal(accessor) + "Procedure";
    }

    /**
     * An object key: the name itself when it is an identifier, else a quoted string.
     *
     * @param name the key.
     * @return the key as written in an object literal.
     */
    static String key(final String name)
    {
        return IDENTIFIER.matcher(name).matches() ? name : literal(name);
    }

    /**
     * A double-quoted string literal.
     *
     * @param text the string.
     * @return the literal, with quotes, backslashes and control characters escaped.
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
            else if (c < 0x20 || c == 0x2028 || c == 0x2029)
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
}
