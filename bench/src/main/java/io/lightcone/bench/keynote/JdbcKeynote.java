package io.lightcone.bench.keynote;

import io.lightcone.bench.report.Machine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The keynote transfer workload against a {@link JdbcPeer}: {@code connections} threads, each with its own
 * connection and one call in flight (JDBC is synchronous), walking its slice of the same precomputed pairs. Every
 * outcome is counted; after the run the balances are read back with one {@code SELECT} and checked against the
 * committed transfers.
 */
public final class JdbcKeynote
{
    private final JdbcPeer peer;

    /**
     * @param peer the database.
     */
    public JdbcKeynote(final JdbcPeer peer)
    {
        this.peer = peer;
    }

    /**
     * Seeds, runs the workload and checks every outcome.
     *
     * @param workload what to run ({@code inFlight} is ignored: one per thread).
     * @return the result.
     * @throws SQLException         when seeding, connecting or checking fails.
     * @throws InterruptedException if interrupted.
     */
    public RunResult run(final KeynoteWorkload workload) throws SQLException, InterruptedException
    {
        try (Connection admin = peer.open())
        {
            peer.seed(admin, workload.accounts(), workload.initialBalance());
            final List<Worker> workers = new ArrayList<>();
            try
            {
                for (int i = 0; i < workload.connections(); i++)
                {
                    final Connection connection = peer.open();
                    workers.add(new Worker(connection, peer.prepare(connection), workload,
                        workload.pairs().startOf(i, workload.connections())));
                }
                return drive(admin, workload, workers);
            }
            finally
            {
                for (final Worker worker : workers)
                {
                    worker.connection.close();
                }
            }
        }
    }

    private RunResult drive(final Connection admin, final KeynoteWorkload workload, final List<Worker> workers)
        throws SQLException, InterruptedException
    {
        final long startNs = System.nanoTime();
        final RunRecorder recorder = new RunRecorder(startNs, workload.warmupSeconds(), workload.seconds());
        final CountDownLatch done = new CountDownLatch(workers.size());
        final List<Thread> threads = new ArrayList<>();
        for (final Worker worker : workers)
        {
            final Thread thread = new Thread(() ->
            {
                try
                {
                    worker.loop(startNs);
                }
                finally
                {
                    done.countDown();
                }
            }, peer.system() + "-worker");
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        final long warmupEndNs = recorder.warmupEndNs();
        TimeUnit.NANOSECONDS.sleep(Math.max(0, warmupEndNs - System.nanoTime()));
        final long windowStartNs = System.nanoTime();
        final long serverCpuStart = CpuMeter.processTreeCpuNs(peer.serverPid());
        final long clientCpuStart = CpuMeter.ownCpuNs();
        TimeUnit.NANOSECONDS.sleep(Math.max(0, recorder.endNs() - System.nanoTime()));
        final long windowNs = System.nanoTime() - windowStartNs;
        final long serverCpu = serverCpuStart < 0 ? -1 : CpuMeter.processTreeCpuNs(peer.serverPid()) - serverCpuStart;
        final long clientCpu = CpuMeter.ownCpuNs() - clientCpuStart;
        final double load = Machine.loadAverage();
        final boolean drained = done.await(workload.drainSeconds(), TimeUnit.SECONDS);

        final long[] delta = new long[workload.accounts()];
        long unanswered = 0;
        for (final Worker worker : workers)
        {
            if (!drained)
            {
                unanswered += worker.inFlight;
                continue;
            }
            recorder.add(worker.recorder);
            for (int id = 0; id < delta.length; id++)
            {
                delta[id] += worker.delta[id];
            }
        }
        if (!drained)
        {
            throw new IllegalStateException(unanswered + " calls did not finish within " + workload.drainSeconds() +
                " s after the window");
        }
        final long[] balances = new long[workload.accounts()];
        Arrays.fill(balances, Long.MIN_VALUE);
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT id, balance FROM accounts"))
        {
            while (rs.next())
            {
                balances[rs.getInt(1)] = rs.getLong(2);
            }
        }
        final BalanceCheck check = BalanceCheck.of(balances, workload.initialBalance(), delta);
        return new RunResult(peer.system(), peer.durability(), workload.alpha(), workload.connections(), 1,
            workload.accounts(), workload.pairs().count(), workload.warmupSeconds(), workload.seconds(), recorder,
            unanswered, check.mismatches(), check.sum(), workload.accounts() * workload.initialBalance(), serverCpu,
            clientCpu, windowNs, load);
    }

    private static final class Worker
    {
        final Connection connection;
        final JdbcPeer.Transfer transfer;
        final KeynoteWorkload workload;
        final long[] delta;
        RunRecorder recorder;
        int pairIndex;
        volatile int inFlight;

        Worker(final Connection connection, final JdbcPeer.Transfer transfer, final KeynoteWorkload workload,
            final int pairIndex)
        {
            this.connection = connection;
            this.transfer = transfer;
            this.workload = workload;
            this.delta = new long[workload.accounts()];
            this.pairIndex = pairIndex;
        }

        void loop(final long startNs)
        {
            recorder = new RunRecorder(startNs, workload.warmupSeconds(), workload.seconds());
            final TransferPairs pairs = workload.pairs();
            long now = System.nanoTime();
            while (now < recorder.endNs())
            {
                final int from = pairs.from(pairIndex);
                final int to = pairs.to(pairIndex);
                pairIndex = pairs.nextIndex(pairIndex);
                recorder.launched();
                inFlight = 1;
                try
                {
                    transfer.run(from, to, KeynoteWorkload.AMOUNT);
                    final long end = System.nanoTime();
                    KeynoteWorkload.applyCommitted(delta, from, to);
                    recorder.committed(now, end);
                    now = end;
                }
                catch (final SQLException ex)
                {
                    recorder.failed(ex.getSQLState() + ": " + ex.getMessage());
                    now = System.nanoTime();
                }
                inFlight = 0;
            }
        }
    }
}
