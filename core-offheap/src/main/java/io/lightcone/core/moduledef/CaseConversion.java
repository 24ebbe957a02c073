package io.lightcone.core.moduledef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The V10 {@code CaseConversionPolicy} (reference/spacetimedb-contracts.md §4.5): how source names become canonical
 * names. SpacetimeDB converts with the Rust crate {@code convert_case} 0.6 ({@code to_case(Case::Snake)}); this class
 * reproduces its word splitting:
 * <ol>
 *   <li>{@code _}, {@code -} and space separate words and are dropped;</li>
 *   <li>a word also ends between a lowercase and an uppercase letter ({@code sendMessage}), between a letter and a
 *   digit and between a digit and a letter ({@code level2Boss} is {@code level 2 Boss}), and before the last
 *   capital of a run of capitals followed by a lowercase letter ({@code HTTPServer} is {@code HTTP Server});</li>
 *   <li>empty words are dropped.</li>
 * </ol>
 * Snake case joins the lowercased words with {@code _}: {@code PlayerState -> player_state},
 * {@code sendMessage -> send_message}, {@code HTTPServer -> http_server}, {@code level2Boss -> level_2_boss},
 * {@code u32v -> u_32_v}, {@code _private__x -> private_x}; names already in snake case without digits are
 * unchanged. Camel case (used by SpacetimeDB for sum variant names under the snake-case policy) lowercases the first
 * word and capitalises the others.
 */
public enum CaseConversion
{
    /** Names are used as written. */
    NONE,
    /** Names are converted to snake_case (SpacetimeDB's default). */
    SNAKE_CASE;

    /**
     * Converts a name under this policy.
     *
     * @param name the source name.
     * @return the canonical name.
     */
    public String convert(final String name)
    {
        return this == SNAKE_CASE ? toSnakeCase(name) : name;
    }

    /**
     * Converts a sum variant name under this policy: SpacetimeDB uses camelCase for variants when the policy is
     * snake case.
     *
     * @param name the variant name.
     * @return the canonical variant name.
     */
    public String convertVariant(final String name)
    {
        return this == SNAKE_CASE ? toCamelCase(name) : name;
    }

    /**
     * {@code convert_case}'s {@code Case::Snake}.
     *
     * @param name to convert.
     * @return the words, lowercased, joined by {@code _}.
     */
    public static String toSnakeCase(final String name)
    {
        final StringBuilder sb = new StringBuilder(name.length() + 4);
        for (final String word : words(name))
        {
            if (sb.length() > 0)
            {
                sb.append('_');
            }
            sb.append(word.toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /**
     * {@code convert_case}'s {@code Case::Camel}.
     *
     * @param name to convert.
     * @return the first word lowercased, the others capitalised, joined without separator.
     */
    public static String toCamelCase(final String name)
    {
        final StringBuilder sb = new StringBuilder(name.length());
        boolean first = true;
        for (final String word : words(name))
        {
            if (first)
            {
                sb.append(word.toLowerCase(Locale.ROOT));
                first = false;
            }
            else
            {
                final int head = word.offsetByCodePoints(0, 1);
                sb.append(word.substring(0, head).toUpperCase(Locale.ROOT));
                sb.append(word.substring(head).toLowerCase(Locale.ROOT));
            }
        }
        return sb.toString();
    }

    /**
     * Splits a name into words with {@code convert_case} 0.6's default boundaries.
     *
     * @param name to split.
     * @return the non-empty words.
     */
    static List<String> words(final String name)
    {
        final int[] cps = name.codePoints().toArray();
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        for (int i = 0; i < cps.length; i++)
        {
            final int c = cps[i];
            if (c == '_' || c == '-' || c == ' ')
            {
                flush(words, word);
                continue;
            }
            if (i > 0 && (splitsPair(cps[i - 1], c) || (i + 1 < cps.length && splitsAcronym(cps[i - 1], c,
                cps[i + 1]))))
            {
                flush(words, word);
            }
            word.appendCodePoint(c);
        }
        flush(words, word);
        return words;
    }

    private static void flush(final List<String> words, final StringBuilder word)
    {
        if (word.length() > 0)
        {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    private static boolean splitsPair(final int c, final int d)
    {
        return (isLower(c) && isUpper(d)) || (isUpper(c) && isDigit(d)) || (isDigit(c) && isUpper(d)) ||
            (isDigit(c) && isLower(d)) || (isLower(c) && isDigit(d));
    }

    private static boolean splitsAcronym(final int c, final int d, final int e)
    {
        return isUpper(c) && isUpper(d) && isLower(e);
    }

    private static boolean isDigit(final int c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isUpper(final int c)
    {
        return Character.toUpperCase(c) != Character.toLowerCase(c) && c == Character.toUpperCase(c);
    }

    private static boolean isLower(final int c)
    {
        return Character.toUpperCase(c) != Character.toLowerCase(c) && c == Character.toLowerCase(c);
    }
}
