package io.lightcone.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of the end-to-end harnesses: {@code --name value} pairs, in order.
 */
public final class Options
{
    private Options()
    {
    }

    /**
     * Parses {@code --name value} pairs.
     *
     * @param args the command line.
     * @return name (without {@code --}) to value, in the order given.
     * @throws IllegalArgumentException when an argument is not an option or an option has no value.
     */
    public static Map<String, String> parse(final String[] args)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            if (!args[i].startsWith("--"))
            {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0)
        {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " has no value");
        }
        return options;
    }
}
