package io.lightcone.wasm.host;

import io.lightcone.core.txn.MutTx;

/**
 * Commits the transactions procedures open themselves ({@code procedure_start_mut_tx} .. {@code
 * procedure_commit_mut_tx}), for the host that logs and publishes commits. Called on the calling thread.
 */
@FunctionalInterface
public interface ProcedureCommitter
{
    /**
     * Commits a procedure's transaction, or refuses it and rolls it back (say, because it is too large to publish).
     * A refusal traps the procedure with the reason, so its caller gets it.
     *
     * @param tx the open transaction.
     * @return null when committed; otherwise why not, the transaction rolled back.
     */
    String commit(MutTx tx);
}
