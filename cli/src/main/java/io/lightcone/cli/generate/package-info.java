/**
 * {@code lightcone generate}: client bindings from a module's definition. {@link io.lightcone.cli.generate.TypeUses}
 * turns the module's SATS types into {@link io.lightcone.cli.generate.TypeUse}s (named types by reference, special
 * types recognised), {@link io.lightcone.cli.generate.TypeScriptGenerator} writes the TypeScript bindings the npm
 * {@code spacetimedb} SDK expects, in the layout of SpacetimeDB's {@code spacetime generate --lang typescript}
 * (docs/codegen.md).
 */
package io.lightcone.cli.generate;
