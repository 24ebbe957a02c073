package io.lightcone.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text forms inside {@code SetDatabaseNames} and {@code DatabaseSettings}, and the rules both sides check:
 * <ul>
 *     <li>names: UTF-8, separated by {@code '\n'}, each a valid SpacetimeDB {@code DatabaseName}
 *     ({@link #checkName(String)});</li>
 *     <li>variables: one {@code name=value} per line, values unsigned decimal integers (SpacetimeDB's
 *     {@code st_var}; {@link #VARIABLES} lists the names accepted).</li>
 * </ul>
 */
public final class DatabaseSettingsFormat
{
    /** The {@code st_var} variable limiting the rows a non-owner's query may return. */
    public static final String ROW_LIMIT = "row_limit";

    /** The system variables {@code SET} and {@code SHOW} accept (SpacetimeDB accepts only {@code row_limit}). */
    public static final List<String> VARIABLES = List.of(ROW_LIMIT);

    private DatabaseSettingsFormat()
    {
    }

    /**
     * Checks a database name by SpacetimeDB's {@code parse_database_name}: lower-case letters and digits, single
     * hyphens between them, not empty and not an identity (64 hex digits).
     *
     * @param name the name.
     * @return null when valid, else SpacetimeDB's message.
     */
    public static String checkName(final String name)
    {
        if (isIdentityHex(name))
        {
            return "database names cannot be identities";
        }
        if (name.isEmpty())
        {
            return "database names cannot be empty";
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c == '-')
            {
                if (0 == i || i == name.length() - 1 || !isLowerAlphanumeric(name.charAt(i + 1)))
                {
                    return "invalid hyphen in database name";
                }
            }
            else if (!isLowerAlphanumeric(c))
            {
                return "invalid characters in database name";
            }
        }
        return null;
    }

    /**
     * @param text a name or identity.
     * @return whether it is 64 hex digits (any case).
     */
    public static boolean isIdentityHex(final String text)
    {
        if (text.length() != 64)
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (Character.digit(text.charAt(i), 16) < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param names names without newlines.
     * @return them separated by newlines.
     */
    public static String joinNames(final List<String> names)
    {
        return String.join("\n", names);
    }

    /**
     * @param text names separated by newlines.
     * @return the non-empty names, in order.
     */
    public static List<String> splitNames(final String text)
    {
        final List<String> names = new ArrayList<>();
        for (final String name : text.split("\n", -1))
        {
            if (!name.isEmpty())
            {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * @param variables variable values by name.
     * @return {@code name=value} lines.
     */
    public static String joinVariables(final Map<String, Long> variables)
    {
        final StringBuilder text = new StringBuilder();
        variables.forEach((name, value) -> text.append(name).append('=').append(Long.toUnsignedString(value))
            .append('\n'));
        return text.toString();
    }

    /**
     * @param text {@code name=value} lines; malformed lines are skipped.
     * @return the values by name, in order.
     */
    public static Map<String, Long> splitVariables(final String text)
    {
        final Map<String, Long> variables = new LinkedHashMap<>();
        for (final String line : text.split("\n"))
        {
            final int eq = line.indexOf('=');
            if (eq > 0)
            {
                try
                {
                    variables.put(line.substring(0, eq), Long.parseUnsignedLong(line.substring(eq + 1)));
                }
                catch (final NumberFormatException ignored)
                {
                    // skipped: a newer sender's value this version cannot read
                }
            }
        }
        return variables;
    }

    private static boolean isLowerAlphanumeric(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
