package io.lightcone.wasm.host;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.ArrayType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.PrimitiveType;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.sats.Typespace;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.IndexSchema;
import io.lightcone.core.schema.SequenceSchema;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.wasm.moduledef.ModuleDef;
import io.lightcone.wasm.moduledef.ReducerDef;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Test support: module bytes from the classpath, hand-built table schemas for the C test modules (see each .c
 * header), a stand-in for the module-def decoder (the real one lives in io.lightcone.wasm.moduledef and is written
 * elsewhere), and a runner that brackets each call in a transaction like the transaction loop does.
 */
final class HostFixture implements AutoCloseable
{
    static final byte[] SENDER = new byte[32];
    static final byte[] NO_CONNECTION = new byte[16];

    static
    {
        for (int i = 0; i < 32; i++)
        {
            SENDER[i] = (byte)(i + 1);
        }
    }

    final Datastore datastore = new Datastore();
    final ModuleLoader loader;
    final ModuleHostContext context;
    ModuleInstance instance;

    HostFixture(final Path cacheDir)
    {
        loader = new ModuleLoader(cacheDir);
        context = new ModuleHostContext().datastore(datastore).describeDecoder(HostFixture::decodeStub);
    }

    HostFixture start(final String module)
    {
        instance = ModuleInstance.create(loader.load(bytes(module)), context);
        return this;
    }

    static byte[] bytes(final String module)
    {
        try (InputStream in = HostFixture.class.getResourceAsStream("/modules/" + module + ".wasm"))
        {
            if (null == in)
            {
                throw new IllegalArgumentException("no module " + module);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Stand-in for the RawModuleDef decoder: checks the variant tag only and returns a def without contents.
     */
    static ModuleDef decodeStub(final byte[] bytes)
    {
        if (bytes.length == 0)
        {
            throw new IllegalArgumentException("empty RawModuleDef");
        }
        final int tag = bytes[0] & 0xFF;
        if (tag > 2)
        {
            throw new IllegalArgumentException("unknown RawModuleDef variant tag " + tag);
        }
        final List<ReducerDef> reducers = new ArrayList<>();
        return new ModuleDef(tag == 1 ? 9 : 10, Typespace.EMPTY, List.of(), reducers, List.of(), List.of(),
            List.of(), List.of());
    }

    CallOutcome call(final int reducerId, final byte[] args)
    {
        final MutTx tx = datastore.beginMutTx();
        final CallOutcome outcome = instance.callReducer(tx, reducerId, SENDER, NO_CONNECTION, HostEnv.nowMicros(),
            args);
        if (outcome.isOk())
        {
            tx.commit();
        }
        else
        {
            tx.rollback();
        }
        return outcome;
    }

    long rowCount(final String table)
    {
        final StoredTable stored = datastore.table(table);
        final MutTx tx = datastore.beginMutTx();
        try
        {
            return tx.visibleRowCount(stored);
        }
        finally
        {
            tx.rollback();
        }
    }

    static BsatnWriter args()
    {
        return new BsatnWriter();
    }

    static byte[] none()
    {
        return new byte[0];
    }

    // ------------------------------------------------------------------ schemas of the test modules

    void createQuickstartTables()
    {
        datastore.createTable(TableSchema.builder("person", ProductType.of("name", PrimitiveType.STRING)).build());
    }

    void createKeynoteTables()
    {
        datastore.createTable(TableSchema.builder("accounts",
            ProductType.of("id", PrimitiveType.U32, "balance", PrimitiveType.I64))
            .primaryKey(0)
            .index(new IndexSchema("accounts_id_idx_btree", "id", IndexAlgorithm.BTREE, new int[] {0}, false))
            .build());
    }

    void createTrapTables()
    {
        datastore.createTable(TableSchema.builder("t", ProductType.of("x", PrimitiveType.U32)).build());
    }

    void createV9Tables()
    {
        datastore.createTable(TableSchema.builder("note",
            ProductType.of("id", PrimitiveType.U64, "text", PrimitiveType.STRING))
            .primaryKey(0)
            .index(new IndexSchema("note_id_idx_btree", "id", IndexAlgorithm.BTREE, new int[] {0}, false))
            .sequence(new SequenceSchema("note_id_seq", 0, 1, 1, Long.MAX_VALUE, 1))
            .build());
        datastore.createTable(TableSchema.builder("reminder", ProductType.of("scheduled_id", PrimitiveType.U64,
            "scheduled_at", SpecialTypes.SCHEDULE_AT))
            .primaryKey(0)
            .index(new IndexSchema("reminder_scheduled_id_idx_btree", "scheduled_id", IndexAlgorithm.BTREE,
                new int[] {0}, false))
            .sequence(new SequenceSchema("reminder_scheduled_id_seq", 0, 1, 1, Long.MAX_VALUE, 1))
            .build());
    }

    void createEverythingTables()
    {
        final ProductType point = ProductType.of("x", PrimitiveType.I32, "y", PrimitiveType.I32);
        final SumType color = SumType.enumOf("red", "green", "blue");
        final SumType shape = SumType.of("circle", PrimitiveType.F32, "rect", point, "label", PrimitiveType.STRING,
            "nothing", ProductType.UNIT);
        final AlgebraicType[] types =
        {
            PrimitiveType.U64, PrimitiveType.BOOL, PrimitiveType.I8, PrimitiveType.I16, PrimitiveType.I32,
            PrimitiveType.I64, PrimitiveType.I128, PrimitiveType.I256, PrimitiveType.U8, PrimitiveType.U16,
            PrimitiveType.U32, PrimitiveType.U64, PrimitiveType.U128, PrimitiveType.U256, PrimitiveType.F32,
            PrimitiveType.F64, PrimitiveType.STRING, ArrayType.BYTES, new ArrayType(PrimitiveType.STRING),
            SpecialTypes.option(PrimitiveType.U32), color, shape, point, SpecialTypes.IDENTITY,
            SpecialTypes.CONNECTION_ID, SpecialTypes.TIMESTAMP, SpecialTypes.TIME_DURATION, SpecialTypes.UUID,
            SpecialTypes.SCHEDULE_AT,
        };
        final String[] names =
        {
            "id", "b", "i8v", "i16v", "i32v", "i64v", "i128v", "i256v", "u8v", "u16v", "u32v", "u64v", "u128v",
            "u256v", "f32v", "f64v", "s", "bytes", "strings", "opt", "color", "shape", "point", "ident", "conn",
            "ts", "dur", "uuid", "sched",
        };
        final Object[] namesAndTypes = new Object[names.length * 2];
        for (int i = 0; i < names.length; i++)
        {
            namesAndTypes[2 * i] = names[i];
            namesAndTypes[2 * i + 1] = types[i];
        }
        datastore.createTable(TableSchema.builder("everything", ProductType.of(namesAndTypes))
            .primaryKey(0)
            .index(new IndexSchema("everything_id_idx_btree", "id", IndexAlgorithm.BTREE, new int[] {0}, false))
            .index(new IndexSchema("everything_u32v_s_idx_btree", "u32v_s", IndexAlgorithm.BTREE,
                new int[] {10, 16}, false))
            .index(new IndexSchema("everything_u64v_idx_btree", "u64v", IndexAlgorithm.BTREE, new int[] {11}, false))
            .index(new IndexSchema("everything_i64v_idx_hash", "i64v", IndexAlgorithm.HASH, new int[] {5}, false))
            // Declared Direct in the module; Lightcone's direct index must be unique, so a BTree stands in here.
            .index(new IndexSchema("everything_u8v_idx_direct", "u8v", IndexAlgorithm.BTREE, new int[] {8}, false))
            .unique(11)
            .sequence(new SequenceSchema("everything_id_seq", 0, 1, 1, Long.MAX_VALUE, 1))
            .build());
        datastore.createTable(TableSchema.builder("tick_timer", ProductType.of("scheduled_id", PrimitiveType.U64,
            "scheduled_at", SpecialTypes.SCHEDULE_AT))
            .primaryKey(0)
            .index(new IndexSchema("tick_timer_scheduled_id_idx_btree", "scheduled_id", IndexAlgorithm.BTREE,
                new int[] {0}, false))
            .sequence(new SequenceSchema("tick_timer_scheduled_id_seq", 0, 1, 1, Long.MAX_VALUE, 1))
            .build());
        datastore.createTable(TableSchema.builder("ev_log",
            ProductType.of("msg", PrimitiveType.STRING, "n", PrimitiveType.U32)).event(true).build());
        datastore.createTable(TableSchema.builder("kv",
            ProductType.of("k", PrimitiveType.U32, "v", PrimitiveType.STRING))
            .primaryKey(0)
            .index(new IndexSchema("kv_k_idx_btree", "k", IndexAlgorithm.BTREE, new int[] {0}, false))
            .build());
    }

    static Function<byte[], ModuleDef> failingDecoder(final String message)
    {
        return (bytes) ->
        {
            throw new IllegalArgumentException(message);
        };
    }

    @Override
    public void close()
    {
        if (null != instance)
        {
            instance.close();
        }
        datastore.close();
    }
}
