/**
 * WebSocket and HTTP edge: SpacetimeDB client protocol, replica, subscriptions.
 * <p>
 * {@link io.lightcone.edge.EdgeServer} (Netty) and its {@link io.lightcone.edge.EdgeAgent} (the one engine thread:
 * replica, subscriptions, client state) linked to the core through a {@link io.lightcone.edge.CoreLink} carrying
 * wire-sbe messages only.
 * <p>
 * Not yet done (first slice): migrating rows of an altered table;
 * database owner on the wire (every WebSocket client is a non-owner); row-level security rules from the module;
 * HTTP database routes (publish, call, schema, logs, sql, names);
 * brotli (Brotli clients get uncompressed frames); per-client inbound queue limit (one bounded queue for all).
 */
package io.lightcone.edge;
