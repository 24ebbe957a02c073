package io.lightcone.cli.generate;

import io.lightcone.cli.NodeProcess;
import io.lightcone.cli.generate.java.JavaGenerator;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ModuleDefDecoder;
import io.lightcone.core.moduledef.RawModuleDefConverter;
import io.lightcone.core.moduledef.RawModuleDefJson;
import io.lightcone.core.sats.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code generate --database} reads the V10 {@code /schema} JSON even for a V9 module: the bindings from that
 * path (converted to V10, written as JSON, read back) are those of the module's own definition.
 */
final class ConvertedSchemaBindingsTest
{
    /** Invariant: bindings(decode(read(write(convert(def, 10))))) == bindings(decode(def)), in both languages. */
    @ParameterizedTest
    @ValueSource(strings = {"v9", "everything", "rls"})
    void shouldWriteTheSameBindingsFromTheV10Schema(final String module) throws Exception
    {
        final byte[] own = Hex.decode(Files.readString(NodeProcess.repositoryRoot()
            .resolve("core-offheap/src/test/resources/moduledefs/" + module + ".hex"), StandardCharsets.US_ASCII)
            .trim());
        final byte[] fromSchema = RawModuleDefJson.read(RawModuleDefJson.write(RawModuleDefConverter.convert(own,
            10)), 10);
        final ModuleDef expected = ModuleDefDecoder.decode(own);
        final ModuleDef actual = ModuleDefDecoder.decode(fromSchema);
        assertEquals(new TypeScriptGenerator(expected, "").generate(), new TypeScriptGenerator(actual, "").generate());
        assertEquals(new JavaGenerator(expected, module, module).generate(),
            new JavaGenerator(actual, module, module).generate());
    }
}
