package io.lightcone.bench;

import io.lightcone.wasm.host.CompiledModule;
import io.lightcone.wasm.host.ModuleLoader;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Loading {@code everything.wasm} (76 KB, every host import) or {@code big.wasm} (935 KB, 4,000 generated
 * functions) with {@link ModuleLoader#load(byte[])}: parse,
 * validate, check imports and exports, then either compile every function to JVM bytecode into a fresh, empty
 * cache directory ({@code cold}), or define the classes a previous load stored in the disk cache ({@code cached}),
 * as after a restart. One load per measurement (single shot); each uses a new loader.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsPrepend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true" })
public class ModuleLoadBenchmark
{
    @Param({ "cold", "cached" })
    String cache;

    @Param({ "everything", "big" })
    String module;

    private byte[] wasm;
    private Path warmDir;
    private Path coldDir;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        wasm = WasmModules.bytes(module);
        warmDir = Files.createTempDirectory("lightcone-bench-cache");
        final CompiledModule first = new ModuleLoader(warmDir).load(wasm);
        if (first.fromCache() || !Files.isRegularFile(warmDir.resolve(first.sha256() + ".jar")))
        {
            throw new IllegalStateException("the first load must compile and store the module");
        }
    }

    @Setup(Level.Iteration)
    public void freshColdDir() throws IOException
    {
        WasmModules.deleteTree(coldDir);
        coldDir = Files.createTempDirectory("lightcone-bench-cold");
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        WasmModules.deleteTree(coldDir);
        WasmModules.deleteTree(warmDir);
    }

    @Benchmark
    public CompiledModule load()
    {
        final boolean cold = "cold".equals(cache);
        final CompiledModule module = new ModuleLoader(cold ? coldDir : warmDir).load(wasm);
        if (module.fromCache() == cold)
        {
            throw new IllegalStateException("expected a " + (cold ? "compile" : "cache hit") +
                " but got the other");
        }
        return module;
    }
}
