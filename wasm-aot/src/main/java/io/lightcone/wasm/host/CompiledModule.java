package io.lightcone.wasm.host;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A parsed, validated and compiled module: what {@link ModuleLoader} produces once per module hash and
 * {@link ModuleInstance} instantiates (as often as it needs to, e.g. after a trap) without compiling again.
 * Immutable and safe to share between threads.
 */
public final class CompiledModule
{
    private final String sha256;
    private final WasmModule module;
    private final Function<Instance, Machine> machineFactory;
    private final int abiMinor;
    private final Map<String, HostImport> imports;
    private final List<String> interpretedFunctions;
    private final boolean fromCache;
    private final long loadNanos;
    private final boolean interpreter;

    CompiledModule(
        final String sha256,
        final WasmModule module,
        final Function<Instance, Machine> machineFactory,
        final int abiMinor,
        final Map<String, HostImport> imports,
        final List<String> interpretedFunctions,
        final boolean fromCache,
        final long loadNanos,
        final boolean interpreter)
    {
        this.interpreter = interpreter;
        this.sha256 = sha256;
        this.module = module;
        this.machineFactory = machineFactory;
        this.abiMinor = abiMinor;
        this.imports = imports;
        this.interpretedFunctions = List.copyOf(interpretedFunctions);
        this.fromCache = fromCache;
        this.loadNanos = loadNanos;
    }

    /**
     * The SHA-256 of the module bytes, lower-case hex: the module's identity and the compile cache key.
     *
     * @return 64 hex characters.
     */
    public String sha256()
    {
        return sha256;
    }

    /**
     * The parsed module.
     *
     * @return the Chicory module.
     */
    public WasmModule wasmModule()
    {
        return module;
    }

    /**
     * The compiled machine factory (JVM bytecode; functions that were too large run in the interpreter).
     *
     * @return the factory.
     */
    public Function<Instance, Machine> machineFactory()
    {
        return machineFactory;
    }

    /**
     * The ABI version the module requires: {@code spacetime_10.<abiMinor>}.
     *
     * @return the minor version, 0..5.
     */
    public int abiMinor()
    {
        return abiMinor;
    }

    /**
     * The module's function imports, keyed by "module::name", with the host import each is bound to.
     *
     * @return an unmodifiable map.
     */
    public Map<String, HostImport> imports()
    {
        return imports;
    }

    /**
     * The functions the compiler could not turn into JVM bytecode (too large for a JVM method), which run in the
     * interpreter: their names from the name section, or "func_N".
     *
     * @return the names; empty when everything compiled.
     */
    public List<String> interpretedFunctions()
    {
        return interpretedFunctions;
    }

    /**
     * Whether every function runs in Chicory's interpreter ({@link ModuleLoader.Mode#INTERPRETED}): nothing was
     * compiled.
     *
     * @return true for an interpreted module.
     */
    public boolean interpreter()
    {
        return interpreter;
    }

    /**
     * Whether the compiled form came from the on-disk cache rather than the compiler.
     *
     * @return true on a cache hit.
     */
    public boolean fromCache()
    {
        return fromCache;
    }

    /**
     * Time {@link ModuleLoader#load(byte[])} took: parse, checks and compile or cache load.
     *
     * @return nanoseconds.
     */
    public long loadNanos()
    {
        return loadNanos;
    }
}
