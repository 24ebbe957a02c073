/**
 * SBE schema and codecs for the link between the transaction loop and the edges.
 * <p>
 * Placeholder until its issue lands; the module exists so that the dependency direction is fixed now.
 */
package io.lightcone.wire;
