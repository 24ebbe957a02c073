package io.lightcone.wasm.host;

/**
 * One {@code console_log} record of a module.
 *
 * @param timestampMicros wall-clock time of the call, µs since the Unix epoch.
 * @param level           0 error, 1 warn, 2 info, 3 debug, 4 trace, 101 panic (as the module passed it).
 * @param target          the target, or empty.
 * @param filename        the source file, or empty.
 * @param line            the line number, or -1 when none.
 * @param message         the message (lossy UTF-8).
 */
public record LogRecord(long timestampMicros, int level, String target, String filename, long line, String message)
{
    /** Level error. */
    public static final int ERROR = 0;
    /** Level warn. */
    public static final int WARN = 1;
    /** Level info. */
    public static final int INFO = 2;
    /** Level debug. */
    public static final int DEBUG = 3;
    /** Level trace. */
    public static final int TRACE = 4;
    /** Level panic. */
    public static final int PANIC = 101;

    /**
     * The level's name.
     *
     * @return e.g. "INFO".
     */
    public String levelName()
    {
        switch (level)
        {
            case ERROR:
                return "ERROR";
            case WARN:
                return "WARN";
            case INFO:
                return "INFO";
            case DEBUG:
                return "DEBUG";
            case TRACE:
                return "TRACE";
            case PANIC:
                return "PANIC";
            default:
                return "LEVEL_" + level;
        }
    }
}
