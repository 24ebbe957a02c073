package io.lightcone.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md names every setting the code reads: each {@code *_PROP_NAME} constant of the main sources
 * of every module appears there as a table row.
 */
class ConfigurationDocTest
{
    private static final Pattern PROPERTY = Pattern.compile("_PROP_NAME\\s*=\\s*\"([^\"]+)\"");

    @Test
    void shouldDocumentEverySetting() throws IOException
    {
        final Path root = Paths.get("").toAbsolutePath().getParent();
        final String doc = Files.readString(root.resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        final TreeSet<String> properties = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root))
        {
            final List<Path> sources = new ArrayList<>();
            files.filter((p) -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/") &&
                !p.toString().contains("/target/") && !p.toString().contains("/node_modules/")).forEach(sources::add);
            for (final Path source : sources)
            {
                final Matcher matcher = PROPERTY.matcher(Files.readString(source, StandardCharsets.UTF_8));
                while (matcher.find())
                {
                    properties.add(matcher.group(1));
                }
            }
        }
        assertTrue(properties.size() >= 50, "found the settings: " + properties);
        final TreeSet<String> missing = new TreeSet<>();
        for (final String property : properties)
        {
            if (!doc.contains("| `" + property + "` |"))
            {
                missing.add(property);
            }
        }
        assertEquals(new TreeSet<String>(), missing, "settings missing from docs/configuration.md");
    }
}
