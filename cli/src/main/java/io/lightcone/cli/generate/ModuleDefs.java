package io.lightcone.cli.generate;

import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.txn.Datastore;
import io.lightcone.wasm.host.CompiledModule;
import io.lightcone.wasm.host.ModuleHostContext;
import io.lightcone.wasm.host.ModuleInstance;
import io.lightcone.wasm.host.ModuleLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where {@code lightcone generate} gets a module's definition from.
 */
public final class ModuleDefs
{
    /**
     * Wall-clock budget of initialising and describing the module: the interpreter is slow and a loaded machine
     * slower, and nothing waits on it, so it is far above a reducer's 1 s.
     */
    static final Duration DESCRIBE_BUDGET = Duration.ofSeconds(120);

    private ModuleDefs()
    {
    }

    /**
     * Reads a module's definition from its {@code .wasm} without a database: the module runs in Chicory's
     * interpreter (nothing compiled or cached) with an empty in-memory datastore, just long enough to initialise
     * and answer {@code __describe_module__}; its def is decoded and validated as publishing would.
     *
     * @param wasm the module file.
     * @return the validated definition.
     * @throws GenerateException when the file cannot be read or the module or its definition is refused.
     */
    public static ModuleDef fromWasm(final Path wasm)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(wasm);
        }
        catch (final IOException ex)
        {
            throw new GenerateException("cannot read module " + wasm + ": " + ex.getMessage(), ex);
        }
        try
        {
            final CompiledModule compiled = new ModuleLoader(null, ModuleLoader.Mode.INTERPRETED).load(bytes);
            try (Datastore datastore = new Datastore();
                ModuleInstance instance = ModuleInstance.create(compiled,
                    new ModuleHostContext().datastore(datastore).callBudget(DESCRIBE_BUDGET)))
            {
                return instance.moduleDef();
            }
        }
        catch (final RuntimeException ex)
        {
            throw new GenerateException("module " + wasm + " was refused: " + ex.getMessage(), ex);
        }
    }
}
