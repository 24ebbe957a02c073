package io.lightcone.cli.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * A client command's view of one server: its HTTP API at a base URL, and the caller's identity from the
 * {@link CliConfig}, minted on first use with {@code POST /v1/identity} and saved. Maps answers that are not a
 * success to a {@link CommandFailure} with the matching {@link ExitCodes exit code}.
 */
public final class ServerConnection
{
    /** How long to wait to open a TCP connection to the server. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for an answer (a publish compiles the module: give it longer). */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(3);

    private final String baseUrl;
    private final CliConfig config;
    private final PrintWriter err;
    private final HttpClient http;

    /**
     * A connection.
     *
     * @param baseUrl the server, {@code http://host:port} (a bare {@code host:port} means http).
     * @param config  the user's config.
     * @param err     where notices go (a newly minted identity).
     */
    public ServerConnection(final String baseUrl, final CliConfig config, final PrintWriter err)
    {
        this.baseUrl = normalize(baseUrl);
        this.config = config;
        this.err = err;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /**
     * @param url what the user gave.
     * @return it with a scheme and without a trailing slash.
     * @throws CommandFailure ({@link ExitCodes#BAD_ARGS}) when it is not an http(s) URL.
     */
    static String normalize(final String url)
    {
        String base = url.trim();
        if (!base.contains("://"))
        {
            base = "http://" + base;
        }
        while (base.endsWith("/"))
        {
            base = base.substring(0, base.length() - 1);
        }
        final URI uri;
        try
        {
            uri = URI.create(base);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandFailure(ExitCodes.BAD_ARGS, "--server " + url + " is not a URL: " + ex.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || null == uri.getHost())
        {
            throw new CommandFailure(ExitCodes.BAD_ARGS, "--server must be an http:// or https:// URL with a host, " +
                "for example http://127.0.0.1:3000 (got " + url + ")");
        }
        return base;
    }

    /**
     * @return the base URL, {@code http://host:port}.
     */
    public String baseUrl()
    {
        return baseUrl;
    }

    /**
     * @return the config.
     */
    public CliConfig config()
    {
        return config;
    }

    /**
     * @return the HTTP client.
     */
    public HttpClient http()
    {
        return http;
    }

    /**
     * The caller's token: the config's, or a new identity minted and saved on first use.
     *
     * @return the JWT.
     */
    public String token()
    {
        final String token = config.get(CliConfig.TOKEN_KEY);
        if (null != token)
        {
            return token;
        }
        final String identity = mintIdentity();
        err.println("created identity " + identity + ", saved in " + config.path());
        err.flush();
        return config.get(CliConfig.TOKEN_KEY);
    }

    /**
     * Mints a new identity ({@code POST /v1/identity}) and saves it with its token in the config.
     *
     * @return the identity's hex.
     */
    public String mintIdentity()
    {
        final HttpResponse<String> response = send(request("/v1/identity", false)
            .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (response.statusCode() != 200)
        {
            throw failure(response, "creating an identity");
        }
        final Object json = parseAnswer(response.body(), "POST /v1/identity");
        final String identity = Json.string(json, "identity");
        final String token = Json.string(json, "token");
        if (null == identity || null == token)
        {
            throw new CommandFailure(ExitCodes.OTHER, "unexpected answer to POST /v1/identity: " + response.body());
        }
        config.set(CliConfig.IDENTITY_KEY, identity);
        config.set(CliConfig.TOKEN_KEY, token);
        config.save();
        return identity;
    }

    /**
     * A request builder for a path under the base URL.
     *
     * @param pathAndQuery starting with {@code /}.
     * @param withToken    whether to send the caller's token (minting one on first use).
     * @return the builder.
     */
    public HttpRequest.Builder request(final String pathAndQuery, final boolean withToken)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(REQUEST_TIMEOUT);
        if (withToken)
        {
            builder.header("Authorization", "Bearer " + token());
        }
        return builder;
    }

    /**
     * Sends a request and reads the answer as text.
     *
     * @param request the request.
     * @return the answer, whatever its status.
     * @throws CommandFailure ({@link ExitCodes#UNREACHABLE}) when the server cannot be reached.
     */
    public HttpResponse<String> send(final HttpRequest request)
    {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends a request.
     *
     * @param request the request.
     * @param handler reads the body.
     * @param <T>     the body type.
     * @return the answer, whatever its status.
     * @throws CommandFailure ({@link ExitCodes#UNREACHABLE}) when the server cannot be reached.
     */
    public <T> HttpResponse<T> send(final HttpRequest request, final HttpResponse.BodyHandler<T> handler)
    {
        try
        {
            return http.send(request, handler);
        }
        catch (final HttpConnectTimeoutException | ConnectException | UnresolvedAddressException ex)
        {
            throw unreachable(ex);
        }
        catch (final HttpTimeoutException ex)
        {
            throw new CommandFailure(ExitCodes.OTHER, "no answer from " + baseUrl + " within " +
                REQUEST_TIMEOUT.toSeconds() + " s to " + request.method() + " " + request.uri().getPath(), ex);
        }
        catch (final IOException ex)
        {
            if (ex.getCause() instanceof ConnectException || ex.getCause() instanceof UnresolvedAddressException)
            {
                throw unreachable(ex);
            }
            throw new CommandFailure(ExitCodes.OTHER, request.method() + " " + request.uri().getPath() + " failed: " +
                ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.OTHER, "interrupted", ex);
        }
    }

    /**
     * @param cause why the connection failed.
     * @return the failure to throw.
     */
    CommandFailure unreachable(final Throwable cause)
    {
        return new CommandFailure(ExitCodes.UNREACHABLE, "cannot reach a Lightcone server at " + baseUrl + " (" +
            cause + "): start one with `lightcone start`, or pass --server URL", cause);
    }

    /**
     * The failure an answer that is not a success means.
     *
     * @param response the answer.
     * @param what     what was being done, for the message ("calling reducer x on db").
     * @return the failure to throw.
     */
    public CommandFailure failure(final HttpResponse<String> response, final String what)
    {
        return failure(response.statusCode(), response.body(), what);
    }

    /**
     * The failure an answer that is not a success means.
     *
     * @param status the HTTP status.
     * @param text   the answer's body.
     * @param what   what was being done, for the message.
     * @return the failure to throw.
     */
    public CommandFailure failure(final int status, final String text, final String what)
    {
        final String body = null == text ? "" : text.strip();
        final String detail = body.isEmpty() ? "HTTP " + status : body + " (HTTP " + status + ")";
        return switch (status)
        {
            case 400 -> new CommandFailure(ExitCodes.BAD_ARGS, what + ": " + detail);
            case 401, 403 -> new CommandFailure(ExitCodes.PERMISSION_DENIED, what + ": " + detail +
                (body.contains("PermissionDenied") || body.contains("owner") || body.isEmpty() ? "" :
                    System.lineSeparator() + "  if the server's keys changed, run `lightcone identity new`"));
            case 404 -> new CommandFailure(ExitCodes.NOT_FOUND, what + ": " + detail + notFoundHint(body));
            case 402, 530 -> new CommandFailure(ExitCodes.REDUCER_FAILED, what + ": " + detail);
            default -> new CommandFailure(ExitCodes.OTHER, what + ": " + detail);
        };
    }

    private String notFoundHint(final String body)
    {
        if (body.startsWith("database not found"))
        {
            return System.lineSeparator() + "  check the name and the server (" + baseUrl + "), or publish it " +
                "first: lightcone publish NAME MODULE.wasm";
        }
        if (body.contains("reducer") || body.contains("procedure"))
        {
            return System.lineSeparator() + "  `lightcone describe DB` lists the database's reducers and procedures";
        }
        return "";
    }

    /**
     * Parses an answer that must be JSON.
     *
     * @param body the answer's body.
     * @param what the request, for the message.
     * @return the tree.
     */
    static Object parseAnswer(final String body, final String what)
    {
        try
        {
            return Json.parse(body);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandFailure(ExitCodes.OTHER, "unexpected answer to " + what + " (not JSON: " +
                ex.getMessage() + "): " + body);
        }
    }
}
