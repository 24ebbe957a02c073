package io.lightcone.client;

import io.lightcone.edge.auth.ConnectionId;
import io.lightcone.edge.auth.Identity;

/**
 * Connection callbacks, on the polling thread.
 */
public interface ClientListener
{
    /**
     * InitialConnection arrived (first connect and every reconnect).
     *
     * @param client       the client.
     * @param identity     the client's identity.
     * @param connectionId this connection's id.
     * @param token        the token the client will reconnect with.
     */
    default void onConnect(
        final LightconeClient client, final Identity identity, final ConnectionId connectionId, final String token)
    {
    }

    /**
     * The connection closed or could not be opened; in-flight calls have failed with
     * {@link ConnectionLostException}.
     *
     * @param client the client.
     * @param cause  why, or null after {@link LightconeClient#close()}.
     */
    default void onDisconnect(final LightconeClient client, final Throwable cause)
    {
    }

    /**
     * A listener threw or the server sent something this client could not decode.
     *
     * @param client the client.
     * @param error  the error.
     */
    default void onError(final LightconeClient client, final Throwable error)
    {
    }
}
