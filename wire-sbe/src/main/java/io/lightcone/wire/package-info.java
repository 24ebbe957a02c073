/**
 * The internal link between the transaction loop (core) and the WebSocket edges, over Aeron, in SBE.
 * <pre>
 *   edge                                                    core (txn-loop)
 *   CoreIngressProxy  --CallReducer, ClientConnected...-->  CoreIngressAdapter -> CoreIngressListener
 *   CoreEgressListener <- CoreEgressAdapter  <--TxCommitted, Durable...--  CoreEgressProxy
 * </pre>
 * The schema is {@code src/main/resources/sbe/lightcone-wire.xml}; its codecs ({@code io.lightcone.wire.sbe}) are
 * generated at build time and never committed. Proxies encode with {@code tryClaim} and never block; adapters check
 * schema id, version and lengths, count and drop what they cannot use, and reassemble long messages. The version
 * family and chunking rules are on {@link io.lightcone.wire.WireConstants}.
 */
package io.lightcone.wire;
