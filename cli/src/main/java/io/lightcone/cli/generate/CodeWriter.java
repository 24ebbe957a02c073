package io.lightcone.cli.generate;

/**
 * Lines of source text with two-space indentation and {@code \n} line ends.
 */
final class CodeWriter
{
    private static final String INDENT = "  ";

    private final StringBuilder text = new StringBuilder(4096);
    private int depth;

    /**
     * Writes one indented line (an empty line is written without indentation).
     *
     * @param line the line, without line end.
     * @return this.
     */
    CodeWriter line(final String line)
    {
        if (!line.isEmpty())
        {
            text.append(INDENT.repeat(depth));
        }
        text.append(line).append('\n');
        return this;
    }

    /**
     * Writes an empty line.
     *
     * @return this.
     */
    CodeWriter line()
    {
        return line("");
    }

    /**
     * Writes a line and indents the lines that follow.
     *
     * @param line the line.
     * @return this.
     */
    CodeWriter open(final String line)
    {
        line(line);
        depth++;
        return this;
    }

    /**
     * Ends an indented block with a line at the outer indentation.
     *
     * @param line the closing line.
     * @return this.
     */
    CodeWriter close(final String line)
    {
        depth--;
        return line(line);
    }

    @Override
    public String toString()
    {
        return text.toString();
    }
}
