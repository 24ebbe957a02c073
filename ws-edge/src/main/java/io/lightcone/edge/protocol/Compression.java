package io.lightcone.edge.protocol;

/**
 * The compression a client asked for with the {@code compression} query parameter.
 */
public enum Compression
{
    /** {@code compression=None}. */
    NONE,
    /** {@code compression=Brotli}; also the server default when the parameter is absent. */
    BROTLI,
    /** {@code compression=Gzip}; what the npm SDK sends by default. */
    GZIP;

    /**
     * Parses the query parameter value (serde enum names, exact case).
     *
     * @param value of the parameter, or null if absent.
     * @return the compression; {@link #BROTLI} when absent.
     * @throws IllegalArgumentException for any other value.
     */
    public static Compression fromQueryParameter(final String value)
    {
        if (value == null)
        {
            return BROTLI;
        }
        switch (value)
        {
            case "None":
                return NONE;
            case "Brotli":
                return BROTLI;
            case "Gzip":
                return GZIP;
            default:
                throw new IllegalArgumentException("unknown compression " + value + " (expected None, Brotli or Gzip)");
        }
    }
}
