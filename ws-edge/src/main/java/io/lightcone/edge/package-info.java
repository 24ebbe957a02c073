/**
 * WebSocket and HTTP edge: SpacetimeDB client protocol, replica, subscriptions.
 * <p>
 * Placeholder until its issue lands; the module exists so that the dependency direction is fixed now.
 */
package io.lightcone.edge;
