/**
 * PNG plots of the benchmark results in {@code docs/benchmarks/} ({@code bench/run plots}), drawn headless with
 * JFreeChart from the JSON files the harnesses write.
 */
package io.lightcone.bench.plot;
