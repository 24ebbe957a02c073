package io.lightcone.wasm.host;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.CompilerResult;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Turns module bytes into a {@link CompiledModule}: parse and validate with Chicory, check the ABI version, the
 * imports and the required exports, then compile every function to JVM bytecode with Chicory's runtime compiler,
 * or load that bytecode from the on-disk cache (keyed by the SHA-256 of the module bytes) so that a restart does
 * not compile again.
 * <p>
 * Compilation uses Chicory's {@code compiler.internal.Compiler} directly (exported by the compiler module) rather
 * than {@code MachineFactoryCompiler.builder(..).withCache(..)}: the public builder can cache the classes too, but
 * it does not report which functions fell back to the interpreter, and a cache hit would lose that list. Functions
 * too large for a JVM method run in the interpreter ({@link InterpreterFallback#WARN}); their names are exposed by
 * {@link CompiledModule#interpretedFunctions()} and logged as a warning.
 * <p>
 * {@link Mode#INTERPRETED} skips compilation and the cache and runs every function in Chicory's interpreter: for
 * benchmarks and comparisons, not for serving.
 * <p>
 * Thread safe. Loading the same module concurrently may compile it twice; the cache keeps one copy.
 */
public final class ModuleLoader
{
    private static final System.Logger LOGGER = System.getLogger(ModuleLoader.class.getName());
    private static final String SPACETIME_PREFIX = "spacetime_";
    private static final List<String> REQUIRED_FUNCTION_EXPORTS = List.of("__describe_module__", "__call_reducer__");
    private static final FunctionType CALL_REDUCER_TYPE = FunctionType.of(
        List.of(ValType.I32, ValType.I64, ValType.I64, ValType.I64, ValType.I64, ValType.I64, ValType.I64,
            ValType.I64, ValType.I32, ValType.I32),
        List.of(ValType.I32));
    private static final FunctionType DESCRIBE_TYPE = FunctionType.of(List.of(ValType.I32), List.of());

    /** How loaded modules execute. */
    public enum Mode
    {
        /** Compiled to JVM bytecode (functions too large for a JVM method fall back to the interpreter). */
        COMPILED,
        /** Every function in Chicory's interpreter; nothing is compiled or cached. */
        INTERPRETED
    }

    private final CompileCache cache;
    private final Mode mode;
    private final AtomicLong compilations = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();

    /**
     * A loader with an on-disk compile cache.
     *
     * @param cacheDir where compiled modules are kept (created on first store), or null for no disk cache.
     */
    public ModuleLoader(final Path cacheDir)
    {
        this(cacheDir, Mode.COMPILED);
    }

    /**
     * A loader with a chosen execution mode.
     *
     * @param cacheDir where compiled modules are kept (created on first store), or null for no disk cache; unused
     *                 when interpreting.
     * @param mode     compiled or interpreted.
     */
    public ModuleLoader(final Path cacheDir, final Mode mode)
    {
        this.mode = mode;
        this.cache = null == cacheDir || mode == Mode.INTERPRETED ? null : new CompileCache(cacheDir);
    }

    /**
     * How modules loaded by this loader execute.
     *
     * @return the mode.
     */
    public Mode mode()
    {
        return mode;
    }

    /**
     * How many modules this loader compiled (cache misses).
     *
     * @return the count.
     */
    public long compilations()
    {
        return compilations.get();
    }

    /**
     * How many loads were served from the on-disk cache.
     *
     * @return the count.
     */
    public long cacheHits()
    {
        return cacheHits.get();
    }

    /**
     * Loads a module.
     *
     * @param wasm the module bytes.
     * @return the compiled module.
     * @throws ModuleLoadException when the module is malformed or needs something this host does not provide.
     */
    public CompiledModule load(final byte[] wasm)
    {
        final long start = System.nanoTime();
        final String sha256 = sha256(wasm);
        final WasmModule module;
        try
        {
            module = Parser.parse(wasm);
        }
        catch (final RuntimeException ex)
        {
            throw new ModuleLoadException("malformed wasm module: " + ex.getMessage(), ex);
        }
        final Map<String, HostImport> imports = new LinkedHashMap<>();
        final int abiMinor = checkImports(module, imports);
        checkExports(module);
        if (mode == Mode.INTERPRETED)
        {
            return new CompiledModule(sha256, module, InterpreterMachine::new, abiMinor,
                Collections.unmodifiableMap(imports), List.of(), false, System.nanoTime() - start, true);
        }

        CompileCache.Entry cached = null == cache ? null : cache.get(sha256);
        Function<Instance, Machine> factory = null;
        if (null != cached)
        {
            try
            {
                factory = loadClasses(cached);
                cacheHits.incrementAndGet();
            }
            catch (final RuntimeException | LinkageError ex)
            {
                LOGGER.log(System.Logger.Level.WARNING, "compile cache entry for " + sha256 + " unusable: " + ex);
                cached = null;
            }
        }
        final boolean fromCache = null != factory;
        if (!fromCache)
        {
            final ClassLoadingCollector[] collector = new ClassLoadingCollector[1];
            final CompileCache.Entry compiled = compile(module, collector);
            factory = collector[0].machineFactory();
            compilations.incrementAndGet();
            cached = compiled;
            if (null != cache)
            {
                try
                {
                    cache.put(sha256, compiled);
                }
                catch (final IOException ex)
                {
                    LOGGER.log(System.Logger.Level.WARNING, "cannot store compiled module " + sha256 + ": " + ex);
                }
            }
        }
        final List<String> interpreted = functionNames(module, cached.interpretedFunctions());
        if (!interpreted.isEmpty())
        {
            LOGGER.log(System.Logger.Level.WARNING, "module " + sha256 + ": " + interpreted.size() +
                " function(s) too large for the compiler run in the interpreter: " + interpreted);
        }
        return new CompiledModule(sha256, module, factory, abiMinor, Collections.unmodifiableMap(imports),
            interpreted, fromCache, System.nanoTime() - start, false);
    }

    static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int checkImports(final WasmModule module, final Map<String, HostImport> imports)
    {
        int maxMinor = -1;
        final List<String> unknown = new ArrayList<>();
        final int count = module.importSection().importCount();
        for (int i = 0; i < count; i++)
        {
            final Import imp = module.importSection().getImport(i);
            final String moduleName = imp.module();
            final String qualified = moduleName + "::" + imp.name();
            if (!moduleName.startsWith(SPACETIME_PREFIX))
            {
                unknown.add(qualified);
                continue;
            }
            final int minor = parseMinor(moduleName);
            maxMinor = Math.max(maxMinor, minor);
            final HostImport hostImport = HostImport.byName(imp.name());
            if (imp.importType() != ExternalType.FUNCTION || null == hostImport || hostImport.minor() > minor)
            {
                unknown.add(qualified);
                continue;
            }
            final FunctionType type = module.typeSection().getType(((FunctionImport)imp).typeIndex());
            if (!type.equals(hostImport.type()))
            {
                throw new ModuleLoadException("import " + qualified + " has type " + type + "; this host provides " +
                    hostImport.type());
            }
            imports.put(qualified, hostImport);
        }
        if (!unknown.isEmpty())
        {
            throw new ModuleLoadException("module imports what this host does not provide: " +
                String.join(", ", unknown));
        }
        if (maxMinor < 0)
        {
            throw new ModuleLoadException("unable to determine ABI: the module imports no spacetime_* module");
        }
        return maxMinor;
    }

    private static int parseMinor(final String moduleName)
    {
        final String version = moduleName.substring(SPACETIME_PREFIX.length());
        final int dot = version.indexOf('.');
        int major = -1;
        int minor = -1;
        try
        {
            if (dot > 0)
            {
                major = Integer.parseInt(version.substring(0, dot));
                minor = Integer.parseInt(version.substring(dot + 1));
            }
        }
        catch (final NumberFormatException ex)
        {
            major = -1;
        }
        if (major < 0 || minor < 0)
        {
            throw new ModuleLoadException("unable to determine ABI: malformed import module name " + moduleName);
        }
        if (major != HostImport.ABI_MAJOR || minor > HostImport.ABI_MAX_MINOR)
        {
            throw new ModuleLoadException("module requires ABI " + moduleName + "; this host implements " +
                HostImport.ABI_MAJOR + ".0.." + HostImport.ABI_MAJOR + "." + HostImport.ABI_MAX_MINOR);
        }
        return minor;
    }

    private static void checkExports(final WasmModule module)
    {
        final Map<String, Export> exports = new LinkedHashMap<>();
        final int count = module.exportSection().exportCount();
        for (int i = 0; i < count; i++)
        {
            final Export export = module.exportSection().getExport(i);
            exports.put(export.name(), export);
        }
        final List<String> missing = new ArrayList<>();
        final Export memory = exports.get("memory");
        if (null == memory || memory.exportType() != ExternalType.MEMORY)
        {
            missing.add("memory");
        }
        for (final String name : REQUIRED_FUNCTION_EXPORTS)
        {
            final Export export = exports.get(name);
            if (null == export || export.exportType() != ExternalType.FUNCTION)
            {
                missing.add(name);
            }
        }
        if (!missing.isEmpty())
        {
            throw new ModuleLoadException("module is missing required export(s): " + String.join(", ", missing));
        }
        checkExportType(module, exports.get("__call_reducer__"), CALL_REDUCER_TYPE);
        checkExportType(module, exports.get("__describe_module__"), DESCRIBE_TYPE);
    }

    private static void checkExportType(final WasmModule module, final Export export, final FunctionType expected)
    {
        final int index = export.index();
        final int imported = module.importSection().count(ExternalType.FUNCTION);
        if (index < imported)
        {
            throw new ModuleLoadException("export " + export.name() + " re-exports an import");
        }
        final FunctionType type = module.typeSection().getType(module.functionSection().getFunctionType(
            index - imported));
        if (!type.equals(expected))
        {
            throw new ModuleLoadException("export " + export.name() + " has type " + type + "; expected " + expected);
        }
    }

    private static CompileCache.Entry compile(final WasmModule module, final ClassLoadingCollector[] collectorOut)
    {
        final CompilerResult result;
        try
        {
            result = Compiler.builder(module)
                .withInterpreterFallback(InterpreterFallback.WARN)
                .withClassCollectorFactory(ClassLoadingCollector::new)
                .build()
                .compile();
        }
        catch (final RuntimeException ex)
        {
            throw new ModuleLoadException("cannot compile module: " + ex.getMessage(), ex);
        }
        collectorOut[0] = (ClassLoadingCollector)result.collector();
        final String mainClass = result.collector().mainClassName();
        return new CompileCache.Entry(mainClass, new LinkedHashMap<>(result.classBytes()),
            new ArrayList<>(new TreeSet<>(result.interpretedFunctions())));
    }

    private static Function<Instance, Machine> loadClasses(final CompileCache.Entry entry)
    {
        final ClassLoadingCollector collector = new ClassLoadingCollector();
        for (final Map.Entry<String, byte[]> cls : entry.classes().entrySet())
        {
            if (!cls.getKey().equals(entry.mainClass()))
            {
                collector.put(cls.getKey(), cls.getValue());
            }
        }
        collector.putMainClass(entry.mainClass(), entry.classes().get(entry.mainClass()));
        return collector.machineFactory();
    }

    private static List<String> functionNames(final WasmModule module, final List<Integer> ids)
    {
        final List<String> names = new ArrayList<>(ids.size());
        for (final int id : ids)
        {
            final String name = null == module.nameSection() ? null : module.nameSection().nameOfFunction(id);
            names.add(null == name ? "func_" + id : name + " (func_" + id + ")");
        }
        return names;
    }
}
