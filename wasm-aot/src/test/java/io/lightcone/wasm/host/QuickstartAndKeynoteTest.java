package io.lightcone.wasm.host;

import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickstartAndKeynoteTest
{
    @TempDir
    Path cacheDir;

    @Test
    void quickstartShouldInsertAndGreetEveryPerson()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("quickstart");
            assertEquals(CallOutcome.ok(), f.call("add", HostFixture.args().writeString("Alice").toByteArray()));
            assertEquals(CallOutcome.ok(), f.call("add", HostFixture.args().writeString("Bob").toByteArray()));
            assertEquals(2, f.rowCount("person"));
            assertEquals(CallOutcome.ok(), f.call("say_hello", HostFixture.none()));
            final List<String> messages = f.instance.log().records().stream().map(LogRecord::message).toList();
            assertTrue(messages.contains("Hello, Alice!"), messages.toString());
            assertTrue(messages.contains("Hello, Bob!"), messages.toString());
            assertTrue(messages.contains("Hello, World!"), messages.toString());
            final LogRecord hello = f.instance.log().records().get(messages.indexOf("Hello, World!"));
            assertEquals(LogRecord.INFO, hello.level());
            assertTrue(hello.timestampMicros() > 0);
        }
    }

    @Test
    void keynoteTransfersShouldConserveTheTotalAndReportUserErrors()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("keynote");
            final int n = 100;
            assertEquals(CallOutcome.ok(), f.call("seed", HostFixture.args().writeU32(n).writeU64(1000).toByteArray()));
            assertEquals(n, f.rowCount("accounts"));
            for (int i = 0; i < 500; i++)
            {
                final CallOutcome outcome = f.call("transfer", transfer(i % n, (i * 7 + 3) % n, 1 + i % 50));
                assertTrue(outcome.isOk() || outcome.message().equals("cannot transfer to the same account"),
                    outcome.toString());
            }
            assertEquals(n * 1000L, total(f));
            assertUserError(f.call("transfer", transfer(5, 5, 10)), "cannot transfer to the same account");
            assertUserError(f.call("transfer", transfer(1, 2, 0)), "amount must be positive");
            assertUserError(f.call("transfer", transfer(1, 1000, 10)), "account 1000 not found");
            assertUserError(f.call("transfer", transfer(1, 2, 1_000_000)), "insufficient balance");
            assertEquals(n * 1000L, total(f));
            assertEquals(CallOutcome.ok(), f.call("empty", HostFixture.none()));
            // seed again clears with datastore_clear
            assertEquals(CallOutcome.ok(), f.call("seed", HostFixture.args().writeU32(10).writeU64(5).toByteArray()));
            assertEquals(10, f.rowCount("accounts"));
            assertEquals(50L, total(f));
        }
    }

    @Test
    void aCallShouldReadOnlyTheGivenPrefixOfAReusedArgumentArray()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("keynote");
            final int n = 20;
            assertEquals(CallOutcome.ok(), f.call("seed", HostFixture.args().writeU32(n).writeU64(100).toByteArray()));
            final int transferId = f.instance.moduleDef().reducer("transfer").id();
            final long[] model = new long[n];
            java.util.Arrays.fill(model, 100);
            final java.util.Random random = new java.util.Random(0x5EED);
            final byte[] reused = new byte[64];
            for (int i = 0; i < 300; i++)
            {
                random.nextBytes(reused);
                final int from = random.nextInt(n);
                final int to = random.nextInt(n);
                final long amount = 1 + random.nextInt(60);
                final byte[] call = transfer(from, to, amount);
                System.arraycopy(call, 0, reused, 0, call.length);
                final MutTx tx = f.datastore.beginMutTx();
                final CallOutcome outcome = f.instance.callReducer(
                    tx, transferId, HostFixture.SENDER, HostFixture.NO_CONNECTION, 1L, reused, call.length);
                final boolean expectOk = from != to && amount <= model[from];
                assertEquals(expectOk, outcome.isOk(), outcome.toString());
                if (outcome.isOk())
                {
                    tx.commit();
                    model[from] -= amount;
                    model[to] += amount;
                }
                else
                {
                    tx.rollback();
                }
            }
            final StoredTable accounts = f.datastore.table("accounts");
            final MutTx tx = f.datastore.beginMutTx();
            int rows = 0;
            for (int r = tx.nextVisible(accounts, 0); r >= 0; r = tx.nextVisible(accounts, r + 1))
            {
                final int id = (int)accounts.rows().getLong(r, 0);
                assertEquals(model[id], accounts.rows().getLong(r, 1), "balance of " + id);
                rows++;
            }
            tx.rollback();
            assertEquals(n, rows);
        }
    }

    @Test
    void bigModuleShouldCompileEveryFunctionAndRun()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("big");
            assertTrue(f.instance.compiledModule().interpretedFunctions().isEmpty(), "no function fell back");
            for (int slot = 0; slot < 20; slot++)
            {
                final byte[] args = HostFixture.args().writeU32(slot * 199).writeU64(slot).toByteArray();
                assertEquals(CallOutcome.ok(), f.call("compute", args));
            }
            assertEquals(CallOutcome.ok(), f.call("compute", HostFixture.args().writeU32(0).writeU64(1).toByteArray()));
            assertEquals(20, f.rowCount("result"), "compute on an existing slot updates its row");
        }
    }

    private static void assertUserError(final CallOutcome outcome, final String message)
    {
        assertEquals(CallOutcome.Status.USER_ERROR, outcome.status(), outcome.toString());
        assertEquals(message, outcome.message());
    }

    private static byte[] transfer(final int from, final int to, final long amount)
    {
        return HostFixture.args().writeU32(from).writeU32(to).writeU64(amount).toByteArray();
    }

    private static long total(final HostFixture f)
    {
        final StoredTable accounts = f.datastore.table("accounts");
        final MutTx tx = f.datastore.beginMutTx();
        long sum = 0;
        for (int r = tx.nextVisible(accounts, 0); r >= 0; r = tx.nextVisible(accounts, r + 1))
        {
            sum += accounts.rows().getLong(r, 1);
        }
        tx.rollback();
        return sum;
    }
}
