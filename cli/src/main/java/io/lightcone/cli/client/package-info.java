/**
 * The client subcommands of {@code lightcone} ({@code publish}, {@code call}, {@code sql}, {@code logs},
 * {@code subscribe}, {@code identity}, {@code describe}, {@code delete}): they talk to a running server over its
 * HTTP API and WebSocket protocol, as SpacetimeDB's CLI does, with the user's identity kept in a config file
 * ({@link io.lightcone.cli.client.CliConfig}).
 */
package io.lightcone.cli.client;
