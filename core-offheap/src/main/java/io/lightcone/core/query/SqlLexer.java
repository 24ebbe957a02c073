package io.lightcone.core.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written tokenizer for the SQL dialect of reference/spacetimedb-contracts.md §5 (no SQL library is used).
 * Identifiers are {@code [A-Za-z_][A-Za-z0-9_]*} or double-quoted with {@code ""} escaping a quote; strings are
 * single-quoted with {@code ''} escaping a quote; numbers are {@code digits[.digits][e[+-]digits]}; hex literals
 * are {@code 0x} followed by hex digits; parameters are {@code :name}; {@code --} starts a comment to end of line.
 */
final class SqlLexer
{
    /** Token kinds. */
    enum Kind
    {
        /** Unquoted identifier or keyword. */
        IDENT,
        /** Double-quoted identifier (never a keyword). */
        QUOTED_IDENT,
        /** Decimal number: integer, fraction or scientific notation. */
        NUMBER,
        /** Single-quoted string, unescaped. */
        STRING,
        /** {@code 0x...}: the digits only. */
        HEX,
        /** {@code :name}: the name only. */
        PARAM,
        /** Punctuation or operator. */
        SYMBOL,
        /** End of input. */
        EOF
    }

    /**
     * One token.
     *
     * @param kind     what it is.
     * @param text     its text (unescaped for strings and quoted identifiers).
     * @param position 0-based character offset of its first character.
     */
    record Token(Kind kind, String text, int position)
    {
        boolean isKeyword(final String keyword)
        {
            return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(final String symbol)
        {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        String describe()
        {
            return switch (kind)
            {
                case EOF -> "end of input";
                case STRING -> "'" + text.replace("'", "''") + "'";
                case QUOTED_IDENT -> "'\"" + text.replace("\"", "\"\"") + "\"'";
                case HEX -> "'0x" + text + "'";
                case PARAM -> "':" + text + "'";
                default -> "'" + text + "'";
            };
        }
    }

    private SqlLexer()
    {
    }

    static List<Token> tokenize(final String sql) throws SqlException
    {
        final List<Token> tokens = new ArrayList<>();
        final int n = sql.length();
        int i = 0;
        while (i < n)
        {
            final char c = sql.charAt(i);
            if (Character.isWhitespace(c))
            {
                i++;
            }
            else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-')
            {
                while (i < n && sql.charAt(i) != '\n')
                {
                    i++;
                }
            }
            else if (isIdentStart(c))
            {
                final int start = i;
                while (i < n && isIdentPart(sql.charAt(i)))
                {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, sql.substring(start, i), start));
            }
            else if (c == '"')
            {
                i = quoted(sql, i, '"', Kind.QUOTED_IDENT, tokens);
            }
            else if (c == '\'')
            {
                i = quoted(sql, i, '\'', Kind.STRING, tokens);
            }
            else if (c == '0' && i + 1 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X'))
            {
                final int start = i;
                i += 2;
                while (i < n && Character.digit(sql.charAt(i), 16) >= 0 && sql.charAt(i) < 128)
                {
                    i++;
                }
                if (i == start + 2)
                {
                    throw new SqlException("hex literal without digits at " + start, start);
                }
                if (i < n && isIdentPart(sql.charAt(i)))
                {
                    throw new SqlException("invalid hex digit '" + sql.charAt(i) + "' at " + i, i);
                }
                tokens.add(new Token(Kind.HEX, sql.substring(start + 2, i), start));
            }
            else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1))))
            {
                i = number(sql, i, tokens);
            }
            else if (c == ':')
            {
                final int start = i;
                i++;
                if (i >= n || !isIdentStart(sql.charAt(i)))
                {
                    throw new SqlException("expected a parameter name after ':' at " + start, start);
                }
                while (i < n && isIdentPart(sql.charAt(i)))
                {
                    i++;
                }
                tokens.add(new Token(Kind.PARAM, sql.substring(start + 1, i), start));
            }
            else
            {
                i = symbol(sql, i, tokens);
            }
        }
        tokens.add(new Token(Kind.EOF, "", n));
        return tokens;
    }

    private static int symbol(final String sql, final int i, final List<Token> tokens) throws SqlException
    {
        final char c = sql.charAt(i);
        final char next = i + 1 < sql.length() ? sql.charAt(i + 1) : '\0';
        final String two = "" + c + next;
        if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!="))
        {
            tokens.add(new Token(Kind.SYMBOL, two, i));
            return i + 2;
        }
        if ("*,.();=<>+-".indexOf(c) >= 0)
        {
            tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
            return i + 1;
        }
        final String shown = Character.isISOControl(c) ? String.format("\\u%04x", (int)c) : String.valueOf(c);
        throw new SqlException("unexpected character '" + shown + "' at " + i, i);
    }

    private static int number(final String sql, final int start, final List<Token> tokens) throws SqlException
    {
        final int n = sql.length();
        int i = start;
        while (i < n && isDigit(sql.charAt(i)))
        {
            i++;
        }
        if (i < n && sql.charAt(i) == '.')
        {
            i++;
            while (i < n && isDigit(sql.charAt(i)))
            {
                i++;
            }
        }
        if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E'))
        {
            int j = i + 1;
            if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-'))
            {
                j++;
            }
            if (j >= n || !isDigit(sql.charAt(j)))
            {
                throw new SqlException("malformed exponent in number at " + start, start);
            }
            while (j < n && isDigit(sql.charAt(j)))
            {
                j++;
            }
            i = j;
        }
        if (i < n && isIdentPart(sql.charAt(i)))
        {
            throw new SqlException("unexpected character '" + sql.charAt(i) + "' after number at " + i, i);
        }
        tokens.add(new Token(Kind.NUMBER, sql.substring(start, i), start));
        return i;
    }

    private static int quoted(
        final String sql, final int start, final char quote, final Kind kind, final List<Token> tokens)
        throws SqlException
    {
        final StringBuilder text = new StringBuilder();
        int i = start + 1;
        while (true)
        {
            if (i >= sql.length())
            {
                final String what = kind == Kind.STRING ? "unterminated string" : "unterminated quoted identifier";
                throw new SqlException(what + " starting at " + start, start);
            }
            final char c = sql.charAt(i);
            if (c == quote)
            {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote)
                {
                    text.append(quote);
                    i += 2;
                    continue;
                }
                break;
            }
            text.append(c);
            i++;
        }
        if (kind == Kind.QUOTED_IDENT && text.length() == 0)
        {
            throw new SqlException("empty quoted identifier at " + start, start);
        }
        tokens.add(new Token(kind, text.toString(), start));
        return i + 1;
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(final char c)
    {
        return isIdentStart(c) || isDigit(c);
    }
}
