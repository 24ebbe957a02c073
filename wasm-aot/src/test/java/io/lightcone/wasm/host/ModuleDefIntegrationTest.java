package io.lightcone.wasm.host;

import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ReducerDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host and the real module-def decoder together: tables created from the decoded def, name lookups by source
 * and canonical names, reducers and views called by name with argument checks.
 */
class ModuleDefIntegrationTest
{
    @TempDir
    Path cacheDir;

    @Test
    void tablesShouldBeCreatedFromTheDefWithCanonicalNames()
    {
        try (HostFixture f = new HostFixture(cacheDir).start("everything"))
        {
            final List<String> names = f.datastore.tables().stream().map((t) -> t.schema().name()).toList();
            assertTrue(names.containsAll(List.of("everything", "tick_timer", "ev_log", "kv")), names.toString());
            final TableSchema everything = f.datastore.table("everything").schema();
            assertEquals("u_32_v", everything.columnName(10));
            assertTrue(f.datastore.table("ev_log").schema().isEvent());
            assertThrows(IllegalArgumentException.class, () -> f.instance.createTables(f.datastore),
                "publishing twice into the same datastore is refused");
        }
    }

    @Test
    void directIndexOnANonUniqueColumnShouldBeABtreeOnBothSides()
    {
        try (HostFixture f = new HostFixture(cacheDir).start("everything"))
        {
            final IndexSchema decoded = index(f.instance.moduleDef().table("everything"),
                "everything_u_8_v_idx_direct");
            final StoredTable stored = f.datastore.table("everything");
            final IndexSchema created = index(stored.schema(), "everything_u_8_v_idx_direct");
            assertEquals(IndexAlgorithm.BTREE, decoded.algorithm());
            assertEquals(decoded, created);
            final int id = f.datastore.indexId("everything_u_8_v_idx_direct");
            assertEquals(id, f.instance.hostEnv().resolveIndexId("everything_u8v_idx_direct"));
            // The module's lookups reducer resolves every index by its source name, the direct one included.
            assertEquals(CallOutcome.ok(), f.call("lookups", HostFixture.none()));
        }
    }

    @Test
    void namesShouldResolveBySourceOrCanonicalNameAndFallBackToTheDatastore()
    {
        try (HostFixture f = new HostFixture(cacheDir).start("everything"))
        {
            final HostEnv env = f.instance.hostEnv();
            final int canonical = f.datastore.indexId("everything_u_32_v_s_idx_btree");
            assertTrue(canonical >= 0);
            assertEquals(canonical, env.resolveIndexId("everything_u32v_s_idx_btree"));
            assertEquals(canonical, env.resolveIndexId("everything_u_32_v_s_idx_btree"));
            assertEquals(canonical, env.resolveIndexId("everything_u32v_s_idx_btree"), "cached");
            assertEquals(-1, env.resolveIndexId("no_such_index"));
            assertEquals(f.datastore.tableId("tick_timer"), env.resolveTableId("tick_timer"));
            assertEquals(-1, env.resolveTableId("no_such_table"));

            // A table the def does not know is found by its datastore name.
            f.datastore.createTable(TableSchema.builder("extra",
                ProductType.of("x", PrimitiveType.U32)).build());
            assertEquals(f.datastore.tableId("extra"), env.resolveTableId("extra"));

            // A cached resolution follows a table that was dropped and created again.
            final int kvBefore = env.resolveTableId("kv");
            final int kvIndexBefore = env.resolveIndexId("kv_k_idx_btree");
            final TableSchema kv = f.instance.moduleDef().table("kv");
            assertTrue(f.datastore.dropTable(kvBefore));
            assertEquals(-1, env.resolveTableId("kv"));
            f.datastore.createTable(kv);
            assertNotEquals(kvBefore, env.resolveTableId("kv"));
            assertEquals(f.datastore.tableId("kv"), env.resolveTableId("kv"));
            assertNotEquals(kvIndexBefore, env.resolveIndexId("kv_k_idx_btree"));
            assertEquals(f.datastore.indexId("kv_k_idx_btree"), env.resolveIndexId("kv_k_idx_btree"));
            assertEquals(CallOutcome.ok(), f.call("delete_eq", HostFixture.args().writeU32(3).writeString("x")
                .toByteArray()), "the module reaches the re-created table");
        }
    }

    @Test
    void reducersShouldBeCalledByNameWithTheirArgumentsChecked()
    {
        try (HostFixture f = new HostFixture(cacheDir).start("keynote"))
        {
            assertEquals(CallOutcome.ok(), f.call("seed", HostFixture.args().writeU32(10).writeU64(100).toByteArray()));
            assertEquals(10, f.rowCount("accounts"));
            assertEquals(CallOutcome.ok(), f.call("transfer", HostFixture.args().writeU32(1).writeU32(2).writeU64(5)
                .toByteArray()));
            assertEquals(CallOutcome.ok(), f.call("empty", HostFixture.none()));

            final long instantiations = f.instance.instantiations();
            final CallOutcome unknown = f.call("no_such_reducer", HostFixture.none());
            assertEquals(CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "no such reducer: no_such_reducer"),
                unknown);

            final CallOutcome truncated = f.call("transfer", HostFixture.args().writeU32(1).writeU32(2)
                .toByteArray());
            assertEquals(CallOutcome.Status.INTERNAL_ERROR, truncated.status());
            assertTrue(truncated.message().startsWith("invalid arguments for reducer transfer: "),
                truncated.message());

            final CallOutcome extra = f.call("empty", new byte[] {1});
            assertEquals(CallOutcome.Status.INTERNAL_ERROR, extra.status());
            assertEquals("invalid arguments for reducer empty: 1 byte(s) left over after the last parameter",
                extra.message());
            assertEquals(instantiations, f.instance.instantiations(), "bad arguments never reach the module");

            final ReducerDef transfer = f.instance.moduleDef().reducer("transfer");
            final MutTx tx = f.datastore.beginMutTx();
            final CallOutcome byDef = f.instance.callReducer(tx, transfer, HostFixture.SENDER,
                HostFixture.NO_CONNECTION, HostEnv.nowMicros(), new byte[3]);
            tx.rollback();
            assertTrue(byDef.message().startsWith("invalid arguments for reducer transfer: "), byDef.message());
        }
    }

    @Test
    void invalidStringArgumentsShouldBeRefusedBeforeTheModule()
    {
        try (HostFixture f = new HostFixture(cacheDir).start("quickstart"))
        {
            final byte[] badUtf8 = {2, 0, 0, 0, (byte)0xC3, (byte)0x28};
            final CallOutcome outcome = f.call("add", badUtf8);
            assertEquals(CallOutcome.Status.INTERNAL_ERROR, outcome.status());
            assertTrue(outcome.message().startsWith("invalid arguments for reducer add: "), outcome.message());
            assertEquals(0, f.rowCount("person"));
            assertEquals(CallOutcome.ok(), f.call("add", HostFixture.args().writeString("Ada").toByteArray()));
            assertEquals(1, f.rowCount("person"));
        }
    }

    @Test
    void scheduleTablesAndImmediateSchedulesShouldNameCallableReducers()
    {
        try (HostFixture f = new HostFixture(cacheDir).start("everything"))
        {
            final ModuleDef def = f.instance.moduleDef();
            final String scheduled = f.datastore.table("tick_timer").schema().schedule().functionName();
            assertEquals("tick", scheduled);
            assertEquals(def.table("tick_timer").schedule(), f.datastore.table("tick_timer").schema().schedule());
            // What the scheduler would do when the row is due: call the reducer with the row as its argument.
            final byte[] row = HostFixture.args().writeU64(7).writeU8(1).writeU64(HostEnv.nowMicros()).toByteArray();
            assertEquals(CallOutcome.ok(), f.call(scheduled, row));
            assertTrue(f.instance.log().records().stream().anyMatch((r) -> r.message().equals("tick 7")),
                f.instance.log().records().toString());

            assertEquals(CallOutcome.ok(), f.call("schedule_now", HostFixture.args().writeString("hi").toByteArray()));
            final ScheduledCall call = f.instance.scheduledCalls().get(0);
            assertEquals(CallOutcome.ok(), f.call(call.reducerName(), call.args()));
        }
    }

    @Test
    void viewsShouldBeCalledByName()
    {
        try (HostFixture f = new HostFixture(cacheDir).start("everything"))
        {
            assertEquals(CallOutcome.ok(), f.call("delete_eq", HostFixture.args().writeU32(1).writeString("a")
                .toByteArray()));
            assertTrue(f.instance.callProcedure(0, HostFixture.SENDER, HostFixture.NO_CONNECTION, HostEnv.nowMicros(),
                HostFixture.args().writeU32(1).toByteArray()).isOk());
            final MutTx tx = f.datastore.beginMutTx();
            final CallOutcome named = f.instance.callView(tx, "my_kv", HostFixture.SENDER, new byte[0]);
            final CallOutcome anon = f.instance.callView(tx, "all_kv_anon", HostFixture.SENDER, new byte[0]);
            final CallOutcome missing = f.instance.callView(tx, "no_view", HostFixture.SENDER, new byte[0]);
            tx.rollback();
            assertEquals(CallOutcome.Status.OK, named.status(), named.message());
            assertArrayEquals(named.output(), anon.output());
            final BsatnReader reader = new BsatnReader(named.output());
            assertEquals(0, reader.readU8());
            assertEquals(1, reader.readLength(0, "rows"));
            assertEquals(CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "no such view: no_view"), missing);
        }
    }

    private static IndexSchema index(final TableSchema table, final String name)
    {
        for (final IndexSchema index : table.indexes())
        {
            if (index.name().equals(name))
            {
                return index;
            }
        }
        throw new AssertionError("no index " + name + " in " + table.indexes());
    }
}
