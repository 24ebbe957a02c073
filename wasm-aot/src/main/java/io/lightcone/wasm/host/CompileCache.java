package io.lightcone.wasm.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;

/**
 * The on-disk cache of compiled modules: one jar per module, {@code <dir>/<sha256>.jar}, holding the class files
 * Chicory's compiler generated and a {@code lightcone-compiled.properties} entry (main class name, the ids of the
 * functions left to the interpreter, the Chicory version). Written to a temporary file and moved into place, so a
 * reader never sees half a jar; a corrupt or foreign entry is treated as a miss and recompiled.
 */
final class CompileCache
{
    static final String FORMAT_VERSION = "lightcone-compiled-1/chicory-1.7.5";
    private static final String META = "lightcone-compiled.properties";

    /**
     * A cached compilation.
     *
     * @param mainClass            the generated machine class.
     * @param classes              every generated class, main class included, in generation order.
     * @param interpretedFunctions function ids left to the interpreter.
     */
    record Entry(String mainClass, Map<String, byte[]> classes, List<Integer> interpretedFunctions)
    {
    }

    private final Path dir;

    CompileCache(final Path dir)
    {
        this.dir = dir;
    }

    Path pathOf(final String sha256)
    {
        return dir.resolve(sha256 + ".jar");
    }

    Entry get(final String sha256)
    {
        final Path path = pathOf(sha256);
        if (!Files.isRegularFile(path))
        {
            return null;
        }
        try (InputStream in = Files.newInputStream(path); JarInputStream jar = new JarInputStream(in))
        {
            final Properties meta = new Properties();
            final Map<String, byte[]> classes = new LinkedHashMap<>();
            JarEntry entry;
            while (null != (entry = jar.getNextJarEntry()))
            {
                final byte[] bytes = jar.readAllBytes();
                if (META.equals(entry.getName()))
                {
                    meta.load(new java.io.ByteArrayInputStream(bytes));
                }
                else if (entry.getName().endsWith(".class"))
                {
                    final String name = entry.getName();
                    classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), bytes);
                }
            }
            final String mainClass = meta.getProperty("mainClass");
            if (!FORMAT_VERSION.equals(meta.getProperty("format")) || null == mainClass ||
                !classes.containsKey(mainClass))
            {
                return null;
            }
            final List<Integer> interpreted = new ArrayList<>();
            final String list = meta.getProperty("interpretedFunctions", "");
            for (final String id : list.split(","))
            {
                if (!id.isEmpty())
                {
                    interpreted.add(Integer.parseInt(id));
                }
            }
            return new Entry(mainClass, classes, interpreted);
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    void put(final String sha256, final Entry entry) throws IOException
    {
        Files.createDirectories(dir);
        final Path tmp = Files.createTempFile(dir, sha256, ".tmp");
        try
        {
            try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out))
            {
                final Properties meta = new Properties();
                meta.setProperty("format", FORMAT_VERSION);
                meta.setProperty("mainClass", entry.mainClass());
                final StringBuilder ids = new StringBuilder();
                for (final int id : entry.interpretedFunctions())
                {
                    ids.append(ids.length() == 0 ? "" : ",").append(id);
                }
                meta.setProperty("interpretedFunctions", ids.toString());
                final ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
                meta.store(metaBytes, "compiled by Chicory for module " + sha256);
                jar.putNextEntry(new JarEntry(META));
                jar.write(metaBytes.toString(StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1));
                jar.closeEntry();
                for (final Map.Entry<String, byte[]> cls : entry.classes().entrySet())
                {
                    jar.putNextEntry(new JarEntry(cls.getKey().replace('.', '/') + ".class"));
                    jar.write(cls.getValue());
                    jar.closeEntry();
                }
            }
            try
            {
                Files.move(tmp, pathOf(sha256), StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(tmp, pathOf(sha256), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally
        {
            Files.deleteIfExists(tmp);
        }
    }
}
