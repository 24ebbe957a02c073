/**
 * The transaction loop: one thread ({@link io.lightcone.txn.loop.TxnLoopAgent} on an Agrona {@code AgentRunner})
 * that executes reducers and commits, for many databases.
 *
 * <h2>Topology</h2>
 * <pre>
 *  edges --CoreIngressProxy--&gt; [ingress stream] --&gt; TxnLoopAgent --&gt; CommitSink (commit log, group fsync)
 *                                                          |
 *  edges &lt;-CoreEgressAdapter-- [egress stream] &lt;-- EgressQueue (FIFO, survives back pressure)
 * </pre>
 * {@link io.lightcone.txn.loop.EmbeddedCore} runs an embedded media driver, the loop and a
 * {@link io.lightcone.txn.loop.CoreClient} in one JVM over {@code aeron:ipc}; the same agent runs over
 * {@code aeron:udp} by changing the channels in {@link io.lightcone.txn.loop.TxnLoopContext}.
 *
 * <h2>Duty cycle</h2>
 * One clock read (epoch µs, cached for every transaction timestamp of the cycle; timestamps never go backwards);
 * flush the commit-log backlog and the egress backlog; run control tasks ({@code execute}, on-demand snapshots);
 * only when both backlogs are empty: poll ingress (at most {@code fragmentLimit} fragments), run queued
 * {@code volatile_nonatomic_schedule_immediate} calls and due scheduled reducers (at most {@code timerLimit} each);
 * publish {@code Durable} when the sink's durable offset advanced; flush again. The work count is the sum of
 * fragments, runs and messages sent. Nothing logs in the cycle: exceptions go to the context's error handler (a
 * {@code CountedErrorHandler} over a {@code DistinctErrorLog}); an exception escaping a handler rolls back the
 * transaction it left open and the loop goes on.
 *
 * <h2>Back pressure</h2>
 * Every egress message is encoded once into a FIFO ({@code EgressQueue}) and sent from its head; a refused send
 * stays at the head. A record the {@link io.lightcone.txn.log.CommitSink} refuses waits in a FIFO of its own,
 * retried first each cycle. While either FIFO is not empty, ingress is not read and no timer runs: back pressure
 * slows the edges, a commit is never dropped.
 *
 * <h2>Tx offsets</h2>
 * One global, gapless tx offset sequence for the whole loop (all databases), starting at
 * {@code TxnLoopContext.firstTxOffset()} (0 by default; recovery passes the log's next offset). One shared commit log
 * then needs no per-database bookkeeping; a database's offsets are increasing but not contiguous. {@code Durable(db,
 * upTo)} means every transaction of that database with offset &lt;= upTo is durable; it is sent for each database
 * that committed since its last Durable, with upTo = the sink's durable offset.
 *
 * <h2>Commit record format</h2>
 * The payload of each record given to {@link io.lightcone.txn.log.CommitSink#append} is exactly the SBE
 * {@code TxCommitted} message (8-byte message header included, schema 7001) that the loop publishes on egress for
 * that transaction, whole (never fragmented): decode it with {@code CoreEgressAdapter.onFragment(buffer, offset,
 * length, null)} or {@code TxCommittedDecoder}. The record's txOffset equals the message's {@code txOffset}. Fields:
 * databaseId, txOffset, timestamp (µs), caller connection id (zero when none), caller identity (the database
 * identity for scheduled, immediate and procedure transactions; the owner for init), requestId (0 when none),
 * outcome (always COMMITTED), per table with changes: tableId, tableName, inserted and deleted rows as BSATN back to
 * back; reducerName (empty for a transaction without a reducer); errorMessage (empty). Replaying a record = apply
 * its deleted rows then its inserted rows to the named tables of the database. A database's tables and module are
 * known from {@code <dataDir>/db/<id>/module.wasm} (the published bytes) and {@code database.properties} (id,
 * name, identity, owner, module hash), written at publish; its schema also travels as {@code SchemaChanged}.
 *
 * <h2>Snapshots</h2>
 * Every {@code snapshotIntervalTxs} transactions of a database, and on demand
 * ({@link io.lightcone.txn.loop.TxnLoopAgent#requestSnapshot(String)}), the loop writes
 * {@code <dataDir>/db/<id>/snapshots/<txOffset:020d>.snapshot} with {@code core.snapshot.Snapshot.write}, where
 * txOffset is the offset of the database's last transaction in it. Recovery: the highest-numbered valid snapshot,
 * then every log record of that database with a greater offset. Snapshots are written on the loop thread (a pause
 * proportional to the database size; TODO: copy-on-write off the loop thread).
 *
 * <h2>Message flows</h2>
 * <ul>
 *     <li>CallReducer: unknown database, unknown reducer, a lifecycle or non-client-callable reducer, or arguments
 *     that are not the BSATN of its parameters: {@code TxFailed(INTERNAL_ERROR, message)}. Otherwise one
 *     transaction: OK commits ({@code TxCommitted} with the caller's connection and request id, which is the
 *     caller's reply); USER_ERROR / INTERNAL_ERROR (traps) / OUT_OF_ENERGY roll back and reply {@code TxFailed}
 *     with the outcome and message. Failed calls are not in the log.</li>
 *     <li>ClientConnected: stores the JWT payload (served to {@code get_jwt}), runs {@code client_connected} (if
 *     any) in a transaction that always commits on success, even empty (SpacetimeDB inserts {@code st_client} in
 *     it): the edge accepts the connection on {@code TxCommitted} with its connection id and rejects it on
 *     {@code TxFailed} (requestId 0, the connection id set). ClientDisconnected: runs {@code client_disconnected};
 *     the connection's state is dropped whatever the outcome.</li>
 *     <li>PublishModule: a new name creates the database (compile with the cache in {@code <dataDir>/module-cache},
 *     instantiate, create the tables, run {@code init} as the owner in the first transaction; if init fails the
 *     tables are dropped and the publish refused). Messages: {@code SchemaChanged} (schema = u32 count + each table
 *     in {@code SchemaCodec} form), {@code TxCommitted} (reducer {@code init}), {@code RequestCompleted(COMMITTED,
 *     txOffset)}. Republish: same bytes without clear = no-op success; otherwise the
 *     {@link io.lightcone.txn.loop.MigrationPlanner} decides (default: refuse unless clear, then drop and
 *     recreate). Another owner is refused. DeleteDatabase: owner only; {@code SchemaChanged} with an empty schema
 *     tells edges it is gone; its directory is deleted.</li>
 *     <li>CallProcedure: runs outside a transaction; each transaction it commits is logged and published with no
 *     caller. The wire has no ProcedureResult message yet: the reply is {@code RequestCompleted} with the outcome and,
 *     on success, the BSATN return value as lowercase hex in the message (a stopgap until a ProcedureResult message
 *     with a bytes field exists).</li>
 *     <li>SqlDml: {@code RequestCompleted(INTERNAL_ERROR, "SQL DML not supported yet")}. EdgeBootstrap: counted,
 *     not served yet (TODO: snapshot chunks plus the log suffix).</li>
 *     <li>Module log records after each call are published as {@code ModuleLog}.</li>
 * </ul>
 *
 * <h2>Scheduled reducers</h2>
 * After every commit the schedule tables' inserted rows are scheduled and deleted rows unscheduled (an update is
 * both). {@code Time(ts)}: runs once at ts, the row is deleted in the run's transaction (and in a transaction of its
 * own if the run fails). {@code Interval(d)}: first run at insert time + d, then at intended + k*d, the first such
 * time after now, so ticks stay anchored and missed ones are skipped. The row's BSATN is the single argument; caller
 * identity = the database identity, no connection id. Jitter (actual - intended, µs) goes to
 * {@link io.lightcone.txn.loop.TxnLoopAgent#tickJitterHistogram()} and the TICK_JITTER counters. Timers live only
 * in memory: after recovery the schedule tables must be rescanned (TODO with recovery).
 *
 * <h2>Threading</h2>
 * Everything here runs on the loop thread except {@code execute}, {@code requestSnapshot} and the
 * {@link io.lightcone.txn.loop.EmbeddedCore} methods. Publishing compiles the module on the loop thread (seconds on
 * a cold cache) and procedures may sleep on it (TODO: compile off the loop; run procedures elsewhere).
 */
package io.lightcone.txn.loop;
