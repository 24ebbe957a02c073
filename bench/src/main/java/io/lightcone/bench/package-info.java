/**
 * JMH micro benchmarks and end-to-end harnesses; results and the commands that produced them are in
 * docs/benchmarks.md.
 */
package io.lightcone.bench;
