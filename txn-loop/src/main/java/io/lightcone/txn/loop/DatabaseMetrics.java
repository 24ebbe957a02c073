package io.lightcone.txn.loop;

import io.lightcone.core.moduledef.ReducerDef;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.wire.metrics.Histogram;
import io.lightcone.wire.metrics.MetricFamily;
import io.lightcone.wire.metrics.Metrics;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * One database's metrics: calls, failures and a duration histogram per reducer, and rows and memory per table.
 * Allocated when the database opens and freed when it closes; updated by the loop thread only.
 */
final class DatabaseMetrics implements AutoCloseable
{
    private final Metrics metrics;
    private final Database database;
    private final ErrorHandler errorHandler;
    private boolean exhausted;
    private final AtomicCounter[] calls;
    private final AtomicCounter[] failures;
    private final Histogram[] durations;
    private final List<StoredTable> tables = new ArrayList<>();
    private final List<AtomicCounter> tableRows = new ArrayList<>();
    private final List<AtomicCounter> tableMemory = new ArrayList<>();
    private final List<AtomicCounter[]> indexMemory = new ArrayList<>();

    private DatabaseMetrics(final Metrics metrics, final Database database, final ErrorHandler errorHandler)
    {
        this.metrics = metrics;
        this.database = database;
        this.errorHandler = errorHandler;
        final List<ReducerDef> reducers = database.moduleDef().reducers();
        int maxId = -1;
        for (final ReducerDef reducer : reducers)
        {
            maxId = Math.max(maxId, reducer.id());
        }
        calls = new AtomicCounter[maxId + 1];
        failures = new AtomicCounter[maxId + 1];
        durations = new Histogram[maxId + 1];
        try
        {
            for (final ReducerDef reducer : reducers)
            {
                final String labels = Metrics.labels("database", database.name(), "reducer", reducer.name());
                calls[reducer.id()] = metrics.counter(MetricFamily.REDUCER_CALLS, labels);
                failures[reducer.id()] = metrics.counter(MetricFamily.REDUCER_FAILURES, labels);
                durations[reducer.id()] = metrics.latencyHistogram(MetricFamily.REDUCER_DURATION, labels);
            }
            sampleTables();
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Allocates a database's metrics, or, when the counters are exhausted, reports that and returns metrics that
     * record nothing: metrics never stop a database from opening.
     *
     * @param metrics      where.
     * @param database     whose.
     * @param errorHandler where a failure is reported.
     * @return the metrics.
     */
    static DatabaseMetrics open(final Metrics metrics, final Database database, final ErrorHandler errorHandler)
    {
        try
        {
            return new DatabaseMetrics(metrics, database, errorHandler);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(new IllegalStateException(
                "no metrics for database " + database.name() + ": " + ex.getMessage(), ex));
            return new DatabaseMetrics(database, errorHandler);
        }
    }

    private DatabaseMetrics(final Database database, final ErrorHandler errorHandler)
    {
        this.metrics = null;
        this.database = database;
        this.errorHandler = errorHandler;
        calls = new AtomicCounter[0];
        failures = new AtomicCounter[0];
        durations = new Histogram[0];
    }

    /**
     * Records one reducer run.
     *
     * @param reducerId      the reducer.
     * @param durationMicros how long it ran.
     * @param ok             whether it succeeded.
     */
    void reducerRan(final int reducerId, final long durationMicros, final boolean ok)
    {
        if (reducerId >= 0 && reducerId < calls.length && null != calls[reducerId])
        {
            calls[reducerId].incrementRelease();
            durations[reducerId].record(durationMicros);
            if (!ok)
            {
                failures[reducerId].incrementRelease();
            }
        }
    }

    /**
     * Sets the table gauges from the tables (rows and off-heap memory), first adding gauges for tables created since
     * the last call (a database's tables only ever grow while it is open; a migration opens a new one).
     */
    void sampleTables()
    {
        final List<StoredTable> current = database.datastore().tables();
        for (int i = tables.size(); null != metrics && !exhausted && i < current.size(); i++)
        {
            final StoredTable table = current.get(i);
            final String labels = Metrics.labels("database", database.name(), "table", table.schema().name());
            AtomicCounter rows = null;
            AtomicCounter memory = null;
            final AtomicCounter[] indexes = new AtomicCounter[table.indexCount()];
            try
            {
                rows = metrics.counter(MetricFamily.TABLE_ROWS, labels);
                memory = metrics.counter(MetricFamily.TABLE_MEMORY_BYTES, labels);
                for (int j = 0; j < indexes.length; j++)
                {
                    indexes[j] = metrics.counter(MetricFamily.INDEX_MEMORY_BYTES, Metrics.labels("database",
                        database.name(), "table", table.schema().name(), "index",
                        table.schema().indexes().get(j).name()));
                }
                tableMemory.add(memory);
                tableRows.add(rows);
                indexMemory.add(indexes);
                tables.add(table);
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.closeAll(rows, memory);
                CloseHelper.closeAll(indexes);
                exhausted = true;
                errorHandler.onError(new IllegalStateException(
                    "no table metrics for database " + database.name() + ": " + ex.getMessage(), ex));
            }
        }
        for (int i = 0; i < tables.size(); i++)
        {
            final StoredTable table = tables.get(i);
            tableRows.get(i).setRelease(table.rows().rowCount());
            tableMemory.get(i).setRelease(table.memoryBytes());
            final AtomicCounter[] indexes = indexMemory.get(i);
            for (int j = 0; j < indexes.length; j++)
            {
                indexes[j].setRelease(table.index(j).memoryBytes());
            }
        }
    }

    /**
     * Frees the counters.
     */
    public void close()
    {
        CloseHelper.closeAll(calls);
        CloseHelper.closeAll(failures);
        CloseHelper.closeAll(durations);
        CloseHelper.closeAll(tableRows);
        CloseHelper.closeAll(tableMemory);
        for (final AtomicCounter[] indexes : indexMemory)
        {
            CloseHelper.closeAll(indexes);
        }
    }
}
