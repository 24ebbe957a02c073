package io.lightcone.cli.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The client side of a server's {@link AdminEndpoint}: reads {@code <dataDir>/admin.endpoint} (which only the data
 * directory's owner can read), connects, authenticates with the token and sends one request.
 */
public final class AdminClient
{
    /** How long to wait for the server's answer to one request. */
    static final int ANSWER_TIMEOUT_MS = 600_000;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private AdminClient()
    {
    }

    /**
     * Sends a request to the server of a data directory.
     *
     * @param dataDir  the data directory.
     * @param request  the request line, e.g. {@code backup /abs/dir}.
     * @param progress receives each progress line.
     * @return the text of the {@code ok} answer, or null when no server answers (no endpoint file, or nothing
     *         listening at its address: a server that stopped without deleting it).
     * @throws OpsException on an {@code error} answer, a broken connection or an unreadable endpoint file.
     */
    public static String request(final Path dataDir, final String request, final Consumer<String> progress)
    {
        final Path file = dataDir.resolve(AdminEndpoint.FILE_NAME);
        final Properties endpoint = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            endpoint.load(in);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            throw new OpsException(OpsException.EXIT_DATA, "cannot read " + file + ": " + ex.getMessage() +
                " (only the user that runs the server can)", ex);
        }
        final String address = endpoint.getProperty("address", "");
        final int colon = address.lastIndexOf(':');
        if (colon <= 0 || null == endpoint.getProperty("token"))
        {
            throw new OpsException(OpsException.EXIT_DATA, file + " is not an admin endpoint file");
        }
        try (Socket socket = new Socket())
        {
            try
            {
                socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), CONNECT_TIMEOUT_MS);
            }
            catch (final ConnectException ex)
            {
                return null;
            }
            socket.setSoTimeout(ANSWER_TIMEOUT_MS);
            final PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(socket.getOutputStream(),
                StandardCharsets.UTF_8), true);
            final BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8));
            out.println(AdminEndpoint.PROTOCOL + " " + endpoint.getProperty("token"));
            out.println(request);
            for (String line = in.readLine(); null != line; line = in.readLine())
            {
                if (line.startsWith("progress "))
                {
                    progress.accept(line.substring("progress ".length()));
                }
                else if (line.startsWith("ok"))
                {
                    return line.length() > 3 ? line.substring(3) : "";
                }
                else if (line.startsWith("error "))
                {
                    final String[] parts = line.split(" ", 3);
                    throw new OpsException(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
                }
            }
            throw new OpsException(OpsException.EXIT_DATA, "the server at " + address + " closed the connection " +
                "without an answer (see its log)");
        }
        catch (final IOException | NumberFormatException ex)
        {
            throw new OpsException(OpsException.EXIT_DATA, "the admin request to the server of " + dataDir +
                " failed: " + ex.getMessage(), ex);
        }
    }
}
