/**
 * A module's description of itself: RawModuleDef V9 and V10 decoded into {@link
 * io.lightcone.core.moduledef.ModuleDef}, with SpacetimeDB's canonical names.
 */
package io.lightcone.core.moduledef;
