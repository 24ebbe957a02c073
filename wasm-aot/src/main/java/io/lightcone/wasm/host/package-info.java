/**
 * The module host: loads SpacetimeDB-ABI WebAssembly modules ({@code spacetime_10.0}..{@code 10.5}) with Chicory
 * and runs their reducers, views and procedures against a {@link io.lightcone.core.txn.Datastore}.
 * <pre>
 *   ModuleLoader loader = new ModuleLoader(cacheDir);          // compile cache: cacheDir/&lt;sha256&gt;.jar
 *   CompiledModule compiled = loader.load(wasmBytes);          // parse, ABI/import/export checks, compile or hit
 *   ModuleInstance module = ModuleInstance.create(compiled,    // runs __describe_module__ through ModuleDefDecoder
 *       new ModuleHostContext().datastore(datastore).databaseIdentity(id32));
 *   module.createTables(datastore);                             // publish: the tables of module.moduleDef()
 *   MutTx tx = datastore.beginMutTx();                          // the transaction loop owns the transaction
 *   CallOutcome outcome = module.callReducer(tx, "transfer", sender32, connectionId16, timestampMicros, args);
 *   if (outcome.isOk()) { tx.commit(); } else { tx.rollback(); } // USER_ERROR, INTERNAL_ERROR, OUT_OF_ENERGY
 * </pre>
 * Reducers are called by canonical name (arguments are checked against the reducer's params first; bad ones end
 * as INTERNAL_ERROR without entering the module) or by id (unchecked). Host calls resolve table and index names by
 * canonical or source name through the module def.
 * Traps and budget overruns rebuild the instance from the compiled classes before the next call; the calling
 * thread's interrupt flag is left as it was found.
 */
package io.lightcone.wasm.host;
