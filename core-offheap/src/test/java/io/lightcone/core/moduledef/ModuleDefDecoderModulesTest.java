package io.lightcone.core.moduledef;

import io.lightcone.core.query.RowLevelSecurity;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Hex;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the contract's V9 example and the captured {@code __describe_module__} outputs of our C test modules
 * (src/test/resources/moduledefs, see its README) and checks them against the header comment of each module.
 */
class ModuleDefDecoderModulesTest
{
    static byte[] captured(final String name) throws IOException
    {
        try (InputStream in = ModuleDefDecoderModulesTest.class.getResourceAsStream("/moduledefs/" + name + ".hex"))
        {
            final String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            return Hex.decode(hex);
        }
    }

    private static List<String> columns(final TableSchema t)
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < t.columnCount(); i++)
        {
            names.add(t.columnName(i));
        }
        return names;
    }

    private static IndexSchema index(final TableSchema t, final String name)
    {
        for (final IndexSchema i : t.indexes())
        {
            if (i.name().equals(name))
            {
                return i;
            }
        }
        throw new AssertionError("no index " + name + " in " + t.indexes());
    }

    @Test
    void shouldDecodeContractV9NoopExample() throws Exception
    {
        final byte[] bytes = Hex.decode("01" + "00000000" + "00000000" + "01000000" + "04000000" + "6e6f6f70" +
            "00000000" + "01" + "00000000" + "00000000" + "00000000");
        assertEquals(38, bytes.length);
        final ModuleDef def = ModuleDefDecoder.decode(bytes);
        assertEquals(9, def.version());
        assertTrue(def.tables().isEmpty());
        assertEquals(1, def.reducers().size());
        final ReducerDef noop = def.reducer("noop");
        assertEquals(0, noop.id());
        assertEquals("noop", noop.sourceName());
        assertEquals(ProductType.UNIT, noop.params());
        assertNull(noop.lifecycle());
        assertTrue(noop.clientCallable());
        assertEquals(CaseConversion.NONE, def.caseConversion());
    }

    @Test
    void shouldDecodeQuickstart() throws Exception
    {
        final ModuleDef def = ModuleDefDecoder.decode(captured("quickstart"));
        assertEquals(10, def.version());
        assertEquals(CaseConversion.SNAKE_CASE, def.caseConversion());
        assertEquals(1, def.tables().size());
        final TableSchema person = def.tables().get(0);
        assertEquals("person", person.name());
        assertEquals(ProductType.of("name", AlgebraicType.STRING), person.rowType());
        assertEquals(TableAccess.PUBLIC, person.access());
        assertEquals(0, person.primaryKey().length);
        assertTrue(person.indexes().isEmpty());
        final String[] names = {"add", "say_hello", "init", "client_connected", "client_disconnected"};
        for (int i = 0; i < names.length; i++)
        {
            assertEquals(names[i], def.reducers().get(i).name());
            assertEquals(i, def.reducers().get(i).id());
        }
        assertEquals(ProductType.of("name", AlgebraicType.STRING), def.reducer("add").params());
        assertTrue(def.reducer("add").clientCallable());
        assertEquals("init", def.lifecycleReducer(Lifecycle.INIT).name());
        assertEquals("client_connected", def.lifecycleReducer(Lifecycle.ON_CONNECT).name());
        assertEquals("client_disconnected", def.lifecycleReducer(Lifecycle.ON_DISCONNECT).name());
        assertFalse(def.reducer("init").clientCallable());
        assertEquals(List.of(new ModuleDef.NamedType(List.of(), "Person", 0, true)), def.namedTypes());
    }

    @Test
    void shouldDecodeRlsWithItsRulesAndPrivateTable() throws Exception
    {
        final ModuleDef def = ModuleDefDecoder.decode(captured("rls"));
        assertEquals(List.of("message", "secret"), def.tables().stream().map(TableSchema::name).toList());
        assertEquals(TableAccess.PUBLIC, def.tables().get(0).access());
        assertEquals(TableAccess.PRIVATE, def.tables().get(1).access());
        assertEquals(List.of("SELECT * FROM message WHERE owner = :sender",
            "SELECT * FROM message WHERE text = 'hello all'"), def.rowLevelSecurity());
        final RowLevelSecurity rls = RowLevelSecurity.compile(def.rowLevelSecurity(), (name) -> def.tables().stream()
            .filter((t) -> t.name().equals(name)).findFirst().orElse(null));
        assertEquals(2, rls.rules("message").size());
        assertTrue(rls.rules("secret").isEmpty());
        assertEquals(List.of("post", "put_secret"), def.reducers().stream().map(ReducerDef::name).toList());
    }

    @Test
    void shouldDecodeKeynote() throws Exception
    {
        final ModuleDef def = ModuleDefDecoder.decode(captured("keynote"));
        final TableSchema accounts = def.tables().get(0);
        assertEquals("accounts", accounts.name());
        assertEquals(ProductType.of("id", AlgebraicType.U32, "balance", AlgebraicType.I64), accounts.rowType());
        assertArrayEquals(new int[] {0}, accounts.primaryKey());
        assertEquals(List.of(new IndexSchema("accounts_id_idx_btree", "id", IndexAlgorithm.BTREE, new int[] {0},
            true)), accounts.indexes());
        assertEquals(0, accounts.primaryKeyIndex());
        assertEquals(List.of("seed", "transfer", "empty"),
            def.reducers().stream().map(ReducerDef::name).toList());
        assertEquals(ProductType.of("n", AlgebraicType.U32, "initial_balance", AlgebraicType.I64),
            def.reducer("seed").params());
        assertEquals(ProductType.of("from", AlgebraicType.U32, "to", AlgebraicType.U32, "amount", AlgebraicType.I64),
            def.reducer("transfer").params());
        assertNull(def.lifecycleReducer(Lifecycle.INIT));
    }

    @Test
    void shouldDecodeEverythingWithCanonicalSnakeCaseNames() throws Exception
    {
        final ModuleDef def = ModuleDefDecoder.decode(captured("everything"));
        assertEquals(List.of("everything", "tick_timer", "ev_log", "kv"),
            def.tables().stream().map(TableSchema::name).toList());
        final TableSchema ev = def.tables().get(0);
        // SpacetimeDB's snake case splits letters from digits: i8v -> i_8_v (convert_case 0.6 default boundaries).
        assertEquals(List.of("id", "b", "i_8_v", "i_16_v", "i_32_v", "i_64_v", "i_128_v", "i_256_v", "u_8_v",
            "u_16_v", "u_32_v", "u_64_v", "u_128_v", "u_256_v", "f_32_v", "f_64_v", "s", "bytes", "strings", "opt",
            "color", "shape", "point", "ident", "conn", "ts", "dur", "uuid", "sched"), columns(ev));
        assertEquals(List.of("id", "b", "i8v", "i16v"), def.tableNames().get(0).columnSourceNames().subList(0, 4));
        assertEquals(AlgebraicType.I128, ev.columnType(6));
        assertEquals(AlgebraicType.bytes(), ev.columnType(17));
        assertEquals(SpecialTypes.option(AlgebraicType.U32), ev.columnType(19));
        assertEquals(io.lightcone.core.sats.SumType.enumOf("red", "green", "blue"), ev.columnType(20));
        assertEquals(ProductType.of("x", AlgebraicType.I32, "y", AlgebraicType.I32), ev.columnType(22));
        assertEquals(SpecialTypes.IDENTITY, ev.columnType(23));
        assertEquals(SpecialTypes.SCHEDULE_AT, ev.columnType(28));
        assertArrayEquals(new int[] {0}, ev.primaryKey());
        assertEquals(new IndexSchema("everything_id_idx_btree", "id", IndexAlgorithm.BTREE, new int[] {0}, true),
            index(ev, "everything_id_idx_btree"));
        assertEquals(new IndexSchema("everything_u_32_v_s_idx_btree", "u32v_s", IndexAlgorithm.BTREE,
            new int[] {10, 16}, false), index(ev, "everything_u_32_v_s_idx_btree"));
        assertTrue(index(ev, "everything_u_64_v_idx_btree").unique());
        assertEquals(IndexAlgorithm.HASH, index(ev, "everything_i_64_v_idx_hash").algorithm());
        // A direct index without a unique constraint is built as a BTree, as SpacetimeDB does.
        assertEquals(IndexAlgorithm.BTREE, index(ev, "everything_u_8_v_idx_direct").algorithm());
        assertEquals(5, ev.indexes().size());
        assertEquals("everything_u_32_v_s_idx_btree", def.indexName("everything_u32v_s_idx_btree"));
        assertEquals("everything_id_idx_btree", def.indexName("everything_id_idx_btree"));
        assertEquals(List.of(new SequenceSchema("everything_id_seq", 0, 1, 1, Long.MAX_VALUE, 1)), ev.sequences());
        assertArrayEquals(new byte[] {1}, ev.defaultValues().get(19));

        final TableSchema tick = def.table("tick_timer");
        assertEquals(TableAccess.PRIVATE, tick.access());
        assertEquals("tick", tick.schedule().functionName());
        assertEquals(1, tick.schedule().scheduleAtColumn());
        assertEquals("tick_timer_sched", def.tableNames().get(1).scheduleName());
        assertEquals(List.of(new SequenceSchema("tick_timer_scheduled_id_seq", 0, 1, 1, Long.MAX_VALUE, 1)),
            tick.sequences());
        assertTrue(def.table("ev_log").isEvent());
        assertEquals(0, def.table("ev_log").primaryKey().length);
        assertArrayEquals(new int[] {0}, def.table("kv").primaryKey());

        assertEquals(20, def.reducers().size());
        assertEquals("fail_user", def.reducers().get(19).name());
        assertEquals(ProductType.of("u32v", AlgebraicType.U32, "lo", AlgebraicType.STRING, "hi",
            AlgebraicType.STRING, "expect", AlgebraicType.U32), def.reducers().get(6).params());
        assertEquals(ProductType.of("arg", tick.rowType()), def.reducer("tick").params());
        assertFalse(def.reducer("tick").clientCallable());
        assertTrue(def.reducer("insert_one").clientCallable());
        assertEquals(0, def.lifecycleReducer(Lifecycle.INIT).id());
        assertEquals(1, def.lifecycleReducer(Lifecycle.ON_CONNECT).id());
        assertEquals(2, def.lifecycleReducer(Lifecycle.ON_DISCONNECT).id());
        assertEquals(List.of("proc_tx", "proc_http", "proc_sleep"),
            def.procedures().stream().map(ProcedureDef::name).toList());
        assertEquals(AlgebraicType.U32, def.procedure("proc_tx").returnType());
        assertEquals(ProductType.of("ok", AlgebraicType.BOOL, "code", AlgebraicType.U16, "body",
            AlgebraicType.STRING), def.procedure("proc_http").returnType());
        assertEquals(2, def.views().size());
        assertEquals("my_kv", def.views().get(0).name());
        assertFalse(def.views().get(0).anonymous());
        assertTrue(def.views().get(1).anonymous());
        assertEquals(AlgebraicType.array(def.table("kv").rowType()), def.views().get(1).returnType());
        assertTrue(def.rowLevelSecurity().isEmpty());
    }

    @Test
    void shouldDecodeV9Module() throws Exception
    {
        final ModuleDef def = ModuleDefDecoder.decode(captured("v9"));
        assertEquals(9, def.version());
        final TableSchema note = def.table("note");
        assertEquals(ProductType.of("id", AlgebraicType.U64, "text", AlgebraicType.STRING), note.rowType());
        assertArrayEquals(new int[] {0}, note.primaryKey());
        assertEquals(List.of(new IndexSchema("note_id_idx_btree", "id", IndexAlgorithm.BTREE, new int[] {0}, true)),
            note.indexes());
        assertEquals(List.of(new SequenceSchema("note_id_seq", 0, 1, 1, Long.MAX_VALUE, 1)), note.sequences());
        final TableSchema reminder = def.table("reminder");
        assertEquals(TableAccess.PRIVATE, reminder.access());
        assertEquals("remind", reminder.schedule().functionName());
        assertEquals(1, reminder.schedule().scheduleAtColumn());
        assertEquals("reminder_sched", def.tableNames().get(1).scheduleName());
        assertEquals(List.of("init", "add_note", "remind"), def.reducers().stream().map(ReducerDef::name).toList());
        assertEquals(Lifecycle.INIT, def.reducer("init").lifecycle());
        assertEquals(ProductType.of("text", AlgebraicType.STRING), def.reducer("add_note").params());
        assertEquals(ProductType.of("arg", reminder.rowType()), def.reducer("remind").params());
        assertFalse(def.reducer("remind").clientCallable());
        assertTrue(def.reducer("add_note").clientCallable());
    }

    @Test
    void shouldDecodeOtherValidModules() throws Exception
    {
        assertEquals("ok", ModuleDefDecoder.decode(captured("noexports")).reducers().get(0).name());
        assertEquals(List.of("boom", "ok", "insert_then_trap", "div_zero", "oob", "fail", "stack_overflow"),
            ModuleDefDecoder.decode(captured("trap")).reducers().stream().map(ReducerDef::name).toList());
        assertEquals(4, ModuleDefDecoder.decode(captured("loop")).reducers().size());
        assertEquals(4, ModuleDefDecoder.decode(captured("memhog")).reducers().size());
    }

    @Test
    void shouldRefuseGarbageDef() throws Exception
    {
        final ModuleDefException e = assertThrows(ModuleDefException.class,
            () -> ModuleDefDecoder.decode(captured("baddef_garbage")));
        assertEquals("not a RawModuleDef: first byte 0xff is not a known version tag (0 V8, 1 V9, 2 V10)",
            e.getMessage());
    }

    @Test
    void shouldRefuseTruncatedDef() throws Exception
    {
        final ModuleDefException e = assertThrows(ModuleDefException.class,
            () -> ModuleDefDecoder.decode(captured("baddef_truncated")));
        assertTrue(e.getMessage().startsWith("malformed RawModuleDef at offset "), e.getMessage());
        assertTrue(e.getMessage().contains("truncated input"), e.getMessage());
    }

    @Test
    void shouldRefuseEmptyDef() throws Exception
    {
        final ModuleDefException e = assertThrows(ModuleDefException.class,
            () -> ModuleDefDecoder.decode(captured("baddef_empty")));
        assertEquals("empty module definition: __describe_module__ wrote no bytes", e.getMessage());
    }
}
