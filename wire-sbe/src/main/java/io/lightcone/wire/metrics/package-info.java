/**
 * Metrics as Agrona counters, exposed in the Prometheus text format.
 * <p>
 * Every metric is a counter in an Agrona {@link org.agrona.concurrent.status.CountersManager}, written by the one
 * thread that owns it with a release store and read by any thread (or, when the manager sits in a mapped file such as
 * Aeron's CnC file, by another process). Updating a metric therefore costs one ordered store and allocates nothing,
 * which is what the transaction loop's duty cycle and the edge's fan-out need.
 * <p>
 * Each counter carries type id {@link io.lightcone.wire.metrics.Metrics#METRIC_TYPE_ID}, a key naming its
 * {@link io.lightcone.wire.metrics.MetricFamily} and {@link io.lightcone.wire.metrics.MetricRole}, and as its label
 * the Prometheus sample name with its labels, e.g.
 * {@code lightcone_reducer_calls_total{database="chat",reducer="send_message"}}, so a generic counters tool shows
 * readable names too. {@link io.lightcone.wire.metrics.PrometheusExposition} renders any number of counters readers
 * as one {@code text/plain; version=0.0.4} page, with HELP and TYPE lines from the family catalog and histogram
 * buckets made cumulative.
 */
package io.lightcone.wire.metrics;
