package io.lightcone.core.moduledef;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.TableSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every captured module definition (the wasm-aot test modules, the bench modules and the chat example) converted to
 * RawModuleDef V9 and V10 decodes to the definition of the original, up to what the target version cannot say
 * (see {@link RawModuleDefConverter}).
 */
class RawModuleDefConverterTest
{
    /** Invariant: decode(convert(def, v)) is the original definition, modulo what version v cannot express. */
    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "keynote", "everything", "v9", "loop", "trap", "memhog", "noexports",
        "rls", "big", "chat"})
    void shouldDecodeBothVersionsToTheSameDefinition(final String module) throws Exception
    {
        final byte[] bytes = ModuleDefDecoderModulesTest.captured(module);
        final ModuleDef original = ModuleDefDecoder.decode(bytes);
        for (final int version : new int[] {9, 10})
        {
            final byte[] converted = RawModuleDefConverter.convert(bytes, version);
            assertEquals(version, RawModuleDefJson.version(converted));
            if (version == original.version())
            {
                assertArrayEquals(bytes, converted, "the module's own version is its own bytes");
            }
            assertSameDefinition(original, ModuleDefDecoder.decode(converted));
        }
    }

    /** Invariant: converting there and back again loses nothing more than the first conversion did. */
    @ParameterizedTest
    @ValueSource(strings = {"everything", "v9", "chat"})
    void shouldBeStableThereAndBack(final String module) throws Exception
    {
        final byte[] bytes = ModuleDefDecoderModulesTest.captured(module);
        final int other = RawModuleDefJson.version(bytes) == 9 ? 10 : 9;
        final byte[] there = RawModuleDefConverter.convert(bytes, other);
        final byte[] back = RawModuleDefConverter.convert(there, 19 - other);
        assertArrayEquals(there, RawModuleDefConverter.convert(back, other));
        assertSameDefinition(ModuleDefDecoder.decode(there), ModuleDefDecoder.decode(back));
    }

    /** Invariant: the writer is the reader's inverse, so a model written and read again is written the same. */
    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "keynote", "everything", "v9", "rls", "big", "chat"})
    void shouldWriteWhatTheReaderReads(final String module) throws Exception
    {
        final byte[] bytes = ModuleDefDecoderModulesTest.captured(module);
        final byte[] written = RawModuleDefWriter.write(new RawModuleDefReader(new BsatnReader(bytes)).read());
        assertArrayEquals(written,
            RawModuleDefWriter.write(new RawModuleDefReader(new BsatnReader(written)).read()));
        assertEquals(ModuleDefDecoder.decode(bytes), ModuleDefDecoder.decode(written));
    }

    /** What V9 cannot say: visibility, event tables, HTTP routes, view primary keys, source names. */
    @Test
    void shouldDropWhatV9CannotExpress() throws Exception
    {
        final ProductType row = ProductType.of("id", AlgebraicType.U64, "sentAt", AlgebraicType.U64);
        final byte[] v10 = V10Writer.v10()
            .typespace(row)
            .tables(V10Writer.table("ChatEvent", 0).event())
            .reducers("sendMessage", ProductType.of("text", AlgebraicType.STRING), false,
                "ping", ProductType.UNIT, true)
            .build();
        final ModuleDef original = ModuleDefDecoder.decode(v10);
        final ModuleDef v9 = ModuleDefDecoder.decode(RawModuleDefConverter.convert(v10, 9));
        assertEquals(9, v9.version());
        assertEquals(CaseConversion.NONE, v9.caseConversion());
        assertEquals("chat_event", v9.tables().get(0).name());
        assertEquals("chat_event", v9.tableNames().get(0).sourceName());
        assertEquals(List.of("id", "sent_at"), v9.tableNames().get(0).columnSourceNames());
        assertTrue(original.tables().get(0).isEvent());
        assertFalse(v9.tables().get(0).isEvent());
        assertEquals("send_message", v9.reducers().get(0).sourceName());
        assertFalse(original.reducers().get(0).clientCallable());
        assertTrue(v9.reducers().get(0).clientCallable());
        assertSameDefinition(original, v9);
    }

    /** A version other than 9 or 10, and malformed bytes, are refused. */
    @Test
    void shouldRefuseBadInput() throws Exception
    {
        final byte[] bytes = ModuleDefDecoderModulesTest.captured("quickstart");
        assertThrows(IllegalArgumentException.class, () -> RawModuleDefConverter.convert(bytes, 8));
        assertThrows(ModuleDefException.class, () -> RawModuleDefConverter.convert(new byte[] {2, 1}, 9));
        assertThrows(ModuleDefException.class,
            () -> RawModuleDefConverter.convert(ModuleDefDecoderModulesTest.captured("baddef_garbage"), 10));
    }

    /**
     * The converted definition equals the original in everything both versions express; the converted one may
     * have lost source names, visibility, event flags, HTTP routes and view primary keys when it is V9.
     */
    static void assertSameDefinition(final ModuleDef original, final ModuleDef converted)
    {
        assertEquals(original.typespace(), converted.typespace());
        assertEquals(original.namedTypes(), converted.namedTypes());
        assertEquals(original.rowLevelSecurity(), converted.rowLevelSecurity());
        final boolean toV9 = converted.version() == 9;
        final List<TableSchema> expectedTables = new ArrayList<>();
        for (final TableSchema table : original.tables())
        {
            expectedTables.add(toV9 ? table.toBuilder().event(false).build() : table);
        }
        assertEquals(expectedTables, converted.tables());
        assertEquals(original.reducers().size(), converted.reducers().size());
        for (int i = 0; i < original.reducers().size(); i++)
        {
            final ReducerDef a = original.reducers().get(i);
            final ReducerDef b = converted.reducers().get(i);
            assertEquals(a.id(), b.id());
            assertEquals(a.name(), b.name());
            assertEquals(toV9 ? a.name() : a.sourceName(), b.sourceName());
            assertEquals(a.params(), b.params());
            assertEquals(a.lifecycle(), b.lifecycle());
            assertTrue(!a.clientCallable() || b.clientCallable(), a.name());
            if (!toV9)
            {
                assertEquals(a.clientCallable(), b.clientCallable(), a.name());
            }
        }
        assertEquals(original.procedures().size(), converted.procedures().size());
        for (int i = 0; i < original.procedures().size(); i++)
        {
            final ProcedureDef a = original.procedures().get(i);
            final ProcedureDef b = converted.procedures().get(i);
            assertEquals(new ProcedureDef(a.id(), a.name(), toV9 ? a.name() : a.sourceName(), a.params(),
                a.returnType()), b);
        }
        assertEquals(original.views().size(), converted.views().size());
        for (int i = 0; i < original.views().size(); i++)
        {
            final ViewDef a = original.views().get(i);
            assertEquals(new ViewDef(a.index(), a.name(), toV9 ? a.name() : a.sourceName(), a.isPublic(),
                a.anonymous(), a.params(), a.returnType()), converted.views().get(i));
        }
        for (int i = 0; i < original.tableNames().size(); i++)
        {
            final TableNames a = original.tableNames().get(i);
            final TableNames b = converted.tableNames().get(i);
            assertEquals(a.name(), b.name());
            if (toV9)
            {
                assertEquals(a.name(), b.sourceName());
                assertTrue(b.indexSourceNames().isEmpty());
            }
            else
            {
                assertEquals(a.sourceName(), b.sourceName());
                assertEquals(a.columnSourceNames(), b.columnSourceNames());
                assertEquals(a.indexSourceNames(), b.indexSourceNames());
            }
            assertEquals(null == a.scheduleName(), null == b.scheduleName());
        }
        if (toV9)
        {
            assertEquals(CaseConversion.NONE, converted.caseConversion());
            assertTrue(converted.httpHandlers().isEmpty());
            assertTrue(converted.httpRoutes().isEmpty());
            assertTrue(converted.viewPrimaryKeys().isEmpty());
        }
        else
        {
            assertEquals(original.version() == 9 ? CaseConversion.NONE : original.caseConversion(),
                converted.caseConversion());
            assertEquals(original.httpHandlers(), converted.httpHandlers());
            assertEquals(original.httpRoutes(), converted.httpRoutes());
            assertEquals(original.viewPrimaryKeys(), converted.viewPrimaryKeys());
        }
    }
}
