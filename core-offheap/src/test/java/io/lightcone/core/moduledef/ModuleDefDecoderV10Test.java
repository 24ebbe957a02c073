package io.lightcone.core.moduledef;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableSchema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.lightcone.core.moduledef.V10Writer.table;
import static io.lightcone.core.moduledef.V10Writer.v10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V10 definitions built with {@link V10Writer}: every section, naming, and one test per validation error.
 */
class ModuleDefDecoderV10Test
{
    private static final ProductType PLAYER = ProductType.of("playerId", AlgebraicType.U64, "displayName",
        AlgebraicType.STRING, "level2Boss", AlgebraicType.U8, "kind", SumType.enumOf("Warrior", "dark_mage"));
    private static final ProductType TIMER = ProductType.of("scheduledId", AlgebraicType.U64, "scheduledAt",
        SpecialTypes.SCHEDULE_AT);

    private static void assertRefused(final byte[] def, final String message)
    {
        final ModuleDefException e = assertThrows(ModuleDefException.class, () -> ModuleDefDecoder.decode(def));
        assertEquals(message, e.getMessage());
    }

    private static V10Writer.Table player()
    {
        return table("PlayerState", 0).pk(0).index("PlayerState_playerId", "playerId", 0, 0).unique(0);
    }

    @Test
    void shouldDecodeEverySection() throws Exception
    {
        final byte[] bytes = v10()
            .typespace(PLAYER, TIMER)
            .types("PlayerState", 0)
            .tables(player().index(null, "byLevel", 1, 2).index("ByNameKind", null, 0, 1, 3)
                    .sequence(0, null, null, null, 1).defaultValue(1, new byte[] {0, 0, 0, 0}),
                table("TickTimer", 1).pk(0).index(null, null, 0, 0).unique(0).privateAccess(),
                table("GameEvent", 0).event())
            .reducers("sendMessage", ProductType.of("messageText", AlgebraicType.STRING), true,
                "onTick", ProductType.of("timer", AlgebraicType.ref(1)), true,
                "Init", ProductType.UNIT, false)
            .procedures("fetchScore", ProductType.of("url", AlgebraicType.STRING), AlgebraicType.ref(0))
            .views("topPlayers", 0, true, AlgebraicType.array(AlgebraicType.ref(0)))
            .schedule("TickTimer", 1, "onTick")
            .lifecycles(Lifecycle.INIT, "Init")
            .rls("SELECT * FROM player_state")
            .casePolicy(1)
            .explicitNames(RawModuleDef.NAME_TABLE, "GameEvent", "events", RawModuleDef.NAME_FUNCTION, "fetchScore",
                "get_score", RawModuleDef.NAME_INDEX, "ByNameKind", "player_by_name_kind")
            .httpHandlers("handleHook")
            .httpRoutes("handleHook", "/hook")
            .viewPrimaryKeys("topPlayers", "playerId")
            .submodules(0)
            .build();
        final ModuleDef def = ModuleDefDecoder.decode(bytes);
        assertEquals(List.of("player_state", "tick_timer", "events"),
            def.tables().stream().map(TableSchema::name).toList());
        final TableSchema player = def.table("PlayerState");
        assertEquals(ProductType.of("player_id", AlgebraicType.U64, "display_name", AlgebraicType.STRING,
            "level_2_boss", AlgebraicType.U8, "kind", SumType.enumOf("warrior", "darkMage")), player.rowType());
        assertEquals(List.of(
            new IndexSchema("player_state_player_id_idx_btree", "playerId", IndexAlgorithm.BTREE, new int[] {0}, true),
            new IndexSchema("player_state_level_2_boss_idx_hash", "byLevel", IndexAlgorithm.HASH, new int[] {2}, false),
            new IndexSchema("player_by_name_kind", null, IndexAlgorithm.BTREE, new int[] {1, 3}, false)),
            player.indexes());
        assertEquals(Map.of("player_state_player_id_idx_btree", "PlayerState_playerId", "player_by_name_kind",
            "ByNameKind"),
            def.tableNames().get(0).indexSourceNames());
        assertEquals("player_state_player_id_idx_btree", def.indexName("PlayerState_playerId"));
        assertEquals("player_by_name_kind", def.indexName("ByNameKind"));
        assertEquals(List.of(new SequenceSchema("player_state_player_id_seq", 0, 1, 1, Long.MAX_VALUE, 1)),
            player.sequences());
        assertEquals(1, player.defaultValues().size());
        assertEquals("PlayerState", def.tableNames().get(0).sourceName());
        assertEquals(List.of("playerId", "displayName", "level2Boss", "kind"),
            def.tableNames().get(0).columnSourceNames());
        final TableSchema timer = def.table("tick_timer");
        assertEquals("on_tick", timer.schedule().functionName());
        assertEquals("tick_timer_sched", def.tableNames().get(1).scheduleName());
        assertEquals("tick_timer_scheduled_id_idx_btree", timer.indexes().get(0).name());
        assertTrue(def.table("events").isEvent());
        assertEquals(List.of("send_message", "on_tick", "init"),
            def.reducers().stream().map(ReducerDef::name).toList());
        assertEquals(ProductType.of("messageText", AlgebraicType.STRING), def.reducer("send_message").params());
        assertEquals("sendMessage", def.reducer("send_message").sourceName());
        assertTrue(def.reducer("send_message").clientCallable());
        assertFalse(def.reducer("on_tick").clientCallable());
        assertEquals(Lifecycle.INIT, def.reducer("init").lifecycle());
        assertEquals("get_score", def.procedures().get(0).name());
        assertEquals(player.rowType(), def.procedures().get(0).returnType());
        assertEquals("top_players", def.views().get(0).name());
        assertEquals(List.of("SELECT * FROM player_state"), def.rowLevelSecurity());
        assertEquals(List.of("handle_hook"), def.httpHandlers());
        assertEquals(List.of(new HttpRouteDef("handle_hook", null, "/hook"),
            new HttpRouteDef("handle_hook", "PURGE", "/hook")), def.httpRoutes());
        assertEquals(List.of(new ViewPrimaryKeyDef("top_players", List.of("playerId"))), def.viewPrimaryKeys());
        assertEquals(List.of(new ModuleDef.NamedType(List.of("scope"), "PlayerState", 0, true)), def.namedTypes());
        assertEquals("player_id", ((ProductType)def.typespace().types().get(0)).elements().get(0).name());
    }

    @Test
    void shouldKeepNamesWithPolicyNone() throws Exception
    {
        final ModuleDef def = ModuleDefDecoder.decode(v10().typespace(PLAYER).tables(player())
            .reducers("sendMessage", ProductType.UNIT, true).casePolicy(0).build());
        assertEquals("PlayerState", def.tables().get(0).name());
        assertEquals("playerId", def.tables().get(0).columnName(0));
        assertEquals("PlayerState_playerId_idx_btree", def.tables().get(0).indexes().get(0).name());
        assertEquals("sendMessage", def.reducers().get(0).name());
        assertEquals(CaseConversion.NONE, def.caseConversion());
    }

    @Test
    void shouldClampSequenceIntoColumnType() throws Exception
    {
        final ModuleDef def = ModuleDefDecoder.decode(v10().typespace(ProductType.of("id", AlgebraicType.U8))
            .tables(table("t", 0).sequence(0, 5L, -100L, 1000L, 2)).build());
        assertEquals(List.of(new SequenceSchema("t_id_seq", 0, 5, 0, 255, 2)), def.tables().get(0).sequences());
    }

    @Test
    void shouldRefuseV8()
    {
        assertRefused(new byte[] {0}, "RawModuleDef V8 is not supported (tag 0); rebuild the module with a " +
            "SpacetimeDB 1.0+ module library (V9 or V10)");
    }

    @Test
    void shouldRefuseTrailingBytes()
    {
        final byte[] valid = v10().build();
        final byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 2);
        assertRefused(longer, "malformed RawModuleDef: 2 trailing bytes after the definition, at offset 5");
    }

    @Test
    void shouldRefuseUnknownSection()
    {
        assertRefused(v10().raw(15, w -> { }).build(), "malformed RawModuleDef at offset 6 while reading " +
            "V10 section #0: unknown RawModuleDefV10 section tag 15 (known: 0..14)");
    }

    @Test
    void shouldRefuseSubmodules()
    {
        assertRefused(v10().submodules(1).build(), "submodules are not supported (the module declares 1: sub0)");
    }

    @Test
    void shouldRefuseTypeRefOutOfRange()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 3)).build(),
            "table t: type reference &3 is outside the typespace of 1 types");
    }

    @Test
    void shouldRefuseNonProductRow()
    {
        assertRefused(v10().typespace(AlgebraicType.U32).tables(table("t", 0)).build(),
            "table t: product_type_ref &0 is not a product type but U32");
    }

    @Test
    void shouldRefuseRecursiveRow()
    {
        assertRefused(v10().typespace(ProductType.of("next", SpecialTypes.option(AlgebraicType.ref(0))))
            .tables(table("t", 0)).build(),
            "table t row type: type &0 is recursive and cannot be stored");
    }

    @Test
    void shouldRefuseDuplicateTable()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("a", 0), table("a", 0)).build(),
            "duplicate name a: used by table a and by table a");
    }

    @Test
    void shouldRefuseDuplicateReducer()
    {
        assertRefused(v10().reducers("sendMessage", ProductType.UNIT, true, "send_message", ProductType.UNIT, true)
            .build(), "duplicate function name send_message (reducer send_message): reducers, procedures and " +
            "views share one namespace");
    }

    @Test
    void shouldRefuseMultiColumnPrimaryKey()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).pk(0, 1).index(null, null, 0, 0, 1).unique(0, 1))
            .build(), "table t: primary key has 2 columns; only single-column primary keys are supported");
    }

    @Test
    void shouldRefusePrimaryKeyWithoutUniqueConstraint()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).pk(0).index(null, null, 0, 0)).build(),
            "table t: primary key column player_id has no unique constraint");
    }

    @Test
    void shouldRefuseUniqueConstraintWithoutIndex()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).unique(1)).build(),
            "table t: unique constraint on columns (display_name) has no index on the same columns");
    }

    @Test
    void shouldRefuseIndexColumnOutOfRange()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).index(null, null, 0, 9)).build(),
            "table t: index t_col_9_idx_btree refers to column 9 but the row has 4 columns");
    }

    @Test
    void shouldRefuseDirectIndexOnString()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).index(null, null, 2, 1)).build(),
            "table t: direct index t_display_name_idx_direct is on column display_name of type STRING; direct " +
            "indexes need u8, u16, u32, u64 or a plain enum");
    }

    @Test
    void shouldRefuseSequenceColumnOutOfRange()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).sequence(7, null, null, null, 1)).build(),
            "table t: sequence refers to column 7 but the row has 4 columns");
    }

    @Test
    void shouldRefuseSequenceOnString()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).sequence(1, null, null, null, 1)).build(),
            "table t: sequence t_display_name_seq is on column display_name of type STRING, not an integer");
    }

    @Test
    void shouldRefuseSequenceOutsideColumnType()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).sequence(2, 300L, null, null, 1)).build(),
            "table t: sequence t_level_2_boss_seq: start 300 is outside [1, 255], the range left after clamping " +
            "to the column type U8");
    }

    @Test
    void shouldRefuseMalformedDefaultValue()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("t", 0).defaultValue(0, new byte[] {1})).build(),
            "table t: default value of column player_id is not a valid U64: BSATN decode error at offset 0: " +
            "truncated input: i64/u64 needs 8 bytes, 1 remain");
    }

    @Test
    void shouldRefuseReservedTableName()
    {
        assertRefused(v10().typespace(PLAYER).tables(table("st_mine", 0)).build(),
            "table st_mine: the prefix st_ is reserved for system tables");
    }

    @Test
    void shouldRefuseBadReducerReturnType()
    {
        assertRefused(v10().rawReducer("r", AlgebraicType.U32, AlgebraicType.STRING).build(),
            "reducer r: return type must be Result<(), String>, found ok U32, err STRING");
    }

    @Test
    void shouldRefuseLifecycleNamingMissingReducer()
    {
        assertRefused(v10().reducers("a", ProductType.UNIT, true).lifecycles(Lifecycle.ON_CONNECT, "b").build(),
            "lifecycle ON_CONNECT names reducer b, which does not exist");
    }

    @Test
    void shouldRefuseDuplicateLifecycle()
    {
        assertRefused(v10().reducers("a", ProductType.UNIT, true, "b", ProductType.UNIT, true)
            .lifecycles(Lifecycle.INIT, "a", Lifecycle.INIT, "b").build(),
            "lifecycle INIT is assigned to more than one reducer (b is the second)");
    }

    @Test
    void shouldRefuseScheduleOfMissingFunction()
    {
        assertRefused(v10().typespace(TIMER).tables(table("timer", 0).pk(0).index(null, null, 0, 0).unique(0))
            .schedule("timer", 1, "tick").build(),
            "table timer schedules function tick, which is neither a reducer nor a procedure");
    }

    @Test
    void shouldRefuseScheduleOnNonScheduleAtColumn()
    {
        assertRefused(v10().typespace(TIMER).tables(table("timer", 0).pk(0).index(null, null, 0, 0).unique(0))
            .reducers("tick", ProductType.of("t", AlgebraicType.ref(0)), true).schedule("timer", 0, "tick").build(),
            "table timer: schedule column scheduled_id is not a ScheduleAt but U64");
    }

    @Test
    void shouldRefuseScheduleOfMissingTable()
    {
        assertRefused(v10().reducers("tick", ProductType.UNIT, true).schedule("nope", 1, "tick").build(),
            "schedule of function tick names table nope, which does not exist");
    }

    @Test
    void shouldRefuseScheduledFunctionWithWrongParams()
    {
        assertRefused(v10().typespace(TIMER).tables(table("timer", 0).pk(0).index(null, null, 0, 0).unique(0))
            .reducers("tick", ProductType.UNIT, true).schedule("timer", 1, "tick").build(),
            "function tick scheduled by table timer must take exactly one argument of the table's row type &0");
    }

    @Test
    void shouldRefuseInvalidIdentifier()
    {
        assertRefused(v10().reducers("9lives", ProductType.UNIT, true).build(),
            "reducer 9lives: \"9_lives\" is not a valid identifier (a letter or _ then letters, digits or _)");
    }

    @Test
    void shouldRefuseRouteToMissingHandler()
    {
        assertRefused(v10().httpRoutes("nobody", "/x").build(),
            "http route /x names handler nobody, which does not exist");
    }

    @Test
    void shouldRefuseDuplicateSection()
    {
        assertRefused(v10().casePolicy(1).casePolicy(0).build(),
            "malformed RawModuleDefV10: section CaseConversionPolicy appears twice");
    }

    @Test
    void shouldAcceptRowLevelSecurityOverTheModulesTables() throws Exception
    {
        final ModuleDef def = ModuleDefDecoder.decode(v10().typespace(PLAYER).tables(player())
            .rls("SELECT * FROM player_state WHERE player_id = 3", "SELECT player_state.* FROM player_state")
            .build());
        assertEquals(2, def.rowLevelSecurity().size());
    }

    @Test
    void shouldRefuseRowLevelSecurityThatDoesNotParse()
    {
        assertRefused(v10().typespace(PLAYER).tables(player()).rls("SELECT * FORM player_state").build(),
            "invalid row-level security rule \"SELECT * FORM player_state\": unexpected token 'FORM' at 9: " +
            "expected FROM");
    }

    @Test
    void shouldRefuseRowLevelSecurityOnUnknownTable()
    {
        assertRefused(v10().typespace(PLAYER).tables(player()).rls("SELECT * FROM nope").build(),
            "invalid row-level security rule \"SELECT * FROM nope\": no such table: nope \u2014 it may be marked " +
            "private (at 14)");
    }

    @Test
    void shouldRefuseRowLevelSecurityThatDoesNotTypeCheck()
    {
        assertRefused(v10().typespace(PLAYER).tables(player())
            .rls("SELECT * FROM player_state WHERE display_name = :sender").build(),
            "invalid row-level security rule \"SELECT * FROM player_state WHERE display_name = :sender\": " +
            ":sender is an Identity, but column display_name has type STRING (at 48)");
    }

    @Test
    void shouldRefuseRowLevelSecurityWithAJoin()
    {
        final byte[] def = v10().typespace(PLAYER).tables(player(), table("Other", 0))
            .rls("SELECT player_state.* FROM player_state JOIN other ON player_state.player_id = other.player_id")
            .build();
        final ModuleDefException e = assertThrows(ModuleDefException.class, () -> ModuleDefDecoder.decode(def));
        assertTrue(e.getMessage().contains("rules that join tables are not supported"), e.getMessage());
    }
}
