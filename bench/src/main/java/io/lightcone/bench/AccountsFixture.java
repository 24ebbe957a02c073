package io.lightcone.bench;

import io.lightcone.core.index.OrderedKeyEncoder;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The benchmark table of issue [1/7]: {@code accounts(id u32 primary key, balance i64)}, with the primary key
 * enforced by a hash index ({@code hash}) or a B-tree ({@code btree}).
 */
final class AccountsFixture implements AutoCloseable
{
    static final long INITIAL_BALANCE = 1_000_000_000L;

    final Datastore datastore = new Datastore();
    final StoredTable table;
    final int pkIndexId;
    private final ExpandableArrayBuffer row = new ExpandableArrayBuffer(16);
    private final UnsafeBuffer idBytes = new UnsafeBuffer(new byte[4]);
    private final BsatnReader reader = new BsatnReader();

    AccountsFixture(final String pkIndex, final int rows)
    {
        final TableSchema.Builder builder = TableSchema.builder("accounts",
            ProductType.of("id", AlgebraicType.U32, "balance", AlgebraicType.I64)).primaryKey(0);
        if ("btree".equals(pkIndex))
        {
            builder.index(IndexAlgorithm.BTREE, 0);
        }
        table = datastore.createTable(builder.build());
        pkIndexId = datastore.indexId(table.schema().indexes().get(table.schema().primaryKeyIndex()).name());
        final MutTx tx = datastore.beginMutTx();
        for (int id = 0; id < rows; id++)
        {
            insert(tx, id, INITIAL_BALANCE);
        }
        tx.commit();
        // the seeding transaction's delta stays valid until the next commit; an empty one lets it go, as the
        // next transaction of a running server would
        datastore.beginMutTx().commit();
    }

    int insert(final MutTx tx, final int id, final long balance)
    {
        row.putInt(0, id, LITTLE_ENDIAN);
        row.putLong(4, balance, LITTLE_ENDIAN);
        final int rowId = tx.insert(table.tableId(), row, 0, 12);
        if (rowId < 0)
        {
            throw new IllegalStateException(tx.lastError());
        }
        return rowId;
    }

    int update(final MutTx tx, final int id, final long balance)
    {
        row.putInt(0, id, LITTLE_ENDIAN);
        row.putLong(4, balance, LITTLE_ENDIAN);
        final int rowId = tx.update(pkIndexId, row, 0, 12);
        if (rowId < 0)
        {
            throw new IllegalStateException(tx.lastError());
        }
        return rowId;
    }

    int encodeKey(final int id, final ExpandableArrayBuffer key)
    {
        idBytes.putInt(0, id, LITTLE_ENDIAN);
        return OrderedKeyEncoder.encode(reader.wrap(idBytes, 0, 4), AlgebraicType.U32, key, 0);
    }

    public void close()
    {
        datastore.close();
    }
}
