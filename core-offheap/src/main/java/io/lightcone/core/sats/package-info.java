/**
 * SATS, the SpacetimeDB algebraic type system: {@link io.lightcone.core.sats.AlgebraicType} and its variants,
 * the special types, BSATN (the binary encoding: {@link io.lightcone.core.sats.BsatnReader},
 * {@link io.lightcone.core.sats.BsatnWriter}) and SATS-JSON.
 * <p>
 * There is no Java library for BSATN; this package is written by hand from reference/spacetimedb-contracts.md §1.
 */
package io.lightcone.core.sats;
