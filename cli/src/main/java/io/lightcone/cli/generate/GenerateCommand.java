package io.lightcone.cli.generate;

import io.lightcone.cli.client.CommandFailure;
import io.lightcone.cli.client.ModuleSchema;
import io.lightcone.cli.client.ServerOptions;
import io.lightcone.cli.generate.java.JavaGenerator;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ModuleDefDecoder;
import io.lightcone.core.moduledef.ModuleDefException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code lightcone generate}: client bindings for a module, from its {@code .wasm} or from a database on a running
 * server ({@code GET /v1/database/:name/schema?version=10}, which gives the same definition, so the same
 * bindings). Writes every file of the
 * bindings into the output directory and removes files a previous run generated there that this run no longer
 * writes (a file is ours when its first line is the generated-file header); other files are left alone.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {
        "Generate typed client bindings for a module (docs/codegen.md).",
        "Exit codes: 0 written, 2 bad arguments, 5 the module could not be read or was refused, "
            + "1 the output could not be written (or an unexpected answer from the server), "
            + "3 no server at --server, 6 no such database, 7 permission denied."
    })
public final class GenerateCommand implements Callable<Integer>
{
    /** Exit code: the module could not be read or was refused. */
    static final int EXIT_MODULE = 5;
    /** Exit code: the output could not be written. */
    static final int EXIT_OUTPUT = 1;

    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--lang"}, required = true, paramLabel = "LANG",
        description = "Language of the bindings: typescript (or ts), or java.")
    String lang;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = {"-o", "--out", "--out-dir"}, required = true, paramLabel = "DIR",
        description = "Directory to write the bindings into (created when missing).")
    Path outDir;

    @Option(names = "--import-extension", defaultValue = "none", paramLabel = "none|js",
        description = "What relative imports between the generated files end with: none, as SpacetimeDB writes "
            + "them (for bundlers), or js, for bindings compiled with tsc and run by node as ES modules "
            + "(${DEFAULT-VALUE}).")
    String importExtension;

    @Option(names = "--package", paramLabel = "NAME",
        description = "Java only: the package of the bindings (default: the module file's name, lowercased; " +
            "files go to DIR/<package path>/).")
    String packageName;

    /** Where the module definition comes from: exactly one of these. */
    static final class Source
    {
        @Option(names = {"-m", "--module"}, required = true, paramLabel = "FILE.wasm",
            description = "The module file; it runs in an interpreter just long enough to describe itself.")
        Path module;

        @Option(names = {"-d", "--database"}, required = true, paramLabel = "NAME",
            description = "A database on a running Lightcone: its module's definition is read over HTTP from " +
                "--server with the config's token, as the other client commands do.")
        String database;
    }

    @Mixin
    ServerOptions serverOptions;

    /**
     * A command object for picocli.
     */
    public GenerateCommand()
    {
    }

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        final String language = lang.toLowerCase(Locale.ROOT);
        final boolean java = "java".equals(language);
        if (!java && !"typescript".equals(language) && !"ts".equals(language))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "unknown --lang " + lang + ": use typescript or java");
        }
        if (java && "js".equals(importExtension))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--import-extension applies to typescript");
        }
        if (!java && null != packageName)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--package applies to --lang java");
        }
        if (!"none".equals(importExtension) && !"js".equals(importExtension))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--import-extension must be none or js (got " + importExtension + ")");
        }
        try
        {
            final int removed;
            final SortedMap<String, String> files;
            final String moduleName = null != source.database ? source.database : moduleName(source.module);
            if (java)
            {
                final String pkg = null == packageName ? JavaGenerator.defaultPackage(moduleName) : packageName;
                if (!JavaGenerator.isPackageName(pkg))
                {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--package " + pkg +
                        " is not a Java package name (dot-separated identifiers, no keywords)");
                }
                final ModuleDef def = moduleDef();
                files = new JavaGenerator(def, pkg, moduleName).generate();
                removed = write(outDir, files, outDir.resolve(pkg.replace('.', '/')), ".java", 1);
            }
            else
            {
                final ModuleDef def = moduleDef();
                files = new TypeScriptGenerator(def, "js".equals(importExtension) ? ".js" : "").generate();
                removed = write(outDir, files);
            }
            out.println("wrote " + files.size() + " files to " + outDir + (removed > 0 ? " (removed " + removed +
                " stale generated " + (removed == 1 ? "file" : "files") + ")" : ""));
            return 0;
        }
        catch (final GenerateException ex)
        {
            System.err.println("lightcone generate: " + ex.getMessage());
            return EXIT_MODULE;
        }
        catch (final CommandFailure ex)
        {
            System.err.println("lightcone generate: " + ex.getMessage());
            return ex.exitCode();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("lightcone generate: module " + (null != source.database ? "of database " +
                source.database : source.module) + " cannot be written as " +
                (java ? "Java" : "TypeScript") + ": " + ex.getMessage());
            return EXIT_MODULE;
        }
        catch (final IOException | UncheckedIOException ex)
        {
            System.err.println("lightcone generate: cannot write " + outDir + ": " + ex.getMessage());
            return EXIT_OUTPUT;
        }
    }

    /**
     * The definition to generate from: the module file's, run in an interpreter, or the database's, fetched from
     * the server.
     */
    private ModuleDef moduleDef()
    {
        if (null == source.database)
        {
            return ModuleDefs.fromWasm(source.module);
        }
        final PrintWriter notices = new PrintWriter(System.err, true);
        final byte[] raw = ModuleSchema.fetchRawModuleDef(serverOptions.connect(notices), source.database);
        notices.flush();
        try
        {
            return ModuleDefDecoder.decode(raw);
        }
        catch (final ModuleDefException ex)
        {
            throw new GenerateException("the module of database " + source.database + " was refused: " +
                ex.getMessage(), ex);
        }
    }

    /** The module's name: its file name without {@code .wasm}. */
    private static String moduleName(final Path module)
    {
        final String file = module.getFileName().toString();
        return file.endsWith(".wasm") ? file.substring(0, file.length() - ".wasm".length()) : file;
    }

    /**
     * Writes TypeScript bindings and removes the generated {@code .ts} files of an earlier run, anywhere below
     * {@code dir}, that are not written now.
     *
     * @param dir   the output directory.
     * @param files relative path to contents.
     * @return how many stale generated files were removed.
     * @throws IOException when a file cannot be written or removed.
     */
    static int write(final Path dir, final Map<String, String> files) throws IOException
    {
        return write(dir, files, dir, ".ts", Integer.MAX_VALUE);
    }

    /**
     * Writes the files and removes the generated files of an earlier run that are not written now.
     *
     * @param dir       the output directory.
     * @param files     relative path to contents.
     * @param staleDir  where to look for stale generated files.
     * @param extension the extension of generated files.
     * @param depth     how deep below {@code staleDir} to look (1: only in it).
     * @return how many stale generated files were removed.
     * @throws IOException when a file cannot be written or removed.
     */
    static int write(final Path dir, final Map<String, String> files, final Path staleDir, final String extension,
        final int depth) throws IOException
    {
        Files.createDirectories(dir);
        Files.createDirectories(staleDir);
        final List<Path> stale = new ArrayList<>();
        try (Stream<Path> existing = Files.walk(staleDir, depth))
        {
            for (final Path path : (Iterable<Path>)existing::iterator)
            {
                final String relative = dir.relativize(path).toString().replace('\\', '/');
                if (path.toString().endsWith(extension) && Files.isRegularFile(path) &&
                    !files.containsKey(relative) && generated(path))
                {
                    stale.add(path);
                }
            }
        }
        for (final Map.Entry<String, String> file : files.entrySet())
        {
            final Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        for (final Path path : stale)
        {
            Files.delete(path);
        }
        return stale.size();
    }

    private static boolean generated(final Path path) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8))
        {
            final String first = reader.readLine();
            return null != first && first.startsWith(TypeScriptGenerator.GENERATED_MARK);
        }
        catch (final CharacterCodingException notText)
        {
            return false;
        }
    }
}
