package io.lightcone.cli;

import io.lightcone.txn.loop.CoreClient;
import io.lightcone.txn.loop.EmbeddedCore;
import io.lightcone.wire.CoreEgressListener;
import io.lightcone.wire.sbe.Outcome;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a module through the wire, as an edge would: {@code PublishModule} on the core's ingress, then waits for
 * the {@code RequestCompleted} with its request id on egress. Runs on the calling thread with its own
 * {@link CoreClient}, closed at the end (a subscriber that stops polling would hold the core's egress back).
 */
final class ModulePublisher implements CoreEgressListener
{
    /** Edge id the command uses on the wire for its own requests (the embedded edge is 1). */
    static final int CLI_EDGE_ID = 0;

    private final int requestId;
    private boolean completed;
    private Outcome outcome;
    private String message;
    private long databaseId;

    private ModulePublisher(final int requestId)
    {
        this.requestId = requestId;
    }

    /**
     * What the core answered.
     *
     * @param outcome    COMMITTED on success.
     * @param message    the core's message (a migration plan, "module unchanged", or why it was refused).
     * @param databaseId the database id, 0 when unknown.
     */
    record Result(Outcome outcome, String message, long databaseId)
    {
        boolean ok()
        {
            return Outcome.COMMITTED == outcome;
        }
    }

    /**
     * Publishes (creates, or updates by migration) a database from module bytes and waits for the answer.
     *
     * @param core      the running core.
     * @param owner     the owner identity, 32 bytes little-endian.
     * @param name      the database name.
     * @param module    the wasm module.
     * @param requestId the request id.
     * @param timeoutMs how long to wait for the answer (publishing compiles the module).
     * @return the answer.
     * @throws StartException when the core does not answer in time.
     */
    static Result publish(
        final EmbeddedCore core, final byte[] owner, final String name, final byte[] module, final int requestId,
        final long timeoutMs)
    {
        final ModulePublisher publisher = new ModulePublisher(requestId);
        final UnsafeBuffer nameBuffer = new UnsafeBuffer(name.getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer moduleBuffer = new UnsafeBuffer(module);
        final UnsafeBuffer ownerBuffer = new UnsafeBuffer(owner);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (CoreClient client = core.newClient(publisher))
        {
            while (!client.isConnected())
            {
                idle(deadline, "the core's streams did not connect");
            }
            while (!client.proxy().publishModule(CLI_EDGE_ID, requestId, ownerBuffer, 0, false, nameBuffer, 0,
                nameBuffer.capacity(), moduleBuffer, 0, moduleBuffer.capacity()))
            {
                client.poll(64);
                idle(deadline, "the core did not accept the publish of " + name);
            }
            while (!publisher.completed)
            {
                if (0 == client.poll(64))
                {
                    idle(deadline, "the core did not answer the publish of " + name);
                }
            }
        }
        return new Result(publisher.outcome, publisher.message, publisher.databaseId);
    }

    private static void idle(final long deadline, final String what)
    {
        if (System.nanoTime() - deadline > 0)
        {
            throw new StartException(StartException.EXIT_INTERNAL, what + " in time");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Override
    public void onRequestCompleted(
        final DirectBuffer buffer,
        final long databaseId,
        final long txOffset,
        final int edgeId,
        final int requestId,
        final Outcome outcome,
        final int messageOffset,
        final int messageLength)
    {
        if (CLI_EDGE_ID == edgeId && this.requestId == requestId)
        {
            this.completed = true;
            this.outcome = outcome;
            this.databaseId = databaseId;
            this.message = buffer.getStringWithoutLengthUtf8(messageOffset, messageLength);
        }
    }
}
