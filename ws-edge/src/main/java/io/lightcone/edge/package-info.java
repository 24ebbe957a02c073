/**
 * WebSocket and HTTP edge: SpacetimeDB client protocol, replica, subscriptions.
 * <p>
 * {@link io.lightcone.edge.EdgeServer} (Netty) and its {@link io.lightcone.edge.EdgeAgent} (the one engine thread:
 * replica, subscriptions, client state) linked to the core through a {@link io.lightcone.edge.CoreLink} carrying
 * wire-sbe messages only.
 */
package io.lightcone.edge;
