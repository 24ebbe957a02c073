package io.lightcone.wasm.host;

import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.moduledef.ModuleDef;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Test support: module bytes from the classpath, publishing (instantiate with the real module-def decoder, then
 * create the tables the def declares), and a runner that brackets each call in a transaction like the transaction
 * loop does.
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
        this(cacheDir, ModuleLoader.Mode.COMPILED);
    }

    HostFixture(final Path cacheDir, final ModuleLoader.Mode mode)
    {
        loader = new ModuleLoader(cacheDir, mode);
        context = new ModuleHostContext().datastore(datastore);
    }

    /**
     * Publishes a module the way the transaction loop does: load, instantiate (which runs
     * {@code __describe_module__} through the real decoder), then create the tables the def declares.
     */
    HostFixture start(final String module)
    {
        return start(loader.load(bytes(module)));
    }

    HostFixture start(final CompiledModule compiled)
    {
        instance = ModuleInstance.create(compiled, context);
        instance.createTables(datastore);
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

    CallOutcome call(final int reducerId, final byte[] args)
    {
        final MutTx tx = datastore.beginMutTx();
        return commitIfOk(tx, instance.callReducer(tx, reducerId, SENDER, NO_CONNECTION, HostEnv.nowMicros(), args));
    }

    CallOutcome call(final String reducer, final byte[] args)
    {
        final MutTx tx = datastore.beginMutTx();
        return commitIfOk(tx, instance.callReducer(tx, reducer, SENDER, NO_CONNECTION, HostEnv.nowMicros(), args));
    }

    private static CallOutcome commitIfOk(final MutTx tx, final CallOutcome outcome)
    {
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
