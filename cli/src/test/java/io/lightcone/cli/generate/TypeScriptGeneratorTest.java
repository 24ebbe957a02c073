package io.lightcone.cli.generate;

import io.lightcone.core.moduledef.Lifecycle;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ReducerDef;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.RefType;
import io.lightcone.core.sats.SpecialType;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants of the type mapping and of the generated files, on a module built by hand: every SATS type maps to the
 * SDK's builder for it, named types are used by name (also where the definition inlined them), and the files are
 * those SpacetimeDB's codegen would write for the module, sorted and stable.
 */
final class TypeScriptGeneratorTest
{
    private static final ProductType IDENTITY = special(SpecialType.IDENTITY_TAG, PrimitiveType.U256);
    private static final ProductType CONNECTION_ID = special(SpecialType.CONNECTION_ID_TAG, PrimitiveType.U128);
    private static final ProductType TIMESTAMP = special(SpecialType.TIMESTAMP_TAG, PrimitiveType.I64);
    private static final ProductType TIME_DURATION = special(SpecialType.TIME_DURATION_TAG, PrimitiveType.I64);
    private static final ProductType UUID = special(SpecialType.UUID_TAG, PrimitiveType.U128);
    private static final SumType SCHEDULE_AT = SumType.of("Interval", TIME_DURATION, "Time", TIMESTAMP);

    /** &0 Vec2 {x: f32, y: f32}; &1 Shape = circle(f32) | rect(&0) | empty; &2 Color plain enum; &3 player row. */
    private static final Typespace TYPESPACE = new Typespace(List.of(
        ProductType.of("x", PrimitiveType.F32, "y", PrimitiveType.F32),
        SumType.of("circle", PrimitiveType.F32, "rect", new RefType(0), "empty", ProductType.UNIT),
        SumType.enumOf("red", "dark_green"),
        ProductType.of("player_id", PrimitiveType.U64, "identity", IDENTITY, "pos", new RefType(0),
            "color", new RefType(2)),
        ProductType.of("name", PrimitiveType.STRING)));

    private static ProductType special(final String tag, final PrimitiveType type)
    {
        return ProductType.of(tag, type);
    }

    private static SumType option(final AlgebraicType value)
    {
        return SumType.of("some", value, "none", ProductType.UNIT);
    }

    private static ModuleDef module()
    {
        final ProductType playerRow = (ProductType)TYPESPACE.inline(new RefType(3));
        final TableSchema player = TableSchema.builder("player", playerRow)
            .primaryKey(0)
            .index(new IndexSchema("player_player_id_idx_btree", "player_id", IndexAlgorithm.BTREE, new int[] {0},
                false))
            .index(new IndexSchema("player_identity_idx_btree", "identity", IndexAlgorithm.BTREE, new int[] {1},
                false))
            .index(new IndexSchema("player_color_idx_btree", null, IndexAlgorithm.BTREE, new int[] {3}, false))
            .unique(1)
            .build();
        final TableSchema secret = TableSchema.builder("secret", ProductType.of("v", PrimitiveType.U32))
            .access(TableAccess.PRIVATE).build();
        final TableSchema event = TableSchema.builder("damage_event", ProductType.of("amount", PrimitiveType.U32))
            .event(true).build();
        final ReducerDef move = new ReducerDef(0, "move_to", "move_to",
            ProductType.of("target", TYPESPACE.inline(new RefType(0)), "shape", option(TYPESPACE.inline(
                new RefType(1)))), null, true);
        final ReducerDef connect = new ReducerDef(1, "client_connected", "client_connected", ProductType.UNIT,
            Lifecycle.ON_CONNECT, false);
        final ReducerDef internal = new ReducerDef(2, "internal", "internal", ProductType.UNIT, null, false);
        final ReducerDef add = new ReducerDef(3, "add", "add", ProductType.UNIT, null, true);
        return new ModuleDef(10, TYPESPACE, List.of(player, secret, event), List.of(move, connect, internal, add),
            List.of(), List.of(), List.of(), List.of(
                new ModuleDef.NamedType(List.of(), "Vec2", 0, false),
                new ModuleDef.NamedType(List.of(), "Shape", 1, false),
                new ModuleDef.NamedType(List.of(), "Color", 2, false),
                new ModuleDef.NamedType(List.of(), "Player", 3, false),
                new ModuleDef.NamedType(List.of(), "MoveTo", 4, false)));
    }

    @Test
    void shouldMapEveryBuiltinTypeToItsSdkBuilder()
    {
        final TypeUses uses = new TypeUses(module(), List.of());
        final Map<AlgebraicType, String> expected = Map.ofEntries(
            Map.entry(PrimitiveType.BOOL, "__t.bool()"),
            Map.entry(PrimitiveType.STRING, "__t.string()"),
            Map.entry(PrimitiveType.I8, "__t.i8()"),
            Map.entry(PrimitiveType.U8, "__t.u8()"),
            Map.entry(PrimitiveType.I16, "__t.i16()"),
            Map.entry(PrimitiveType.U16, "__t.u16()"),
            Map.entry(PrimitiveType.I32, "__t.i32()"),
            Map.entry(PrimitiveType.U32, "__t.u32()"),
            Map.entry(PrimitiveType.I64, "__t.i64()"),
            Map.entry(PrimitiveType.U64, "__t.u64()"),
            Map.entry(PrimitiveType.I128, "__t.i128()"),
            Map.entry(PrimitiveType.U128, "__t.u128()"),
            Map.entry(PrimitiveType.I256, "__t.i256()"),
            Map.entry(PrimitiveType.U256, "__t.u256()"),
            Map.entry(PrimitiveType.F32, "__t.f32()"),
            Map.entry(PrimitiveType.F64, "__t.f64()"),
            Map.entry(ProductType.UNIT, "__t.unit()"),
            Map.entry(IDENTITY, "__t.identity()"),
            Map.entry(CONNECTION_ID, "__t.connectionId()"),
            Map.entry(TIMESTAMP, "__t.timestamp()"),
            Map.entry(TIME_DURATION, "__t.timeDuration()"),
            Map.entry(UUID, "__t.uuid()"),
            Map.entry(SCHEDULE_AT, "__t.scheduleAt()"),
            Map.entry(ArrayType.BYTES, "__t.byteArray()"),
            Map.entry(new ArrayType(PrimitiveType.STRING), "__t.array(__t.string())"),
            Map.entry(new ArrayType(new ArrayType(PrimitiveType.U8)), "__t.array(__t.byteArray())"),
            Map.entry(option(PrimitiveType.STRING), "__t.option(__t.string())"),
            Map.entry(option(option(IDENTITY)), "__t.option(__t.option(__t.identity()))"),
            Map.entry(SumType.of("ok", PrimitiveType.U32, "err", PrimitiveType.STRING),
                "__t.result(__t.u32(), __t.string())"),
            Map.entry(ProductType.of("a", PrimitiveType.U8, "b_c", ProductType.of("d", TIMESTAMP)),
                "__t.object({ a: __t.u8(), bC: __t.object({ d: __t.timestamp() }) })"),
            Map.entry(SumType.of("one", PrimitiveType.U8, "two_three", ProductType.UNIT),
                "__t.enum({ One: __t.u8(), TwoThree: __t.unit() })"),
            Map.entry(new SumType(List.of()), "__t.enum({})"));
        for (final Map.Entry<AlgebraicType, String> e : expected.entrySet())
        {
            assertEquals(e.getValue(), TypeScriptGenerator.builder(uses.use(e.getKey())), e.getKey()::toString);
        }
    }

    @Test
    void shouldUseNamedTypesByNameWhetherReferencedOrInlined()
    {
        final TypeUses uses = new TypeUses(module(), List.of());
        assertEquals(new TypeUse.Ref(0, "Vec2"), uses.use(new RefType(0)));
        assertEquals(new TypeUse.Ref(0, "Vec2"), uses.use(TYPESPACE.inline(new RefType(0))));
        assertEquals(new TypeUse.Ref(1, "Shape"), uses.use(TYPESPACE.inline(new RefType(1))));
        assertEquals(new TypeUse.Ref(2, "Color"), uses.use(SumType.enumOf("red", "dark_green")));
        assertEquals("__t.array(__t.option(Vec2))",
            TypeScriptGenerator.builder(uses.use(new ArrayType(option(TYPESPACE.inline(new RefType(0)))))));
        // the same fields in another order are another type
        assertEquals("__t.object({ y: __t.f32(), x: __t.f32() })", TypeScriptGenerator.builder(
            uses.use(ProductType.of("y", PrimitiveType.F32, "x", PrimitiveType.F32))));
        assertTrue(uses.use(new ArrayType(new RefType(0))).containsRef());
        assertFalse(uses.use(new ArrayType(PrimitiveType.U8)).containsRef());
    }

    @Test
    void shouldRefuseAnUnnamedRecursiveTypeAndKeepANamedOneByReference()
    {
        final Typespace recursive = new Typespace(List.of(
            ProductType.of("children", new ArrayType(new RefType(0))),
            ProductType.of("next", option(new RefType(1)))));
        final ModuleDef def = new ModuleDef(10, recursive, List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(new ModuleDef.NamedType(List.of(), "Tree", 0, false)));
        final TypeUses uses = new TypeUses(def, List.of());
        assertEquals("__t.object({ children: __t.array(Tree) })",
            TypeScriptGenerator.builder(uses.use(recursive.get(0))));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> uses.use(new RefType(1)));
        assertTrue(ex.getMessage().contains("recursive"), ex.getMessage());
    }

    @Test
    void shouldWriteSpacetimeDbsFileLayoutForPublicTablesAndCallableReducers()
    {
        final SortedMap<String, String> files = new TypeScriptGenerator(module(), "").generate();
        assertEquals(List.of("add_reducer.ts", "damage_event_table.ts", "index.ts", "move_to_reducer.ts",
            "player_table.ts", "types.ts", "types/procedures.ts", "types/reducers.ts"), List.copyOf(files.keySet()));
        for (final String text : files.values())
        {
            assertTrue(text.startsWith(TypeScriptGenerator.GENERATED_MARK), text);
        }
    }

    @Test
    void shouldWriteRowsWithPrimaryKeyCanonicalNamesAndGettersForNamedTypes()
    {
        final String player = new TypeScriptGenerator(module(), "").generate().get("player_table.ts");
        // imports in typespace order, as SpacetimeDB writes them
        assertTrue(player.contains("import {\n  Vec2,\n  Color,\n} from \"./types\";"), player);
        assertTrue(player.contains("export default __t.row({\n" +
            "  playerId: __t.u64().primaryKey().name(\"player_id\"),\n" +
            "  identity: __t.identity(),\n" +
            "  get pos() {\n    return Vec2;\n  },\n" +
            "  get color() {\n    return Color;\n  },\n" +
            "});\n"), player);
    }

    @Test
    void shouldWriteNamedTypesSortedWithPascalCaseVariantsAndSkipTypesNamedLikeAReducer()
    {
        final String types = new TypeScriptGenerator(module(), "").generate().get("types.ts");
        final int color = types.indexOf("export const Color = __t.enum(\"Color\", {\n  Red: __t.unit(),\n" +
            "  DarkGreen: __t.unit(),\n});\nexport type Color = __Infer<typeof Color>;");
        final int player = types.indexOf("export const Player = __t.object(\"Player\", {\n" +
            "  playerId: __t.u64(),\n");
        final int shape = types.indexOf("export const Shape = __t.enum(\"Shape\", {\n  Circle: __t.f32(),\n" +
            "  get Rect() {\n    return Vec2;\n  },\n  Empty: __t.unit(),\n});");
        final int vec2 = types.indexOf("export const Vec2 = __t.object(\"Vec2\", {\n  x: __t.f32(),\n" +
            "  y: __t.f32(),\n});\nexport type Vec2 = __Infer<typeof Vec2>;");
        assertTrue(color > 0 && player > color && shape > player && vec2 > shape, types);
        assertFalse(types.contains("MoveTo"), types);
    }

    @Test
    void shouldListIndexesWithAccessorsUniqueConstraintsAndEventTablesInTheIndex()
    {
        final String index = new TypeScriptGenerator(module(), ".js").generate().get("index.ts");
        assertTrue(index.contains("  damageEvent: __table({\n    name: \"damage_event\",\n    indexes: [\n    ],\n" +
            "    constraints: [\n    ],\n    event: true,\n  }, DamageEventRow),\n"), index);
        assertTrue(index.contains("  player: __table({\n    name: \"player\",\n    indexes: [\n" +
            "      { accessor: \"identity\", name: \"player_identity_idx_btree\", algorithm: \"btree\", columns: [\n" +
            "        \"identity\",\n      ] },\n" +
            "      { accessor: \"player_id\", name: \"player_player_id_idx_btree\", algorithm: \"btree\", " +
            "columns: [\n        \"playerId\",\n      ] },\n    ],\n    constraints: [\n" +
            "      { name: \"player_identity_key\", constraint: \"unique\", columns: [\"identity\"] },\n" +
            "      { name: \"player_player_id_key\", constraint: \"unique\", columns: [\"playerId\"] },\n" +
            "    ],\n  }, PlayerRow),\n"), index);
        assertTrue(index.contains("const reducersSchema = __reducers(\n  __reducerSchema(\"add\", AddReducer),\n" +
            "  __reducerSchema(\"move_to\", MoveToReducer),\n);"), index);
        assertTrue(index.contains("import MoveToReducer from \"./move_to_reducer.js\";"), index);
        assertTrue(index.contains("const proceduresSchema = __procedures();"), index);
        assertFalse(index.contains("secret") || index.contains("internal") || index.contains("client_connected"),
            index);
    }

    @Test
    void shouldGenerateTheSameBytesEveryTime()
    {
        assertEquals(new TypeScriptGenerator(module(), "").generate(),
            new TypeScriptGenerator(module(), "").generate());
    }

    @Test
    void shouldRefuseAnUnknownImportExtension()
    {
        assertThrows(IllegalArgumentException.class, () -> new TypeScriptGenerator(module(), ".ts"));
    }
}
