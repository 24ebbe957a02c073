package io.lightcone.cli;

import io.lightcone.wire.metrics.MetricFamily;
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
 * of every module, and each {@code lightcone.*} property read in place by name, appears there as a table row; and
 * docs/metrics.md lists every metric family of the catalog.
 */
class ConfigurationDocTest
{
    private static final Pattern PROPERTY = Pattern.compile("_PROP_NAME\\s*=\\s*\"([^\"]+)\"");
    /** A setting read in place: System.getProperty, Long.getLong, Integer.getInteger, Boolean.getBoolean. */
    private static final Pattern READ_IN_PLACE = Pattern.compile(
        "(?:getProperty|getLong|getInteger|getBoolean)\\(\\s*\"(lightcone\\.[^\"]+)\"");

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
                final String text = Files.readString(source, StandardCharsets.UTF_8);
                for (final Pattern pattern : List.of(PROPERTY, READ_IN_PLACE))
                {
                    final Matcher matcher = pattern.matcher(text);
                    while (matcher.find())
                    {
                        properties.add(matcher.group(1));
                    }
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

    @Test
    void shouldDocumentEveryMetricFamily() throws IOException
    {
        final Path root = Paths.get("").toAbsolutePath().getParent();
        final String doc = Files.readString(root.resolve("docs/metrics.md"), StandardCharsets.UTF_8);
        final TreeSet<String> missing = new TreeSet<>();
        for (final MetricFamily family : MetricFamily.values())
        {
            if (!doc.contains("| `" + family.metricName() + "` |"))
            {
                missing.add(family.metricName());
            }
        }
        assertEquals(new TreeSet<String>(), missing, "metrics missing from docs/metrics.md");
    }
}
