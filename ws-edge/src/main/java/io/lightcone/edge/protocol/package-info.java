/**
 * The SpacetimeDB v2/v3 WebSocket client protocol ({@code v2.bsatn.spacetimedb}, {@code v3.bsatn.spacetimedb}):
 * flyweight decoders of client messages, streaming encoders of server messages and the server frame writer
 * (compression tag, v3 batching, gzip).
 * <p>
 * Decoders read a {@link org.agrona.DirectBuffer} region in place and expose views; encoders write BSATN straight
 * into a {@link org.agrona.MutableDirectBuffer}. Neither allocates per row. Malformed client input is reported as
 * {@link io.lightcone.edge.protocol.ProtocolException} only, whose message says what was wrong and at which byte of
 * the frame; the edge closes the socket with 1011 and {@link io.lightcone.edge.protocol.ProtocolException#closeReason}.
 */
package io.lightcone.edge.protocol;
