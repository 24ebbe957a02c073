package io.lightcone.cli.client;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code lightcone sql} shows special types as SpacetimeDB's CLI does (identities as hex, timestamps as RFC 3339
 * with microseconds, durations in seconds) and every other value as SATS-JSON.
 */
final class SqlCellTest
{
    private static Object productOf(final String field, final String type)
    {
        return Json.parse("{\"Product\":{\"elements\":[{\"name\":{\"some\":\"" + field + "\"},\"algebraic_type\":{\"" +
            type + "\":[]}}]}}");
    }

    @Test
    void shouldShowSpecialTypesAsSpacetimeDbDoes()
    {
        final String identity = SqlCommand.specialType(productOf("__identity__", "U256"));
        final String timestamp = SqlCommand.specialType(productOf("__timestamp_micros_since_unix_epoch__", "I64"));
        final String duration = SqlCommand.specialType(productOf("__time_duration_micros__", "I64"));
        assertEquals("0xc200ab", SqlCommand.cell(identity, Json.parse("[\"0xc200ab\"]")));
        assertEquals("2026-11-30T11:58:18.482055+00:00", SqlCommand.cell(timestamp, Json.parse("[1796039898482055]")));
        assertEquals("1969-12-31T23:59:59.999999+00:00", SqlCommand.cell(timestamp, Json.parse("[-1]")));
        assertEquals("-1.500000", SqlCommand.cell(duration, Json.parse("[-1500000]")));
        assertNull(SqlCommand.specialType(productOf("x", "U256")), "an ordinary product");
        assertNull(SqlCommand.specialType(Json.parse("{\"String\":[]}")));
    }

    @Test
    void shouldShowTimestampsThatParseBackToTheSameMicros()
    {
        final String timestamp = SqlCommand.specialType(productOf("__timestamp_micros_since_unix_epoch__", "I64"));
        final Random random = new Random(7);
        for (int i = 0; i < 1_000; i++)
        {
            final long micros = Math.floorMod(random.nextLong(), 250_000_000_000_000_000L) - 60_000_000_000_000_000L;
            final java.time.Instant parsed = java.time.OffsetDateTime.parse(
                SqlCommand.cell(timestamp, Json.parse("[" + micros + "]"))).toInstant();
            assertEquals(micros, parsed.getEpochSecond() * 1_000_000L + parsed.getNano() / 1_000, "micros " + micros);
        }
    }

    @Test
    void shouldShowOtherValuesAsSatsJson()
    {
        assertEquals("\"hello\"", SqlCommand.cell(null, "hello"));
        assertEquals("[\"0xab\"]", SqlCommand.cell(null, List.of("0xab")));
        assertEquals("42", SqlCommand.cell(null, Json.parse("42")));
    }
}
