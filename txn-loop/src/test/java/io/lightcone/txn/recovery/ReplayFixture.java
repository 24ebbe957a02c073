package io.lightcone.txn.recovery;

import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.table.Table;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.core.txn.TableDelta;
import io.lightcone.core.txn.TxDelta;
import io.lightcone.txn.log.CommitRecordHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A random workload over two tables (one with an auto-increment primary key, one a plain set) whose committed
 * deltas are captured as log payloads: {@code u32 tables, then per table u32 id, u32 insCount, u32 insLen, rows,
 * u32 delCount, u32 delLen, rows} (a stand-in for the loop's TxCommitted message).
 */
final class ReplayFixture
{
    static final ProductType ITEM = ProductType.of("id", AlgebraicType.U64, "owner", AlgebraicType.U32,
        "name", AlgebraicType.STRING);
    static final ProductType TAG = ProductType.of("a", AlgebraicType.U32, "s", AlgebraicType.STRING);

    private ReplayFixture()
    {
    }

    static Datastore createSchema()
    {
        final Datastore datastore = new Datastore();
        datastore.createTable(createSchemaTable("items"));
        datastore.createTable(createSchemaTable("tags"));
        return datastore;
    }

    static TableSchema createSchemaTable(final String name)
    {
        return "items".equals(name) ? TableSchema.builder("items", ITEM).primaryKey(0).autoInc(0).build() :
            TableSchema.builder("tags", TAG).build();
    }

    /** Runs one random transaction and returns its delta encoded as a payload. */
    static byte[] randomTx(final Datastore datastore, final Random random)
    {
        final StoredTable items = datastore.table("items");
        final StoredTable tags = datastore.table("tags");
        final List<byte[]> committedItems = rows(items);
        final List<byte[]> committedTags = rows(tags);
        final MutTx tx = datastore.beginMutTx();
        final int ops = 1 + random.nextInt(6);
        final List<Integer> deletedItems = new ArrayList<>();
        for (int op = 0; op < ops; op++)
        {
            final int kind = random.nextInt(4);
            if (kind == 0 || committedItems.isEmpty() && kind == 1)
            {
                final byte[] row = new BsatnWriter().writeU64(0).writeU32(random.nextInt(100))
                    .writeString("item-" + random.nextInt(1000)).toByteArray();
                assertTrue(tx.insert(items.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0, tx.lastError());
            }
            else if (kind == 1)
            {
                final int pick = random.nextInt(committedItems.size());
                if (!deletedItems.contains(pick))
                {
                    deletedItems.add(pick);
                    final byte[] row = committedItems.get(pick);
                    assertTrue(tx.deleteEqualRows(items.tableId(), new UnsafeBuffer(row), 0, row.length, 1) == 1);
                }
            }
            else if (kind == 2 || committedTags.isEmpty())
            {
                final byte[] row = new BsatnWriter().writeU32(random.nextInt(20)).writeString("t" + random.nextInt(5))
                    .toByteArray();
                assertTrue(tx.insert(tags.tableId(), new UnsafeBuffer(row), 0, row.length) >= 0, tx.lastError());
            }
            else
            {
                final byte[] row = committedTags.get(random.nextInt(committedTags.size()));
                tx.deleteEqualRows(tags.tableId(), new UnsafeBuffer(row), 0, row.length, 1);
            }
        }
        return encode(tx.commit());
    }

    static byte[] encode(final TxDelta delta)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        int at = 0;
        buffer.putInt(at, delta.tableCount(), LITTLE_ENDIAN);
        at += 4;
        for (int t = 0; t < delta.tableCount(); t++)
        {
            final TableDelta table = delta.table(t);
            buffer.putInt(at, table.tableId(), LITTLE_ENDIAN);
            buffer.putInt(at + 4, table.insertCount(), LITTLE_ENDIAN);
            buffer.putInt(at + 8, table.insertsLength(), LITTLE_ENDIAN);
            buffer.putBytes(at + 12, table.inserts(), 0, table.insertsLength());
            at += 12 + table.insertsLength();
            buffer.putInt(at, table.deleteCount(), LITTLE_ENDIAN);
            buffer.putInt(at + 4, table.deletesLength(), LITTLE_ENDIAN);
            buffer.putBytes(at + 8, table.deletes(), 0, table.deletesLength());
            at += 8 + table.deletesLength();
        }
        final byte[] bytes = new byte[at];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /** A handler that decodes the payloads above and applies them, one transaction per record. */
    static CommitRecordHandler applier(final Datastore datastore)
    {
        final DeltaApplier applier = new DeltaApplier();
        return (txOffset, buffer, offset, length) ->
        {
            final MutTx tx = datastore.beginMutTx();
            int at = offset;
            final int tables = buffer.getInt(at, LITTLE_ENDIAN);
            at += 4;
            for (int t = 0; t < tables; t++)
            {
                final int tableId = buffer.getInt(at, LITTLE_ENDIAN);
                final int insCount = buffer.getInt(at + 4, LITTLE_ENDIAN);
                final int insLength = buffer.getInt(at + 8, LITTLE_ENDIAN);
                final int insAt = at + 12;
                at = insAt + insLength;
                final int delCount = buffer.getInt(at, LITTLE_ENDIAN);
                final int delLength = buffer.getInt(at + 4, LITTLE_ENDIAN);
                final int delAt = at + 8;
                at = delAt + delLength;
                applier.applyInTx(tx, tableId, buffer, insAt, insLength, insCount, buffer, delAt, delLength, delCount);
            }
            tx.commit();
        };
    }

    static List<byte[]> rows(final StoredTable table)
    {
        final List<byte[]> rows = new ArrayList<>();
        final Table data = table.rows();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(128);
        for (int rowId = data.nextLive(0); rowId >= 0; rowId = data.nextLive(rowId + 1))
        {
            final int length = data.writeRow(rowId, scratch, 0);
            final byte[] bytes = new byte[length];
            scratch.getBytes(0, bytes);
            rows.add(bytes);
        }
        return rows;
    }

    /** Every table's rows as sorted hex strings, plus each sequence's state: equal iff the contents are equal. */
    static List<String> contents(final Datastore datastore)
    {
        final List<String> out = new ArrayList<>();
        for (final StoredTable table : datastore.tables())
        {
            out.add("table " + table.tableId() + " " + table.schema().name());
            final List<String> rows = new ArrayList<>();
            for (final byte[] row : rows(table))
            {
                rows.add(HexFormat.of().formatHex(row));
            }
            rows.sort(null);
            out.addAll(rows);
            for (int s = 0; s < table.schema().sequences().size(); s++)
            {
                out.add("sequence " + s + " next " + table.sequenceNext(s) + " exhausted " +
                    table.sequenceExhausted(s));
            }
        }
        return out;
    }
}
