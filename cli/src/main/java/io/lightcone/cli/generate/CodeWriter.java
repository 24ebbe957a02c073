package io.lightcone.cli.generate;

/**
 * Lines of source text with a fixed indentation per level and {@code \n} line ends.
 */
public final class CodeWriter
{
    private final String indent;
    private final StringBuilder text = new StringBuilder(4096);
    private int depth;

    /**
     * A writer that indents by two spaces (TypeScript).
     */
    public CodeWriter()
    {
        this("  ");
    }

    /**
     * A writer that indents by the given string per level.
     *
     * @param indent one level of indentation.
     */
    public CodeWriter(final String indent)
    {
        this.indent = indent;
    }

    /**
     * Writes one indented line (an empty line is written without indentation).
     *
     * @param line the line, without line end.
     * @return this.
     */
    public CodeWriter line(final String line)
    {
        if (!line.isEmpty())
        {
            text.append(indent.repeat(depth));
        }
        text.append(line).append('\n');
        return this;
    }

    /**
     * Writes an empty line.
     *
     * @return this.
     */
    public CodeWriter line()
    {
        return line("");
    }

    /**
     * Writes a line and indents the lines that follow.
     *
     * @param line the line.
     * @return this.
     */
    public CodeWriter open(final String line)
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
    public CodeWriter close(final String line)
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
