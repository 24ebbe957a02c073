package io.lightcone.wasm.host;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import io.lightcone.core.index.KeyRange;
import io.lightcone.core.index.KeyRanges;
import io.lightcone.core.index.RowIdConsumer;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.moduledef.ModuleDef;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The host side of one module instance: the implementation of every host import (reference/spacetimedb-contracts
 * .md §4.2) over the {@link Datastore}, and the per-call handle tables (row iterators, bytes sources and sinks).
 * <p>
 * Errors map to errno return values (§4.3). A failure no errno describes throws {@link HostTrap}, which traps the
 * module: the call ends with INTERNAL_ERROR and the instance is rebuilt.
 * <p>
 * Row iterators: a scan collects the matching row ids when it is created, and {@code row_iter_bsatn_advance}
 * streams the rows that are still visible when it reaches them. So within one transaction a row deleted after the
 * scan started is skipped, a row inserted after it started is not returned, and a row updated after it started is
 * skipped (an update is a delete plus an insert). Rows are never returned twice.
 * <p>
 * Handles live for one call: {@link #beginCall} clears whatever a previous call left open. Not thread safe: one
 * thread runs the instance.
 * <p>
 * Names: {@code table_id_from_name} and {@code index_id_from_name} accept what SpacetimeDB accepts, the canonical
 * name or the module's source name: the name goes through the instance's {@link ModuleDef}
 * ({@link ModuleDef#table(String)}, {@link ModuleDef#indexName(String)}) to the canonical name the datastore knows,
 * and a name the def does not know is looked up in the datastore as given. Successful resolutions are cached per
 * instance (modules typically resolve the same few names on every call): a cached id is used only while the
 * datastore still maps it to the same {@link StoredTable} object, an O(1) check, so a table dropped or re-created
 * (e.g. when a module is republished) is resolved again; failures are not cached, so tables created after the
 * instance (publish creates them from the def this instance describes) are found.
 */
final class HostEnv
{
    private static final int ADVANCE_EXHAUSTED = -1;
    private static final byte[] EMPTY = new byte[0];
    /** Return values with a preallocated result array: -1 (exhausted) and every errno. */
    private static final int MIN_CACHED_RESULT = ADVANCE_EXHAUSTED;
    private static final int MAX_CACHED_RESULT = 63;
    /** Free handle objects kept for reuse, per kind. */
    private static final int MAX_POOLED = 64;
    /** A pooled buffer larger than this is dropped rather than kept for reuse. */
    private static final int MAX_POOLED_CAPACITY = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final ModuleHostContext context;
    private final Datastore datastore;
    private final ModuleLog log;
    private final HttpBridge http;
    private final KeyRanges keyRanges = new KeyRanges();
    private final KeyRange range = new KeyRange();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer rowScratch = new ExpandableArrayBuffer(4096);
    private final WasmBytes in1 = new WasmBytes();
    private final WasmBytes in2 = new WasmBytes();
    private final WasmBytes in3 = new WasmBytes();
    private final long[][] results = new long[MAX_CACHED_RESULT - MIN_CACHED_RESULT + 1][];
    private final Int2ObjectHashMap<RowIter> iters = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Source> sources = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Sink> sinks = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Timer> timers = new Int2ObjectHashMap<>();
    private final ArrayList<RowIter> freeIters = new ArrayList<>();
    private final ArrayList<Source> freeSources = new ArrayList<>();
    private final ArrayList<Sink> freeSinks = new ArrayList<>();
    private final List<ScheduledCall> scheduled = new ArrayList<>();
    private final HashMap<String, ResolvedName> tableIds = new HashMap<>();
    private final HashMap<String, ResolvedName> indexIds = new HashMap<>();
    private final NameCache tableIdsByBytes = new NameCache();
    private final NameCache indexIdsByBytes = new NameCache();
    private ModuleDef moduleDef;
    private IntArrayList collecting;
    private final RowIdConsumer collector = (rowId) ->
    {
        collecting.addInt(rowId);
        return true;
    };
    private StoredTable rangeTable;
    private int nextHandle = 1;
    private int nextTimer = 1;
    private MutTx tx;
    private boolean procedureCall;
    private boolean procedureTx;

    HostEnv(final ModuleHostContext context, final ModuleLog log)
    {
        this.context = context;
        this.datastore = context.datastore();
        this.log = log;
        this.http = new HttpBridge(context.httpTimeout());
        for (int i = 0; i < results.length; i++)
        {
            results[i] = new long[] {MIN_CACHED_RESULT + i};
        }
    }

    /**
     * Sets the def that name lookups resolve through (known only after {@code __describe_module__} ran).
     *
     * @param def the module's def.
     */
    void moduleDef(final ModuleDef def)
    {
        this.moduleDef = def;
        tableIds.clear();
        indexIds.clear();
        tableIdsByBytes.clear();
        indexIdsByBytes.clear();
    }

    // ------------------------------------------------------------------ call bracket

    void beginCall(final MutTx tx, final boolean procedure)
    {
        this.tx = tx;
        this.procedureCall = procedure;
        this.procedureTx = false;
        clearIters();
        clearSources();
        clearSinks();
        timers.clear();
        scheduled.clear();
        nextHandle = 1;
    }

    /**
     * Ends a call: rolls back a transaction a procedure left open, drops the handles.
     */
    void endCall()
    {
        if (procedureTx && null != tx && tx.isOpen())
        {
            tx.rollback();
        }
        tx = null;
        procedureTx = false;
        procedureCall = false;
        clearIters();
        clearSources();
    }

    private void clearIters()
    {
        if (!iters.isEmpty())
        {
            for (final RowIter iter : iters.values())
            {
                releaseIter(iter);
            }
            iters.clear();
        }
    }

    private void clearSources()
    {
        if (!sources.isEmpty())
        {
            for (final Source source : sources.values())
            {
                releaseSource(source);
            }
            sources.clear();
        }
    }

    private void clearSinks()
    {
        if (!sinks.isEmpty())
        {
            for (final Sink sink : sinks.values())
            {
                releaseSink(sink);
            }
            sinks.clear();
        }
    }

    private void releaseIter(final RowIter iter)
    {
        iter.table = null;
        if (freeIters.size() < MAX_POOLED && iter.rows.capacity() <= MAX_POOLED_CAPACITY)
        {
            freeIters.add(iter);
        }
    }

    private void releaseSource(final Source source)
    {
        source.data = EMPTY;
        source.limit = 0;
        if (freeSources.size() < MAX_POOLED)
        {
            freeSources.add(source);
        }
    }

    private void releaseSink(final Sink sink)
    {
        if (freeSinks.size() < MAX_POOLED && sink.data.length <= MAX_POOLED_CAPACITY)
        {
            freeSinks.add(sink);
        }
    }

    List<ScheduledCall> scheduled()
    {
        return scheduled;
    }

    int newSource(final byte[] data)
    {
        return null == data ? 0 : newSource(data, data.length);
    }

    /**
     * A bytes source over the first {@code length} bytes of {@code data}, which must not change until the source is
     * exhausted or the call ends (the source keeps a reference, not a copy).
     */
    int newSource(final byte[] data, final int length)
    {
        if (null == data || length == 0)
        {
            return 0;
        }
        final Source source = freeSources.isEmpty() ? new Source() : freeSources.remove(freeSources.size() - 1);
        source.data = data;
        source.limit = length;
        source.position = 0;
        final int handle = nextHandle();
        sources.put(handle, source);
        return handle;
    }

    int newSink()
    {
        final Sink sink = freeSinks.isEmpty() ? new Sink() : freeSinks.remove(freeSinks.size() - 1);
        sink.length = 0;
        final int handle = nextHandle();
        sinks.put(handle, sink);
        return handle;
    }

    byte[] sinkBytes(final int handle)
    {
        final Sink sink = sinks.get(handle);
        return null == sink || sink.length == 0 ? EMPTY : Arrays.copyOf(sink.data, sink.length);
    }

    private int nextHandle()
    {
        final int handle = nextHandle++;
        if (nextHandle <= 0)
        {
            nextHandle = 1;
        }
        return handle;
    }

    // ------------------------------------------------------------------ helpers

    private static Memory memory(final Instance instance)
    {
        return instance.memory();
    }

    private static byte[] read(final Instance instance, final long ptr, final long len)
    {
        if (len == 0)
        {
            return EMPTY;
        }
        return memory(instance).readBytes((int)ptr, (int)len);
    }

    /**
     * Copies {@code len} bytes of linear memory at {@code ptr} into {@code into}'s reusable array (no allocation
     * once it is large enough). A range outside memory fails exactly as {@link Memory#readBytes} fails on it.
     *
     * @return the copy, valid until {@code into} is used again.
     */
    private static WasmBytes read(final Instance instance, final long ptr, final long len, final WasmBytes into)
    {
        if (len == 0)
        {
            into.wrap(0);
            return into;
        }
        final Memory memory = memory(instance);
        final int address = (int)ptr;
        final int length = (int)len;
        if (!inBounds(memory, address, len))
        {
            final byte[] copy = memory.readBytes(address, length);
            into.ensure(copy.length);
            System.arraycopy(copy, 0, into.bytes, 0, copy.length);
            into.wrap(copy.length);
            return into;
        }
        into.ensure(length);
        copy(memory, address, into.bytes, 0, length);
        into.wrap(length);
        return into;
    }

    private static boolean inBounds(final Memory memory, final int address, final long len)
    {
        return address >= 0 && len <= Integer.MAX_VALUE && address + len <= (long)memory.pages() * Memory.PAGE_SIZE;
    }

    /** Copies an in-bounds range of linear memory into an array with word reads. */
    private static void copy(final Memory memory, final int address, final byte[] dst, final int offset,
        final int length)
    {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            LONGS.set(dst, offset + i, memory.readLong(address + i));
        }
        if (i + Integer.BYTES <= length)
        {
            INTS.set(dst, offset + i, memory.readInt(address + i));
            i += Integer.BYTES;
        }
        for (; i < length; i++)
        {
            dst[offset + i] = memory.read(address + i);
        }
    }

    private static String readString(final Instance instance, final long ptr, final long len)
    {
        return new String(read(instance, ptr, len), StandardCharsets.UTF_8);
    }

    private static long u32(final long value)
    {
        return value & 0xFFFF_FFFFL;
    }

    /**
     * The result array of a host call that returns one i32. Chicory reads a host function's result array right
     * after the call and never keeps it (compiled code takes element 0, the interpreter pushes the elements on its
     * stack), so the common values share one preallocated array each.
     */
    private long[] ret(final int value)
    {
        if (value >= MIN_CACHED_RESULT && value <= MAX_CACHED_RESULT)
        {
            return results[value - MIN_CACHED_RESULT];
        }
        return new long[] {value};
    }

    private int noTx()
    {
        return Errno.NOT_IN_TRANSACTION;
    }

    private int indexPosition(final StoredTable table, final int indexId)
    {
        for (int i = 0; i < table.indexCount(); i++)
        {
            if (table.indexId(i) == indexId)
            {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ 10.0: names and counts

    long[] tableIdFromName(final Instance instance, final long... args)
    {
        final WasmBytes name = read(instance, args[0], u32(args[1]), in1);
        if (null == tx)
        {
            return ret(noTx());
        }
        int id = tableIdsByBytes.get(name, true, datastore);
        if (id < 0)
        {
            id = resolveTableId(name.string());
            if (id >= 0)
            {
                tableIdsByBytes.put(name, id, datastore.table(id));
            }
        }
        if (id < 0)
        {
            return ret(Errno.NO_SUCH_TABLE);
        }
        memory(instance).writeI32((int)args[2], id);
        return ret(Errno.OK);
    }

    long[] indexIdFromName(final Instance instance, final long... args)
    {
        final WasmBytes name = read(instance, args[0], u32(args[1]), in1);
        if (null == tx)
        {
            return ret(noTx());
        }
        int id = indexIdsByBytes.get(name, false, datastore);
        if (id < 0)
        {
            id = resolveIndexId(name.string());
            if (id >= 0)
            {
                indexIdsByBytes.put(name, id, datastore.tableOfIndex(id));
            }
        }
        if (id < 0)
        {
            return ret(Errno.NO_SUCH_INDEX);
        }
        memory(instance).writeI32((int)args[2], id);
        return ret(Errno.OK);
    }

    /**
     * A table id by canonical or source name.
     *
     * @param name the name the module passed.
     * @return the id, or -1.
     */
    int resolveTableId(final String name)
    {
        final ResolvedName cached = tableIds.get(name);
        if (null != cached && datastore.table(cached.id) == cached.table)
        {
            return cached.id;
        }
        final TableSchema def = null == moduleDef ? null : moduleDef.table(name);
        int id = null == def ? -1 : datastore.tableId(def.name());
        if (id < 0)
        {
            id = datastore.tableId(name);
        }
        if (id >= 0)
        {
            tableIds.put(name, new ResolvedName(id, datastore.table(id)));
        }
        return id;
    }

    /**
     * An index id by canonical or source name.
     *
     * @param name the name the module passed.
     * @return the id, or -1.
     */
    int resolveIndexId(final String name)
    {
        final ResolvedName cached = indexIds.get(name);
        if (null != cached && datastore.tableOfIndex(cached.id) == cached.table)
        {
            return cached.id;
        }
        final String canonical = null == moduleDef ? null : moduleDef.indexName(name);
        int id = null == canonical ? -1 : datastore.indexId(canonical);
        if (id < 0)
        {
            id = datastore.indexId(name);
        }
        if (id >= 0)
        {
            indexIds.put(name, new ResolvedName(id, datastore.tableOfIndex(id)));
        }
        return id;
    }

    long[] tableRowCount(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final StoredTable table = datastore.table((int)args[0]);
        if (null == table)
        {
            return ret(Errno.NO_SUCH_TABLE);
        }
        memory(instance).writeLong((int)args[1], tx.visibleRowCount(table));
        return ret(Errno.OK);
    }

    // ------------------------------------------------------------------ 10.0: scans and iterators

    long[] tableScan(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final StoredTable table = datastore.table((int)args[0]);
        if (null == table)
        {
            return ret(Errno.NO_SUCH_TABLE);
        }
        final RowIter iter = acquireIter(table);
        final IntArrayList rows = iter.rows;
        for (int rowId = tx.nextVisible(table, 0); rowId >= 0; rowId = tx.nextVisible(table, rowId + 1))
        {
            rows.addInt(rowId);
        }
        memory(instance).writeI32((int)args[1], newIter(iter));
        return ret(Errno.OK);
    }

    private RowIter acquireIter(final StoredTable table)
    {
        final RowIter iter = freeIters.isEmpty() ? new RowIter() : freeIters.remove(freeIters.size() - 1);
        iter.table = table;
        iter.rows.clear();
        iter.position = 0;
        return iter;
    }

    private int newIter(final RowIter iter)
    {
        final int handle = nextHandle();
        iters.put(handle, iter);
        return handle;
    }

    /**
     * Builds {@link #range} from range-scan arguments.
     *
     * @return OK, or an errno; the table of the index is left in {@link #rangeTable}.
     */
    private int rangeFromAbi(final Instance instance, final long[] args)
    {
        final int indexId = (int)args[0];
        final StoredTable table = datastore.tableOfIndex(indexId);
        if (null == table)
        {
            return Errno.NO_SUCH_INDEX;
        }
        rangeTable = table;
        final WasmBytes prefix = read(instance, args[1], u32(args[2]), in1);
        final WasmBytes start = read(instance, args[4], u32(args[5]), in2);
        final WasmBytes end = read(instance, args[6], u32(args[7]), in3);
        try
        {
            keyRanges.fromAbi(table.keyTypes(indexPosition(table, indexId)), prefix.buffer, 0, prefix.length,
                (int)(args[3] & 0xFFFF), start.buffer, 0, start.length, end.buffer, 0, end.length, range, scratch);
        }
        catch (final BsatnDecodeException ex)
        {
            return Errno.BSATN_DECODE_ERROR;
        }
        return Errno.OK;
    }

    private int pointFromAbi(final Instance instance, final long[] args)
    {
        final int indexId = (int)args[0];
        final StoredTable table = datastore.tableOfIndex(indexId);
        if (null == table)
        {
            return Errno.NO_SUCH_INDEX;
        }
        rangeTable = table;
        final WasmBytes point = read(instance, args[1], u32(args[2]), in1);
        try
        {
            keyRanges.point(table.keyTypes(indexPosition(table, indexId)), point.buffer, 0, point.length, range,
                scratch);
        }
        catch (final BsatnDecodeException ex)
        {
            return Errno.BSATN_DECODE_ERROR;
        }
        return Errno.OK;
    }

    private long[] scanInto(final Instance instance, final int indexId, final StoredTable table, final long outPtr)
    {
        final RowIter iter = acquireIter(table);
        collecting = iter.rows;
        final int found;
        try
        {
            found = tx.scan(indexId, range, collector);
        }
        finally
        {
            collecting = null;
        }
        if (found < 0)
        {
            releaseIter(iter);
            return ret(-found);
        }
        memory(instance).writeI32((int)outPtr, newIter(iter));
        return ret(Errno.OK);
    }

    long[] indexScanRange(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final int status = rangeFromAbi(instance, args);
        if (status != Errno.OK)
        {
            return ret(status);
        }
        return scanInto(instance, (int)args[0], rangeTable, args[8]);
    }

    long[] indexScanPoint(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final int status = pointFromAbi(instance, args);
        if (status != Errno.OK)
        {
            return ret(status);
        }
        return scanInto(instance, (int)args[0], rangeTable, args[3]);
    }

    long[] rowIterAdvance(final Instance instance, final long... args)
    {
        final int handle = (int)args[0];
        final RowIter iter = 0 == handle ? null : iters.get(handle);
        if (null == iter)
        {
            return ret(Errno.NO_SUCH_ITER);
        }
        final Memory memory = memory(instance);
        final int lenPtr = (int)args[2];
        final long capacity = u32(memory.readInt(lenPtr));
        int written = 0;
        while (iter.position < iter.rows.size())
        {
            final int rowId = iter.rows.getInt(iter.position);
            if (null == tx || !tx.isVisible(iter.table, rowId))
            {
                iter.position++;
                continue;
            }
            final int length = iter.table.rows().rowLength(rowId);
            if (written + (long)length > capacity)
            {
                if (written == 0)
                {
                    memory.writeI32(lenPtr, length);
                    return ret(Errno.BUFFER_TOO_SMALL);
                }
                break;
            }
            rowScratch.checkLimit(written + length);
            iter.table.rows().writeRow(rowId, rowScratch, written);
            written += length;
            iter.position++;
        }
        if (written > 0)
        {
            memory.write((int)args[1], rowScratch.byteArray(), 0, written);
        }
        memory.writeI32(lenPtr, written);
        if (iter.position >= iter.rows.size())
        {
            iters.remove(handle);
            releaseIter(iter);
            return ret(ADVANCE_EXHAUSTED);
        }
        return ret(Errno.OK);
    }

    long[] rowIterClose(final Instance instance, final long... args)
    {
        final int handle = (int)args[0];
        final RowIter iter = 0 == handle ? null : iters.remove(handle);
        if (null == iter)
        {
            return ret(Errno.NO_SUCH_ITER);
        }
        releaseIter(iter);
        return ret(Errno.OK);
    }

    // ------------------------------------------------------------------ 10.0: writes

    long[] insert(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final int tableId = (int)args[0];
        final Memory memory = memory(instance);
        final int lenPtr = (int)args[2];
        final WasmBytes row = read(instance, args[1], u32(memory.readInt(lenPtr)), in1);
        final int rowId = tx.insert(tableId, row.buffer, 0, row.length);
        if (rowId < 0)
        {
            return ret(-rowId);
        }
        writeGenerated(memory, tableId, rowId, (int)args[1], lenPtr);
        return ret(Errno.OK);
    }

    private void writeGenerated(final Memory memory, final int tableId, final int rowId, final int ptr,
        final int lenPtr)
    {
        final int length = tx.writeGeneratedColumns(tableId, rowId, scratch, 0);
        if (length > 0)
        {
            memory.write(ptr, scratch.byteArray(), 0, length);
        }
        memory.writeI32(lenPtr, length);
    }

    long[] update(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final int tableId = (int)args[0];
        final int indexId = (int)args[1];
        if (null == datastore.table(tableId))
        {
            return ret(Errno.NO_SUCH_TABLE);
        }
        final StoredTable ofIndex = datastore.tableOfIndex(indexId);
        if (null == ofIndex || ofIndex.tableId() != tableId)
        {
            return ret(Errno.NO_SUCH_INDEX);
        }
        final Memory memory = memory(instance);
        final int lenPtr = (int)args[3];
        final WasmBytes row = read(instance, args[2], u32(memory.readInt(lenPtr)), in1);
        final int rowId = tx.update(indexId, row.buffer, 0, row.length);
        if (rowId < 0)
        {
            return ret(-rowId);
        }
        writeGenerated(memory, tableId, rowId, (int)args[2], lenPtr);
        return ret(Errno.OK);
    }

    long[] deleteByRange(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final int status = rangeFromAbi(instance, args);
        if (status != Errno.OK)
        {
            return ret(status);
        }
        return deleted(instance, tx.deleteByRange((int)args[0], range), args[8]);
    }

    long[] deleteByPoint(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final int status = pointFromAbi(instance, args);
        if (status != Errno.OK)
        {
            return ret(status);
        }
        return deleted(instance, tx.deleteByRange((int)args[0], range), args[3]);
    }

    private long[] deleted(final Instance instance, final int count, final long outPtr)
    {
        if (count < 0)
        {
            return ret(-count);
        }
        memory(instance).writeI32((int)outPtr, count);
        return ret(Errno.OK);
    }

    long[] deleteAllByEq(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final WasmBytes rel = read(instance, args[1], u32(args[2]), in1);
        if (rel.length < 4)
        {
            return ret(null == datastore.table((int)args[0]) ? Errno.NO_SUCH_TABLE : Errno.BSATN_DECODE_ERROR);
        }
        final int count = rel.buffer.getInt(0, ByteOrder.LITTLE_ENDIAN);
        if (count < 0)
        {
            return ret(Errno.BSATN_DECODE_ERROR);
        }
        return deleted(instance, tx.deleteEqualRows((int)args[0], rel.buffer, 4, rel.length - 4, count), args[3]);
    }

    long[] clear(final Instance instance, final long... args)
    {
        if (null == tx)
        {
            return ret(noTx());
        }
        final long count = tx.clear((int)args[0]);
        if (count < 0)
        {
            return ret((int)-count);
        }
        memory(instance).writeLong((int)args[1], count);
        return ret(Errno.OK);
    }

    // ------------------------------------------------------------------ 10.0: bytes, logging, misc

    long[] scheduleImmediate(final Instance instance, final long... args)
    {
        final String name = readString(instance, args[0], u32(args[1]));
        scheduled.add(new ScheduledCall(name, read(instance, args[2], u32(args[3]))));
        return null;
    }

    long[] sinkWrite(final Instance instance, final long... args)
    {
        final int handle = (int)args[0];
        final Sink sink = 0 == handle ? null : sinks.get(handle);
        if (null == sink)
        {
            return ret(Errno.NO_SUCH_BYTES);
        }
        final Memory memory = memory(instance);
        final int lenPtr = (int)args[2];
        final long length = u32(memory.readInt(lenPtr));
        if (sink.length + length > context.sinkLimitBytes())
        {
            return ret(Errno.NO_SPACE);
        }
        if (length > 0)
        {
            final int address = (int)args[1];
            if (inBounds(memory, address, length))
            {
                sink.ensure((int)length);
                copy(memory, address, sink.data, sink.length, (int)length);
                sink.length += (int)length;
            }
            else
            {
                sink.append(memory.readBytes(address, (int)length));
            }
        }
        return ret(Errno.OK);
    }

    long[] sourceRead(final Instance instance, final long... args)
    {
        final int handle = (int)args[0];
        final Source source = 0 == handle ? null : sources.get(handle);
        if (null == source)
        {
            return ret(Errno.NO_SUCH_BYTES);
        }
        final Memory memory = memory(instance);
        final int lenPtr = (int)args[2];
        final long capacity = u32(memory.readInt(lenPtr));
        final int n = (int)Math.min(capacity, source.limit - source.position);
        if (n > 0)
        {
            memory.write((int)args[1], source.data, source.position, n);
        }
        source.position += n;
        memory.writeI32(lenPtr, n);
        if (source.position >= source.limit)
        {
            sources.remove(handle);
            releaseSource(source);
            return ret(ADVANCE_EXHAUSTED);
        }
        return ret(Errno.OK);
    }

    long[] sourceRemainingLength(final Instance instance, final long... args)
    {
        final int handle = (int)args[0];
        final Source source = 0 == handle ? null : sources.get(handle);
        if (null == source)
        {
            return ret(Errno.NO_SUCH_BYTES);
        }
        memory(instance).writeI32((int)args[1], source.limit - source.position);
        return ret(Errno.OK);
    }

    long[] consoleLog(final Instance instance, final long... args)
    {
        final String target = args[1] == 0 ? "" : readString(instance, args[1], u32(args[2]));
        final String filename = args[3] == 0 ? "" : readString(instance, args[3], u32(args[4]));
        final long line = u32(args[5]) == 0xFFFF_FFFFL ? -1 : u32(args[5]);
        final String message = readString(instance, args[6], u32(args[7]));
        log.append(new LogRecord(nowMicros(), (int)(args[0] & 0xFF), target, filename, line, message));
        return null;
    }

    long[] timerStart(final Instance instance, final long... args)
    {
        final String name = readString(instance, args[0], u32(args[1]));
        final int id = nextTimer++;
        if (nextTimer <= 0)
        {
            nextTimer = 1;
        }
        timers.put(id, new Timer(name, System.nanoTime()));
        return ret(id);
    }

    long[] timerEnd(final Instance instance, final long... args)
    {
        final Timer timer = timers.remove((int)args[0]);
        if (null == timer)
        {
            return ret(Errno.NO_SUCH_CONSOLE_TIMER);
        }
        final long micros = (System.nanoTime() - timer.startNanos) / 1000;
        log.append(new LogRecord(nowMicros(), LogRecord.INFO, "", "", -1,
            "Timing span \"" + timer.name + "\": " + micros + "us"));
        return ret(Errno.OK);
    }

    long[] identity(final Instance instance, final long... args)
    {
        memory(instance).write((int)args[0], context.databaseIdentity());
        return null;
    }

    // ------------------------------------------------------------------ 10.2 get_jwt

    long[] getJwt(final Instance instance, final long... args)
    {
        final byte[] connectionId = read(instance, args[0], 16);
        if (null == tx && !procedureCall)
        {
            return ret(noTx());
        }
        final String payload = context.jwtPayloads().apply(connectionId);
        final int handle = null == payload ? 0 : newSource(payload.getBytes(StandardCharsets.UTF_8));
        memory(instance).writeI32((int)args[1], handle);
        return ret(Errno.OK);
    }

    // ------------------------------------------------------------------ 10.3 procedures

    long[] procedureStartMutTx(final Instance instance, final long... args)
    {
        if (!procedureCall || null != tx || datastore.isTxOpen())
        {
            return ret(Errno.WOULD_BLOCK_TRANSACTION);
        }
        tx = datastore.beginMutTx();
        procedureTx = true;
        memory(instance).writeLong((int)args[0], nowMicros());
        return ret(Errno.OK);
    }

    long[] procedureCommitMutTx(final Instance instance, final long... args)
    {
        final int status = procedureTxStatus();
        if (status != Errno.OK)
        {
            return ret(status);
        }
        final MutTx committing = tx;
        tx = null;
        procedureTx = false;
        final String refusal = context.procedureCommitter().commit(committing);
        if (null != refusal)
        {
            throw new HostTrap(refusal, null);
        }
        return ret(Errno.OK);
    }

    long[] procedureAbortMutTx(final Instance instance, final long... args)
    {
        final int status = procedureTxStatus();
        if (status != Errno.OK)
        {
            return ret(status);
        }
        tx.rollback();
        tx = null;
        procedureTx = false;
        return ret(Errno.OK);
    }

    private int procedureTxStatus()
    {
        if (null == tx)
        {
            return Errno.NOT_IN_TRANSACTION;
        }
        return procedureTx ? Errno.OK : Errno.TRANSACTION_NOT_ANONYMOUS;
    }

    long[] procedureSleepUntil(final Instance instance, final long... args)
    {
        final long wakeAtMicros = args[0];
        long now = nowMicros();
        try
        {
            while (now < wakeAtMicros)
            {
                final long micros = wakeAtMicros - now;
                Thread.sleep(micros / 1000, (int)(micros % 1000) * 1000);
                now = nowMicros();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ChicoryInterruptedException("interrupted in procedure_sleep_until");
        }
        return new long[] {now};
    }

    long[] procedureHttpRequest(final Instance instance, final long... args)
    {
        final byte[] request = read(instance, args[0], u32(args[1]));
        final byte[] body = read(instance, args[2], u32(args[3]));
        final HttpBridge.Result result = http.send(request, body);
        final Memory memory = memory(instance);
        final int out = (int)args[4];
        if (null != result.error())
        {
            memory.writeI32(out, newSource(result.error()));
            memory.writeI32(out + 4, 0);
            return ret(result.errno());
        }
        memory.writeI32(out, newSource(result.meta()));
        memory.writeI32(out + 4, newSource(result.body()));
        return ret(Errno.OK);
    }

    static long nowMicros()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    // ------------------------------------------------------------------ handle types

    /** A row iterator; pooled: its row-id list is reused. */
    private static final class RowIter
    {
        private final IntArrayList rows = new IntArrayList();
        private StoredTable table;
        private int position;
    }

    /** A bytes source over {@code data[0, limit)}; pooled. */
    private static final class Source
    {
        private byte[] data = EMPTY;
        private int limit;
        private int position;
    }

    /** A bytes sink; pooled with its array. */
    private static final class Sink
    {
        private byte[] data = new byte[64];
        private int length;

        void ensure(final int more)
        {
            if (length + more > data.length)
            {
                data = Arrays.copyOf(data, Math.max(data.length * 2, length + more));
            }
        }

        void append(final byte[] bytes)
        {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, data, length, bytes.length);
            length += bytes.length;
        }
    }

    /** A reusable copy of a range of linear memory, with a buffer over it. */
    private static final class WasmBytes
    {
        private byte[] bytes = new byte[64];
        private final UnsafeBuffer buffer = new UnsafeBuffer(bytes, 0, 0);
        private int length;

        void ensure(final int capacity)
        {
            if (capacity > bytes.length)
            {
                bytes = new byte[Math.max(capacity, bytes.length * 2)];
            }
        }

        void wrap(final int newLength)
        {
            length = newLength;
            buffer.wrap(bytes, 0, newLength);
        }

        String string()
        {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }

    /**
     * Cached id lookups by the name's bytes (no decoding): a hash map from the bytes' hash to a short chain of
     * entries compared byte by byte. An entry is used only while the datastore still maps its id to the same
     * {@link StoredTable} (see the class comment).
     */
    private static final class NameCache
    {
        private final Int2ObjectHashMap<NameEntry> byHash = new Int2ObjectHashMap<>();

        void clear()
        {
            byHash.clear();
        }

        private static int hash(final WasmBytes name)
        {
            int hash = 1;
            for (int i = 0; i < name.length; i++)
            {
                hash = 31 * hash + name.bytes[i];
            }
            return hash;
        }

        /**
         * The cached id, or -1.
         *
         * @param table true for a table id, false for an index id.
         */
        int get(final WasmBytes name, final boolean table, final Datastore datastore)
        {
            for (NameEntry entry = byHash.get(hash(name)); null != entry; entry = entry.next)
            {
                if (Arrays.equals(entry.name, 0, entry.name.length, name.bytes, 0, name.length))
                {
                    final StoredTable current = table ? datastore.table(entry.id) : datastore.tableOfIndex(entry.id);
                    return current == entry.table ? entry.id : -1;
                }
            }
            return -1;
        }

        void put(final WasmBytes name, final int id, final StoredTable table)
        {
            final int hash = hash(name);
            final NameEntry head = byHash.get(hash);
            for (NameEntry entry = head; null != entry; entry = entry.next)
            {
                if (Arrays.equals(entry.name, 0, entry.name.length, name.bytes, 0, name.length))
                {
                    entry.id = id;
                    entry.table = table;
                    return;
                }
            }
            byHash.put(hash, new NameEntry(Arrays.copyOf(name.bytes, name.length), id, table, head));
        }
    }

    private static final class NameEntry
    {
        private final byte[] name;
        private final NameEntry next;
        private int id;
        private StoredTable table;

        NameEntry(final byte[] name, final int id, final StoredTable table, final NameEntry next)
        {
            this.name = name;
            this.id = id;
            this.table = table;
            this.next = next;
        }
    }

    private record Timer(String name, long startNanos)
    {
    }

    /** A cached name resolution: valid while the datastore still maps the id to this table. */
    private record ResolvedName(int id, StoredTable table)
    {
    }
}
