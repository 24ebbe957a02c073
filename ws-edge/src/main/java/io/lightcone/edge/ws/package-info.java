/**
 * WebSocket clients: per-client state, outbound queue with confirmed reads, Netty frame handler.
 */
package io.lightcone.edge.ws;
