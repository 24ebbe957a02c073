package io.lightcone.bench;

import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.wasm.host.CallOutcome;
import io.lightcone.wasm.host.ModuleHostContext;
import io.lightcone.wasm.host.ModuleInstance;
import io.lightcone.wasm.host.ModuleLoader;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reducer calls through the module host, each a whole transaction as the transaction loop runs it (begin, call by
 * canonical name with the arguments checked against the reducer's params, commit): the keynote module's
 * {@code empty} reducer (the fixed cost of a call) and {@code transfer(from, to, 1)} between random accounts of
 * 100,000 seeded ones (two point scans, two updates). {@code mode} runs the module compiled to JVM bytecode or in
 * Chicory's interpreter. Every outcome is checked and returned; the total balance is checked at the end. The call
 * budget is raised to 5 minutes so that seeding 100,000 accounts in one interpreted call does not run out of
 * energy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xmx4g" })
public class ReducerBenchmark
{
    static final int ACCOUNTS = 100_000;
    static final long INITIAL_BALANCE = 1_000_000_000L;
    private static final byte[] SENDER = new byte[32];
    private static final byte[] NO_CONNECTION = new byte[16];
    private static final byte[] NO_ARGS = new byte[0];

    @Param({ "compiled", "interpreted" })
    String mode;

    private Datastore datastore;
    private ModuleInstance instance;
    private final SplittableRandom random = new SplittableRandom(42);
    private final byte[] transferArgs = new byte[16];
    private final UnsafeBuffer transferBuffer = new UnsafeBuffer(transferArgs);

    @Setup(Level.Trial)
    public void setUp()
    {
        datastore = new Datastore();
        final ModuleLoader loader = new ModuleLoader(null,
            "interpreted".equals(mode) ? ModuleLoader.Mode.INTERPRETED : ModuleLoader.Mode.COMPILED);
        instance = ModuleInstance.create(loader.load(WasmModules.bytes("keynote")),
            new ModuleHostContext().datastore(datastore).callBudget(Duration.ofMinutes(5)));
        instance.createTables(datastore);
        final UnsafeBuffer seed = new UnsafeBuffer(new byte[12]);
        seed.putInt(0, ACCOUNTS, LITTLE_ENDIAN);
        seed.putLong(4, INITIAL_BALANCE, LITTLE_ENDIAN);
        check(call("seed", seed.byteArray()));
        if (total() != ACCOUNTS * INITIAL_BALANCE)
        {
            throw new IllegalStateException("seed did not create " + ACCOUNTS + " accounts");
        }
        transferBuffer.putLong(8, 1, LITTLE_ENDIAN);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        final long total = total();
        instance.close();
        datastore.close();
        if (total != ACCOUNTS * INITIAL_BALANCE)
        {
            throw new IllegalStateException("transfers did not conserve the total balance: " + total);
        }
    }

    @Benchmark
    public CallOutcome emptyReducer()
    {
        return check(call("empty", NO_ARGS));
    }

    @Benchmark
    public CallOutcome transferReducer()
    {
        final int from = random.nextInt(ACCOUNTS);
        final int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        transferBuffer.putInt(0, from, LITTLE_ENDIAN);
        transferBuffer.putInt(4, to, LITTLE_ENDIAN);
        return check(call("transfer", transferArgs));
    }

    private CallOutcome call(final String reducer, final byte[] args)
    {
        final MutTx tx = datastore.beginMutTx();
        final CallOutcome outcome = instance.callReducer(tx, reducer, SENDER, NO_CONNECTION,
            System.currentTimeMillis() * 1000, args);
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

    private static CallOutcome check(final CallOutcome outcome)
    {
        if (!outcome.isOk())
        {
            throw new IllegalStateException("reducer failed: " + outcome.status() + " " + outcome.message());
        }
        return outcome;
    }

    private long total()
    {
        final StoredTable accounts = datastore.table("accounts");
        final MutTx tx = datastore.beginMutTx();
        long sum = 0;
        for (int r = tx.nextVisible(accounts, 0); r >= 0; r = tx.nextVisible(accounts, r + 1))
        {
            sum += accounts.rows().getLong(r, 1);
        }
        tx.rollback();
        return sum;
    }
}
