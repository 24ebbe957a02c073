/**
 * Table indexes over order-preserving encoded keys: {@link io.lightcone.core.index.OrderedKeyEncoder} turns BSATN
 * key columns into bytes whose unsigned order is SATS order; {@link io.lightcone.core.index.BTreeIndex} (ordered,
 * unique or not), {@link io.lightcone.core.index.LongBTreeIndex} (ordered, keys of one fixed length up to 8 bytes held
 * as longs), {@link io.lightcone.core.index.HashIndex} (unique, off-heap, point lookups) and
 * {@link io.lightcone.core.index.DirectIndex} (unique, small unsigned keys) implement
 * {@link io.lightcone.core.index.TableIndex}; {@link io.lightcone.core.index.KeyRanges} builds scan ranges from the
 * module ABI's prefix and {@code Bound} arguments.
 */
package io.lightcone.core.index;
