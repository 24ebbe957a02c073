/**
 * {@code lightcone core} and {@code lightcone edge}: the core (media driver and transaction loop) and WebSocket edges
 * as separate processes linked over Aeron UDP, so edges can join and leave while the core runs.
 * <pre>
 *   edge A --ingress: aeron:udp?endpoint=core:40100--&gt; core --egress: MDC control=core:40101--&gt; edge A
 *   edge B --/                                                      \--&gt; edge B
 * </pre>
 * Every edge publishes to the core's one ingress endpoint (an image per edge); the core publishes egress once to a
 * multi-destination-cast publication that each edge joins by subscribing with the core's control address. A joining
 * edge asks the core for a bootstrap once its streams connect (schemas and rows of every database, for its edge id).
 */
package io.lightcone.cli.process;
