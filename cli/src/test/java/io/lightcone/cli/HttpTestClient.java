package io.lightcone.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP requests to a local Lightcone server in tests: a method, a path, an optional bearer token and body. */
final class HttpTestClient
{
    private HttpTestClient()
    {
    }

    /**
     * Sends one request to {@code http://127.0.0.1:<port><path>} and reads the answer as text.
     *
     * @param http        the client.
     * @param port        the server's port.
     * @param method      GET, POST, PUT, DELETE.
     * @param path        from the root, with any query.
     * @param token       a bearer token, or null.
     * @param body        the body, or null for none.
     * @param contentType the Content-Type, or null.
     * @return the response.
     * @throws Exception when the request cannot be made.
     */
    static HttpResponse<String> send(
        final HttpClient http,
        final int port,
        final String method,
        final String path,
        final String token,
        final byte[] body,
        final String contentType) throws Exception
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .method(method, null == body ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofByteArray(body));
        if (null != token)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        if (null != contentType)
        {
            builder.header("Content-Type", contentType);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
