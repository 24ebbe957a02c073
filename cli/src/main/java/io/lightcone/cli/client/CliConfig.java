package io.lightcone.cli.client;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * The user's client configuration, a {@code .properties} file like SpacetimeDB's {@code cli.toml}: the identity and
 * token the client commands act as ({@code identity}, {@code token}) and, optionally, the default server
 * ({@code server}). Where it is: {@code --config FILE}, else {@code $LIGHTCONE_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/lightcone/cli.properties}, else {@code ~/.config/lightcone/cli.properties}. Written
 * atomically (a temporary file moved over it), readable by the owner only where the file system allows.
 */
public final class CliConfig
{
    /** Environment variable naming the config file. */
    public static final String CONFIG_ENV = "LIGHTCONE_CONFIG";
    /** Key of the identity (64 hex digits). */
    public static final String IDENTITY_KEY = "identity";
    /** Key of the token (a JWT). */
    public static final String TOKEN_KEY = "token";
    /** Key of the default server URL. */
    public static final String SERVER_KEY = "server";

    private final Path path;
    private final Properties properties;

    private CliConfig(final Path path, final Properties properties)
    {
        this.path = path;
        this.properties = properties;
    }

    /**
     * Where the config file is.
     *
     * @param option the {@code --config} option, or null.
     * @param env    the environment.
     * @return the path.
     */
    public static Path resolve(final Path option, final Map<String, String> env)
    {
        if (null != option)
        {
            return option;
        }
        final String fromEnv = env.get(CONFIG_ENV);
        if (null != fromEnv && !fromEnv.isBlank())
        {
            return Path.of(fromEnv);
        }
        final String xdg = env.get("XDG_CONFIG_HOME");
        final Path base = null != xdg && !xdg.isBlank() ? Path.of(xdg) :
            Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("lightcone").resolve("cli.properties");
    }

    /**
     * Loads the file; a missing file is an empty config (created on the first {@link #save()}).
     *
     * @param path the file.
     * @return the config.
     * @throws CommandFailure when the file exists but cannot be read.
     */
    public static CliConfig load(final Path path)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final NoSuchFileException ex)
        {
            // first use
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new CommandFailure(ExitCodes.OTHER, "cannot read the config file " + path + ": " + ex.getMessage() +
                "; fix or remove it, or pass --config", ex);
        }
        return new CliConfig(path, properties);
    }

    /**
     * @return the file.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @param key a key.
     * @return its value, or null.
     */
    public String get(final String key)
    {
        final String value = properties.getProperty(key);
        return null == value || value.isBlank() ? null : value.trim();
    }

    /**
     * Sets a value (call {@link #save()} to write it).
     *
     * @param key   a key.
     * @param value the value.
     */
    public void set(final String key, final String value)
    {
        properties.setProperty(key, value);
    }

    /**
     * Writes the file, creating its directory.
     *
     * @throws CommandFailure when it cannot be written.
     */
    public void save()
    {
        try
        {
            final Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            final Path temp = dir.resolve(path.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8))
            {
                properties.store(writer, "lightcone client configuration (docs/cli.md); keep the token secret");
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
            {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            try
            {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            throw new CommandFailure(ExitCodes.OTHER, "cannot write the config file " + path + ": " + ex +
                "; check its directory's permissions, or pass --config", ex);
        }
    }
}
