package io.lightcone.cli.generate.java;

import io.lightcone.cli.generate.ModuleDefs;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Test support: generates a module's Java bindings into a source root and compiles sources in-process with
 * {@code javax.tools.JavaCompiler} ({@code --release 17 -Xlint:all -Werror}) against this JVM's test classpath, which
 * holds client-sdk, core-offheap, ws-edge and agrona.
 */
final class JavaBindings
{
    /** The modules of the repository: wasm-aot's test modules and the chat example. */
    static final Path MODULES = Path.of("../wasm-aot/src/test/resources/modules");
    static final Path CHAT = Path.of("../examples/chat/chat.wasm");

    private JavaBindings()
    {
    }

    /**
     * Generates a module's bindings into a source root.
     *
     * @param wasm        the module.
     * @param packageName the package.
     * @param sourceRoot  where to write.
     * @return the files written, relative path to text.
     */
    static SortedMap<String, String> generate(final Path wasm, final String packageName, final Path sourceRoot)
    {
        final String moduleName = wasm.getFileName().toString().replace(".wasm", "");
        final SortedMap<String, String> files =
            new JavaGenerator(ModuleDefs.fromWasm(wasm), packageName, moduleName).generate();
        try
        {
            for (final Map.Entry<String, String> file : files.entrySet())
            {
                final Path path = sourceRoot.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return files;
    }

    /**
     * Compiles every {@code .java} file below a source root.
     *
     * @param sourceRoot the sources.
     * @param classes    where the class files go.
     * @return the compiler's diagnostics, empty when it compiled without a warning.
     * @throws IOException when the sources cannot be listed.
     */
    static List<String> compile(final Path sourceRoot, final Path classes) throws IOException
    {
        final List<Path> sources;
        try (var walk = Files.walk(sourceRoot))
        {
            sources = walk.filter((p) -> p.toString().endsWith(".java")).sorted().toList();
        }
        Files.createDirectories(classes);
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        final List<String> problems = new ArrayList<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null,
            StandardCharsets.UTF_8))
        {
            final List<String> options = List.of("--release", "17", "-Xlint:all", "-Werror", "-proc:none",
                "-encoding", "UTF-8", "-classpath", System.getProperty("java.class.path"), "-d", classes.toString());
            final boolean ok = compiler.getTask(null, files, diagnostics, options, null,
                files.getJavaFileObjectsFromPaths(sources)).call();
            for (final Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics())
            {
                problems.add(d.getKind() + " " + (null == d.getSource() ? "" : d.getSource().getName() + ":" +
                    d.getLineNumber() + ": ") + d.getMessage(null));
            }
            if (!ok && problems.isEmpty())
            {
                problems.add("javac failed without diagnostics");
            }
        }
        return problems;
    }

    /**
     * A class loader over compiled bindings, child of the test's.
     *
     * @param classes the class files.
     * @return the loader (close it).
     */
    static URLClassLoader loader(final Path classes)
    {
        try
        {
            return new URLClassLoader(new URL[]{ classes.toUri().toURL() }, JavaBindings.class.getClassLoader());
        }
        catch (final MalformedURLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
