package io.lightcone.cli.ops;

import io.lightcone.txn.loop.EmbeddedCore;
import org.agrona.CloseHelper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running server's admin endpoint, through which {@code lightcone backup} asks for an online backup. It listens
 * on the loopback interface only, on a port chosen by the system, and writes where it is, with a random 256-bit
 * token, to {@code <dataDir>/admin.endpoint}, a file created owner-only ({@code rw-------}): whoever can read the
 * file is the data directory's owner, and only that user can send commands. The file is deleted on close.
 * <pre>
 *  admin.endpoint (java.util.Properties)   address=127.0.0.1:&lt;port&gt;  token=&lt;64 hex digits&gt;  pid=&lt;pid&gt;
 *
 *  request  (UTF-8 lines)   lightcone-admin 1 &lt;token&gt;
 *                           backup &lt;absolute backup directory&gt;   |   ping
 *  response                 progress &lt;text&gt;   (any number)
 *                           ok &lt;text&gt;   |   error &lt;exit code&gt; &lt;text&gt;
 * </pre>
 * One request at a time on one daemon thread, off the transaction loop (the backup's loop work is one task:
 * {@link Backup#online}). A client that does not send its request within {@value #REQUEST_TIMEOUT_MS} ms is
 * dropped. A wrong token is answered with an error and nothing else.
 */
public final class AdminEndpoint implements AutoCloseable
{
    /** The endpoint file's name in the data directory. */
    public static final String FILE_NAME = "admin.endpoint";
    /** The first word of a request line. */
    static final String PROTOCOL = "lightcone-admin 1";
    /** How long a connected client has to send its request. */
    static final int REQUEST_TIMEOUT_MS = 10_000;
    private static final Logger LOGGER = Logger.getLogger(AdminEndpoint.class.getName());

    private final EmbeddedCore core;
    private final Path dataDir;
    private final Path file;
    private final ServerSocket serverSocket;
    private final byte[] token;
    private final Thread thread;
    private volatile boolean closed;

    private AdminEndpoint(final EmbeddedCore core, final Path dataDir, final ServerSocket serverSocket,
        final byte[] token)
    {
        this.core = core;
        this.dataDir = dataDir;
        this.file = dataDir.resolve(FILE_NAME);
        this.serverSocket = serverSocket;
        this.token = token;
        this.thread = new Thread(this::run, "lightcone-admin");
        this.thread.setDaemon(true);
    }

    /**
     * Starts the endpoint of a running core.
     *
     * @param core    the core.
     * @param dataDir its data directory (which the caller holds the lock of).
     * @return the endpoint.
     * @throws OpsException when it cannot listen or write its file.
     */
    public static AdminEndpoint start(final EmbeddedCore core, final Path dataDir)
    {
        ServerSocket socket = null;
        try
        {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
            final byte[] token = new byte[32];
            new SecureRandom().nextBytes(token);
            final AdminEndpoint endpoint = new AdminEndpoint(core, dataDir, socket, token);
            endpoint.writeFile();
            endpoint.thread.start();
            return endpoint;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(socket);
            throw new OpsException(OpsException.EXIT_DATA, "cannot start the admin endpoint in " + dataDir + ": " +
                ex.getMessage(), ex);
        }
    }

    /**
     * @return the port it listens on (loopback).
     */
    public int port()
    {
        return serverSocket.getLocalPort();
    }

    /**
     * Stops listening, waits for a running request to end (bounded), and deletes the endpoint file.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietClose(serverSocket);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            LOGGER.log(Level.WARNING, "cannot delete " + file + ": " + ex.getMessage());
        }
    }

    private void writeFile() throws IOException
    {
        final Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try
        {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.createFile(tmp);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IOException(tmp + " appeared while it was being created", ex);
        }
        final String content = "address=" + serverSocket.getInetAddress().getHostAddress() + ":" + port() + "\n" +
            "token=" + HexFormat.of().formatHex(token) + "\n" +
            "pid=" + ProcessHandle.current().pid() + "\n";
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try
        {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void run()
    {
        while (!closed)
        {
            try (Socket socket = serverSocket.accept())
            {
                socket.setSoTimeout(REQUEST_TIMEOUT_MS);
                serve(socket);
            }
            catch (final SocketException ex)
            {
                if (!closed)
                {
                    LOGGER.log(Level.WARNING, "admin connection failed: " + ex.getMessage());
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                LOGGER.log(Level.WARNING, "admin request failed: " + ex, ex);
            }
        }
    }

    private void serve(final Socket socket) throws IOException
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
            StandardCharsets.UTF_8));
        final OutputStream stream = socket.getOutputStream();
        final PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
        final String hello = in.readLine();
        if (null == hello || !hello.startsWith(PROTOCOL + " ") || !MessageDigest.isEqual(token,
            hexOrEmpty(hello.substring(PROTOCOL.length() + 1).trim())))
        {
            LOGGER.log(Level.WARNING, "admin request refused: not authorized");
            out.println("error " + OpsException.EXIT_DATA + " not authorized: send the token of " + file);
            return;
        }
        final String request = in.readLine();
        if (null == request)
        {
            return;
        }
        if ("ping".equals(request))
        {
            out.println("ok lightcone " + dataDir);
        }
        else if (request.startsWith("backup "))
        {
            final Path target = Path.of(request.substring("backup ".length()));
            if (!target.isAbsolute())
            {
                out.println("error " + OpsException.EXIT_USAGE + " the backup directory must be an absolute path");
                return;
            }
            LOGGER.info("online backup to " + target + " requested");
            try
            {
                final Backup.Result result = Backup.online(core, dataDir, target,
                    (line) -> out.println("progress " + oneLine(line)), Backup.DEFAULT_TIMEOUT_MS);
                LOGGER.info(result.summary());
                out.println("ok " + oneLine(result.summary()) + " txOffset=" + result.txOffset());
            }
            catch (final OpsException ex)
            {
                LOGGER.warning("online backup to " + target + " failed: " + ex.getMessage());
                out.println("error " + ex.exitCode() + " " + oneLine(ex.getMessage()));
            }
        }
        else
        {
            out.println("error " + OpsException.EXIT_USAGE + " unknown request: " + oneLine(request));
        }
    }

    private static byte[] hexOrEmpty(final String hex)
    {
        try
        {
            return HexFormat.of().parseHex(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            return new byte[0];
        }
    }

    private static String oneLine(final String text)
    {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
