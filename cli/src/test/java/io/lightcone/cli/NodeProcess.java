package io.lightcone.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs node for the tests that drive npm projects of the repository ({@code examples/chat/client},
 * {@code cli/src/test/node/codegen}), and finds those projects. Fails the test, saying what to do, when node or a
 * project's {@code node_modules} is missing ({@code ./test.sh} installs both).
 */
public final class NodeProcess
{
    private NodeProcess()
    {
    }

    /**
     * What a node process printed and how it ended.
     *
     * @param exitCode the exit code.
     * @param output   stdout and stderr, interleaved.
     */
    public record Result(int exitCode, String output)
    {
    }

    /**
     * @return the repository root: the first directory above the working directory with the chat example.
     */
    public static Path repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("examples/chat/chat.wasm")))
            {
                return dir;
            }
        }
        return fail("examples/chat/chat.wasm not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Fails unless {@code npm ci} has installed the given packages in a project.
     *
     * @param project  the npm project directory.
     * @param packages the packages that must be installed.
     */
    public static void requireNodeModules(final Path project, final String... packages)
    {
        for (final String name : packages)
        {
            if (!Files.isDirectory(project.resolve("node_modules").resolve(name)))
            {
                fail(project.resolve("node_modules").resolve(name) + " is missing: run ./test.sh (it installs node " +
                    "and runs npm ci there), or (cd " + repositoryRoot().relativize(project) + " && npm ci)");
            }
        }
    }

    /**
     * Runs {@code node args...} and requires exit code 0.
     *
     * @param dir       the working directory.
     * @param timeoutMs how long it may run.
     * @param args      the script and its arguments.
     * @return what it printed.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static String runOk(final Path dir, final long timeoutMs, final String... args)
        throws InterruptedException
    {
        final Result result = run(dir, timeoutMs, args);
        assertEquals(0, result.exitCode(), () -> "node " + String.join(" ", args) + " failed:\n" + result.output());
        return result.output();
    }

    /**
     * Runs {@code node args...}.
     *
     * @param dir       the working directory.
     * @param timeoutMs how long it may run; the test fails when it runs longer.
     * @param args      the script and its arguments.
     * @return its exit code and what it printed.
     * @throws InterruptedException when interrupted while waiting.
     */
    public static Result run(final Path dir, final long timeoutMs, final String... args) throws InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(args));
        final Process process;
        try
        {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return fail("cannot run node (" + ex.getMessage() + "): install Node.js 18 or newer, e.g. with ./test.sh");
        }
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final Thread reader = new Thread(() -> copy(process.getInputStream(), printed), "node-output");
        reader.start();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
            fail("node " + String.join(" ", args) + " did not finish within " + timeoutMs + " ms:\n" +
                printed.toString(StandardCharsets.UTF_8));
        }
        reader.join(10_000);
        return new Result(process.exitValue(), printed.toString(StandardCharsets.UTF_8));
    }

    private static void copy(final InputStream in, final ByteArrayOutputStream to)
    {
        try (in)
        {
            final byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; )
            {
                to.write(buffer, 0, n);
            }
        }
        catch (final IOException ignored)
        {
            // the process ended
        }
    }
}
