package io.lightcone.wasm.host;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.ChicoryException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Binds every {@link HostImport} to its {@link HostEnv} method as Chicory {@link HostFunction}s. Each is offered
 * under its own import module ({@code spacetime_10.<minor>}) and, when a module imports it from a later minor
 * module (allowed: a minor includes everything before it), under that name too.
 */
final class HostBindings
{
    private HostBindings()
    {
    }

    static List<ImportFunction> functions(final HostEnv env, final CompiledModule module)
    {
        final Map<HostImport, WasmFunctionHandle> handles = handles(env);
        final List<ImportFunction> functions = new ArrayList<>();
        for (final HostImport hostImport : HostImport.values())
        {
            functions.add(bind(hostImport.moduleName(), hostImport, handles.get(hostImport)));
        }
        for (final Map.Entry<String, HostImport> imported : module.imports().entrySet())
        {
            final String moduleName = imported.getKey().substring(0, imported.getKey().indexOf("::"));
            final HostImport hostImport = imported.getValue();
            if (!moduleName.equals(hostImport.moduleName()))
            {
                functions.add(bind(moduleName, hostImport, handles.get(hostImport)));
            }
        }
        return functions;
    }

    private static HostFunction bind(final String moduleName, final HostImport hostImport,
        final WasmFunctionHandle handle)
    {
        final String name = hostImport.importName();
        return new HostFunction(moduleName, name, hostImport.type(), (instance, args) ->
        {
            try
            {
                return handle.apply(instance, args);
            }
            catch (final ChicoryException | HostTrap | StackOverflowError ex)
            {
                throw ex;
            }
            catch (final RuntimeException ex)
            {
                throw new HostTrap("host call " + name + " failed: " + ex, ex);
            }
        });
    }

    private static Map<HostImport, WasmFunctionHandle> handles(final HostEnv env)
    {
        final Map<HostImport, WasmFunctionHandle> h = new EnumMap<>(HostImport.class);
        h.put(HostImport.TABLE_ID_FROM_NAME, env::tableIdFromName);
        h.put(HostImport.INDEX_ID_FROM_NAME, env::indexIdFromName);
        h.put(HostImport.DATASTORE_TABLE_ROW_COUNT, env::tableRowCount);
        h.put(HostImport.DATASTORE_TABLE_SCAN_BSATN, env::tableScan);
        h.put(HostImport.DATASTORE_INDEX_SCAN_RANGE_BSATN, env::indexScanRange);
        h.put(HostImport.DATASTORE_BTREE_SCAN_BSATN, env::indexScanRange);
        h.put(HostImport.DATASTORE_DELETE_BY_INDEX_SCAN_RANGE_BSATN, env::deleteByRange);
        h.put(HostImport.DATASTORE_DELETE_BY_BTREE_SCAN_BSATN, env::deleteByRange);
        h.put(HostImport.DATASTORE_DELETE_ALL_BY_EQ_BSATN, env::deleteAllByEq);
        h.put(HostImport.ROW_ITER_BSATN_ADVANCE, env::rowIterAdvance);
        h.put(HostImport.ROW_ITER_BSATN_CLOSE, env::rowIterClose);
        h.put(HostImport.DATASTORE_INSERT_BSATN, env::insert);
        h.put(HostImport.DATASTORE_UPDATE_BSATN, env::update);
        h.put(HostImport.VOLATILE_NONATOMIC_SCHEDULE_IMMEDIATE, env::scheduleImmediate);
        h.put(HostImport.BYTES_SINK_WRITE, env::sinkWrite);
        h.put(HostImport.BYTES_SOURCE_READ, env::sourceRead);
        h.put(HostImport.CONSOLE_LOG, env::consoleLog);
        h.put(HostImport.CONSOLE_TIMER_START, env::timerStart);
        h.put(HostImport.CONSOLE_TIMER_END, env::timerEnd);
        h.put(HostImport.IDENTITY, env::identity);
        h.put(HostImport.BYTES_SOURCE_REMAINING_LENGTH, env::sourceRemainingLength);
        h.put(HostImport.GET_JWT, env::getJwt);
        h.put(HostImport.PROCEDURE_START_MUT_TX, env::procedureStartMutTx);
        h.put(HostImport.PROCEDURE_COMMIT_MUT_TX, env::procedureCommitMutTx);
        h.put(HostImport.PROCEDURE_ABORT_MUT_TX, env::procedureAbortMutTx);
        h.put(HostImport.PROCEDURE_SLEEP_UNTIL, env::procedureSleepUntil);
        h.put(HostImport.PROCEDURE_HTTP_REQUEST, env::procedureHttpRequest);
        h.put(HostImport.DATASTORE_INDEX_SCAN_POINT_BSATN, env::indexScanPoint);
        h.put(HostImport.DATASTORE_DELETE_BY_INDEX_SCAN_POINT_BSATN, env::deleteByPoint);
        h.put(HostImport.DATASTORE_CLEAR, env::clear);
        if (h.size() != HostImport.values().length)
        {
            throw new IllegalStateException("unbound host imports");
        }
        return h;
    }
}
