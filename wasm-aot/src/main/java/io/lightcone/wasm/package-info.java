/**
 * Module host: runs SpacetimeDB-ABI WebAssembly modules with Chicory.
 * <p>
 * Placeholder until its issue lands; the module exists so that the dependency direction is fixed now.
 */
package io.lightcone.wasm;
