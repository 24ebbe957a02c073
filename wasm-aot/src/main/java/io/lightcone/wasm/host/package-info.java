/**
 * The module host: loads SpacetimeDB-ABI WebAssembly modules ({@code spacetime_10.0}..{@code 10.5}) with Chicory
 * and runs their reducers, views and procedures against a {@link io.lightcone.core.txn.Datastore}.
 * <pre>
 *   ModuleLoader loader = new ModuleLoader(cacheDir);          // compile cache: cacheDir/&lt;sha256&gt;.jar
 *   CompiledModule compiled = loader.load(wasmBytes);          // parse, ABI/import/export checks, compile or hit
 *   ModuleInstance module = ModuleInstance.create(compiled, new ModuleHostContext()
 *       .datastore(datastore).databaseIdentity(id32).describeDecoder(ModuleDefDecoder::decode));
 *   MutTx tx = datastore.beginMutTx();                          // the transaction loop owns the transaction
 *   CallOutcome outcome = module.callReducer(tx, reducerId, sender32, connectionId16, timestampMicros, args);
 *   if (outcome.isOk()) { tx.commit(); } else { tx.rollback(); } // USER_ERROR, INTERNAL_ERROR, OUT_OF_ENERGY
 * </pre>
 * Traps and budget overruns rebuild the instance from the compiled classes before the next call; the calling
 * thread's interrupt flag is left as it was found.
 */
package io.lightcone.wasm.host;
