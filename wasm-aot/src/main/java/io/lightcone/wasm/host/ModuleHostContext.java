package io.lightcone.wasm.host;

import io.lightcone.core.txn.Datastore;
import io.lightcone.core.moduledef.ModuleDef;
import io.lightcone.core.moduledef.ModuleDefDecoder;
import io.lightcone.core.moduledef.ModuleDefException;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link ModuleInstance} needs from its database: the datastore, the database identity, the module-def
 * decoder, budgets and limits. Fluent setters; {@link #conclude()} validates once.
 */
public final class ModuleHostContext
{
    /** Default wall-clock budget of a reducer or view call. */
    public static final Duration CALL_BUDGET_DEFAULT = Duration.ofSeconds(1);
    /** Default wall-clock budget of a procedure call (they may sleep and do HTTP). */
    public static final Duration PROCEDURE_BUDGET_DEFAULT = Duration.ofSeconds(60);
    /** Default cap on a module's linear memory. */
    public static final long MEMORY_LIMIT_BYTES_DEFAULT = 256L * 1024 * 1024;
    /** Default number of log records kept per module. */
    public static final int LOG_CAPACITY_DEFAULT = 4096;
    /** Default timeout of {@code procedure_http_request}. */
    public static final Duration HTTP_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    /** Default cap on the bytes a module may write to one sink. */
    public static final int SINK_LIMIT_BYTES_DEFAULT = 64 * 1024 * 1024;

    private Datastore datastore;
    private byte[] databaseIdentity = new byte[32];
    private Function<byte[], ModuleDef> describeDecoder = ModuleHostContext::decodeModuleDef;
    private Duration callBudget = CALL_BUDGET_DEFAULT;
    private Duration procedureBudget = PROCEDURE_BUDGET_DEFAULT;
    private long memoryLimitBytes = MEMORY_LIMIT_BYTES_DEFAULT;
    private int logCapacity = LOG_CAPACITY_DEFAULT;
    private Duration httpTimeout = HTTP_TIMEOUT_DEFAULT;
    private int sinkLimitBytes = SINK_LIMIT_BYTES_DEFAULT;
    private Function<byte[], String> jwtPayloads = (connectionId) -> null;
    private ProcedureCommitter procedureCommitter = (tx) ->
    {
        tx.commit();
        return null;
    };

    /**
     * Validates the settings.
     *
     * @return this.
     */
    public ModuleHostContext conclude()
    {
        Objects.requireNonNull(datastore, "datastore");
        Objects.requireNonNull(describeDecoder, "describeDecoder");
        if (databaseIdentity.length != 32)
        {
            throw new IllegalStateException("databaseIdentity must be 32 bytes: " + databaseIdentity.length);
        }
        if (callBudget.isNegative() || callBudget.isZero() || procedureBudget.isNegative() ||
            procedureBudget.isZero())
        {
            throw new IllegalStateException("budgets must be positive");
        }
        if (memoryLimitBytes < 65536)
        {
            throw new IllegalStateException("memoryLimitBytes must be >= one page: " + memoryLimitBytes);
        }
        if (logCapacity < 1 || sinkLimitBytes < 1)
        {
            throw new IllegalStateException("logCapacity and sinkLimitBytes must be >= 1");
        }
        return this;
    }

    /**
     * @param datastore the database's datastore.
     * @return this.
     */
    public ModuleHostContext datastore(final Datastore datastore)
    {
        this.datastore = datastore;
        return this;
    }

    /**
     * @return the datastore.
     */
    public Datastore datastore()
    {
        return datastore;
    }

    /**
     * @param identity the database identity, 32 bytes little-endian (what the {@code identity} import returns).
     * @return this.
     */
    public ModuleHostContext databaseIdentity(final byte[] identity)
    {
        this.databaseIdentity = identity.clone();
        return this;
    }

    /**
     * @return the database identity (a copy).
     */
    public byte[] databaseIdentity()
    {
        return databaseIdentity.clone();
    }

    /**
     * The default module-def decoder: {@link ModuleDefDecoder#decode(byte[])}, with a refusal turned into a
     * {@link ModuleLoadException} carrying the decoder's message.
     *
     * @param bytes the {@code __describe_module__} output.
     * @return the validated definition.
     * @throws ModuleLoadException when the decoder refuses the bytes.
     */
    public static ModuleDef decodeModuleDef(final byte[] bytes)
    {
        try
        {
            return ModuleDefDecoder.decode(bytes);
        }
        catch (final ModuleDefException ex)
        {
            throw new ModuleLoadException(ex.getMessage(), ex);
        }
    }

    /**
     * @param decoder decodes the BSATN {@code RawModuleDef} that {@code __describe_module__} writes; throws on a
     *                malformed def (the message is reported). Defaults to {@link #decodeModuleDef(byte[])}.
     * @return this.
     */
    public ModuleHostContext describeDecoder(final Function<byte[], ModuleDef> decoder)
    {
        this.describeDecoder = decoder;
        return this;
    }

    /**
     * @return the module-def decoder.
     */
    public Function<byte[], ModuleDef> describeDecoder()
    {
        return describeDecoder;
    }

    /**
     * @param budget wall-clock budget of one reducer, view or init call.
     * @return this.
     */
    public ModuleHostContext callBudget(final Duration budget)
    {
        this.callBudget = budget;
        return this;
    }

    /**
     * @return the reducer budget.
     */
    public Duration callBudget()
    {
        return callBudget;
    }

    /**
     * @param budget wall-clock budget of one procedure call.
     * @return this.
     */
    public ModuleHostContext procedureBudget(final Duration budget)
    {
        this.procedureBudget = budget;
        return this;
    }

    /**
     * @return the procedure budget.
     */
    public Duration procedureBudget()
    {
        return procedureBudget;
    }

    /**
     * @param bytes cap on linear memory; {@code memory.grow} beyond it returns -1 to the module.
     * @return this.
     */
    public ModuleHostContext memoryLimitBytes(final long bytes)
    {
        this.memoryLimitBytes = bytes;
        return this;
    }

    /**
     * @return the memory cap in bytes.
     */
    public long memoryLimitBytes()
    {
        return memoryLimitBytes;
    }

    /**
     * @param capacity log records kept per module.
     * @return this.
     */
    public ModuleHostContext logCapacity(final int capacity)
    {
        this.logCapacity = capacity;
        return this;
    }

    /**
     * @return log records kept per module.
     */
    public int logCapacity()
    {
        return logCapacity;
    }

    /**
     * @param timeout upper bound of an HTTP request made by a procedure.
     * @return this.
     */
    public ModuleHostContext httpTimeout(final Duration timeout)
    {
        this.httpTimeout = timeout;
        return this;
    }

    /**
     * @return the HTTP timeout.
     */
    public Duration httpTimeout()
    {
        return httpTimeout;
    }

    /**
     * @param bytes cap on the bytes written to one sink.
     * @return this.
     */
    public ModuleHostContext sinkLimitBytes(final int bytes)
    {
        this.sinkLimitBytes = bytes;
        return this;
    }

    /**
     * @return the sink cap.
     */
    public int sinkLimitBytes()
    {
        return sinkLimitBytes;
    }

    /**
     * @param payloads maps a connection id (16 bytes, little-endian as the module passes it) to the JWT payload
     *                 JSON of that connection, or null when it has none ({@code get_jwt}).
     * @return this.
     */
    public ModuleHostContext jwtPayloads(final Function<byte[], String> payloads)
    {
        this.jwtPayloads = payloads;
        return this;
    }

    /**
     * @return the JWT payload lookup.
     */
    public Function<byte[], String> jwtPayloads()
    {
        return jwtPayloads;
    }

    /**
     * @param committer commits each transaction a procedure commits with {@code procedure_commit_mut_tx}, or refuses
     *                  it (rolled back; the procedure traps with the reason); by default commits it and tells no one.
     * @return this.
     */
    public ModuleHostContext procedureCommitter(final ProcedureCommitter committer)
    {
        this.procedureCommitter = committer;
        return this;
    }

    /**
     * @return the procedure committer.
     */
    public ProcedureCommitter procedureCommitter()
    {
        return procedureCommitter;
    }
}
