package io.lightcone.cli.generate.java;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java names: derived like the TypeScript bindings' names, then made legal Java.
 */
final class JavaNamesTest
{
    @Test
    void shouldDeriveCaseLikeTheTypeScriptBindings()
    {
        assertEquals("PlayerState", JavaNames.type("player_state", "T"));
        assertEquals("sendMessage", JavaNames.member("send_message", "m"));
        assertEquals("i8V", JavaNames.member("i8v", "m"));
        assertEquals("DARK_GREEN", JavaNames.constant("dark_green", "V0"));
        assertEquals("RED", JavaNames.constant("Red", "V0"));
    }

    @Test
    void shouldMakeNamesLegalJava()
    {
        assertEquals("class_", JavaNames.member("class", "m"));
        assertEquals("default_", JavaNames.member("default", "m"));
        assertEquals("hashCode_", JavaNames.member("hash_code", "m"), "a record component may not be hashCode");
        assertEquals("toString_", JavaNames.member("to_string", "m"));
        assertEquals("field3", JavaNames.member(null, "field3"));
        assertEquals("field3", JavaNames.member("___", "field3"));
        assertEquals("_1St", JavaNames.member("1st", "m"), "words split at letter-digit, then a leading _");
        assertEquals("aB", JavaNames.member("a-b", "m"));
        assertEquals("a_b", JavaNames.member("a\u0000b", "m").replace("B", "b"), "control characters become _");
        assertEquals("名前", JavaNames.member("名前", "m"), "Unicode letters are Java identifiers");
        assertEquals("T7", JavaNames.type("", "T7"));
    }

    @Test
    void shouldDeriveAndCheckPackageNames()
    {
        assertEquals("chat", JavaNames.packageName("chat"));
        assertEquals("my_module", JavaNames.packageName("My-Module"));
        assertEquals("_2fast", JavaNames.packageName("2fast"));
        assertEquals("int_", JavaNames.packageName("int"));
        assertTrue(JavaNames.isPackageName("com.example.chat"));
        assertFalse(JavaNames.isPackageName("com.int.chat"));
        assertFalse(JavaNames.isPackageName("com..chat"));
        assertFalse(JavaNames.isPackageName("com.example-chat"));
    }

    @Test
    void shouldEscapeLiteralsAndDocs()
    {
        assertEquals("\"a\\\"b\\\\c\\012\\u00e9\"", JavaNames.literal("a\"b\\c\né"),
            "a line terminator as an octal escape: javac turns \\u000a into a line end before lexing");
        assertEquals("<code>Option&lt;String&gt;</code>", JavaNames.code("Option<String>"));
        assertEquals("*&#47; &#64;x", JavaNames.doc("*/ @x"));
    }
}
