package io.lightcone.cli.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Invariant: names derive from source or canonical names as SpacetimeDB's codegen derives them with
 * {@code convert_case} (word boundaries at {@code _ - space}, lower-upper, letter-digit, digit-letter and before the
 * last capital of an acronym), so the same module gives the same accessors in both.
 */
final class TypeScriptNamesTest
{
    @ParameterizedTest(name = "{0} -> {1} / {2} / {3}")
    @CsvSource({
        "user, user, User, user",
        "send_message, sendMessage, SendMessage, send_message",
        "sendMessage, sendMessage, SendMessage, send_message",
        "SendMessage, sendMessage, SendMessage, send_message",
        "logged_out_player, loggedOutPlayer, LoggedOutPlayer, logged_out_player",
        "HTTPServer, httpServer, HttpServer, http_server",
        "i8_v, i8V, I8V, i_8_v",
        "i_8_v, i8V, I8V, i_8_v",
        "level2Boss, level2Boss, Level2Boss, level_2_boss",
        "_private__x, privateX, PrivateX, private_x",
        "kebab-case name, kebabCaseName, KebabCaseName, kebab_case_name",
    })
    void shouldDeriveCamelPascalAndSnakeCaseLikeConvertCase(
        final String name, final String camel, final String pascal, final String snake)
    {
        assertEquals(camel, TypeScriptNames.camel(name));
        assertEquals(pascal, TypeScriptNames.pascal(name));
        assertEquals(snake, TypeScriptNames.snake(name));
    }

    @Test
    void shouldNameFilesAndImportsByRoleLikeSpacetimeDb()
    {
        assertEquals("logged_out_player_table", TypeScriptNames.tableModule("loggedOutPlayer"));
        assertEquals("LoggedOutPlayerRow", TypeScriptNames.tableRow("logged_out_player"));
        assertEquals("send_message_reducer", TypeScriptNames.reducerModule("sendMessage"));
        assertEquals("SendMessageReducer", TypeScriptNames.reducerArgs("send_message"));
        assertEquals("with_tx_procedure", TypeScriptNames.procedureModule("withTx"));
        assertEquals("WithTxProcedure", TypeScriptNames.procedureArgs("with_tx"));
    }

    @Test
    void shouldNameScopedTypesByConcatenatingPascalCaseSegments()
    {
        assertEquals("Vec2", TypeScriptNames.typeName(List.of(), "Vec2"));
        assertEquals("PlayerState", TypeScriptNames.typeName(List.of(), "player_state"));
        assertEquals("GameMathVec2", TypeScriptNames.typeName(List.of("game", "math"), "vec2"));
    }

    @Test
    void shouldQuoteKeysThatAreNotIdentifiersAndEscapeLiterals()
    {
        assertEquals("sendMessage", TypeScriptNames.key("sendMessage"));
        assertEquals("$x_1", TypeScriptNames.key("$x_1"));
        assertEquals("\"1st\"", TypeScriptNames.key("1st"));
        assertEquals("\"a b\"", TypeScriptNames.key("a b"));
        assertEquals("\"q\\\"b\\\\s\\u000a\"", TypeScriptNames.literal("q\"b\\s\n"));
    }
}
