/**
 * Recovery time through the real core: a database of N rows written by a module of our own ({@code ledger}),
 * restarted from the log alone, from a snapshot, and from a snapshot plus a log tail, each recovery checked against
 * a model of the table ({@code bench/run recovery}, docs/benchmarks.md).
 */
package io.lightcone.bench.recovery;
