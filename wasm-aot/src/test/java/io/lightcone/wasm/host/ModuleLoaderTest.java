package io.lightcone.wasm.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleLoaderTest
{
    @TempDir
    Path cacheDir;

    @Test
    void secondLoadShouldComeFromTheDiskCacheWithoutCompiling() throws Exception
    {
        final byte[] wasm = HostFixture.bytes("everything");
        final ModuleLoader first = new ModuleLoader(cacheDir);
        final CompiledModule cold = first.load(wasm);
        assertFalse(cold.fromCache());
        assertEquals(1, first.compilations());
        assertTrue(Files.isRegularFile(cacheDir.resolve(cold.sha256() + ".jar")));
        assertEquals(5, cold.abiMinor());

        final ModuleLoader afterRestart = new ModuleLoader(cacheDir);
        final CompiledModule cached = afterRestart.load(wasm);
        assertTrue(cached.fromCache());
        assertEquals(0, afterRestart.compilations(), "a cache hit must not compile");
        assertEquals(1, afterRestart.cacheHits());
        assertEquals(cold.sha256(), cached.sha256());
        assertEquals(cold.interpretedFunctions(), cached.interpretedFunctions());
        System.out.printf("everything.wasm (%d bytes) load: cold %.1f ms, cached %.1f ms%n", wasm.length,
            cold.loadNanos() / 1e6, cached.loadNanos() / 1e6);

        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start(cached);
            assertEquals(CallOutcome.ok(), f.call(18, HostFixture.none()), "the cached classes run the selftest");
        }
    }

    @Test
    void interpretedModeShouldRunWithoutCompiling()
    {
        try (HostFixture f = new HostFixture(cacheDir, ModuleLoader.Mode.INTERPRETED))
        {
            f.start("keynote");
            assertTrue(f.instance.compiledModule().interpreter());
            assertEquals(0, f.loader.compilations());
            assertFalse(Files.exists(cacheDir.resolve(f.instance.compiledModule().sha256() + ".jar")));
            assertEquals(CallOutcome.ok(), f.call("seed", HostFixture.args().writeU32(4).writeU64(10).toByteArray()));
            assertEquals(CallOutcome.ok(), f.call("transfer", HostFixture.args().writeU32(0).writeU32(3).writeU64(10)
                .toByteArray()));
            assertEquals("insufficient balance", f.call("transfer", HostFixture.args().writeU32(0).writeU32(3)
                .writeU64(1).toByteArray()).message());
        }
    }

    @Test
    void corruptCacheEntryShouldBeRecompiled() throws Exception
    {
        final byte[] wasm = HostFixture.bytes("trap");
        final String sha = ModuleLoader.sha256(wasm);
        Files.createDirectories(cacheDir);
        Files.write(cacheDir.resolve(sha + ".jar"), new byte[] {1, 2, 3});
        final ModuleLoader loader = new ModuleLoader(cacheDir);
        assertFalse(loader.load(wasm).fromCache());
        assertEquals(1, loader.compilations());
        assertTrue(new ModuleLoader(cacheDir).load(wasm).fromCache());
    }

    @Test
    void shouldRefuseAnUnknownImportNamingIt()
    {
        assertRefused("badimport_name", "module imports what this host does not provide: " +
            "spacetime_10.0::no_such_function");
    }

    @Test
    void shouldRefuseANewerMajorAbi()
    {
        assertRefused("badimport_major", "module requires ABI spacetime_11.0; this host implements 10.0..10.5");
    }

    @Test
    void shouldRefuseANewerMinorAbi()
    {
        assertRefused("badimport_minor", "module requires ABI spacetime_10.99; this host implements 10.0..10.5");
    }

    @Test
    void shouldRefuseAMissingCallReducerExport()
    {
        assertRefused("noexports", "module is missing required export(s): __call_reducer__");
    }

    @Test
    void shouldRefuseMalformedWasm()
    {
        final ModuleLoadException ex = assertThrows(ModuleLoadException.class,
            () -> new ModuleLoader(null).load(new byte[] {0, 'a', 's', 'm', 9, 9}));
        assertTrue(ex.getMessage().startsWith("malformed wasm module: "), ex.getMessage());
    }

    @Test
    void shouldRefuseAModuleWithoutSpacetimeImports()
    {
        final byte[] empty = {0, 'a', 's', 'm', 1, 0, 0, 0};
        final ModuleLoadException ex = assertThrows(ModuleLoadException.class,
            () -> new ModuleLoader(null).load(empty));
        assertTrue(ex.getMessage().startsWith("unable to determine ABI"), ex.getMessage());
    }

    @Test
    void shouldRefuseModuleDefsTheDecoderRejects()
    {
        assertDefRefused("baddef_garbage",
            "not a RawModuleDef: first byte 0xff is not a known version tag (0 V8, 1 V9, 2 V10)");
        assertDefRefused("baddef_empty", "empty module definition: __describe_module__ wrote no bytes");
        try (HostFixture f = new HostFixture(cacheDir))
        {
            final ModuleLoadException ex = assertThrows(ModuleLoadException.class, () -> f.start("baddef_truncated"));
            assertTrue(ex.getMessage().startsWith("invalid module def from __describe_module__ ("), ex.getMessage());
            assertTrue(ex.getMessage().contains("malformed RawModuleDef at offset "), ex.getMessage());
            assertTrue(ex.getMessage().contains("truncated input"), ex.getMessage());
            assertTrue(f.datastore.tables().isEmpty(), "no table is created for a refused module");
        }
    }

    @Test
    void theDescribeDecoderShouldStayOverridable()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.context.describeDecoder(HostFixture.failingDecoder("unexpected end of input"));
            final ModuleLoadException ex = assertThrows(ModuleLoadException.class, () -> f.start("trap"));
            assertTrue(ex.getMessage().startsWith("invalid module def from __describe_module__ ("), ex.getMessage());
            assertTrue(ex.getMessage().endsWith("): unexpected end of input"), ex.getMessage());
        }
    }

    private void assertDefRefused(final String module, final String decoderMessage)
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            final ModuleLoadException ex = assertThrows(ModuleLoadException.class, () -> f.start(module));
            assertTrue(ex.getMessage().startsWith("invalid module def from __describe_module__ ("), ex.getMessage());
            assertTrue(ex.getMessage().endsWith("): " + decoderMessage), ex.getMessage());
        }
    }

    @Test
    void v9ModuleShouldLoadAndRun()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("v9");
            assertEquals(9, f.instance.moduleDef().version());
            assertEquals(CallOutcome.ok(), f.call(1, HostFixture.args().writeString("hello").toByteArray()));
            assertEquals(1, f.rowCount("note"));
            assertEquals("empty note", f.call(1, HostFixture.args().writeString("").toByteArray()).message());
        }
    }

    private void assertRefused(final String module, final String message)
    {
        final ModuleLoadException ex = assertThrows(ModuleLoadException.class,
            () -> new ModuleLoader(cacheDir).load(HostFixture.bytes(module)));
        assertEquals(message, ex.getMessage());
    }
}
