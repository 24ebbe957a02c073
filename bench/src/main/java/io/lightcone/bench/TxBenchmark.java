package io.lightcone.bench;

import io.lightcone.core.table.Table;
import io.lightcone.core.txn.MutTx;
import org.agrona.ExpandableArrayBuffer;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Storage engine micro benchmarks of issue [1/7] on {@code accounts(id u32 pk, balance i64)}: find by primary
 * key, insert, update through the primary key, a 2,048-row range scan and a full iteration. Each answer is
 * returned to JMH so nothing is optimised away; setup checks the table holds what it should.
 */
/**
 * Whole transactions of issue [1/7] on {@code accounts(id u32 pk, balance i64)}: one update through the primary key
 * and commit; and the keynote transfer (two finds, two updates, commit). The total balance is checked at the end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xmx8g" })
public class TxBenchmark
{
    @Param({ "1000000" })
    int rows;

    @Param({ "hash", "btree" })
    String pkIndex;

    private AccountsFixture fixture;
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(16);
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void setUp()
    {
        fixture = new AccountsFixture(pkIndex, rows);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        long total = 0;
        final Table table = fixture.table.rows();
        for (int rowId = table.nextLive(0); rowId >= 0; rowId = table.nextLive(rowId + 1))
        {
            total += table.getLong(rowId, 1);
        }
        fixture.close();
        if (total != (long)rows * AccountsFixture.INITIAL_BALANCE)
        {
            throw new IllegalStateException("transfers did not conserve the total balance: " + total);
        }
    }

    @Benchmark
    public int updateTx()
    {
        final MutTx tx = fixture.datastore.beginMutTx();
        final int id = random.nextInt(rows);
        final int keyLength = fixture.encodeKey(id, key);
        final long balance = fixture.table.rows().getLong(tx.find(fixture.pkIndexId, key, 0, keyLength), 1);
        final int rowId = fixture.update(tx, id, balance);
        tx.commit();
        return rowId;
    }

    @Benchmark
    public int transferTx()
    {
        final MutTx tx = fixture.datastore.beginMutTx();
        final int from = random.nextInt(rows);
        final int to = (from + 1 + random.nextInt(rows - 1)) % rows;
        final Table table = fixture.table.rows();
        final long fromBalance = table.getLong(tx.find(fixture.pkIndexId, key, 0, fixture.encodeKey(from, key)), 1);
        final long toBalance = table.getLong(tx.find(fixture.pkIndexId, key, 0, fixture.encodeKey(to, key)), 1);
        fixture.update(tx, from, fromBalance - 1);
        final int rowId = fixture.update(tx, to, toBalance + 1);
        tx.commit();
        return rowId;
    }
}
