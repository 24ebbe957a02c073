package io.lightcone.core.query;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.Bsatn;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.ProductValue;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.TableAccess;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Two joinable tables: player(id u64 pk, team u32, score i32, name string), team(tid u32 pk, region u8, label). */
final class QueryFixture
{
    static final ProductType PLAYER = ProductType.of("id", AlgebraicType.U64, "team", AlgebraicType.U32, "score",
        AlgebraicType.I32, "name", AlgebraicType.STRING);
    static final ProductType TEAM = ProductType.of("tid", AlgebraicType.U32, "region", AlgebraicType.U8, "label",
        AlgebraicType.STRING);

    private QueryFixture()
    {
    }

    static Datastore create(final boolean indexTeamColumn)
    {
        final Datastore datastore = new Datastore();
        TableSchema.Builder player = TableSchema.builder("player", PLAYER).primaryKey(0)
            .index(IndexAlgorithm.BTREE, 0).index(IndexAlgorithm.BTREE, 2, 3);
        if (indexTeamColumn)
        {
            player = player.index(IndexAlgorithm.BTREE, 1);
        }
        datastore.createTable(player.build());
        datastore.createTable(TableSchema.builder("team", TEAM).primaryKey(0).index(IndexAlgorithm.HASH, 0).build());
        datastore.createTable(TableSchema.builder("secret", TEAM).access(TableAccess.PRIVATE).build());
        return datastore;
    }

    static int insert(final MutTx tx, final String table, final Object... fields)
    {
        final StoredTable stored = tx.datastore().table(table);
        final byte[] row = Bsatn.encodeToBytes(stored.schema().rowType(), ProductValue.of(fields));
        return tx.insert(stored.tableId(), new UnsafeBuffer(row), 0, row.length);
    }

    static Map<QueryPlan.BytesKey, Integer> bag(final List<byte[]> rows)
    {
        final Map<QueryPlan.BytesKey, Integer> bag = new HashMap<>();
        for (final byte[] row : rows)
        {
            bag.merge(new QueryPlan.BytesKey(row), 1, Integer::sum);
        }
        return bag;
    }

    static List<byte[]> evaluate(final QueryPlan plan, final ReadView view)
    {
        final List<byte[]> rows = new ArrayList<>();
        plan.evaluate(view, rows::add);
        return rows;
    }

    /** Applies deletes (each must be present) then inserts. */
    static void apply(final Map<QueryPlan.BytesKey, Integer> view, final RowDelta delta, final String context)
    {
        for (final byte[] row : delta.deletes())
        {
            final QueryPlan.BytesKey key = new QueryPlan.BytesKey(row);
            final Integer count = view.get(key);
            if (null == count)
            {
                throw new AssertionError("delete of a row the client does not have: " + key + " " + context);
            }
            if (count == 1)
            {
                view.remove(key);
            }
            else
            {
                view.put(key, count - 1);
            }
        }
        for (final byte[] row : delta.inserts())
        {
            view.merge(new QueryPlan.BytesKey(row), 1, Integer::sum);
        }
    }
}
