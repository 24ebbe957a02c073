package io.lightcone.core.moduledef;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The snake/camel case rules of SpacetimeDB's {@code convert_case} 0.6.
 */
class CaseConversionTest
{
    @ParameterizedTest
    @CsvSource({
        "PlayerState, player_state",
        "sendMessage, send_message",
        "HTTPServer, http_server",
        "player_state, player_state",
        "level2Boss, level_2_boss",
        "u32v, u_32_v",
        "Vec3, vec_3",
        "_private__x, private_x",
        "kebab-case name, kebab_case_name",
        "ABC, abc",
        "getHTTPResponseCode, get_http_response_code",
        "x, x",
    })
    void shouldConvertToSnakeCase(final String source, final String expected)
    {
        assertEquals(expected, CaseConversion.toSnakeCase(source));
        assertEquals(expected, CaseConversion.SNAKE_CASE.convert(source));
        assertEquals(source, CaseConversion.NONE.convert(source));
    }

    @ParameterizedTest
    @CsvSource({
        "Circle, circle",
        "red_apple, redApple",
        "HTTPServer, httpServer",
        "some, some",
    })
    void shouldConvertVariantsToCamelCase(final String source, final String expected)
    {
        assertEquals(expected, CaseConversion.SNAKE_CASE.convertVariant(source));
    }
}
