/**
 * The keynote transfer benchmark end to end (performance-anchors §1.1, §7 B1/B2): the harness's Zipf account
 * picker, a load generator for Lightcone through the Java SDK, and PostgreSQL and SQLite peers through JDBC, driven
 * with the same precomputed pairs in one run.
 */
package io.lightcone.bench.keynote;
