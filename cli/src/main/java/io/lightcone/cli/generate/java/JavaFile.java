package io.lightcone.cli.generate.java;

import io.lightcone.cli.generate.CodeWriter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One generated {@code .java} file: its body and the imports it needs. Names of library types are imported and
 * written simply unless a type of the bindings (or a type nested in this file) has the same simple name; then they
 * are written qualified. Types of the bindings are written simply unless a type nested in this file shadows them.
 */
final class JavaFile
{
    private final String packageName;
    private final Set<String> topLevel;
    private final Set<String> nested;
    private final Map<String, String> imported = new HashMap<>();
    private final TreeSet<String> imports = new TreeSet<>();
    private final CodeWriter body = new CodeWriter("    ");

    /**
     * A file of the bindings.
     *
     * @param packageName the bindings' package.
     * @param topLevel    every top-level type name of the bindings.
     * @param nested      the names of the types nested in this file.
     */
    JavaFile(final String packageName, final Set<String> topLevel, final Set<String> nested)
    {
        this.packageName = packageName;
        this.topLevel = topLevel;
        this.nested = nested;
    }

    /**
     * @return the body being written.
     */
    CodeWriter out()
    {
        return body;
    }

    /**
     * A library type as this file writes it, imported when written simply.
     *
     * @param qualified the qualified name, e.g. {@code java.util.Optional}.
     * @return the simple or the qualified name.
     */
    String library(final String qualified)
    {
        final String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
        if (nested.contains(simple) || topLevel.contains(simple))
        {
            return qualified;
        }
        if (qualified.equals("java.lang." + simple))
        {
            return simple;
        }
        final String previous = imported.putIfAbsent(simple, qualified);
        if (null != previous && !previous.equals(qualified))
        {
            return qualified;
        }
        imports.add(qualified);
        return simple;
    }

    /**
     * A type of the bindings as this file writes it.
     *
     * @param simple its simple name.
     * @return the simple name, or the qualified one when a nested type shadows it.
     */
    String generated(final String simple)
    {
        return nested.contains(simple) ? packageName + "." + simple : simple;
    }

    /**
     * The whole file.
     *
     * @param header the generated-file header lines.
     * @return the source text.
     */
    String render(final List<String> header)
    {
        final CodeWriter file = new CodeWriter("    ");
        header.forEach(file::line);
        file.line();
        file.line("package " + packageName + ";");
        file.line();
        if (!imports.isEmpty())
        {
            imports.forEach((i) -> file.line("import " + i + ";"));
            file.line();
        }
        return file + body.toString();
    }
}
