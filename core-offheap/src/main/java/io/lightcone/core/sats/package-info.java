/**
 * SATS, the SpacetimeDB algebraic type system: {@link io.lightcone.core.sats.AlgebraicType} and its variants,
 * the special types, BSATN (the binary encoding: {@link io.lightcone.core.sats.BsatnReader},
 * {@link io.lightcone.core.sats.BsatnWriter}) and SATS-JSON.
 * <p>
 * {@link io.lightcone.core.sats.Bsatn} encodes types and on-heap values (the Java mapping is documented on
 * {@link io.lightcone.core.sats.ProductValue}) and validates or skips values without allocating;
 * {@link io.lightcone.core.sats.SatsJson} reads and writes SATS-JSON for the HTTP API.
 * <p>
 * There is no Java library for BSATN; this package is written by hand from reference/spacetimedb-contracts.md §1.
 */
package io.lightcone.core.sats;
