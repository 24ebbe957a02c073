package io.lightcone.wire;

import io.lightcone.wire.sbe.LogLevel;
import io.lightcone.wire.sbe.Outcome;
import io.lightcone.wire.sbe.ProcedureStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.lightcone.wire.Recording.describe;
import static io.lightcone.wire.Recording.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant: every message sent through a proxy is delivered by the adapter once, in order, with every field equal
 * to what was sent, whether it fits in one claim or is fragmented (small and large maximum payloads).
 */
class WireRoundTripTest
{
    private static final int MTU_PAYLOAD = 1376;

    @Test
    void precedenceChecksShouldBeOnInTests()
    {
        assertTrue(Boolean.getBoolean("sbe.enable.precedence.checks"), "surefire argLine must enable them");
    }

    @ParameterizedTest(name = "maxPayload={0}")
    @ValueSource(ints = { MTU_PAYLOAD, 65_504 })
    void everyIngressMessageShouldRoundTrip(final int maxPayload)
    {
        final FakePublication publication = new FakePublication(8 << 20, maxPayload, 7);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 16 << 20);
        final Recording.Ingress listener = new Recording.Ingress();
        final CoreIngressAdapter adapter = new CoreIngressAdapter(listener, 16 << 20);
        final Random random = new Random(42);
        final List<String> expected = new ArrayList<>();

        final UnsafeBuffer identity = randomBytes(random, 40);
        final String id = describe(identity, 8, 32);
        final UnsafeBuffer args = randomBytes(random, 3000);
        final UnsafeBuffer small = randomBytes(random, 17);
        final UnsafeBuffer reducer = utf8("transfer_\u00e9\u20ac");
        final String reducerName = "transfer_\u00e9\u20ac";

        assertTrue(proxy.callReducer(1L, 2, -3, Long.MIN_VALUE, -1L, identity, 8, 1_700_000_000_000_000L, 0x81,
            reducer, 0, reducer.capacity(), args, 0, args.capacity()));
        expected.add(Recording.callReducer("reducer", 1L, 2, -3, Long.MIN_VALUE, -1L, id, 1_700_000_000_000_000L,
            0x81, reducerName, describe(args, 0, args.capacity())));

        assertTrue(proxy.callReducer(Long.MAX_VALUE, 0, 0, 0, 0, identity, 8, 0, 0,
            reducer, 0, 0, small, 3, 0));
        expected.add(Recording.callReducer("reducer", Long.MAX_VALUE, 0, 0, 0, 0, id, 0, 0, "", "[]"));

        assertTrue(proxy.callProcedure(5L, 6, 7, 8L, 9L, identity, 8, 10L, 1,
            reducer, 0, reducer.capacity(), small, 2, 10));
        expected.add(Recording.callReducer("procedure", 5L, 6, 7, 8L, 9L, id, 10L, 1, reducerName,
            describe(small, 2, 10)));

        final UnsafeBuffer jwt = utf8("{\"sub\":\"abc\",\"iss\":\"localhost\"}");
        assertTrue(proxy.clientConnected(11L, 12, 13L, 14L, identity, 8, 15L, jwt, 0, jwt.capacity()));
        expected.add(Recording.clientConnected(11L, 12, 13L, 14L, id, 15L, "{\"sub\":\"abc\",\"iss\":\"localhost\"}"));

        assertTrue(proxy.clientDisconnected(16L, 17, 18L, 19L, identity, 8, 20L));
        expected.add(Recording.clientDisconnected(16L, 17, 18L, 19L, id, 20L));

        final UnsafeBuffer sql = utf8("UPDATE person SET name = 'x' WHERE id = 1");
        assertTrue(proxy.sqlDml(21L, 22, 23, 0, 0, identity, 8, sql, 0, sql.capacity()));
        expected.add(Recording.sqlDml(21L, 22, 23, 0, 0, id, "UPDATE person SET name = 'x' WHERE id = 1"));

        final UnsafeBuffer module = randomBytes(random, 300_000);
        final UnsafeBuffer dbName = utf8("quickstart-chat");
        assertTrue(proxy.publishModule(24, 25, identity, 8, true, dbName, 0, dbName.capacity(),
            module, 0, module.capacity()));
        expected.add(Recording.publishModule(24, 25, id, true, "quickstart-chat",
            describe(module, 0, module.capacity())));
        assertTrue(proxy.publishModule(26, 27, identity, 8, false, dbName, 0, dbName.capacity(), module, 5, 100));
        expected.add(Recording.publishModule(26, 27, id, false, "quickstart-chat", describe(module, 5, 100)));

        assertTrue(proxy.deleteDatabase(28, 29, identity, 8, dbName, 0, dbName.capacity()));
        expected.add(Recording.deleteDatabase(28, 29, id, "quickstart-chat"));

        assertTrue(proxy.edgeBootstrap(30, -1L));
        expected.add(Recording.edgeBootstrap(30, -1L));

        final UnsafeBuffer names = utf8("chat\nchat-2");
        assertTrue(proxy.setDatabaseNames(31, 32, identity, 8, true, dbName, 0, dbName.capacity(), names, 0,
            names.capacity()));
        expected.add("names edge=31 req=32 id=" + id + " replace=true name=quickstart-chat names=chat\nchat-2");

        assertTrue(publication.drain(adapter) > 0);
        assertEquals(expected, listener.events);
        assertEquals(expected.size(), adapter.messagesReceived());
        assertEquals(0, adapter.droppedCount());
        assertEquals(maxPayload == MTU_PAYLOAD ? 2 : 1, adapter.reassembledCount());
    }

    @ParameterizedTest(name = "maxPayload={0}")
    @ValueSource(ints = { MTU_PAYLOAD, 65_504 })
    void everyEgressMessageShouldRoundTrip(final int maxPayload)
    {
        final FakePublication publication = new FakePublication(8 << 20, maxPayload, 9);
        final CoreEgressProxy proxy = new CoreEgressProxy(publication, 64 * 1024, 16 << 20);
        final Recording.Egress listener = new Recording.Egress();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(listener, 16 << 20);
        final Random random = new Random(7);
        final List<String> expected = new ArrayList<>();
        final UnsafeBuffer identity = randomBytes(random, 32);
        final String id = describe(identity, 0, 32);

        final TxCommittedBuilder tx = new TxCommittedBuilder();
        final UnsafeBuffer rows = randomBytes(random, 5000);
        final UnsafeBuffer person = utf8("person");
        final UnsafeBuffer message = utf8("message");
        final UnsafeBuffer reducer = utf8("send_message");
        tx.reset().databaseId(1L).txOffset(2L).timestampMicros(3L).caller(4L, 5L, 6, identity, 0)
            .energyUsed(7L).durationMicros(8L).outcome(Outcome.COMMITTED).reducerName(reducer, 0, reducer.capacity())
            .addTable(100, person, 0, person.capacity(), rows, 0, 40, rows, 40, 0)
            .addTable(101, message, 0, message.capacity(), rows, 100, 4000, null, 0, 0);
        assertTrue(proxy.txCommitted(tx));
        expected.add(Recording.txCommittedHead(1L, 2L, 3L, 4L, 5L, id, 7L, 8L, 6, Outcome.COMMITTED,
            "send_message", "", 2) +
            Recording.table(100, "person", describe(rows, 0, 40), "[]") +
            Recording.table(101, "message", describe(rows, 100, 4000), "[]"));

        final UnsafeBuffer zeros = new UnsafeBuffer(new byte[32]);
        tx.reset().databaseId(9L).txOffset(10L).timestampMicros(11L);
        assertTrue(proxy.txCommitted(tx));
        expected.add(Recording.txCommittedHead(9L, 10L, 11L, 0, 0, describe(zeros, 0, 32), 0, 0, 0,
            Outcome.COMMITTED, "", "", 0));

        final UnsafeBuffer error = utf8("index out of bounds \u2603");
        assertTrue(proxy.txFailed(12L, 13, 14, 15L, 16L, 17L, 18L, 19L, Outcome.USER_ERROR,
            reducer, 0, reducer.capacity(), error, 0, error.capacity()));
        expected.add(Recording.txFailed(12L, 13, 14, 15L, 16L, 17L, 18L, 19L, Outcome.USER_ERROR, "send_message",
            "index out of bounds \u2603"));
        assertTrue(proxy.txFailed(12L, 13, 15, 15L, 16L, 17L, 18L, 19L, Outcome.OUT_OF_ENERGY,
            reducer, 0, 0, error, 0, 0));
        expected.add(Recording.txFailed(12L, 13, 15, 15L, 16L, 17L, 18L, 19L, Outcome.OUT_OF_ENERGY, "", ""));

        assertTrue(proxy.durable(20L, 21L));
        expected.add(Recording.durable(20L, 21L));

        final UnsafeBuffer schema = randomBytes(random, 200_000);
        final UnsafeBuffer dbName = utf8("bitcraft");
        assertTrue(proxy.schemaChanged(22L, 23L, identity, 0, dbName, 0, dbName.capacity(),
            schema, 0, schema.capacity()));
        expected.add(Recording.schemaChanged(22L, 23L, id, "bitcraft", describe(schema, 0, schema.capacity())));
        final UnsafeBuffer owner = randomBytes(random, 32);
        final UnsafeBuffer moduleDef = randomBytes(random, 70_000);
        assertTrue(proxy.schemaChanged(22L, 24L, identity, 0, dbName, 0, dbName.capacity(),
            schema, 0, 100, owner, 0, 32, moduleDef, 0, moduleDef.capacity()));
        expected.add(Recording.schemaChanged(22L, 24L, id, "bitcraft", describe(schema, 0, 100)) + " owner=" +
            describe(owner, 0, 32) + " moduleDef=" + describe(moduleDef, 0, moduleDef.capacity()));

        assertTrue(proxy.snapshotChunk(24L, 25L, 26, 0, false, schema, 0, 1000));
        expected.add(Recording.snapshotChunk(24L, 25L, 26, 0, false, describe(schema, 0, 1000)));
        assertTrue(proxy.snapshotChunk(24L, 25L, 26, 1, true, schema, 1000, 0));
        expected.add(Recording.snapshotChunk(24L, 25L, 26, 1, true, "[]"));

        final UnsafeBuffer names = utf8("bitcraft\nbitcraft-eu");
        final UnsafeBuffer variables = utf8("row_limit=100\n");
        assertTrue(proxy.databaseSettings(22L, names, 0, names.capacity(), variables, 0, variables.capacity(),
            owner, 0, 32));
        expected.add("settings db=22 names=bitcraft\nbitcraft-eu vars=row_limit=100\n hash=" +
            describe(owner, 0, 32));

        final UnsafeBuffer log = utf8("hello from the module");
        assertTrue(proxy.moduleLog(27L, 28L, LogLevel.PANIC, log, 0, log.capacity()));
        expected.add(Recording.moduleLog(27L, 28L, LogLevel.PANIC, "hello from the module"));

        assertTrue(proxy.requestCompleted(29L, 30L, 31, 32, Outcome.INTERNAL_ERROR, error, 0, error.capacity()));
        expected.add(Recording.requestCompleted(29L, 30L, 31, 32, Outcome.INTERNAL_ERROR,
            "index out of bounds \u2603"));

        final UnsafeBuffer returned = randomBytes(random, 300);
        assertTrue(proxy.procedureResult(33L, 34L, 35, 36, 37L, 38L, 39L, 40L, ProcedureStatus.RETURNED,
            returned, 0, returned.capacity(), error, 0, 0));
        expected.add(Recording.procedureResult(33L, 34L, 35, 36, 37L, 38L, 39L, 40L, ProcedureStatus.RETURNED,
            describe(returned, 0, returned.capacity()), ""));
        assertTrue(proxy.procedureResult(33L, 0L, 35, 41, 37L, 38L, 39L, 40L, ProcedureStatus.USER_ERROR,
            returned, 0, 0, error, 0, error.capacity()));
        expected.add(Recording.procedureResult(33L, 0L, 35, 41, 37L, 38L, 39L, 40L, ProcedureStatus.USER_ERROR,
            "[]", "index out of bounds \u2603"));
        final UnsafeBuffer large = randomBytes(random, 100_000);
        assertTrue(proxy.procedureResult(33L, 0L, 35, 42, 37L, 38L, 39L, 40L, ProcedureStatus.RETURNED,
            large, 0, large.capacity(), error, 0, 0));
        expected.add(Recording.procedureResult(33L, 0L, 35, 42, 37L, 38L, 39L, 40L, ProcedureStatus.RETURNED,
            describe(large, 0, large.capacity()), ""));

        publication.drain(adapter);
        assertEquals(expected, listener.events);
        assertEquals(0, adapter.droppedCount());
        assertEquals(maxPayload == MTU_PAYLOAD ? 4 : 3, adapter.reassembledCount());
    }

    @Test
    void ingressMessagesShouldBeUnknownTemplatesToTheEgressAdapter()
    {
        final FakePublication publication = new FakePublication(1 << 20, MTU_PAYLOAD, 1);
        final CoreIngressProxy proxy = new CoreIngressProxy(publication, 64 * 1024, 1 << 20);
        final Recording.Egress listener = new Recording.Egress();
        final CoreEgressAdapter adapter = new CoreEgressAdapter(listener, 1 << 20);
        assertTrue(proxy.edgeBootstrap(1, 0));
        publication.drain(adapter);
        assertEquals(List.of(), listener.events);
        assertEquals(1, adapter.unknownTemplateCount());
    }

    static UnsafeBuffer randomBytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return new UnsafeBuffer(bytes);
    }
}
