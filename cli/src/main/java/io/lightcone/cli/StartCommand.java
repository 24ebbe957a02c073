package io.lightcone.cli;

import io.lightcone.core.index.OrderedKeyEncoder;
import io.lightcone.core.sats.AlgebraicType;
import io.lightcone.core.sats.BsatnReader;
import io.lightcone.core.sats.ProductType;
import io.lightcone.core.schema.TableSchema;
import io.lightcone.core.snapshot.Snapshot;
import io.lightcone.core.txn.Datastore;
import io.lightcone.core.txn.MutTx;
import io.lightcone.core.txn.StoredTable;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * {@code lightcone start}: until the transaction loop and the WebSocket edge exist, this runs what exists on the
 * data directory: it recovers the {@code accounts} table from its snapshot (or creates and seeds it), runs a burst of
 * keynote-style transfer transactions through the storage engine, checks that money is conserved, and snapshots.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Run Lightcone on the embedded default (today: the storage engine on the data directory).")
final class StartCommand implements Callable<Integer>
{
    @Option(names = "--data-dir", defaultValue = "lightcone-data", description = "Data directory (${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--accounts", defaultValue = "100000", description = "Accounts to seed (${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--transfers", defaultValue = "1000000", description = "Transfers to run (${DEFAULT-VALUE}).")
    int transfers;

    private static final long INITIAL_BALANCE = 1_000_000_000L;

    @Override
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        Files.createDirectories(dataDir);
        final Path snapshot = dataDir.resolve("accounts.snapshot");
        final Datastore datastore;
        final long startNs = System.nanoTime();
        if (Files.exists(snapshot))
        {
            out.println("recovering " + snapshot + " ...");
            datastore = Snapshot.read(snapshot).datastore();
            out.printf("recovered %d rows in %.1f ms%n", datastore.table("accounts").rows().rowCount(),
                (System.nanoTime() - startNs) / 1e6);
        }
        else
        {
            datastore = new Datastore();
            seed(datastore);
            out.printf("seeded %d accounts in %.1f ms%n", accounts, (System.nanoTime() - startNs) / 1e6);
        }
        try (datastore)
        {
            final StoredTable table = datastore.table("accounts");
            final long before = totalBalance(table);
            final long transferStart = System.nanoTime();
            final int committed = runTransfers(datastore, table);
            final double seconds = (System.nanoTime() - transferStart) / 1e9;
            final long after = totalBalance(table);
            out.printf("%d transfer transactions in %.2f s: %.0f tx/s on one thread (storage engine only)%n",
                committed, seconds, committed / seconds);
            out.printf("total balance before %d, after %d: %s%n", before, after, before == after ? "conserved" :
                "NOT CONSERVED");
            out.printf("memory: %.1f bytes per row including indexes%n",
                (double)datastore.memoryBytes() / Math.max(1, table.rows().rowCount()));
            final long snapshotStart = System.nanoTime();
            final long size = Snapshot.write(datastore, committed, snapshot);
            out.printf("snapshot %s: %d bytes in %.1f ms%n", snapshot, size, (System.nanoTime() - snapshotStart) / 1e6);
            out.println("The transaction loop, WebSocket edge and module host are not built yet (see the issues);");
            out.println("run ./lightcone start again to see recovery from the snapshot.");
            return before == after ? 0 : 1;
        }
    }

    private void seed(final Datastore datastore)
    {
        final StoredTable table = datastore.createTable(TableSchema.builder("accounts",
            ProductType.of("id", AlgebraicType.U32, "balance", AlgebraicType.I64)).primaryKey(0).build());
        final MutTx tx = datastore.beginMutTx();
        final ExpandableArrayBuffer row = new ExpandableArrayBuffer(16);
        for (int id = 0; id < accounts; id++)
        {
            row.putInt(0, id, LITTLE_ENDIAN);
            row.putLong(4, INITIAL_BALANCE, LITTLE_ENDIAN);
            if (tx.insert(table.tableId(), row, 0, 12) < 0)
            {
                throw new IllegalStateException(tx.lastError());
            }
        }
        tx.commit();
    }

    private int runTransfers(final Datastore datastore, final StoredTable table)
    {
        final int pk = table.indexId(table.schema().primaryKeyIndex());
        final SplittableRandom random = new SplittableRandom(0x12345678L);
        final ExpandableArrayBuffer key = new ExpandableArrayBuffer(16);
        final UnsafeBuffer idBytes = new UnsafeBuffer(new byte[4]);
        final BsatnReader reader = new BsatnReader();
        final ExpandableArrayBuffer row = new ExpandableArrayBuffer(16);
        final int count = Math.min(accounts, table.rows().rowCount());
        int committed = 0;
        for (int i = 0; i < transfers; i++)
        {
            final int from = random.nextInt(count);
            int to = random.nextInt(count);
            if (to == from)
            {
                to = (to + 1) % count;
            }
            final MutTx tx = datastore.beginMutTx();
            final long fromBalance = balance(tx, table, pk, from, key, idBytes, reader);
            final long toBalance = balance(tx, table, pk, to, key, idBytes, reader);
            if (fromBalance >= 1)
            {
                update(tx, pk, row, from, fromBalance - 1);
                update(tx, pk, row, to, toBalance + 1);
                tx.commit();
                committed++;
            }
            else
            {
                tx.rollback();
            }
        }
        return committed;
    }

    private static long balance(
        final MutTx tx, final StoredTable table, final int pk, final int id, final ExpandableArrayBuffer key,
        final UnsafeBuffer idBytes, final BsatnReader reader)
    {
        idBytes.putInt(0, id, LITTLE_ENDIAN);
        final int keyLength = OrderedKeyEncoder.encode(reader.wrap(idBytes, 0, 4), AlgebraicType.U32, key, 0);
        final int rowId = tx.find(pk, key, 0, keyLength);
        return table.rows().getLong(rowId, 1);
    }

    private static void update(
        final MutTx tx, final int pk, final ExpandableArrayBuffer row, final int id, final long balance)
    {
        row.putInt(0, id, LITTLE_ENDIAN);
        row.putLong(4, balance, LITTLE_ENDIAN);
        if (tx.update(pk, row, 0, 12) < 0)
        {
            throw new IllegalStateException(tx.lastError());
        }
    }

    private static long totalBalance(final StoredTable table)
    {
        long total = 0;
        for (int rowId = table.rows().nextLive(0); rowId >= 0; rowId = table.rows().nextLive(rowId + 1))
        {
            total += table.rows().getLong(rowId, 1);
        }
        return total;
    }
}
