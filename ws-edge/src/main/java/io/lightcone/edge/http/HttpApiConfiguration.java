package io.lightcone.edge.http;

import org.agrona.SystemUtil;

/**
 * Settings of the HTTP database API (system properties, read once).
 */
public final class HttpApiConfiguration
{
    /** How long an HTTP request waits for the core before it is answered 504. */
    public static final String REQUEST_TIMEOUT_PROP_NAME = "lightcone.edge.http.request.timeout";
    /** Default: 30 s (a publish compiles the module). */
    public static final long REQUEST_TIMEOUT_DEFAULT_NS = 30_000_000_000L;
    /** Module log records kept per database for {@code /logs}. */
    public static final String LOG_LINES_PROP_NAME = "lightcone.edge.http.log.lines";
    /** Default: 1000 records. */
    public static final int LOG_LINES_DEFAULT = 1000;

    private HttpApiConfiguration()
    {
    }

    /**
     * @return the request timeout in nanoseconds.
     */
    public static long requestTimeoutNs()
    {
        return SystemUtil.getDurationInNanos(REQUEST_TIMEOUT_PROP_NAME, REQUEST_TIMEOUT_DEFAULT_NS);
    }

    /**
     * @return the module log records kept per database.
     */
    public static int logLines()
    {
        return SystemUtil.getSizeAsInt(LOG_LINES_PROP_NAME, LOG_LINES_DEFAULT);
    }
}
