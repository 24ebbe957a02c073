package io.lightcone.txn.loop;

import java.nio.file.Paths;
import java.util.Random;

/**
 * The child of {@link LoopCrashTest}: starts an EmbeddedCore (durable) on a data directory, publishes keynote and
 * seeds 10 accounts of 1000 unless recovery brought the bank back, then runs random transfers through the wire
 * until killed, printing {@code durable <upTo>} for each Durable of the bank.
 */
public final class LoopCrashChild
{
    static final String BANK = "bank";
    static final int ACCOUNTS = 10;
    static final long INITIAL = 1000;

    private LoopCrashChild()
    {
    }

    /**
     * @param args the data directory.
     */
    public static void main(final String[] args)
    {
        final TxnLoopContext ctx = new TxnLoopContext().dataDir(Paths.get(args[0]).toFile())
            .idleStrategyName("backoff").snapshotIntervalTxs(200);
        final CoreDriver driver = new CoreDriver(ctx);
        final Database existing = driver.core.onLoop((agent) -> agent.registry().byName(BANK), CoreDriver.WAIT_MS);
        final long bank;
        if (null == existing)
        {
            bank = driver.publishOk(BANK, "keynote");
            driver.call(bank, "seed", CoreDriver.args().putInt(ACCOUNTS).putLong(INITIAL));
        }
        else
        {
            bank = existing.id();
        }
        System.out.println("ready " + driver.core.onLoop(TxnLoopAgent::nextTxOffset, CoreDriver.WAIT_MS));
        final Random random = new Random();
        int seen = 0;
        long printed = -1;
        int inFlight = 0;
        while (true)
        {
            while (inFlight < 16)
            {
                final int from = random.nextInt(ACCOUNTS);
                driver.send(bank, "transfer", CoreDriver.args().putInt(from).putInt((from + 1 +
                    random.nextInt(ACCOUNTS - 1)) % ACCOUNTS).putLong(1 + random.nextInt(20)));
                inFlight++;
            }
            driver.client.poll(100);
            final var events = driver.recorder.events;
            for (; seen < events.size(); seen++)
            {
                final Object event = events.get(seen);
                if (event instanceof Recorder.Durable d && d.databaseId() == bank && d.upTo() > printed)
                {
                    printed = d.upTo();
                    System.out.println("durable " + printed);
                }
                else if (event instanceof Recorder.Tx || event instanceof Recorder.Failed)
                {
                    inFlight--;
                }
            }
            if (seen > 100_000)
            {
                events.clear();
                seen = 0;
            }
        }
    }
}
