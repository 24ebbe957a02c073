/**
 * The Java client SDK for Lightcone and SpacetimeDB's v3/v2 BSATN WebSocket protocol: {@link
 * io.lightcone.client.LightconeClient} (connect, subscribe, call reducers, reconnect), {@link
 * io.lightcone.client.TableCache} (the local copy of subscribed rows with insert / update / delete listeners) and
 * {@link io.lightcone.client.RowView} (a row's BSATN, decoded by a {@link io.lightcone.client.RowDecoder}). All
 * callbacks run on the thread that calls {@link io.lightcone.client.LightconeClient#poll(int)}. See
 * {@code docs/java-sdk.md}.
 */
package io.lightcone.client;
