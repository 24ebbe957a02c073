package io.lightcone.bench;

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

import java.util.HashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Storage engine micro benchmarks of issue [1/7] on {@code accounts(id u32 pk, balance i64)}: find by primary
 * key, insert, update through the primary key, a 2,048-row range scan and a full iteration. Each answer is
 * returned to JMH so nothing is optimised away; setup checks the table holds what it should.
 */
/**
 * Point operations of issue [1/7] on {@code accounts(id u32 pk, balance i64)}: find by primary key (in an open
 * transaction) and insert (many inserts in one transaction, rolled back after each iteration).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xmx8g" })
public class PointOpsBenchmark
{
    @Param({ "1000000" })
    int rows;

    @Param({ "hash", "btree" })
    String pkIndex;

    private AccountsFixture fixture;
    private MutTx tx;
    private final ExpandableArrayBuffer key = new ExpandableArrayBuffer(16);
    private final SplittableRandom random = new SplittableRandom(42);
    private int nextInsertId;
    private HashMap<Integer, Long> peer;
    private int nextPeerId;

    @Setup(Level.Trial)
    public void setUp()
    {
        fixture = new AccountsFixture(pkIndex, rows);
        peer = new HashMap<>();
        for (int id = 0; id < rows; id++)
        {
            peer.put(id, AccountsFixture.INITIAL_BALANCE);
        }
        if (fixture.table.rows().rowCount() != rows)
        {
            throw new IllegalStateException("seeded " + fixture.table.rows().rowCount() + " of " + rows);
        }
    }

    @Setup(Level.Iteration)
    public void beginTx()
    {
        tx = fixture.datastore.beginMutTx();
        nextInsertId = rows;
        nextPeerId = rows;
    }

    @TearDown(Level.Iteration)
    public void endTx()
    {
        for (int id = rows; id < nextPeerId; id++)
        {
            peer.remove(id);
        }
        nextPeerId = rows;
        tx.rollback();
        if (fixture.table.rows().rowCount() != rows)
        {
            throw new IllegalStateException("rollback left " + fixture.table.rows().rowCount() + " rows");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        fixture.close();
    }

    @Benchmark
    public long findByPrimaryKey()
    {
        final int keyLength = fixture.encodeKey(random.nextInt(rows), key);
        final int rowId = tx.find(fixture.pkIndexId, key, 0, keyLength);
        return fixture.table.rows().getLong(rowId, 1);
    }

    /**
     * The peer in the same run: a plain on-heap {@code HashMap<Integer, Long>} lookup.
     *
     * @return the balance found.
     */
    @Benchmark
    public long peerHashMapFind()
    {
        return peer.get(random.nextInt(rows));
    }

    /**
     * The peer in the same run: a plain on-heap {@code HashMap<Integer, Long>} insert.
     *
     * @return the previous value (null).
     */
    @Benchmark
    public Long peerHashMapInsert()
    {
        return peer.put(nextPeerId++, 7L);
    }

    @Benchmark
    public int insert()
    {
        return fixture.insert(tx, nextInsertId++, 7);
    }
}
