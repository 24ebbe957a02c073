/**
 * A module's description of itself: RawModuleDef V9 and V10 decoded into {@link
 * io.lightcone.wasm.moduledef.ModuleDef}, with SpacetimeDB's canonical names.
 */
package io.lightcone.wasm.moduledef;
