package io.lightcone.wasm.host;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import io.lightcone.core.sats.BsatnDecodeException;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code procedure_http_request}: decodes the BSATN {@code spacetimedb_lib::http::Request}, sends it with
 * {@link HttpClient} and encodes the {@code http::Response} (reference/spacetimedb-contracts.md §4.2).
 * <pre>
 *   Request  = { method: Method, headers: { entries: Array&lt;{ name: String, value: Bytes }&gt; },
 *                timeout: Option&lt;TimeDuration&gt;, uri: String, version: Version }
 *   Response = { headers, version: Version, code: u16 }
 *   Method   = 0 Get | 1 Head | 2 Post | 3 Put | 4 Delete | 5 Connect | 6 Options | 7 Trace | 8 Patch
 *              | 9 Extension(String)
 *   Version  = 0 Http09 | 1 Http10 | 2 Http11 | 3 Http2 | 4 Http3
 * </pre>
 * The timeout is the smaller of the request's and the host's. Failures (connection refused, timeout, bad URI, a
 * method Java cannot send) are {@code HTTP_ERROR} with a BSATN String message. Headers Java refuses to set
 * (Host, Connection, Content-Length, Expect, Upgrade) are left to the client. Redirects are not followed.
 */
final class HttpBridge
{
    private static final String[] METHODS =
    {
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    };
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");
    private static final int VERSION_HTTP11 = 2;
    private static final int VERSION_HTTP2 = 3;

    /**
     * What happened.
     *
     * @param errno OK, HTTP_ERROR or BSATN_DECODE_ERROR.
     * @param meta  BSATN Response on OK.
     * @param body  the response body on OK.
     * @param error BSATN String message on HTTP_ERROR, else null.
     */
    record Result(int errno, byte[] meta, byte[] body, byte[] error)
    {
    }

    private final Duration timeout;
    private HttpClient client;

    HttpBridge(final Duration timeout)
    {
        this.timeout = timeout;
    }

    Result send(final byte[] request, final byte[] body)
    {
        final HttpRequest httpRequest;
        final int version;
        try
        {
            final BsatnReader reader = new BsatnReader(request);
            final int methodTag = reader.readU8();
            final String method;
            if (methodTag == 9)
            {
                method = reader.readString();
            }
            else if (methodTag < METHODS.length)
            {
                method = METHODS[methodTag];
            }
            else
            {
                throw reader.error("unknown http method tag " + methodTag);
            }
            final int headerCount = reader.readLength(8, "headers");
            final String[] headers = new String[headerCount * 2];
            for (int i = 0; i < headerCount; i++)
            {
                headers[2 * i] = reader.readString();
                headers[2 * i + 1] = new String(reader.readByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            Duration requestTimeout = timeout;
            final int timeoutTag = reader.readU8();
            if (timeoutTag == 0)
            {
                final Duration asked = Duration.ofNanos(Math.multiplyExact(Math.max(0, reader.readI64()), 1000L));
                requestTimeout = asked.compareTo(timeout) < 0 ? asked : timeout;
            }
            else if (timeoutTag != 1)
            {
                throw reader.error("bad Option tag " + timeoutTag);
            }
            final String uri = reader.readString();
            version = reader.readU8();
            if (version > 4 || !reader.isExhausted())
            {
                throw reader.error("bad version tag or trailing bytes");
            }
            if ("CONNECT".equals(method))
            {
                return httpError("method CONNECT is not supported");
            }
            final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri))
                .timeout(requestTimeout.isZero() ? Duration.ofMillis(1) : requestTimeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() :
                    HttpRequest.BodyPublishers.ofByteArray(body))
                .version(version >= VERSION_HTTP2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
            for (int i = 0; i < headers.length; i += 2)
            {
                if (!RESTRICTED.contains(headers[i].toLowerCase(Locale.ROOT)))
                {
                    builder.header(headers[i], headers[i + 1]);
                }
            }
            httpRequest = builder.build();
        }
        catch (final BsatnDecodeException | ArithmeticException ex)
        {
            return new Result(Errno.BSATN_DECODE_ERROR, null, null, null);
        }
        catch (final IllegalArgumentException ex)
        {
            return httpError("invalid request: " + ex.getMessage());
        }
        try
        {
            final HttpResponse<byte[]> response = client().send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
            return new Result(Errno.OK, encodeResponse(response), response.body(), null);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ChicoryInterruptedException("interrupted in procedure_http_request");
        }
        catch (final IOException | RuntimeException ex)
        {
            final String message = null == ex.getMessage() ? ex.getClass().getSimpleName() : ex.getMessage();
            return httpError(ex.getClass().getSimpleName() + ": " + message);
        }
    }

    private HttpClient client()
    {
        if (null == client)
        {
            client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        }
        return client;
    }

    private static Result httpError(final String message)
    {
        return new Result(Errno.HTTP_ERROR, null, null, new BsatnWriter().writeString(message).toByteArray());
    }

    private static byte[] encodeResponse(final HttpResponse<byte[]> response)
    {
        final BsatnWriter writer = new BsatnWriter();
        final HttpHeaders headers = response.headers();
        int count = 0;
        for (final Map.Entry<String, List<String>> entry : headers.map().entrySet())
        {
            count += entry.getValue().size();
        }
        writer.writeU32(count);
        for (final Map.Entry<String, List<String>> entry : headers.map().entrySet())
        {
            for (final String value : entry.getValue())
            {
                writer.writeString(entry.getKey());
                writer.writeByteArray(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        writer.writeU8(response.version() == HttpClient.Version.HTTP_2 ? VERSION_HTTP2 : VERSION_HTTP11);
        writer.writeU16(response.statusCode());
        return writer.toByteArray();
    }
}
