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
 * <h2>Durability and data directory</h2>
 * Durable by default ({@code TxnLoopContext.durable}, {@code lightcone.txn.loop.durable=true}): with no commit sink
 * given, {@link io.lightcone.txn.loop.EmbeddedCore} opens ONE global {@link io.lightcone.txn.log.CommitLog} in
 * {@code <dataDir>/log} (tx offsets are global, so one log and one fsync per group commit serve every database),
 * recovers, and only then starts the loop; it closes the loop first, then drains and closes the log. Durability off
 * uses {@link io.lightcone.txn.loop.VolatileCommitSink} (benchmarks only). Layout (see
 * {@link io.lightcone.txn.recovery.DatabaseLayout}):
 * <pre>
 *  &lt;dataDir&gt;/log/                          global commit log segments
 *  &lt;dataDir&gt;/cache/                        compiled module cache
 *  &lt;dataDir&gt;/db/&lt;id&gt;/module.wasm           the published module: the schema source
 *  &lt;dataDir&gt;/db/&lt;id&gt;/database.properties   id, name, identity, owner, moduleHash, createdTxOffset
 *  &lt;dataDir&gt;/db/&lt;id&gt;/snapshots/           &lt;txOffset:020d&gt;.snapshot
 * </pre>
 *
 * <h2>Recovery</h2>
 * {@link io.lightcone.txn.loop.TxnLoopAgent#recover} before serving: opening the log cuts a torn tail; each database
 * directory is loaded (module compiled with the cache; a directory without properties or whose
 * {@code createdTxOffset} is past the log's end is an unfinished publish and is deleted); its newest valid snapshot
 * (one past the log's end was never durable and is deleted) or else the module's empty tables; one pass over the
 * global log replays each database's {@code TxCommitted} records after its snapshot and from its
 * {@code createdTxOffset} on (so records of a deleted or cleared earlier incarnation with the same id are ignored)
 * with {@link io.lightcone.txn.recovery.DeltaApplier}; the next tx offset follows the log; schedule tables are
 * rescanned into timers. Damage stops startup with a {@link io.lightcone.txn.log.CommitLogException} or
 * {@link io.lightcone.txn.recovery.RecoveryException} naming the file and offset. Schema changes are not logged:
 * {@code module.wasm} is the schema source, publish/delete are files written (atomically, forced) or deleted, and an
 * automatic migration is made recoverable by waiting until the log is durable, migrating, and writing a snapshot of
 * the migrated tables before the new module files, so replay after it starts from the migrated schema.
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
 * then every log record of that database with a greater offset. A snapshot may be written before its last
 * transaction is durable; after a crash recovery deletes it if it is past the log's end. Snapshots are written on
 * the loop thread (a pause proportional to the database size; TODO: copy-on-write off the loop thread).
 * Retention ({@code TxnLoopAgent.applyRetention}), once the snapshots written since the last pass are durable: each
 * database keeps {@code snapshotsKept} durable snapshots (newer, not yet durable ones too); the log segments wholly
 * at or below the smallest offset any database still needs (its oldest kept snapshot, or its creation offset - 1
 * without one) are deleted or archived by {@code CommitSink.truncateBefore}.
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
 *     <li>PublishModule: a new name creates the database (compile with the cache in {@code <dataDir>/cache},
 *     instantiate, create the tables, run {@code init} as the owner in the first transaction; if init fails the
 *     tables are dropped and the publish refused). Messages: {@code SchemaChanged} (schema = u32 count + each table
 *     in {@code SchemaCodec} form), {@code TxCommitted} (reducer {@code init}), {@code RequestCompleted(COMMITTED,
 *     txOffset)}. Republish: same bytes without clear = no-op success; with clear: drop
 *     and recreate (init runs again); otherwise {@link io.lightcone.txn.migrate.MigrationPlanner} plans the update:
 *     refused = {@code RequestCompleted(USER_ERROR, "update refused: " + the reasons joined with "; ")}; allowed =
 *     {@link io.lightcone.txn.migrate.MigrationExecutor} applies it on the loop thread (all or nothing), the
 *     new module replaces the old over the same tables, timers are rescanned, and the reply is
 *     {@code RequestCompleted(COMMITTED, plan description)} after a {@code SchemaChanged}. Another owner is
 *     refused. DeleteDatabase: owner only; {@code SchemaChanged} with an empty schema tells edges it is gone; its
 *     directory is deleted (its records left in the global log are ignored by recovery).</li>
 *     <li>CallProcedure: runs outside a transaction; each transaction it commits is logged and published with no
 *     caller. The reply is {@code ProcedureResult} to the caller (edge, request and connection id): status RETURNED
 *     with the BSATN return value, or USER_ERROR / INTERNAL_ERROR (traps, an unknown database or procedure, bad
 *     arguments) / OUT_OF_ENERGY with the message; its txOffset is the last transaction the procedure committed (0
 *     when none), so an edge with confirmed reads releases the reply once that is durable.</li>
 *     <li>SqlDml: {@code RequestCompleted(INTERNAL_ERROR, "SQL DML not supported yet")}. EdgeBootstrap: for every
 *     database, SchemaChanged at its last tx offset, one callerless TxCommitted at that offset with every row as an
 *     insert, and Durable up to what edges were told (the whole database in one message, fragmented).</li>
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
 * in memory: after recovery (and after a migration) the schedule tables are rescanned. Across a restart an interval
 * keeps its grid: {@code ScheduleAnchors} saves each interval's next intended tick beside every snapshot, replay
 * anchors rows inserted after it at their insert transaction's time, and the rescan arms each at the first grid
 * point after now (missed ticks skipped; without an anchor, now + d as SpacetimeDB does); an overdue Time row runs
 * once right away.
 *
 * <h2>Threading</h2>
 * Everything here runs on the loop thread except {@code execute}, {@code requestSnapshot} and the
 * {@link io.lightcone.txn.loop.EmbeddedCore} methods. Publishing compiles the module on the loop thread (seconds on
 * a cold cache) and procedures may sleep on it (TODO: compile off the loop; run procedures elsewhere).
 */
package io.lightcone.txn.loop;
