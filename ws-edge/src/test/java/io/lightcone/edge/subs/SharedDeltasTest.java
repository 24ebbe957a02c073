package io.lightcone.edge.subs;

import io.lightcone.core.query.Catalog;
import io.lightcone.core.query.QueryPlan;
import io.lightcone.core.query.ReadView;
import io.lightcone.core.query.RowDelta;
import io.lightcone.core.query.SqlException;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TxDelta;
import io.lightcone.edge.protocol.ServerMessageEncoder;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SharedDeltas} against the per-client encoding it replaced: with seeded random transactions and random
 * subscriptions of several clients (some sharing queries, some holding the same query under several query set ids
 * or twice in one set, subscribing and unsubscribing as they go), every client's TransactionUpdate and ReducerResult
 * built from the shared bytes is byte for byte the one built by encoding {@link SubscriptionManager#updatesFor} row by
 * row, and the fan-out row count matches.
 */
class SharedDeltasTest
{
    private static final ProductType POSITION = ProductType.of("id", AlgebraicType.U32, "zone", AlgebraicType.U32,
        "seq", AlgebraicType.U64);
    private static final ProductType ITEM = ProductType.of("k", AlgebraicType.U32, "name", AlgebraicType.STRING);
    private static final List<String> POOL = List.of(
        "SELECT * FROM position",
        "SELECT * FROM position WHERE zone = 0",
        "SELECT * FROM position WHERE zone = 1",
        "SELECT * FROM position WHERE zone = 2",
        "SELECT * FROM position WHERE seq > 50",
        "SELECT * FROM item",
        "SELECT * FROM item WHERE k < 4",
        "SELECT item.* FROM item JOIN position ON item.k = position.id");

    private final SubscriptionManager manager = new SubscriptionManager();
    private final ServerMessageEncoder modelEncoder = new ServerMessageEncoder();
    private final ServerMessageEncoder sharedEncoder = new ServerMessageEncoder();
    private final ExpandableDirectByteBuffer modelBuffer = new ExpandableDirectByteBuffer(256);
    private final ExpandableDirectByteBuffer sharedBuffer = new ExpandableDirectByteBuffer(256);
    private final Map<String, Integer> rowIds = new HashMap<>();

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = {1L, 7L, 42L, 0x5EEDL})
    void everyClientShouldGetExactlyThePerClientEncoding(final long seed) throws SqlException
    {
        final Random random = new Random(seed);
        final SharedDeltas shared = new SharedDeltas();
        try (Datastore datastore = datastore())
        {
            final Catalog catalog = Catalog.of(datastore, BigInteger.ONE, false);
            final List<String> clients = new ArrayList<>();
            final Map<String, Integer> nextSetId = new LinkedHashMap<>();
            for (int c = 0; c < 12; c++)
            {
                final String client = "client-" + c;
                clients.add(client);
                nextSetId.put(client, 1 + random.nextInt(1000));
                for (int s = random.nextInt(4); s > 0; s--)
                {
                    subscribe(client, nextSetId, catalog, datastore, random);
                }
            }
            int messagesCompared = 0;
            for (int t = 0; t < 200; t++)
            {
                final MutTx tx = datastore.beginMutTx();
                for (int o = 1 + random.nextInt(6); o > 0; o--)
                {
                    randomOp(tx, random);
                }
                final TxDelta delta = tx.commit();
                final Map<QueryPlan, RowDelta> deltas = manager.evaluate(delta, ReadView.committed(datastore));
                shared.encode(deltas);
                assertEquals(deltas.isEmpty(), shared.isEmpty());
                final String caller = clients.get(random.nextInt(clients.size()));
                for (final String client : clients)
                {
                    final boolean reducerResult = client.equals(caller);
                    final List<QuerySetUpdate> updates = manager.updatesFor(client, deltas);
                    final String where = "seed " + seed + " tx " + t + " " + client;

                    begin(modelEncoder.wrap(modelBuffer, 0), reducerResult, t);
                    final long modelRows = writeQuerySetsPerClient(modelEncoder, updates);
                    modelEncoder.endTransactionUpdate();

                    begin(sharedEncoder.wrap(sharedBuffer, 0), reducerResult, t);
                    final int sets = shared.writeQuerySets(sharedEncoder, manager.querySets(client));
                    sharedEncoder.endTransactionUpdate();

                    assertEquals(updates.size(), sets, where);
                    assertEquals(modelRows, shared.rowsWritten(), where);
                    assertEquals(hex(modelBuffer, modelEncoder.messageLength()),
                        hex(sharedBuffer, sharedEncoder.messageLength()), where);
                    messagesCompared += sets > 0 ? 1 : 0;
                }
                if (random.nextInt(4) == 0)
                {
                    churn(clients.get(random.nextInt(clients.size())), nextSetId, catalog, datastore, random);
                }
            }
            assertTrue(messagesCompared > 200, "too few non-empty updates compared: " + messagesCompared);
        }
    }

    private static void begin(final ServerMessageEncoder encoder, final boolean reducerResult, final int requestId)
    {
        if (reducerResult)
        {
            encoder.beginReducerResultOk(requestId, 1_000_000L + requestId, null, 0, 0);
        }
        else
        {
            encoder.beginTransactionUpdate();
        }
    }

    /** The edge agent's encoding before {@link SharedDeltas}: every client's rows encoded one by one. */
    private static long writeQuerySetsPerClient(final ServerMessageEncoder encoder, final List<QuerySetUpdate> updates)
    {
        long rows = 0;
        final UnsafeBuffer rowView = new UnsafeBuffer(0, 0);
        for (final QuerySetUpdate update : updates)
        {
            encoder.beginQuerySet(update.querySetId());
            for (final TableRows table : update.tables())
            {
                encoder.beginTableUpdate(table.table()).beginPersistentRows();
                for (final byte[] row : table.inserts())
                {
                    rowView.wrap(row);
                    encoder.insert(rowView, 0, row.length);
                }
                for (final byte[] row : table.deletes())
                {
                    rowView.wrap(row);
                    encoder.delete(rowView, 0, row.length);
                }
                rows += table.inserts().size() + table.deletes().size();
                encoder.endPersistentRows().endTableUpdate();
            }
            encoder.endQuerySet();
        }
        return rows;
    }

    private void subscribe(
        final String client,
        final Map<String, Integer> nextSetId,
        final Catalog catalog,
        final Datastore datastore,
        final Random random) throws SqlException
    {
        final List<String> queries = new ArrayList<>();
        for (int q = 1 + random.nextInt(3); q > 0; q--)
        {
            queries.add(POOL.get(random.nextInt(POOL.size())));
        }
        if (random.nextInt(5) == 0)
        {
            queries.add(queries.get(0));
        }
        final int setId = nextSetId.merge(client, 1 + random.nextInt(3), Integer::sum);
        manager.subscribe(client, setId, queries, catalog, datastore);
    }

    private void churn(
        final String client,
        final Map<String, Integer> nextSetId,
        final Catalog catalog,
        final Datastore datastore,
        final Random random) throws SqlException
    {
        final List<QuerySet> sets = manager.querySets(client);
        if (!sets.isEmpty() && random.nextBoolean())
        {
            final int setId = sets.get(random.nextInt(sets.size())).querySetId();
            assertEquals(setId, manager.unsubscribe(client, setId).querySetId());
        }
        else
        {
            subscribe(client, nextSetId, catalog, datastore, random);
        }
    }

    private static Datastore datastore()
    {
        final Datastore datastore = new Datastore();
        datastore.createTable(TableSchema.builder("position", POSITION).primaryKey(0).index(IndexAlgorithm.BTREE, 0)
            .index(IndexAlgorithm.BTREE, 1).build());
        datastore.createTable(TableSchema.builder("item", ITEM).primaryKey(0).index(IndexAlgorithm.HASH, 0).build());
        return datastore;
    }

    private void randomOp(final MutTx tx, final Random random)
    {
        if (random.nextInt(3) > 0)
        {
            final int id = random.nextInt(24);
            upsert(tx, "position", id, ProductValue.of(id, random.nextInt(3), (long)random.nextInt(100)), random);
        }
        else
        {
            final int k = random.nextInt(8);
            upsert(tx, "item", k, ProductValue.of(k, "item " + random.nextInt(1000)), random);
        }
    }

    /** Deletes the row with the key if present; then, most of the time, inserts the new row. */
    private void upsert(final MutTx tx, final String table, final int key, final ProductValue row, final Random random)
    {
        final StoredTable stored = tx.datastore().table(table);
        final String rowKey = table + "/" + key;
        final Integer rowId = rowIds.remove(rowKey);
        if (null != rowId)
        {
            assertTrue(tx.delete(stored.tableId(), rowId) >= 0, tx.lastError());
            if (random.nextInt(4) == 0)
            {
                return;
            }
        }
        final byte[] bytes = Bsatn.encodeToBytes(stored.schema().rowType(), row);
        final int inserted = tx.insert(stored.tableId(), new UnsafeBuffer(bytes), 0, bytes.length);
        assertTrue(inserted >= 0, tx.lastError());
        rowIds.put(rowKey, inserted);
    }

    private static String hex(final ExpandableDirectByteBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
