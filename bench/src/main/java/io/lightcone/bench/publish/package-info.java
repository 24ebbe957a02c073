/**
 * Publish time end to end: a module uploaded through the HTTP API of a running server, cold (empty compile cache),
 * cached, and cached after a restart, each followed by the first reducer call it serves ({@code bench/run publish},
 * docs/benchmarks.md).
 */
package io.lightcone.bench.publish;
