package io.lightcone.bench;

import io.lightcone.core.index.BoundKind;
import io.lightcone.core.index.KeyRange;
import io.lightcone.core.index.RowIdConsumer;
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
 * Scans of issue [1/7] on {@code accounts(id u32 pk, balance i64)} with a B-tree primary key: a 2,048-row range
 * scan through the index, and a full iteration of the table (one operation = all rows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xmx8g" })
public class ScanBenchmark
{
    @Param({ "1000000" })
    int rows;

    private AccountsFixture fixture;
    private MutTx tx;
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(16);
    private final ExpandableArrayBuffer upper = new ExpandableArrayBuffer(16);
    private final KeyRange range = new KeyRange();
    private final SplittableRandom random = new SplittableRandom(42);
    private long scanSum;
    private final RowIdConsumer sumBalances = (rowId) ->
    {
        scanSum += fixture.table.rows().getLong(rowId, 1);
        return true;
    };

    @Setup(Level.Trial)
    public void setUp()
    {
        fixture = new AccountsFixture("btree", rows);
        tx = fixture.datastore.beginMutTx();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        tx.rollback();
        fixture.close();
    }

    @Benchmark
    public long rangeScan2048()
    {
        final int start = random.nextInt(rows - 2048);
        final int lowerLength = fixture.encodeKey(start, key);
        final int upperLength = fixture.encodeKey(start + 2047, upper);
        range.lower(key, 0, lowerLength, BoundKind.INCLUSIVE);
        range.upper(upper, 0, upperLength, BoundKind.INCLUSIVE);
        scanSum = 0;
        final int visited = tx.scan(fixture.pkIndexId, range, sumBalances);
        if (visited != 2048)
        {
            throw new IllegalStateException("range scan visited " + visited);
        }
        return scanSum;
    }

    @Benchmark
    public long fullIteration()
    {
        final Table table = fixture.table.rows();
        long sum = 0;
        for (int rowId = table.nextLive(0); rowId >= 0; rowId = table.nextLive(rowId + 1))
        {
            sum += table.getLong(rowId, 1);
        }
        return sum;
    }
}
