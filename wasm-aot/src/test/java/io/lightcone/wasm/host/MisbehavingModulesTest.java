package io.lightcone.wasm.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MisbehavingModulesTest
{
    @TempDir
    Path cacheDir;

    @Test
    void everyTrapShouldBeAnInternalErrorAndTheNextCallShouldSucceed()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("trap");
            final int[] traps = {0, 3, 4};
            for (final int reducer : traps)
            {
                final CallOutcome outcome = f.call(reducer, HostFixture.none());
                assertEquals(CallOutcome.Status.INTERNAL_ERROR, outcome.status(), outcome.toString());
                assertTrue(outcome.message().startsWith("wasm trap: "), outcome.message());
                assertEquals(CallOutcome.ok(), f.call(1, HostFixture.none()));
            }
            final CallOutcome overflow = f.call(6, HostFixture.args().writeU32(1_000_000_000).toByteArray());
            assertEquals(CallOutcome.Status.INTERNAL_ERROR, overflow.status(), overflow.toString());
            assertEquals(CallOutcome.ok(), f.call(1, HostFixture.none()));

            final CallOutcome inserted = f.call(2, HostFixture.args().writeU32(5).toByteArray());
            assertEquals(CallOutcome.Status.INTERNAL_ERROR, inserted.status());
            assertEquals(0, f.rowCount("t"), "the insert before the trap is rolled back");

            final CallOutcome user = f.call(5, HostFixture.args().writeString("nope").toByteArray());
            assertEquals(CallOutcome.Status.USER_ERROR, user.status());
            assertEquals("nope", user.message());
            assertEquals(6, f.instance.instantiations(), "one rebuild per trap, none for a user error");
        }
    }

    @Test
    void trapMessagesShouldNameTheTrap()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("trap");
            assertTrue(f.call(0, HostFixture.none()).message().contains("unreachable"));
            assertTrue(f.call(3, HostFixture.none()).message().toLowerCase().contains("divide by zero"));
            assertTrue(f.call(4, HostFixture.none()).message().toLowerCase().contains("out of bounds"));
        }
    }

    @Test
    void endlessLoopShouldRunOutOfEnergyAndTheHostShouldKeepServing()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.context.callBudget(Duration.ofMillis(200));
            f.start("loop");
            for (final int reducer : new int[] {0, 1})
            {
                final long start = System.nanoTime();
                final CallOutcome outcome = f.call(reducer, HostFixture.none());
                final long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(CallOutcome.Status.OUT_OF_ENERGY, outcome.status(), outcome.toString());
                assertEquals("reducer ran out of energy", outcome.message());
                assertTrue(tookMs >= 190 && tookMs < 5_000, "took " + tookMs + " ms");
                assertFalse(Thread.currentThread().isInterrupted(), "the interrupt must not leak");
                assertEquals(CallOutcome.ok(), f.call(2, HostFixture.none()));
            }
            assertEquals(CallOutcome.ok(), f.call(3, HostFixture.args().writeU64(10_000).toByteArray()));
            assertEquals(3, f.instance.instantiations());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void aPendingInterruptShouldSurviveACall()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.start("loop");
            Thread.currentThread().interrupt();
            final CallOutcome outcome = f.call(2, HostFixture.none());
            assertTrue(Thread.interrupted(), "an interrupt from elsewhere (e.g. AgentRunner.close) is kept");
            assertEquals(CallOutcome.ok(), outcome, "and does not disturb the call: it is set aside and restored");
            assertEquals(CallOutcome.ok(), f.call(2, HostFixture.none()));
        }
    }

    @Test
    void memoryGrowthShouldStopAtTheLimit()
    {
        try (HostFixture f = new HostFixture(cacheDir))
        {
            f.context.memoryLimitBytes(32L * 1024 * 1024);
            f.start("memhog");
            assertEquals(512, f.instance.memoryLimitPages());
            final CallOutcome hog = f.call(0, HostFixture.none());
            assertEquals(CallOutcome.Status.USER_ERROR, hog.status(), hog.toString());
            assertTrue(hog.message().contains("memory is 512 pages"), hog.message());
            assertEquals(CallOutcome.ok(), f.call(3, HostFixture.none()));
            final long before = f.instance.instantiations();
            final CallOutcome touch = f.call(1, HostFixture.none());
            assertEquals(CallOutcome.Status.INTERNAL_ERROR, touch.status(), touch.toString());
            assertTrue(touch.message().contains("memory is at its limit"), touch.message());
            assertEquals(CallOutcome.ok(), f.call(3, HostFixture.none()));
            assertTrue(f.instance.instantiations() > before);
            assertTrue(f.instance.memoryPages() < 512, "rebuilt instance starts small");
        }
    }
}
