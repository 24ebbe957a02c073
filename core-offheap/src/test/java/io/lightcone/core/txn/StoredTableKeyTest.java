package io.lightcone.core.txn;

import io.lightcone.core.index.OrderedKeyEncoder;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.sats.SpecialTypes;
import io.lightcone.core.sats.SumType;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.TableSchema;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: the keys StoredTable encodes straight from fixed-width columns are byte for byte the keys
 * {@link OrderedKeyEncoder} writes from the columns' BSATN.
 */
class StoredTableKeyTest
{
    private static final AlgebraicType[] TYPES = {
        AlgebraicType.BOOL, AlgebraicType.U8, AlgebraicType.I8, AlgebraicType.U16, AlgebraicType.I16,
        AlgebraicType.U32, AlgebraicType.I32, AlgebraicType.U64, AlgebraicType.I64, AlgebraicType.F32,
        AlgebraicType.F64, SpecialTypes.TIMESTAMP, SpecialTypes.TIME_DURATION, SumType.enumOf("a", "b", "c"),
        AlgebraicType.STRING };

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 5L, 17L, 0xABCDL })
    void shouldEncodeFixedColumnsExactlyAsTheGeneralEncoder(final long seed)
    {
        final Random random = new Random(seed);
        final Object[] columns = new Object[TYPES.length * 2];
        for (int i = 0; i < TYPES.length; i++)
        {
            columns[2 * i] = "c" + i;
            columns[2 * i + 1] = TYPES[i];
        }
        final TableSchema.Builder builder = TableSchema.builder("t", ProductType.of(columns));
        for (int i = 0; i < TYPES.length; i++)
        {
            builder.index(IndexAlgorithm.BTREE, i);
        }
        builder.index(IndexAlgorithm.BTREE, 5, 8, 14);
        try (Datastore datastore = new Datastore())
        {
            final StoredTable table = datastore.createTable(builder.build());
            final MutTx tx = datastore.beginMutTx();
            final ExpandableArrayBuffer fast = new ExpandableArrayBuffer(64);
            final ExpandableArrayBuffer general = new ExpandableArrayBuffer(64);
            final ExpandableArrayBuffer column = new ExpandableArrayBuffer(64);
            for (int n = 0; n < 2_000; n++)
            {
                final byte[] row = randomRow(random);
                final int rowId = tx.insert(table.tableId(), new UnsafeBuffer(row), 0, row.length);
                assertTrue(rowId >= 0, tx.lastError());
                for (int index = 0; index < table.indexCount(); index++)
                {
                    final int fastLength = table.encodeKey(index, rowId, fast, 0);
                    int generalLength = 0;
                    for (final int c : table.schema().indexes().get(index).columns())
                    {
                        final int length = table.rows().writeColumn(rowId, c, column, 0);
                        generalLength += OrderedKeyEncoder.encode(new BsatnReader().wrap(column, 0, length),
                            TYPES[c], general, generalLength);
                    }
                    assertEquals(generalLength, fastLength, "seed=" + seed + " index " + index);
                    for (int b = 0; b < fastLength; b++)
                    {
                        assertEquals(general.getByte(b), fast.getByte(b), "seed=" + seed + " index " + index +
                            " byte " + b);
                    }
                }
            }
            tx.rollback();
        }
    }

    private static byte[] randomRow(final Random random)
    {
        final BsatnWriter w = new BsatnWriter();
        w.writeBool(random.nextBoolean()).writeU8(random.nextInt()).writeU8(random.nextInt());
        w.writeU16(random.nextInt()).writeU16(random.nextInt());
        w.writeU32(random.nextInt()).writeU32(random.nextInt());
        w.writeU64(random.nextLong()).writeU64(random.nextLong());
        final float[] floats = { -0.0f, 0.0f, Float.NaN, Float.NEGATIVE_INFINITY, 1.5f, -2.25f, random.nextFloat() };
        final double[] doubles = { -0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, -1e300, random.nextGaussian() };
        w.writeF32(floats[random.nextInt(floats.length)]).writeF64(doubles[random.nextInt(doubles.length)]);
        w.writeU64(random.nextLong()).writeU64(random.nextLong());
        w.writeU8(random.nextInt(3));
        w.writeString("s" + random.nextInt(100));
        return w.toByteArray();
    }
}
