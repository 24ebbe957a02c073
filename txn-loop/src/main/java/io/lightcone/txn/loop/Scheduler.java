package io.lightcone.txn.loop;

import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.txn.TableDelta;
import io.lightcone.core.txn.TxDelta;
import io.lightcone.core.moduledef.ReducerDef;
import org.agrona.DeadlineTimerWheel;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scheduled reducers of schedule tables (reference/spacetimedb-contracts.md §7), on an Agrona
 * {@link DeadlineTimerWheel} in epoch microseconds.
 * <ul>
 *     <li>After each commit {@link #onCommit} looks at the schedule tables' rows in the {@link TxDelta}: a deleted
 *     row is unscheduled, an inserted row is scheduled ({@code Time(ts)}: once at ts; {@code Interval(d)}: every d
 *     from the insert's time). An update is a delete plus an insert.</li>
 *     <li>{@link #poll} collects the due timers (at most a limit per call) and hands each to the {@link Runner}. An
 *     interval is re-armed before its run at {@code intended + k*d}, the first such time after now: ticks stay
 *     anchored to the intended times and missed ticks are skipped, never run late in a burst.</li>
 *     <li>Jitter (actual minus intended time, µs) is recorded per run: a histogram by powers of two, the max and the
 *     total in counters.</li>
 * </ul>
 * Rows are identified by their full BSATN bytes (a schedule table has a unique auto-inc id, so rows are distinct).
 * Loop thread only.
 */
final class Scheduler
{
    /** Receives due runs. */
    interface Runner
    {
        /**
         * Run a scheduled reducer now.
         *
         * @param database       the database.
         * @param tableId        the schedule table.
         * @param reducer        the reducer.
         * @param row            the row, its BSATN is the reducer's argument.
         * @param oneShot        true for Time rows: delete the row in the same transaction.
         * @param intendedMicros when it was meant to run.
         */
        void runScheduled(
            Database database, int tableId, ReducerDef reducer, byte[] row, boolean oneShot, long intendedMicros);
    }

    /** No anchor known: an interval starts from now. */
    static final long NO_ANCHOR = Long.MIN_VALUE;

    private static final int HISTOGRAM_BUCKETS = 40;

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<Entry> entries = new Long2ObjectHashMap<>();
    private final Map<RowKey, Long> timersByRow = new HashMap<>();
    private final LongArrayList due = new LongArrayList();
    private final BsatnReader reader = new BsatnReader();
    private final UnsafeBuffer rowBuffer = new UnsafeBuffer(new byte[0]);
    private final long[] jitterHistogram = new long[HISTOGRAM_BUCKETS];
    private final AtomicCounter runs;
    private final AtomicCounter jitterMax;
    private final AtomicCounter jitterTotal;
    private final DeadlineTimerWheel.TimerHandler collector = (timeUnit, now, timerId) ->
    {
        due.addLong(timerId);
        return true;
    };
    private long jitterMaxMicros;

    Scheduler(
        final long startMicros,
        final long tickMicros,
        final AtomicCounter runs,
        final AtomicCounter jitterMax,
        final AtomicCounter jitterTotal)
    {
        this.wheel = new DeadlineTimerWheel(TimeUnit.MICROSECONDS, startMicros, tickMicros, 1024);
        this.runs = runs;
        this.jitterMax = jitterMax;
        this.jitterTotal = jitterTotal;
    }

    /**
     * Schedules and unschedules after a commit.
     *
     * @param database  the database.
     * @param delta     what the transaction changed.
     * @param txMicros  the transaction's timestamp (intervals start from it).
     */
    void onCommit(final Database database, final TxDelta delta, final long txMicros)
    {
        if (!database.hasScheduleTables())
        {
            return;
        }
        for (int t = 0; t < delta.tableCount(); t++)
        {
            final TableDelta tableDelta = delta.table(t);
            final Database.ScheduleTable scheduleTable = database.scheduleTable(tableDelta.tableId());
            if (null == scheduleTable)
            {
                continue;
            }
            for (int i = 0; i < tableDelta.deleteCount(); i++)
            {
                final int offset = tableDelta.deleteOffset(i);
                final int end = i + 1 < tableDelta.deleteCount() ? tableDelta.deleteOffset(i + 1) :
                    tableDelta.deletesLength();
                unschedule(new RowKey(database, tableDelta.tableId(), copy(tableDelta.deletes(), offset, end)));
            }
            for (int i = 0; i < tableDelta.insertCount(); i++)
            {
                final int offset = tableDelta.insertOffset(i);
                final int end = i + 1 < tableDelta.insertCount() ? tableDelta.insertOffset(i + 1) :
                    tableDelta.insertsLength();
                schedule(database, tableDelta.tableId(), scheduleTable, copy(tableDelta.inserts(), offset, end),
                    txMicros);
            }
        }
    }

    /**
     * Schedules one row.
     *
     * @param database      the database.
     * @param tableId       the schedule table.
     * @param scheduleTable its schedule.
     * @param row           the row's BSATN.
     * @param nowMicros     the time an interval starts from.
     */
    void schedule(
        final Database database,
        final int tableId,
        final Database.ScheduleTable scheduleTable,
        final byte[] row,
        final long nowMicros)
    {
        schedule(database, tableId, scheduleTable, row, nowMicros, NO_ANCHOR);
    }

    /**
     * Schedules one row; an interval with a known anchor (a time on its grid of intended ticks, e.g. from before a
     * restart) keeps that grid: its next tick is the first {@code anchor + k*d} after now, so ticks missed while
     * down are skipped, not run in a burst, and the cadence does not drift. Without an anchor the first tick is at
     * now + d (SpacetimeDB's behaviour at startup).
     *
     * @param database      the database.
     * @param tableId       the schedule table.
     * @param scheduleTable its schedule.
     * @param row           the row's BSATN.
     * @param nowMicros     the time an interval starts from.
     * @param anchorMicros  a time on the interval's tick grid, or {@link #NO_ANCHOR}.
     */
    void schedule(
        final Database database,
        final int tableId,
        final Database.ScheduleTable scheduleTable,
        final byte[] row,
        final long nowMicros,
        final long anchorMicros)
    {
        final long tag;
        final long value;
        try
        {
            rowBuffer.wrap(row);
            reader.wrap(rowBuffer, 0, row.length);
            for (int c = 0; c < scheduleTable.column(); c++)
            {
                Bsatn.skipValue(reader, scheduleTable.schema().columnType(c));
            }
            tag = reader.readU8();
            value = reader.readI64();
        }
        catch (final BsatnDecodeException ex)
        {
            throw new IllegalStateException("schedule row of table " + scheduleTable.schema().name() + ": " +
                ex.getMessage(), ex);
        }
        final Entry entry;
        if (0 == tag)
        {
            final long interval = Math.max(1, value);
            entry = new Entry(database, tableId, scheduleTable.reducer(), row,
                NO_ANCHOR == anchorMicros ? nowMicros + interval : nextTick(anchorMicros, interval, nowMicros),
                interval);
        }
        else
        {
            entry = new Entry(database, tableId, scheduleTable.reducer(), row, value, 0);
        }
        final RowKey key = new RowKey(database, tableId, row);
        unschedule(key);
        arm(key, entry);
    }

    /**
     * The first tick of the grid {@code anchor + k*interval} strictly after now.
     */
    static long nextTick(final long anchorMicros, final long intervalMicros, final long nowMicros)
    {
        if (anchorMicros > nowMicros)
        {
            return anchorMicros;
        }
        return anchorMicros + ((nowMicros - anchorMicros) / intervalMicros + 1) * intervalMicros;
    }

    /**
     * Receives the interval timers of a database.
     */
    interface IntervalConsumer
    {
        /**
         * One interval timer.
         *
         * @param tableId        its schedule table.
         * @param row            its row's BSATN.
         * @param intendedMicros its next intended tick (a point on its grid).
         */
        void accept(int tableId, byte[] row, long intendedMicros);
    }

    /**
     * Lists the interval timers of a database (for the anchors saved with a snapshot).
     *
     * @param database the database.
     * @param consumer receives each.
     */
    void forEachInterval(final Database database, final IntervalConsumer consumer)
    {
        for (final Entry entry : entries.values())
        {
            if (entry.database == database && entry.intervalMicros > 0)
            {
                consumer.accept(entry.tableId, entry.row, entry.intendedMicros);
            }
        }
    }

    private void arm(final RowKey key, final Entry entry)
    {
        final long timerId = wheel.scheduleTimer(entry.intendedMicros);
        entries.put(timerId, entry);
        timersByRow.put(key, timerId);
        entry.key = key;
    }

    private void unschedule(final RowKey key)
    {
        final Long timerId = timersByRow.remove(key);
        if (null != timerId)
        {
            wheel.cancelTimer(timerId);
            entries.remove(timerId.longValue());
        }
    }

    /**
     * Forgets every timer of a database (dropped or recreated).
     *
     * @param database the database.
     */
    void cancelAll(final Database database)
    {
        final ArrayList<RowKey> keys = new ArrayList<>();
        for (final RowKey key : timersByRow.keySet())
        {
            if (key.database == database)
            {
                keys.add(key);
            }
        }
        for (final RowKey key : keys)
        {
            unschedule(key);
        }
    }

    /**
     * Runs due timers.
     *
     * @param nowMicros the cycle's time.
     * @param limit     most runs.
     * @param runner    runs each.
     * @return runs made.
     */
    int poll(final long nowMicros, final int limit, final Runner runner)
    {
        if (entries.isEmpty())
        {
            return 0;
        }
        due.clear();
        for (int steps = 0; steps < 1_000_000 && due.size() < limit; steps++)
        {
            final long tickTime = wheel.currentTickTime();
            wheel.poll(nowMicros, collector, limit - due.size());
            if (wheel.currentTickTime() == tickTime || wheel.currentTickTime() > nowMicros)
            {
                break;
            }
        }
        int count = 0;
        for (int i = 0; i < due.size(); i++)
        {
            final Entry entry = entries.remove(due.getLong(i));
            if (null == entry)
            {
                continue;
            }
            final boolean oneShot = 0 == entry.intervalMicros;
            final long intended = entry.intendedMicros;
            recordJitter(nowMicros - intended);
            if (oneShot)
            {
                timersByRow.remove(entry.key);
            }
            else
            {
                final long missed = nowMicros >= intended ? (nowMicros - intended) / entry.intervalMicros : 0;
                final Entry next = new Entry(entry.database, entry.tableId, entry.reducer, entry.row,
                    intended + (missed + 1) * entry.intervalMicros, entry.intervalMicros);
                arm(entry.key, next);
            }
            runs.incrementRelease();
            count++;
            runner.runScheduled(entry.database, entry.tableId, entry.reducer, entry.row, oneShot, intended);
        }
        return count;
    }

    private void recordJitter(final long jitterMicros)
    {
        final long jitter = Math.max(0, jitterMicros);
        final int bucket = Math.min(HISTOGRAM_BUCKETS - 1, 64 - Long.numberOfLeadingZeros(jitter));
        jitterHistogram[bucket]++;
        jitterTotal.getAndAddRelease(jitter);
        if (jitter > jitterMaxMicros)
        {
            jitterMaxMicros = jitter;
            jitterMax.setRelease(jitter);
        }
    }

    /**
     * Tick jitter histogram: bucket 0 counts runs on time (0 µs late), bucket b &gt; 0 counts runs late by
     * [2^(b-1), 2^b) µs.
     *
     * @return a copy of the buckets.
     */
    long[] jitterHistogram()
    {
        return jitterHistogram.clone();
    }

    /**
     * @return the largest jitter seen, µs.
     */
    long jitterMaxMicros()
    {
        return jitterMaxMicros;
    }

    /**
     * @return timers armed.
     */
    int scheduledCount()
    {
        return entries.size();
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int end)
    {
        final byte[] bytes = new byte[end - offset];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private static final class Entry
    {
        final Database database;
        final int tableId;
        final ReducerDef reducer;
        final byte[] row;
        final long intendedMicros;
        final long intervalMicros;
        RowKey key;

        Entry(
            final Database database,
            final int tableId,
            final ReducerDef reducer,
            final byte[] row,
            final long intendedMicros,
            final long intervalMicros)
        {
            this.database = database;
            this.tableId = tableId;
            this.reducer = reducer;
            this.row = row;
            this.intendedMicros = intendedMicros;
            this.intervalMicros = intervalMicros;
        }
    }

    private static final class RowKey
    {
        final Database database;
        final int tableId;
        final byte[] row;
        final int hash;

        RowKey(final Database database, final int tableId, final byte[] row)
        {
            this.database = database;
            this.tableId = tableId;
            this.row = row;
            this.hash = (System.identityHashCode(database) * 31 + tableId) * 31 + Arrays.hashCode(row);
        }

        public boolean equals(final Object o)
        {
            if (!(o instanceof RowKey))
            {
                return false;
            }
            final RowKey other = (RowKey)o;
            return database == other.database && tableId == other.tableId && Arrays.equals(row, other.row);
        }

        public int hashCode()
        {
            return hash;
        }
    }
}
