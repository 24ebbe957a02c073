package io.lightcone.txn.migrate;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.moduledef.ModuleDef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.lightcone.txn.migrate.Defs.PLAYER;
import static io.lightcone.txn.migrate.Defs.item;
import static io.lightcone.txn.migrate.Defs.module;
import static io.lightcone.txn.migrate.Defs.player;
import static io.lightcone.txn.migrate.Defs.reducer;
import static io.lightcone.txn.migrate.Defs.string;
import static io.lightcone.txn.migrate.Defs.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationPlannerTest
{
    private static final ModuleDef BASE = module(player().build(), item().build());

    private static List<MigrationStep> allowed(final ModuleDef newDef)
    {
        final MigrationPlan plan = MigrationPlanner.plan(BASE, newDef);
        assertFalse(plan.isRefused(), plan::describe);
        return plan.steps();
    }

    private static void assertRefused(final ModuleDef newDef, final String... messages)
    {
        final MigrationPlan plan = MigrationPlanner.plan(BASE, newDef);
        assertTrue(plan.isRefused(), plan::describe);
        assertEquals(List.of(messages), plan.refusals());
        assertTrue(plan.steps().isEmpty());
    }

    private static ProductType withColumn(final String name, final AlgebraicType type)
    {
        return ProductType.of("id", AlgebraicType.U32, "name", AlgebraicType.STRING, "level", AlgebraicType.U32,
            name, type);
    }

    @Test
    void shouldAllowTheSameModuleWithNoSteps()
    {
        assertEquals(List.of(), allowed(BASE));
    }

    @Test
    void shouldAddATable()
    {
        final TableSchema guild = TableSchema.builder("guild", ProductType.of("id", AlgebraicType.U64))
            .primaryKey(0).build();
        assertEquals(List.of(new MigrationStep.AddTable(guild)), allowed(module(player().build(), item().build(),
            guild)));
    }

    @Test
    void shouldRefuseARemovedTable()
    {
        assertRefused(module(player().build()), "table item was removed");
    }

    @Test
    void shouldAppendColumnsWithTheirDefaults()
    {
        final ProductType wider = ProductType.of("id", AlgebraicType.U32, "name", AlgebraicType.STRING,
            "level", AlgebraicType.U32, "xp", AlgebraicType.U32, "title", AlgebraicType.STRING);
        final List<MigrationStep> steps = allowed(module(player(wider).defaultValue(3, u32(0))
            .defaultValue(4, string("novice")).build(), item().build()));
        assertEquals(1, steps.size());
        final MigrationStep.AddColumns add = (MigrationStep.AddColumns)steps.get(0);
        assertEquals("player", add.table());
        assertEquals(List.of(new MigrationStep.NewColumn("xp", AlgebraicType.U32, u32(0)),
            new MigrationStep.NewColumn("title", AlgebraicType.STRING, string("novice"))), add.columns());
        assertArrayEquals(string("novice"), add.columns().get(1).defaultValue());
        assertEquals("add columns xp: u32, title: String to table player", add.describe());
    }

    @Test
    void shouldRefuseAColumnWithoutDefault()
    {
        assertRefused(module(player(withColumn("xp", AlgebraicType.U32)).build(), item().build()),
            "column xp of table player was added without a default value");
    }

    @Test
    void shouldRefuseADefaultThatIsNotOfTheColumnsType()
    {
        final MigrationPlan plan = MigrationPlanner.plan(BASE, module(player(withColumn("xp", AlgebraicType.U64))
            .defaultValue(3, u32(1)).build(), item().build()));
        assertEquals(1, plan.refusals().size());
        assertTrue(plan.refusals().get(0).startsWith("default value of column xp of table player is not a valid u64"),
            plan.refusals().get(0));
    }

    @Test
    void shouldRefuseAColumnAddedBeforeExistingOnes()
    {
        final ProductType inserted = ProductType.of("id", AlgebraicType.U32, "xp", AlgebraicType.U32,
            "name", AlgebraicType.STRING, "level", AlgebraicType.U32);
        assertRefused(module(player(inserted).defaultValue(1, u32(0)).build(), item().build()),
            "column name of table player moved from position 1 to position 2",
            "column level of table player moved from position 2 to position 3",
            "column xp of table player was added at position 1, not at the end");
    }

    @Test
    void shouldRefuseRemovedRenamedReorderedAndRetypedColumns()
    {
        assertRefused(module(player(ProductType.of("id", AlgebraicType.U32, "name", AlgebraicType.STRING)).build(),
            item().build()), "column level of table player was removed");
        assertRefused(module(player(ProductType.of("id", AlgebraicType.U32, "name", AlgebraicType.STRING,
            "rank", AlgebraicType.U32)).build(), item().build()), "column level of table player was renamed to rank");
        assertRefused(module(player(ProductType.of("id", AlgebraicType.U32, "level", AlgebraicType.U32,
            "name", AlgebraicType.STRING)).build(), item().build()),
            "column name of table player moved from position 1 to position 2",
            "column level of table player moved from position 2 to position 1");
        assertRefused(module(player(ProductType.of("id", AlgebraicType.U32, "name", AlgebraicType.STRING,
            "level", AlgebraicType.U64)).build(), item().build()),
            "column level of table player changed type from u32 to u64");
        assertRefused(module(player(ProductType.of("id", AlgebraicType.U32, "name", AlgebraicType.STRING,
            "level", SpecialTypes.option(AlgebraicType.U32))).build(), item().build()),
            "column level of table player changed type from u32 to Option<u32>");
    }

    @Test
    void shouldRefuseAChangedPrimaryKey()
    {
        assertRefused(module(TableSchema.builder("player", PLAYER).primaryKey(1).autoInc(0).build(), item().build()),
            "primary key of table player changed from (id) to (name)");
        assertRefused(module(TableSchema.builder("player", PLAYER).autoInc(0).build(), item().build()),
            "primary key of table player changed from (id) to (none)");
    }

    @Test
    void shouldAddANonUniqueIndex()
    {
        final TableSchema indexed = player().index(IndexAlgorithm.BTREE, 2).build();
        assertEquals(List.of(new MigrationStep.AddIndex("player",
            new IndexSchema("player_level_idx_btree", null, IndexAlgorithm.BTREE, new int[] {2}, false))),
            allowed(module(indexed, item().build())));
    }

    @Test
    void shouldAddAnIndexOnAnAppendedColumnAfterAddingIt()
    {
        final TableSchema indexed = player(withColumn("xp", AlgebraicType.U32)).defaultValue(3, u32(0))
            .index(IndexAlgorithm.BTREE, 3).build();
        final List<MigrationStep> steps = allowed(module(indexed, item().build()));
        assertEquals(2, steps.size());
        assertTrue(steps.get(0) instanceof MigrationStep.AddColumns);
        assertTrue(steps.get(1) instanceof MigrationStep.AddIndex);
    }

    @Test
    void shouldRefuseAnAddedUniqueConstraint()
    {
        assertRefused(module(player().unique(1).build(), item().build()),
            "unique constraint on (name) of table player was added (index player_name_key); " +
            "existing rows could violate it");
    }

    @Test
    void shouldRemoveIndexesButNotThePrimaryKeyIndex()
    {
        final ModuleDef old = module(player().unique(1).index(IndexAlgorithm.BTREE, 2).build(), item().build());
        final MigrationPlan plan = MigrationPlanner.plan(old, BASE);
        assertEquals(List.of(new MigrationStep.RemoveIndex("player", "player_level_idx_btree"),
            new MigrationStep.RemoveIndex("player", "player_name_key")), plan.steps());

        final ModuleDef renamedKey = module(player()
            .index(new IndexSchema("player_pk", null, IndexAlgorithm.BTREE, new int[] {0}, false)).build(),
            item().build());
        final MigrationPlan refused = MigrationPlanner.plan(BASE, renamedKey);
        assertEquals(List.of("index player_id_key of table player, which enforces the primary key, was removed or " +
            "renamed", "unique constraint on (id) of table player was added (index player_pk); existing rows " +
            "could violate it"), refused.refusals());
    }

    @Test
    void shouldRefuseAChangedIndexOrAnIndexMovedToAnotherTable()
    {
        final ModuleDef hashed = module(player().build(), TableSchema.builder("item", item().build().rowType())
            .index(new IndexSchema("item_owner_idx_btree", null, IndexAlgorithm.HASH, new int[] {0}, false)).build());
        assertRefused(hashed, "index item_owner_idx_btree of table item changed from btree(owner) to hash(owner)");

        final ModuleDef moved = module(player().index(new IndexSchema("item_owner_idx_btree", null,
            IndexAlgorithm.BTREE, new int[] {2}, false)).build(),
            TableSchema.builder("item", item().build().rowType()).build());
        final MigrationPlan plan = MigrationPlanner.plan(BASE, moved);
        assertEquals(List.of("index item_owner_idx_btree moved from table item to table player"), plan.refusals());
    }

    @Test
    void shouldRefuseSequenceChanges()
    {
        assertRefused(module(TableSchema.builder("player", PLAYER).primaryKey(0).build(), item().build()),
            "sequence player_id_seq of table player was removed");
        assertRefused(module(player().sequence(new SequenceSchema("level_seq", 2, 1, 1, 100, 1)).build(),
            item().build()), "sequence level_seq on column level of table player was added");
        assertRefused(module(TableSchema.builder("player", PLAYER).primaryKey(0)
            .sequence(new SequenceSchema("player_id_seq", 0, 10, 1, 0xFFFF_FFFFL, 1)).build(), item().build()),
            "sequence player_id_seq of table player changed from column id start 1 min 1 max 4294967295 " +
            "increment 1 to column id start 10 min 1 max 4294967295 increment 1");
    }

    @Test
    void shouldChangeAccessBothWays()
    {
        assertEquals(List.of(new MigrationStep.ChangeAccess("player", TableAccess.PUBLIC, TableAccess.PRIVATE)),
            allowed(module(player().access(TableAccess.PRIVATE).build(), item().build())));
        final ModuleDef privateItems = module(player().build(), item().access(TableAccess.PRIVATE).build());
        assertEquals(List.of(new MigrationStep.ChangeAccess("item", TableAccess.PRIVATE, TableAccess.PUBLIC)),
            MigrationPlanner.plan(privateItems, BASE).steps());
    }

    @Test
    void shouldRefuseEventAndSystemFlagChanges()
    {
        assertRefused(module(player().build(), item().event(true).build()),
            "event flag of table item changed from false to true (it is immutable)");
        assertRefused(module(player().build(), item().system(true).build()),
            "table item changed from a user to a system table");
    }

    @Test
    void shouldRefuseScheduleChanges()
    {
        final ProductType tick = ProductType.of("scheduled_id", AlgebraicType.U64, "at", SpecialTypes.SCHEDULE_AT);
        final TableSchema plain = TableSchema.builder("tick", tick).primaryKey(0).autoInc(0).build();
        final TableSchema scheduled = TableSchema.builder("tick", tick).primaryKey(0).autoInc(0)
            .schedule("on_tick", 1).build();
        final TableSchema other = TableSchema.builder("tick", tick).primaryKey(0).autoInc(0)
            .schedule("on_tock", 1).build();
        assertEquals(List.of("schedule of table tick changed from none to reducer on_tick at column at"),
            MigrationPlanner.plan(module(plain), module(scheduled)).refusals());
        assertEquals(List.of("schedule of table tick changed from reducer on_tick at column at to reducer on_tock " +
            "at column at"), MigrationPlanner.plan(module(scheduled), module(other)).refusals());
        assertEquals(List.of("schedule of table tick changed from reducer on_tick at column at to none"),
            MigrationPlanner.plan(module(scheduled), module(plain)).refusals());
    }

    @Test
    void shouldTreatReducerChangesAsNoDataChanges()
    {
        final ModuleDef old = module(List.of(player().build()), List.of(reducer(0, "spawn", ProductType.UNIT),
            reducer(1, "quit", ProductType.UNIT)));
        final ModuleDef updated = module(List.of(player().build()), List.of(
            reducer(0, "spawn", ProductType.of("x", AlgebraicType.F32)), reducer(1, "chat", ProductType.UNIT)));
        final MigrationPlan plan = MigrationPlanner.plan(old, updated);
        assertFalse(plan.isRefused());
        assertFalse(plan.changesData());
        assertEquals(List.of("reducer spawn changed", "reducer quit removed", "reducer chat added"),
            plan.steps().stream().map(MigrationStep::describe).toList());
    }

    @Test
    void shouldListEveryIncompatibleChangeOfACombinedUpdate()
    {
        final TableSchema guild = TableSchema.builder("guild", ProductType.of("id", AlgebraicType.U64)).build();
        final ProductType changed = ProductType.of("id", AlgebraicType.U64, "name", AlgebraicType.STRING,
            "level", AlgebraicType.U32, "xp", AlgebraicType.U32);
        final ModuleDef updated = module(TableSchema.builder("player", changed).primaryKey(0)
            .sequence(new SequenceSchema("player_id_seq", 0, 1, 1, 0xFFFF_FFFFL, 1)).unique(1)
            .access(TableAccess.PRIVATE).build(), guild);
        final MigrationPlan plan = MigrationPlanner.plan(BASE, updated);
        assertEquals(List.of("table item was removed",
            "column id of table player changed type from u32 to u64",
            "column xp of table player was added without a default value",
            "unique constraint on (name) of table player was added (index player_name_key); existing rows could " +
            "violate it"), plan.refusals());
        assertTrue(plan.describe().startsWith("migration refused:\n  - table item was removed"), plan.describe());
    }

    @Test
    void shouldPlanACombinedAllowedUpdate()
    {
        final TableSchema guild = TableSchema.builder("guild", ProductType.of("id", AlgebraicType.U64)).build();
        final ModuleDef updated = module(List.of(player(withColumn("xp", AlgebraicType.U32)).defaultValue(3, u32(0))
            .index(IndexAlgorithm.BTREE, 2).access(TableAccess.PRIVATE).build(),
            TableSchema.builder("item", item().build().rowType()).build(), guild),
            List.of(reducer(0, "spawn", ProductType.UNIT)));
        final MigrationPlan plan = MigrationPlanner.plan(BASE, updated);
        assertEquals(List.of("add column xp: u32 to table player", "add index player_level_idx_btree to table player",
            "change access of table player from PUBLIC to PRIVATE", "remove index item_owner_idx_btree from table item",
            "add table guild", "reducer spawn added"), plan.steps().stream().map(MigrationStep::describe).toList());
        assertTrue(plan.changesData());
    }
}
