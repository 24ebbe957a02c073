/**
 * Off-heap row storage for one table: {@link io.lightcone.core.table.Table} keeps rows column by column in
 * chunked off-heap regions under dense int row ids with a live bitmap and a free list, and keeps var-len values
 * (strings, arrays, sums with payloads, nested products) as BSATN bytes in a reusing off-heap allocator,
 * {@code VarLenHeap}. Rows enter as BSATN (validated completely before anything changes) and leave as BSATN.
 */
package io.lightcone.core.table;
