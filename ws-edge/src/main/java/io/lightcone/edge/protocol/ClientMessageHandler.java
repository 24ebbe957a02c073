package io.lightcone.edge.protocol;

/**
 * Receives decoded client messages. Each callback gets the decoder itself as a view of the current message; the view
 * (and any slice of the frame it points at) is valid only during the callback.
 */
public interface ClientMessageHandler
{
    /**
     * A Subscribe: {@link ClientMessageDecoder#requestId}, {@link ClientMessageDecoder#querySetId},
     * {@link ClientMessageDecoder#queryCount} and {@link ClientMessageDecoder#queryString(int)}.
     *
     * @param message the view.
     */
    void onSubscribe(ClientMessageDecoder message);

    /**
     * An Unsubscribe: request id, query set id and {@link ClientMessageDecoder#sendDroppedRows}.
     *
     * @param message the view.
     */
    void onUnsubscribe(ClientMessageDecoder message);

    /**
     * A OneOffQuery: request id and {@link ClientMessageDecoder#queryString(int)} 0.
     *
     * @param message the view.
     */
    void onOneOffQuery(ClientMessageDecoder message);

    /**
     * A CallReducer: request id, {@link ClientMessageDecoder#functionName} and the args slice.
     *
     * @param message the view.
     */
    void onCallReducer(ClientMessageDecoder message);

    /**
     * A CallProcedure: request id, {@link ClientMessageDecoder#functionName} and the args slice.
     *
     * @param message the view.
     */
    void onCallProcedure(ClientMessageDecoder message);
}
