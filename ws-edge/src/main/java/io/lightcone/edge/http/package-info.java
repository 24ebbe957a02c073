/**
 * HTTP API routes and the WebSocket upgrade.
 */
package io.lightcone.edge.http;
