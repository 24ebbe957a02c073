package io.lightcone.wire;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * SpacetimeDB's database name rules, and the names and variables text forms read back what was written.
 */
class DatabaseSettingsFormatTest
{
    @Test
    void shouldCheckNamesAsSpacetimeDb()
    {
        assertNull(DatabaseSettingsFormat.checkName("quickstart"));
        assertNull(DatabaseSettingsFormat.checkName("a-1-b2"));
        assertNull(DatabaseSettingsFormat.checkName("0"));
        assertEquals("database names cannot be empty", DatabaseSettingsFormat.checkName(""));
        assertEquals("invalid hyphen in database name", DatabaseSettingsFormat.checkName("-a"));
        assertEquals("invalid hyphen in database name", DatabaseSettingsFormat.checkName("a-"));
        assertEquals("invalid hyphen in database name", DatabaseSettingsFormat.checkName("a--b"));
        assertEquals("invalid characters in database name", DatabaseSettingsFormat.checkName("Abc"));
        assertEquals("invalid characters in database name", DatabaseSettingsFormat.checkName("a_b"));
        assertEquals("invalid characters in database name", DatabaseSettingsFormat.checkName("a b"));
        assertEquals("invalid characters in database name", DatabaseSettingsFormat.checkName("a\nb"));
        assertEquals("database names cannot be identities", DatabaseSettingsFormat.checkName("c2".repeat(32)));
    }

    /** Invariant: a name is valid iff it matches SpacetimeDB's grammar, on seeded random strings. */
    @Test
    void shouldAgreeWithTheGrammarOnRandomNames()
    {
        final String alphabet = "ab09-_A \n";
        final Random random = new Random(5);
        for (int i = 0; i < 5000; i++)
        {
            final StringBuilder name = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--)
            {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            final boolean valid = name.toString().matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertEquals(valid, null == DatabaseSettingsFormat.checkName(name.toString()), name.toString());
        }
    }

    @Test
    void shouldReadBackNamesAndVariables()
    {
        final List<String> names = List.of("main", "alias-1");
        assertEquals(names, DatabaseSettingsFormat.splitNames(DatabaseSettingsFormat.joinNames(names)));
        assertEquals(List.of(), DatabaseSettingsFormat.splitNames(""));
        final Map<String, Long> variables = new LinkedHashMap<>();
        variables.put("row_limit", -1L);
        variables.put("other", 7L);
        assertEquals(variables, DatabaseSettingsFormat.splitVariables(DatabaseSettingsFormat.joinVariables(variables)));
        assertEquals(Map.of("a", 1L), DatabaseSettingsFormat.splitVariables("a=1\nbroken\nb=x\n"));
    }
}
