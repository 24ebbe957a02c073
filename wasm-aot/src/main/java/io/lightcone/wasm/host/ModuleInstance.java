package io.lightcone.wasm.host;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ReducerDef;
import io.lightcone.core.moduledef.ViewDef;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A running module: a Chicory instance of a {@link CompiledModule} with every host import of
 * {@code spacetime_10.0}..{@code 10.5} bound to the database, plus its module def and log.
 * <p>
 * Creation instantiates the module and runs, in order: {@code _initialize} (if exported), every
 * {@code __preinit__*} export in name order, {@code __setup__} (if exported; non-zero ⇒ refused with its error
 * message), then {@code __describe_module__}, whose bytes the injected decoder turns into the {@link ModuleDef}.
 * <p>
 * Calls take a transaction the caller opened (the transaction loop owns begin/commit) and return a
 * {@link CallOutcome}; on anything but OK the caller rolls back. A call that traps or runs out of budget leaves the
 * instance unusable: it is rebuilt (instantiated again from the compiled classes, without compiling or describing
 * again) before the next call, so the host keeps serving. {@link #instantiations()} counts how often that happened.
 * <p>
 * Budget: each call is armed with a wall-clock budget on {@link BudgetWatchdog}; an overrun interrupts the
 * thread, Chicory's compiled code and interpreter throw at the next loop back-edge or call, and the outcome is
 * OUT_OF_ENERGY "reducer ran out of energy". The interrupt flag is always cleared before the call returns.
 * <p>
 * Memory: linear memory is capped at {@link ModuleHostContext#memoryLimitBytes()}; {@code memory.grow} beyond
 * the cap returns -1 to the module, as in wasmtime with a resource limiter. A call after which memory is within
 * 16 pages of the cap rebuilds the instance (memory never shrinks), and a failed call there says so.
 * <p>
 * Not thread safe: one thread (the transaction loop) uses an instance.
 */
public final class ModuleInstance implements AutoCloseable
{
    /**
     * The least wall time a load-time export ({@code _initialize}, {@code __preinit__*}, {@code __setup__},
     * {@code __describe_module__}) gets, whatever the per-call budget: these run once per load, and a short reducer
     * budget must not refuse a module because a busy machine ran its setup slowly.
     */
    static final long LOAD_BUDGET_FLOOR_NANOS = 10_000_000_000L;

    private static final int NEAR_CAP_PAGES = 16;
    private static final String CALL_REDUCER = "__call_reducer__";
    private static final String CALL_PROCEDURE = "__call_procedure__";
    private static final String CALL_VIEW = "__call_view__";
    private static final String CALL_VIEW_ANON = "__call_view_anon__";
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final CompiledModule compiled;
    private final ModuleHostContext context;
    private final ModuleLog log;
    private final HostEnv env;
    private final BudgetWatchdog.Guard guard = new BudgetWatchdog.Guard();
    private final MemoryLimits memoryLimits;
    private final long callBudgetNanos;
    private final long loadBudgetNanos;
    private final long procedureBudgetNanos;
    private final ModuleDef moduleDef;
    private final byte[] describeBytes;
    private final BsatnReader argsReader = new BsatnReader();
    private final UnsafeBuffer argsBuffer = new UnsafeBuffer(new byte[0]);
    private Instance instance;
    private ExportFunction callReducer;
    private ExportFunction callProcedure;
    private ExportFunction callView;
    private ExportFunction callViewAnon;
    private boolean broken;
    private long instantiations;
    private List<ScheduledCall> scheduled = List.of();
    private int lastReturn;
    private final long[] callParams = new long[10];
    /** Reducers found by name (the def does not change); a name found nowhere is not cached. */
    private final HashMap<String, ReducerDef> reducersByName = new HashMap<>();

    private ModuleInstance(final CompiledModule compiled, final ModuleHostContext context)
    {
        this.compiled = compiled;
        this.context = context;
        this.log = new ModuleLog(context.logCapacity());
        this.env = new HostEnv(context, log);
        this.callBudgetNanos = context.callBudget().toNanos();
        this.loadBudgetNanos = Math.max(callBudgetNanos, LOAD_BUDGET_FLOOR_NANOS);
        this.procedureBudgetNanos = context.procedureBudget().toNanos();
        this.memoryLimits = memoryLimits(compiled.wasmModule(), context.memoryLimitBytes());
        instantiate();
        this.describeBytes = describe();
        try
        {
            this.moduleDef = context.describeDecoder().apply(describeBytes);
        }
        catch (final RuntimeException ex)
        {
            throw new ModuleLoadException("invalid module def from __describe_module__ (" + describeBytes.length +
                " bytes): " + ex.getMessage(), ex);
        }
        if (null == moduleDef)
        {
            throw new ModuleLoadException("the module-def decoder returned nothing");
        }
        env.moduleDef(moduleDef);
    }

    /**
     * Instantiates a module, initializes it and reads its module def.
     *
     * @param compiled the compiled module.
     * @param context  the database side; {@link ModuleHostContext#conclude()} is called here.
     * @return the running instance.
     * @throws ModuleLoadException when initialization fails or the def does not decode.
     */
    public static ModuleInstance create(final CompiledModule compiled, final ModuleHostContext context)
    {
        return new ModuleInstance(compiled, context.conclude());
    }

    private static MemoryLimits memoryLimits(final WasmModule module, final long limitBytes)
    {
        final int capPages = (int)Math.min(MemoryLimits.MAX_PAGES, limitBytes / 65536);
        final MemoryLimits declared = module.memorySection().map((section) -> section.getMemory(0).limits())
            .orElseThrow(() -> new ModuleLoadException("module defines no memory"));
        if (declared.initialPages() > capPages)
        {
            throw new ModuleLoadException("module needs " + declared.initialPages() + " pages of memory initially; " +
                "the limit is " + capPages + " pages");
        }
        return new MemoryLimits(declared.initialPages(), Math.min(declared.maximumPages(), capPages));
    }

    // ------------------------------------------------------------------ lifecycle

    private void instantiate()
    {
        instance = null;
        final Instance created;
        try
        {
            created = Instance.builder(compiled.wasmModule())
                .withMachineFactory(compiled.machineFactory())
                .withImportValues(ImportValues.builder().withFunctions(HostBindings.functions(env, compiled)).build())
                .withMemoryLimits(memoryLimits)
                .withMemoryFactory(ByteArrayMemory::new)
                .withStart(false)
                .build();
        }
        catch (final RuntimeException ex)
        {
            throw new ModuleLoadException("cannot instantiate module: " + ex.getMessage(), ex);
        }
        instantiations++;
        final List<String> inits = new ArrayList<>();
        final List<String> preinits = new ArrayList<>();
        final int exportCount = compiled.wasmModule().exportSection().exportCount();
        for (int i = 0; i < exportCount; i++)
        {
            final Export export = compiled.wasmModule().exportSection().getExport(i);
            if (export.exportType() == ExternalType.FUNCTION && export.name().startsWith("__preinit__"))
            {
                preinits.add(export.name());
            }
        }
        preinits.sort(String::compareTo);
        if (hasExport("_initialize"))
        {
            inits.add("_initialize");
        }
        inits.addAll(preinits);
        for (final String name : inits)
        {
            runInit(created, name);
        }
        if (hasExport("__setup__"))
        {
            runSetup(created);
        }
        callReducer = created.export(CALL_REDUCER);
        callProcedure = hasExport(CALL_PROCEDURE) ? created.export(CALL_PROCEDURE) : null;
        callView = hasExport(CALL_VIEW) ? created.export(CALL_VIEW) : null;
        callViewAnon = hasExport(CALL_VIEW_ANON) ? created.export(CALL_VIEW_ANON) : null;
        instance = created;
        broken = false;
    }

    private boolean hasExport(final String name)
    {
        final int exportCount = compiled.wasmModule().exportSection().exportCount();
        for (int i = 0; i < exportCount; i++)
        {
            final Export export = compiled.wasmModule().exportSection().getExport(i);
            if (export.exportType() == ExternalType.FUNCTION && export.name().equals(name))
            {
                return true;
            }
        }
        return false;
    }

    private void runInit(final Instance created, final String name)
    {
        env.beginCall(null, false);
        final CallOutcome failure = invoke(created.export(name), new long[0], loadBudgetNanos);
        env.endCall();
        if (null != failure)
        {
            throw new ModuleLoadException(name + " failed: " + failure.message());
        }
    }

    private void runSetup(final Instance created)
    {
        env.beginCall(null, false);
        final int errSink = env.newSink();
        final CallOutcome failure = invoke(created.export("__setup__"), new long[] {errSink}, loadBudgetNanos);
        final String message = new String(env.sinkBytes(errSink), StandardCharsets.UTF_8);
        env.endCall();
        if (null != failure)
        {
            throw new ModuleLoadException("__setup__ failed: " + failure.message());
        }
        if (lastReturn != 0)
        {
            throw new ModuleLoadException("__setup__ returned " + lastReturn + ": " + message);
        }
    }

    private byte[] describe()
    {
        env.beginCall(null, false);
        final int sink = env.newSink();
        final CallOutcome failure = invoke(instance.export("__describe_module__"), new long[] {sink}, loadBudgetNanos);
        final byte[] bytes = env.sinkBytes(sink);
        env.endCall();
        if (null != failure)
        {
            throw new ModuleLoadException("__describe_module__ failed: " + failure.message());
        }
        return bytes;
    }

    private CallOutcome ensureLive()
    {
        if (broken || null == instance)
        {
            try
            {
                instantiate();
            }
            catch (final ModuleLoadException ex)
            {
                return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "cannot rebuild instance: " +
                    ex.getMessage());
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ tables

    /**
     * Creates the module's tables ({@link ModuleDef#tables()}) in a datastore, as publishing does. Host calls
     * resolve table and index names through this instance's def, so creating the tables after the instance (which
     * had to run {@code __describe_module__} to know them) is the normal order.
     *
     * @param datastore where to create them; no transaction may be open.
     * @return the created tables, in def order.
     * @throws IllegalArgumentException when a table of that name already exists.
     */
    public List<StoredTable> createTables(final Datastore datastore)
    {
        return ModuleSchemas.createTables(moduleDef, datastore);
    }

    // ------------------------------------------------------------------ calls

    /**
     * Calls a reducer by canonical name (or, failing that, by the name in the module's source, as
     * {@code volatile_nonatomic_schedule_immediate} passes it), after checking that the arguments decode as its
     * parameters.
     *
     * @param tx              the open transaction the reducer runs in (the caller commits or rolls back).
     * @param name            the reducer's canonical name.
     * @param sender          the caller's identity, 32 bytes little-endian.
     * @param connectionId    the caller's connection id, 16 bytes little-endian, all zero for none.
     * @param timestampMicros the call's timestamp, µs since the Unix epoch.
     * @param args            the BSATN product of the arguments.
     * @return the outcome; INTERNAL_ERROR "no such reducer: X" for an unknown name, and INTERNAL_ERROR
     * "invalid arguments for reducer X: ..." without entering the module when the arguments do not decode.
     */
    public CallOutcome callReducer(
        final MutTx tx,
        final String name,
        final byte[] sender,
        final byte[] connectionId,
        final long timestampMicros,
        final byte[] args)
    {
        final ReducerDef reducer = reducerByName(name);
        if (null == reducer)
        {
            return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "no such reducer: " + name);
        }
        return callReducer(tx, reducer, sender, connectionId, timestampMicros, args);
    }

    private ReducerDef reducerByName(final String name)
    {
        final ReducerDef cached = reducersByName.get(name);
        if (null != cached)
        {
            return cached;
        }
        final ReducerDef reducer = findReducer(name);
        if (null != reducer)
        {
            reducersByName.put(name, reducer);
        }
        return reducer;
    }

    private ReducerDef findReducer(final String name)
    {
        final ReducerDef reducer = moduleDef.reducer(name);
        if (null != reducer)
        {
            return reducer;
        }
        for (final ReducerDef candidate : moduleDef.reducers())
        {
            if (candidate.sourceName().equals(name))
            {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Checks that arguments are exactly one BSATN value of a parameter product.
     *
     * @return null when they are, else the decode error.
     */
    private String checkArgs(final ProductType params, final byte[] args)
    {
        argsBuffer.wrap(args);
        argsReader.wrap(argsBuffer, 0, args.length);
        try
        {
            Bsatn.skipValue(argsReader, params);
        }
        catch (final BsatnDecodeException ex)
        {
            return ex.getMessage();
        }
        if (!argsReader.isExhausted())
        {
            return argsReader.remaining() + " byte(s) left over after the last parameter";
        }
        return null;
    }

    /**
     * Calls a reducer by its def.
     *
     * @param tx              the open transaction the reducer runs in (the caller commits or rolls back).
     * @param reducer         the reducer.
     * @param sender          the caller's identity, 32 bytes little-endian.
     * @param connectionId    the caller's connection id, 16 bytes little-endian, all zero for none.
     * @param timestampMicros the call's timestamp, µs since the Unix epoch.
     * @param args            the BSATN product of the arguments.
     * @return the outcome; INTERNAL_ERROR "invalid arguments for reducer X: ..." without entering the module
     * when the arguments do not decode as the reducer's parameters.
     */
    public CallOutcome callReducer(
        final MutTx tx,
        final ReducerDef reducer,
        final byte[] sender,
        final byte[] connectionId,
        final long timestampMicros,
        final byte[] args)
    {
        final String invalid = checkArgs(reducer.params(), args);
        if (null != invalid)
        {
            return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "invalid arguments for reducer " +
                reducer.name() + ": " + invalid);
        }
        return callReducer(tx, reducer.id(), sender, connectionId, timestampMicros, args);
    }

    /**
     * Calls a reducer by id ({@code __call_reducer__}), passing the arguments as they are: the low-level entry,
     * the module sees whatever bytes it is given (the by-name and by-def calls check them first).
     *
     * @param tx              the open transaction the reducer runs in (the caller commits or rolls back).
     * @param reducerId       the reducer's position in the module's reducer list.
     * @param sender          the caller's identity, 32 bytes little-endian.
     * @param connectionId    the caller's connection id, 16 bytes little-endian, all zero for none.
     * @param timestampMicros the call's timestamp, µs since the Unix epoch.
     * @param args            the BSATN product of the arguments.
     * @return the outcome.
     */
    public CallOutcome callReducer(
        final MutTx tx,
        final int reducerId,
        final byte[] sender,
        final byte[] connectionId,
        final long timestampMicros,
        final byte[] args)
    {
        return callReducer(tx, reducerId, sender, connectionId, timestampMicros, args, args.length);
    }

    /**
     * Like {@link #callReducer(MutTx, int, byte[], byte[], long, byte[])} for arguments in the first
     * {@code argsLength} bytes of a reusable array, so a caller can pass every call's arguments without allocating.
     * The module reads them during the call only; the caller may overwrite the array once this returns.
     *
     * @param tx              the open transaction the reducer runs in (the caller commits or rolls back).
     * @param reducerId       the reducer's position in the module's reducer list.
     * @param sender          the caller's identity, 32 bytes little-endian.
     * @param connectionId    the caller's connection id, 16 bytes little-endian, all zero for none.
     * @param timestampMicros the call's timestamp, µs since the Unix epoch.
     * @param args            holds the BSATN product of the arguments in its first {@code argsLength} bytes.
     * @param argsLength      how many bytes of {@code args} are the arguments.
     * @return the outcome.
     */
    public CallOutcome callReducer(
        final MutTx tx,
        final int reducerId,
        final byte[] sender,
        final byte[] connectionId,
        final long timestampMicros,
        final byte[] args,
        final int argsLength)
    {
        if (argsLength < 0 || argsLength > args.length)
        {
            throw new IllegalArgumentException("argsLength " + argsLength + " outside [0, " + args.length + "]");
        }
        final CallOutcome dead = ensureLive();
        if (null != dead)
        {
            return dead;
        }
        env.beginCall(tx, false);
        final int argsSource = env.newSource(args, argsLength);
        final int errSink = env.newSink();
        final long[] params = callParams(reducerId, sender, connectionId, timestampMicros, argsSource, errSink);
        final CallOutcome failure = invoke(callReducer, params, callBudgetNanos);
        final byte[] err = env.sinkBytes(errSink);
        return finish(failure, err, false, "reducer");
    }

    /**
     * Calls a procedure ({@code __call_procedure__}). Procedures run outside any transaction and open their own
     * with {@code procedure_start_mut_tx}; commits go through
     * {@link ModuleHostContext#procedureCommitter()}, and a transaction left open is rolled back.
     *
     * @param procedureId     the procedure's position in the module's procedure list.
     * @param sender          the caller's identity, 32 bytes little-endian.
     * @param connectionId    the caller's connection id, 16 bytes, all zero for none.
     * @param timestampMicros the call's timestamp.
     * @param args            the BSATN product of the arguments.
     * @return the outcome; on OK its output is the BSATN return value.
     */
    public CallOutcome callProcedure(
        final int procedureId,
        final byte[] sender,
        final byte[] connectionId,
        final long timestampMicros,
        final byte[] args)
    {
        if (null == callProcedure)
        {
            return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "module exports no __call_procedure__");
        }
        final CallOutcome dead = ensureLive();
        if (null != dead)
        {
            return dead;
        }
        env.beginCall(null, true);
        final int argsSource = env.newSource(args);
        final int sink = env.newSink();
        final long[] params = callParams(procedureId, sender, connectionId, timestampMicros, argsSource, sink);
        final CallOutcome failure = invoke(callProcedure, params, procedureBudgetNanos);
        return finish(failure, env.sinkBytes(sink), true, "procedure");
    }

    /**
     * Calls a view by canonical name: {@code __call_view_anon__} for an anonymous view, else {@code __call_view__}
     * with the sender, at the view's {@link ViewDef#index()}.
     *
     * @param tx     the transaction to read.
     * @param name   the view's canonical name.
     * @param sender the caller's identity, 32 bytes little-endian (ignored by anonymous views).
     * @param args   the BSATN arguments.
     * @return the outcome, as {@link #callView(MutTx, int, byte[], byte[])}; INTERNAL_ERROR "no such view: X" for
     * an unknown name.
     */
    public CallOutcome callView(final MutTx tx, final String name, final byte[] sender, final byte[] args)
    {
        for (final ViewDef view : moduleDef.views())
        {
            if (view.name().equals(name))
            {
                return view.anonymous() ? callAnonymousView(tx, view.index(), args) :
                    callView(tx, view.index(), sender, args);
            }
        }
        return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "no such view: " + name);
    }

    /**
     * Calls a view with a caller ({@code __call_view__}).
     *
     * @param tx        the transaction to read (views must not write).
     * @param viewIndex the view's index among the non-anonymous views.
     * @param sender    the caller's identity, 32 bytes little-endian.
     * @param args      the BSATN arguments.
     * @return the outcome; on OK its output is a BSATN {@code ViewResultHeader} followed by the data (a legacy
     * return 0 is normalized by prefixing the RowData tag 0).
     */
    public CallOutcome callView(final MutTx tx, final int viewIndex, final byte[] sender, final byte[] args)
    {
        if (null == callView)
        {
            return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "module exports no __call_view__");
        }
        final CallOutcome dead = ensureLive();
        if (null != dead)
        {
            return dead;
        }
        env.beginCall(tx, false);
        final int argsSource = env.newSource(args);
        final int sink = env.newSink();
        final long[] params = {viewIndex, le64(sender, 0), le64(sender, 8), le64(sender, 16), le64(sender, 24),
            argsSource, sink};
        return finishView(invoke(callView, params, callBudgetNanos), sink);
    }

    /**
     * Calls an anonymous view ({@code __call_view_anon__}).
     *
     * @param tx        the transaction to read.
     * @param viewIndex the view's index among the anonymous views.
     * @param args      the BSATN arguments.
     * @return the outcome, as {@link #callView}.
     */
    public CallOutcome callAnonymousView(final MutTx tx, final int viewIndex, final byte[] args)
    {
        if (null == callViewAnon)
        {
            return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, "module exports no __call_view_anon__");
        }
        final CallOutcome dead = ensureLive();
        if (null != dead)
        {
            return dead;
        }
        env.beginCall(tx, false);
        final int argsSource = env.newSource(args);
        final int sink = env.newSink();
        return finishView(invoke(callViewAnon, new long[] {viewIndex, argsSource, sink}, callBudgetNanos), sink);
    }

    private CallOutcome finishView(final CallOutcome failure, final int sink)
    {
        final byte[] out = env.sinkBytes(sink);
        if (null == failure && lastReturn == 0)
        {
            final byte[] normalized = new byte[out.length + 1];
            System.arraycopy(out, 0, normalized, 1, out.length);
            return finish(null, normalized, true, "view");
        }
        if (null == failure && lastReturn == 2)
        {
            lastReturn = 0;
        }
        return finish(failure, out, true, "view");
    }

    /**
     * The parameters of {@code __call_reducer__} / {@code __call_procedure__}, in an array reused by every call:
     * Chicory's compiled code and its interpreter copy the arguments out of it when the call starts, and calls on
     * one instance do not nest.
     */
    private long[] callParams(
        final int id,
        final byte[] sender,
        final byte[] connectionId,
        final long timestampMicros,
        final int argsSource,
        final int sink)
    {
        if (sender.length != 32 || connectionId.length != 16)
        {
            throw new IllegalArgumentException("sender must be 32 bytes and connectionId 16 bytes");
        }
        final long[] params = callParams;
        params[0] = id;
        params[1] = le64(sender, 0);
        params[2] = le64(sender, 8);
        params[3] = le64(sender, 16);
        params[4] = le64(sender, 24);
        params[5] = le64(connectionId, 0);
        params[6] = le64(connectionId, 8);
        params[7] = timestampMicros;
        params[8] = argsSource;
        params[9] = sink;
        return params;
    }

    private static long le64(final byte[] bytes, final int offset)
    {
        return (long)LONGS.get(bytes, offset);
    }

    private CallOutcome finish(final CallOutcome failure, final byte[] out, final boolean output, final String kind)
    {
        final List<ScheduledCall> requested = env.scheduled();
        scheduled = requested.isEmpty() ? List.of() : List.copyOf(requested);
        env.endCall();
        final boolean nearCap = null != instance && instance.memory().pages() >= memoryLimits.maximumPages() -
            NEAR_CAP_PAGES && memoryLimits.maximumPages() < MemoryLimits.MAX_PAGES;
        if (nearCap)
        {
            broken = true;
        }
        final String capNote = nearCap ? " (memory is at its limit of " + memoryLimits.maximumPages() +
            " pages; memory.grow was refused)" : "";
        if (null != failure)
        {
            if (failure.status() == CallOutcome.Status.INTERNAL_ERROR && nearCap)
            {
                return CallOutcome.failed(failure.status(), failure.message() + capNote);
            }
            return failure;
        }
        if (lastReturn == 0)
        {
            return output ? CallOutcome.ok(out) : CallOutcome.ok();
        }
        if (lastReturn == 1)
        {
            return CallOutcome.failed(CallOutcome.Status.USER_ERROR, new String(out, StandardCharsets.UTF_8));
        }
        return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, kind + " returned unexpected code " +
            lastReturn + capNote);
    }

    /**
     * Runs an export under a budget.
     *
     * @return null when it returned (its i32 result, if any, in {@link #lastReturn}), else the failure; a failure
     * marks the instance for rebuilding.
     */
    private CallOutcome invoke(final ExportFunction function, final long[] params, final long budgetNanos)
    {
        lastReturn = 0;
        Throwable thrown = null;
        BudgetWatchdog.instance().arm(guard, budgetNanos);
        final boolean pendingInterrupt = guard.hadPendingInterrupt();
        try
        {
            final long[] result = function.apply(params);
            lastReturn = null == result || result.length == 0 ? 0 : (int)result[0];
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            thrown = ex;
        }
        finally
        {
            final boolean fired = guard.disarm();
            if (null != thrown)
            {
                broken = true;
                if (fired)
                {
                    return CallOutcome.failed(CallOutcome.Status.OUT_OF_ENERGY, CallOutcome.OUT_OF_ENERGY_MESSAGE);
                }
            }
        }
        if (null == thrown)
        {
            return null;
        }
        return CallOutcome.failed(CallOutcome.Status.INTERNAL_ERROR, describeFailure(thrown, pendingInterrupt));
    }

    private static String describeFailure(final Throwable thrown, final boolean pendingInterrupt)
    {
        if (thrown instanceof StackOverflowError)
        {
            return "wasm trap: call stack exhausted";
        }
        if (thrown instanceof ChicoryInterruptedException)
        {
            return "interrupted" + (pendingInterrupt ? " (the thread was interrupted before the call)" : "");
        }
        if (thrown instanceof HostTrap)
        {
            return "wasm trap: " + thrown.getMessage();
        }
        if (thrown instanceof TrapException)
        {
            return "wasm trap: " + thrown.getMessage();
        }
        return "wasm trap: " + thrown.getClass().getSimpleName() + ": " + thrown.getMessage();
    }

    // ------------------------------------------------------------------ accessors

    /**
     * The module def its {@code __describe_module__} wrote, as the describe decoder decoded it (by default
     * {@link io.lightcone.core.moduledef.ModuleDefDecoder}).
     *
     * @return the def.
     */
    public ModuleDef moduleDef()
    {
        return moduleDef;
    }

    HostEnv hostEnv()
    {
        return env;
    }

    /**
     * The raw BSATN {@code RawModuleDef} the module wrote.
     *
     * @return a copy.
     */
    public byte[] describeBytes()
    {
        return describeBytes.clone();
    }

    /**
     * The compiled module this runs.
     *
     * @return the compiled module.
     */
    public CompiledModule compiledModule()
    {
        return compiled;
    }

    /**
     * The module's log records.
     *
     * @return the log.
     */
    public ModuleLog log()
    {
        return log;
    }

    /**
     * The reducer calls requested with {@code volatile_nonatomic_schedule_immediate} during the last call; the
     * caller runs them if that call committed.
     *
     * @return the requests, in order.
     */
    public List<ScheduledCall> scheduledCalls()
    {
        return scheduled;
    }

    /**
     * How many times the module was instantiated: 1, plus one per rebuild after a trap or overrun.
     *
     * @return the count.
     */
    public long instantiations()
    {
        return instantiations;
    }

    /**
     * Current linear memory size.
     *
     * @return pages of 64 KiB.
     */
    public int memoryPages()
    {
        return null == instance ? 0 : instance.memory().pages();
    }

    /**
     * The effective memory cap.
     *
     * @return pages of 64 KiB.
     */
    public int memoryLimitPages()
    {
        return memoryLimits.maximumPages();
    }

    /**
     * Drops the instance.
     */
    @Override
    public void close()
    {
        BudgetWatchdog.instance().unregister(guard);
        instance = null;
        broken = true;
    }
}
