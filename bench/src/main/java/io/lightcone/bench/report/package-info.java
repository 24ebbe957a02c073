/**
 * What every end-to-end harness shares to write its results file: JSON rendering and the machine's description.
 */
package io.lightcone.bench.report;
