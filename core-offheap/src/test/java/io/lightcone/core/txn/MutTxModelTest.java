package io.lightcone.core.txn;

import io.lightcone.core.index.BoundKind;
import io.lightcone.core.index.KeyRange;
import io.lightcone.core.index.OrderedKeyEncoder;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.BsatnWriter;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.IndexAlgorithm;
import io.lightcone.core.schema.TableSchema;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: after every operation, the rows a transaction sees are exactly those of a plain on-heap model; a
 * commit's delta is exactly the model's difference between the last commit and now (bag semantics); a rollback
 * brings back exactly the last committed rows.
 */
class MutTxModelTest
{
    private static final HexFormat HEX = HexFormat.of();
    private static final String[] NAMES = { "", "ann", "bob", "émile", "zoë 🚀" };

    private final ExpandableArrayBuffer keyBuffer = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer upperBuffer = new ExpandableArrayBuffer(64);

    @ParameterizedTest(name = "seed={0}")
    @ValueSource(longs = { 1L, 2L, 7L, 42L, 0x5EEDL, 0xC0FFEEL })
    void transactionsShouldMatchTheModel(final long seed)
    {
        final Random random = new Random(seed);
        try (Datastore datastore = new Datastore())
        {
            final StoredTable people = datastore.createTable(TableSchema.builder("people",
                ProductType.of("id", AlgebraicType.U32, "score", AlgebraicType.I64, "name", AlgebraicType.STRING))
                .primaryKey(0).index(IndexAlgorithm.BTREE, 0).index(IndexAlgorithm.BTREE, 1).build());
            final StoredTable tags = datastore.createTable(TableSchema.builder("tags",
                ProductType.of("tag", AlgebraicType.U8, "label", AlgebraicType.STRING)).build());
            final StoredTable counters = datastore.createTable(TableSchema.builder("counters",
                ProductType.of("id", AlgebraicType.U64, "v", AlgebraicType.I32)).primaryKey(0).autoInc(0).build());
            final int peoplePk = datastore.indexId("people_id_idx_btree");
            final int peopleScore = datastore.indexId("people_score_idx_btree");
            final int countersPk = datastore.indexId("counters_id_key");
            assertTrue(peoplePk > 0 && peopleScore > 0 && countersPk > 0, "index names");

            final Map<Integer, byte[]> peopleModel = new TreeMap<>();
            final Set<String> tagsModel = new HashSet<>();
            final Map<Long, byte[]> countersModel = new TreeMap<>();
            long nextCounter = 1;
            Map<Integer, byte[]> committedPeople = new TreeMap<>(peopleModel);
            Set<String> committedTags = new HashSet<>(tagsModel);
            Map<Long, byte[]> committedCounters = new TreeMap<>(countersModel);

            MutTx tx = datastore.beginMutTx();
            for (int step = 0; step < 4_000; step++)
            {
                final String where = "seed=" + seed + " step=" + step;
                final int op = random.nextInt(100);
                if (op < 25)
                {
                    final int id = random.nextInt(40);
                    final byte[] row = person(id, random.nextInt(21) - 10, NAMES[random.nextInt(NAMES.length)]);
                    final int result = tx.insert(people.tableId(), new UnsafeBuffer(row), 0, row.length);
                    final byte[] existing = peopleModel.get(id);
                    if (null == existing)
                    {
                        assertTrue(result >= 0, where + " insert: " + tx.lastError());
                        peopleModel.put(id, row);
                    }
                    else if (java.util.Arrays.equals(existing, row))
                    {
                        assertTrue(result >= 0, where + " identical insert is a no-op: " + tx.lastError());
                    }
                    else
                    {
                        assertEquals(-TxStatus.UNIQUE_ALREADY_EXISTS, result, where);
                        assertTrue(tx.lastError().contains("people_id_idx_btree"), tx.lastError());
                    }
                }
                else if (op < 35)
                {
                    final int id = random.nextInt(40);
                    final int keyLength = encode(AlgebraicType.U32, u32(id), keyBuffer);
                    final int rowId = tx.find(peoplePk, keyBuffer, 0, keyLength);
                    if (peopleModel.containsKey(id))
                    {
                        assertTrue(rowId >= 0, where);
                        assertEquals(TxStatus.OK, tx.delete(people.tableId(), rowId), where);
                        assertEquals(-TxStatus.NO_SUCH_ROW, tx.delete(people.tableId(), rowId), where + " twice");
                        peopleModel.remove(id);
                    }
                    else
                    {
                        assertEquals(-1, rowId, where);
                    }
                }
                else if (op < 47)
                {
                    final int id = random.nextInt(40);
                    final byte[] row = person(id, random.nextInt(21) - 10, NAMES[random.nextInt(NAMES.length)]);
                    final int result = tx.update(peoplePk, new UnsafeBuffer(row), 0, row.length);
                    if (peopleModel.containsKey(id))
                    {
                        assertTrue(result >= 0, where + " update: " + tx.lastError());
                        peopleModel.put(id, row);
                    }
                    else
                    {
                        assertEquals(-TxStatus.NO_SUCH_ROW, result, where);
                    }
                }
                else if (op < 52)
                {
                    final long lo = random.nextInt(25) - 12;
                    final long hi = lo + random.nextInt(6);
                    final boolean loInclusive = random.nextBoolean();
                    final boolean hiInclusive = random.nextBoolean();
                    final KeyRange range = new KeyRange();
                    final int loLength = encode(AlgebraicType.I64, i64(lo), keyBuffer);
                    final int hiLength = encode(AlgebraicType.I64, i64(hi), upperBuffer);
                    range.lower(keyBuffer, 0, loLength, loInclusive ? BoundKind.INCLUSIVE : BoundKind.EXCLUSIVE);
                    range.upper(upperBuffer, 0, hiLength, hiInclusive ? BoundKind.INCLUSIVE : BoundKind.EXCLUSIVE);
                    final int deleted = tx.deleteByRange(peopleScore, range);
                    int expected = 0;
                    for (final var it = peopleModel.entrySet().iterator(); it.hasNext(); )
                    {
                        final long score = scoreOf(it.next().getValue());
                        if ((loInclusive ? score >= lo : score > lo) && (hiInclusive ? score <= hi : score < hi))
                        {
                            it.remove();
                            expected++;
                        }
                    }
                    assertEquals(expected, deleted, where + " range [" + lo + ", " + hi + "]");
                }
                else if (op < 70)
                {
                    final byte[] row = tag(random.nextInt(6), NAMES[random.nextInt(3)]);
                    final int result = tx.insert(tags.tableId(), new UnsafeBuffer(row), 0, row.length);
                    assertTrue(result >= 0, where + " " + tx.lastError());
                    tagsModel.add(HEX.formatHex(row));
                }
                else if (op < 76)
                {
                    final int count = 1 + random.nextInt(3);
                    final BsatnWriter writer = new BsatnWriter();
                    final Set<String> wanted = new HashSet<>();
                    for (int i = 0; i < count; i++)
                    {
                        final byte[] row = tag(random.nextInt(6), NAMES[random.nextInt(3)]);
                        writer.writeRaw(row);
                        wanted.add(HEX.formatHex(row));
                    }
                    final byte[] rows = writer.toByteArray();
                    final int deleted = tx.deleteEqualRows(tags.tableId(), new UnsafeBuffer(rows), 0, rows.length,
                        count);
                    int expected = 0;
                    for (final String row : wanted)
                    {
                        if (tagsModel.remove(row))
                        {
                            expected++;
                        }
                    }
                    assertEquals(expected, deleted, where);
                }
                else if (op < 78)
                {
                    assertEquals(tagsModel.size(), tx.clear(tags.tableId()), where);
                    tagsModel.clear();
                }
                else if (op < 88)
                {
                    final int v = random.nextInt();
                    final byte[] row = counter(0, v);
                    final int result = tx.insert(counters.tableId(), new UnsafeBuffer(row), 0, row.length);
                    assertTrue(result >= 0, where + " " + tx.lastError());
                    final ExpandableArrayBuffer generated = new ExpandableArrayBuffer(16);
                    assertEquals(8, tx.writeGeneratedColumns(counters.tableId(), result, generated, 0));
                    assertEquals(nextCounter, generated.getLong(0, java.nio.ByteOrder.LITTLE_ENDIAN), where);
                    countersModel.put(nextCounter, counter(nextCounter, v));
                    nextCounter++;
                }
                else if (op < 95)
                {
                    // Sometimes only the first half of the commit, then a rollback: the delta is already right
                    // and the datastore goes back to the last commit (checked against the model below).
                    final boolean prepareOnly = random.nextInt(4) == 0;
                    final TxDelta delta = prepareOnly ? tx.prepareCommit() : tx.commit();
                    checkDelta(where, delta, people, rowsOf(committedPeople.values()), rowsOf(peopleModel.values()));
                    checkDelta(where, delta, tags, new ArrayList<>(committedTags), new ArrayList<>(tagsModel));
                    checkDelta(where, delta, counters, rowsOf(committedCounters.values()),
                        rowsOf(countersModel.values()));
                    if (prepareOnly)
                    {
                        tx.rollback();
                        restore(peopleModel, committedPeople, tagsModel, committedTags, countersModel,
                            committedCounters);
                    }
                    committedPeople = new TreeMap<>(peopleModel);
                    committedTags = new HashSet<>(tagsModel);
                    committedCounters = new TreeMap<>(countersModel);
                    tx = datastore.beginMutTx();
                }
                else
                {
                    tx.rollback();
                    restore(peopleModel, committedPeople, tagsModel, committedTags, countersModel, committedCounters);
                    tx = datastore.beginMutTx();
                }
                assertVisible(where, tx, people, rowsOf(peopleModel.values()));
                assertVisible(where, tx, tags, new ArrayList<>(tagsModel));
                assertVisible(where, tx, counters, rowsOf(countersModel.values()));
            }
            tx.rollback();
        }
    }

    /** Puts the last committed state back into the models, as a rollback does to the datastore. */
    private static void restore(
        final Map<Integer, byte[]> peopleModel, final Map<Integer, byte[]> committedPeople, final Set<String> tagsModel,
        final Set<String> committedTags, final Map<Long, byte[]> countersModel,
        final Map<Long, byte[]> committedCounters)
    {
        peopleModel.clear();
        peopleModel.putAll(committedPeople);
        tagsModel.clear();
        tagsModel.addAll(committedTags);
        countersModel.clear();
        countersModel.putAll(committedCounters);
    }

    private static void checkDelta(
        final String where, final TxDelta delta, final StoredTable table, final List<String> before,
        final List<String> after)
    {
        final List<String> expectedInserts = new ArrayList<>(after);
        expectedInserts.removeAll(new HashSet<>(before));
        final List<String> expectedDeletes = new ArrayList<>(before);
        expectedDeletes.removeAll(new HashSet<>(after));
        Collections.sort(expectedInserts);
        Collections.sort(expectedDeletes);
        final TableDelta tableDelta = delta.find(table.tableId());
        final List<String> inserts = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();
        if (null != tableDelta)
        {
            tableDelta.insertedRows().forEach((row) -> inserts.add(HEX.formatHex(row)));
            tableDelta.deletedRows().forEach((row) -> deletes.add(HEX.formatHex(row)));
            assertTrue(!tableDelta.isEmpty(), where + " empty deltas are not reported");
            assertEquals(table.schema().name(), tableDelta.tableName());
        }
        Collections.sort(inserts);
        Collections.sort(deletes);
        assertEquals(expectedInserts, inserts, where + " inserts of " + table.schema().name());
        assertEquals(expectedDeletes, deletes, where + " deletes of " + table.schema().name());
    }

    private static void assertVisible(final String where, final MutTx tx, final StoredTable table,
        final List<String> expected)
    {
        final List<String> actual = new ArrayList<>();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        for (int rowId = tx.nextVisible(table, 0); rowId >= 0; rowId = tx.nextVisible(table, rowId + 1))
        {
            final int length = table.rows().writeRow(rowId, buffer, 0);
            actual.add(HEX.formatHex(buffer.byteArray(), 0, length));
        }
        final List<String> sortedExpected = new ArrayList<>(expected);
        Collections.sort(sortedExpected);
        Collections.sort(actual);
        assertEquals(sortedExpected, actual, where + " visible rows of " + table.schema().name());
        assertEquals(expected.size(), tx.visibleRowCount(table), where + " row count of " + table.schema().name());
    }

    private static List<String> rowsOf(final Iterable<byte[]> rows)
    {
        final List<String> hex = new ArrayList<>();
        rows.forEach((row) -> hex.add(HEX.formatHex(row)));
        return hex;
    }

    static int encode(final AlgebraicType type, final byte[] bsatn, final ExpandableArrayBuffer dst)
    {
        return OrderedKeyEncoder.encode(new BsatnReader(bsatn), type, dst, 0);
    }

    static byte[] u32(final int value)
    {
        return new BsatnWriter().writeU32(value).toByteArray();
    }

    static byte[] i64(final long value)
    {
        return new BsatnWriter().writeU64(value).toByteArray();
    }

    static byte[] person(final int id, final long score, final String name)
    {
        return new BsatnWriter().writeU32(id).writeU64(score).writeString(name).toByteArray();
    }

    private static long scoreOf(final byte[] person)
    {
        return new UnsafeBuffer(person).getLong(4, java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] tag(final int tag, final String label)
    {
        return new BsatnWriter().writeU8(tag).writeString(label).toByteArray();
    }

    static byte[] counter(final long id, final int v)
    {
        return new BsatnWriter().writeU64(id).writeU32(v).toByteArray();
    }
}
