package io.lightcone.wasm.host;

import com.sun.net.httpserver.HttpServer;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.txn.MutTx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EverythingTest
{
    private static final int INSERT_ONE = 3;
    private static final int LOOKUPS = 4;
    private static final int SCAN_ALL = 5;
    private static final int CLIENT_CONNECTED = 1;
    private static final int MISC = 13;
    private static final int SCHEDULE_NOW = 14;
    private static final int SELFTEST = 18;
    private static final int FAIL_USER = 19;

    @TempDir
    Path cacheDir;

    private HostFixture start(final Map<String, String> jwts)
    {
        final HostFixture f = new HostFixture(cacheDir);
        f.context.jwtPayloads((connectionId) -> jwts.get(HexFormat.of().formatHex(connectionId)));
        return f.start("everything");
    }

    @Test
    void selftestShouldPassEveryHostCall()
    {
        try (HostFixture f = start(Map.of()))
        {
            final CallOutcome outcome = f.call(SELFTEST, HostFixture.none());
            assertEquals(CallOutcome.ok(), outcome, outcome.message());
            assertEquals(0, f.rowCount("everything"));
            assertEquals(1, f.instance.instantiations());
        }
    }

    @Test
    void reducersShouldPassOneByOne()
    {
        try (HostFixture f = start(Map.of()))
        {
            assertOk(f.call(INSERT_ONE, HostFixture.args().writeU32(7).writeString("seven").toByteArray()));
            assertOk(f.call(INSERT_ONE, HostFixture.args().writeU32(8).writeString("eight").toByteArray()));
            assertEquals(2, f.rowCount("everything"));
            final CallOutcome duplicate = f.call(INSERT_ONE,
                HostFixture.args().writeU32(7).writeString("seven").toByteArray());
            assertEquals(CallOutcome.Status.USER_ERROR, duplicate.status());
            assertTrue(duplicate.message().contains("UNIQUE_ALREADY_EXISTS"), duplicate.message());
            assertOk(f.call(LOOKUPS, HostFixture.none()));
            assertOk(f.call(SCAN_ALL, HostFixture.none()));
            assertOk(f.call(MISC, HostFixture.args().writeString("tag").toByteArray()));
            final CallOutcome failed = f.call(FAIL_USER, HostFixture.none());
            assertEquals(CallOutcome.failed(CallOutcome.Status.USER_ERROR, "deliberate user error").message(),
                failed.message());
        }
    }

    @Test
    void scheduleImmediateShouldBeRecordedForTheCaller()
    {
        try (HostFixture f = start(Map.of()))
        {
            assertOk(f.call(SCHEDULE_NOW, HostFixture.args().writeString("hi").toByteArray()));
            final List<ScheduledCall> calls = f.instance.scheduledCalls();
            assertEquals(1, calls.size());
            assertEquals("ev_emit", calls.get(0).reducerName());
            assertEquals("hi", new BsatnReader(calls.get(0).args()).readString());
        }
    }

    @Test
    void getJwtShouldReturnThePayloadOfTheConnection()
    {
        final byte[] connection = new byte[16];
        connection[0] = 42;
        final Map<String, String> jwts = new HashMap<>();
        jwts.put(HexFormat.of().formatHex(connection), "{\"sub\":\"alice\"}");
        try (HostFixture f = start(jwts))
        {
            final MutTx tx = f.datastore.beginMutTx();
            final CallOutcome outcome = f.instance.callReducer(tx, CLIENT_CONNECTED, HostFixture.SENDER, connection,
                HostEnv.nowMicros(), new byte[0]);
            tx.commit();
            assertOk(outcome);
            assertTrue(f.instance.log().records().stream().anyMatch((r) -> r.message().contains("{\"sub\":\"alice\"}")),
                f.instance.log().records().toString());
        }
    }

    @Test
    void procedureShouldRunExplicitTransactions()
    {
        final AtomicInteger commits = new AtomicInteger();
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.context.procedureCommitter((tx) ->
            {
                tx.commit();
                commits.incrementAndGet();
                return null;
            });
            f.start("everything");
            final CallOutcome outcome = f.instance.callProcedure(0, HostFixture.SENDER, HostFixture.NO_CONNECTION,
                HostEnv.nowMicros(), HostFixture.args().writeU32(10).toByteArray());
            assertOk(outcome);
            assertEquals(1, new BsatnReader(outcome.output()).readI32());
            assertEquals(2, commits.get());
            assertEquals(1, f.rowCount("kv"));
            assertFalse(f.datastore.isTxOpen());
        }
    }

    /** Invariant: a commit the committer refuses is rolled back and traps the procedure with the reason. */
    @Test
    void procedureShouldTrapWithTheReasonWhenItsCommitIsRefused()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.context.procedureCommitter((tx) ->
            {
                tx.rollback();
                return "transaction too large: split it";
            });
            f.start("everything");
            final CallOutcome outcome = f.instance.callProcedure(0, HostFixture.SENDER, HostFixture.NO_CONNECTION,
                HostEnv.nowMicros(), HostFixture.args().writeU32(10).toByteArray());
            assertEquals(CallOutcome.Status.INTERNAL_ERROR, outcome.status(), outcome.message());
            assertEquals("wasm trap: transaction too large: split it", outcome.message());
            assertEquals(0, f.rowCount("kv"));
            assertFalse(f.datastore.isTxOpen());
        }
    }

    @Test
    void viewsShouldReturnRowsWithAResultHeader()
    {
        try (HostFixture f = start(Map.of()))
        {
            assertOk(f.instance.callProcedure(0, HostFixture.SENDER, HostFixture.NO_CONNECTION, HostEnv.nowMicros(),
                HostFixture.args().writeU32(1).toByteArray()));
            final MutTx tx = f.datastore.beginMutTx();
            final CallOutcome named = f.instance.callView(tx, 0, HostFixture.SENDER, new byte[0]);
            final CallOutcome anon = f.instance.callAnonymousView(tx, 0, new byte[0]);
            tx.rollback();
            assertOk(named);
            assertOk(anon);
            for (final CallOutcome view : List.of(named, anon))
            {
                final BsatnReader reader = new BsatnReader(view.output());
                assertEquals(0, reader.readU8());
                assertEquals(1, reader.readLength(0, "rows"));
                assertEquals(1, reader.readI32());
                assertEquals("proc", reader.readString());
            }
        }
    }

    @Test
    void httpProcedureShouldReachALocalServerAndReportARefusedPort() throws IOException
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hello", (exchange) ->
        {
            final byte[] body = "hello from 127.0.0.1".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        server.start();
        final int refusedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")))
        {
            refusedPort = socket.getLocalPort();
        }
        try (HostFixture f = start(Map.of()))
        {
            final String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello";
            final CallOutcome ok = f.instance.callProcedure(1, HostFixture.SENDER, HostFixture.NO_CONNECTION,
                HostEnv.nowMicros(), HostFixture.args().writeString(url).toByteArray());
            assertOk(ok);
            BsatnReader reader = new BsatnReader(ok.output());
            assertTrue(reader.readBool());
            assertEquals(201, reader.readU16());
            assertEquals("hello from 127.0.0.1", reader.readString());

            final CallOutcome refused = f.instance.callProcedure(1, HostFixture.SENDER, HostFixture.NO_CONNECTION,
                HostEnv.nowMicros(), HostFixture.args().writeString("http://127.0.0.1:" + refusedPort + "/")
                .toByteArray());
            assertOk(refused);
            reader = new BsatnReader(refused.output());
            assertFalse(reader.readBool());
            assertEquals(0, reader.readU16());
            final String error = reader.readString();
            assertTrue(error.contains("ConnectException"), error);
        }
        finally
        {
            server.stop(0);
        }
    }

    @Test
    void sleepProcedureShouldWakeAtTheRequestedTime()
    {
        try (HostFixture f = start(Map.of()))
        {
            final long ts = HostEnv.nowMicros();
            final CallOutcome outcome = f.instance.callProcedure(2, HostFixture.SENDER, HostFixture.NO_CONNECTION,
                ts, HostFixture.args().writeU64(20_000).toByteArray());
            assertOk(outcome);
            assertTrue(new BsatnReader(outcome.output()).readI64() >= ts + 20_000);
        }
    }

    private static void assertOk(final CallOutcome outcome)
    {
        assertEquals(CallOutcome.Status.OK, outcome.status(), outcome.message());
    }
}
