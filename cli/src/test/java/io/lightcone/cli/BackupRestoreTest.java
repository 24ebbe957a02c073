package io.lightcone.cli;

import io.lightcone.cli.ops.AdminClient;
import io.lightcone.cli.ops.AdminEndpoint;
import io.lightcone.cli.ops.Backup;
import io.lightcone.cli.ops.BackupManifest;
import io.lightcone.cli.ops.OpsException;
import io.lightcone.cli.ops.Restore;
import io.lightcone.core.txn.StoredTable;
import io.lightcone.txn.loop.TxnLoopAgent;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Online backup under load, restore, recovery: the restored state is exactly the model's state at the backup's tx
 * offset, and everything reported durable before the backup started is in it; damaged backups are refused, naming
 * the file and offset, and restore nothing.
 */
@Timeout(300)
final class BackupRestoreTest
{
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void onlineBackupUnderLoadShouldRestoreExactlyTheStateAtItsTxOffset() throws Exception
    {
        final Path dataDir = tmp.resolve("data");
        final Path backupDir = tmp.resolve("backup");
        final Path restoredDir = tmp.resolve("restored");
        final long backupTxOffset;
        final long durableBeforeBackup;
        final TransferDriver driver;
        try (LightconeServer server = LightconeServer.start(keynote(dataDir), out))
        {
            final Path endpoint = dataDir.resolve(AdminEndpoint.FILE_NAME);
            assertTrue(Files.isRegularFile(endpoint));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint)));
            final long databaseId = server.core().onLoop((agent) -> agent.registry().byName("keynote").id(), 5_000);
            driver = new TransferDriver(server.core(), databaseId, 42L);
            driver.start();
            await(() -> driver.committedCount() > 300 && driver.durable() > 0, driver);

            durableBeforeBackup = driver.durable();
            final List<String> progress = new ArrayList<>();
            final String answer = AdminClient.request(dataDir, "backup " + backupDir, progress::add);
            assertNotNull(answer, "the server answers on its admin endpoint");
            backupTxOffset = Long.parseLong(answer.substring(answer.lastIndexOf("txOffset=") + 9));
            assertTrue(progress.stream().anyMatch((line) -> line.startsWith("snapshotted 1 database")),
                progress::toString);

            final int atBackup = driver.committedCount();
            await(() -> driver.committedCount() > atBackup + 300, driver);
            driver.close();
            assertNull(driver.error());
        }
        assertFalse(Files.exists(dataDir.resolve(AdminEndpoint.FILE_NAME)), "the endpoint file is deleted on close");
        assertTrue(backupTxOffset >= durableBeforeBackup, "everything durable before the backup is in it: " +
            backupTxOffset + " < " + durableBeforeBackup);
        assertTrue(driver.committedOffsets().stream().anyMatch((offset) -> offset > backupTxOffset),
            "the stream went on after the backup");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backupDir)));

        final BackupManifest manifest = Restore.restore(backupDir, restoredDir, false, out::println);
        assertEquals(backupTxOffset, manifest.txOffset());
        assertEquals(1, manifest.databases().size());

        output.reset();
        try (LightconeServer restored = LightconeServer.start(new LightconeServer.Settings(restoredDir, "127.0.0.1:0",
            true, Map.of()), out))
        {
            final TxnLoopAgent.RecoveryReport report = restored.core().recoveryReport();
            assertEquals(backupTxOffset + 1, report.nextTxOffset(), output.toString(StandardCharsets.UTF_8));
            final Map<Integer, Long> balances = restored.core().onLoop(
                (agent) -> balances(agent.registry().byName("keynote").datastore().table("accounts")), 5_000);
            final Map<Integer, Long> expected = driver.balancesAt(backupTxOffset);
            assertEquals(TransferDriver.ACCOUNTS, expected.size());
            assertEquals(expected, balances, "the restored state is the state at tx offset " + backupTxOffset);
            assertEquals(TransferDriver.ACCOUNTS * TransferDriver.START_BALANCE,
                balances.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    void damagedBackupShouldBeRefusedNamingTheFileAndOffsetAndRestoreNothing() throws Exception
    {
        final Path dataDir = tmp.resolve("data");
        try (LightconeServer server = LightconeServer.start(keynote(dataDir), out))
        {
            final long databaseId = server.core().onLoop((agent) -> agent.registry().byName("keynote").id(), 5_000);
            try (TransferDriver driver = new TransferDriver(server.core(), databaseId, 7L))
            {
                driver.start();
                await(() -> driver.committedCount() > 200 && driver.durable() > 0, driver);
            }
        }
        final Path backupDir = tmp.resolve("backup");
        final Backup.Result result = Backup.offline(dataDir, backupDir, out::println);
        assertEquals(1, result.databases());
        final BackupManifest manifest = Restore.verify(backupDir);
        assertEquals(result.txOffset(), manifest.txOffset());

        final String snapshot = only(manifest, ".snapshot");
        final String segment = only(manifest, ".lclog");
        for (final String damaged : List.of(snapshot, segment, "db/" + manifest.databases().get(0).id() +
            "/module.wasm"))
        {
            final Path copy = tmp.resolve("copy-" + damaged.replace('/', '_'));
            copyTree(backupDir, copy);
            final long size = Files.size(copy.resolve(damaged));
            final long at = size / 2 + 5;
            flip(copy.resolve(damaged), at);
            final Path target = tmp.resolve("target-" + damaged.replace('/', '_'));
            final OpsException refused = assertThrows(OpsException.class,
                () -> Restore.restore(copy, target, false, out::println));
            assertEquals(OpsException.EXIT_DAMAGED, refused.exitCode());
            final long blockStart = at / BackupManifest.BLOCK_SIZE * BackupManifest.BLOCK_SIZE;
            assertTrue(refused.getMessage().contains(copy.resolve(damaged).toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("byte offset " + blockStart), refused.getMessage());
            assertFalse(Files.exists(target.resolve("db")), "nothing restored");
        }

        final Path occupied = tmp.resolve("occupied");
        Files.createDirectories(occupied);
        Files.writeString(occupied.resolve("something"), "x");
        final OpsException notEmpty = assertThrows(OpsException.class,
            () -> Restore.restore(backupDir, occupied, false, out::println));
        assertEquals(OpsException.EXIT_USAGE, notEmpty.exitCode());
        assertTrue(Files.exists(occupied.resolve("something")));
        Restore.restore(backupDir, occupied, true, out::println);
        assertFalse(Files.exists(occupied.resolve("something")), "--force replaces the contents");
        try (LightconeServer restored = LightconeServer.start(new LightconeServer.Settings(occupied, "127.0.0.1:0",
            true, Map.of()), out))
        {
            assertEquals(manifest.txOffset() + 1, restored.core().recoveryReport().nextTxOffset());
        }
    }

    @Test
    void commandLineShouldBackUpOfflineAndRestore() throws Exception
    {
        final Path dataDir = tmp.resolve("data");
        try (LightconeServer server = LightconeServer.start(keynote(dataDir), out))
        {
            assertTrue(Files.exists(dataDir.resolve(AdminEndpoint.FILE_NAME)), server::listeningLine);
        }
        final Path backupDir = tmp.resolve("b");
        assertEquals(0, Lightcone.commandLine().execute("backup", backupDir.toString(), "--data-dir",
            dataDir.toString()));
        assertTrue(Files.isRegularFile(backupDir.resolve(BackupManifest.FILE_NAME)));
        assertEquals(OpsException.EXIT_USAGE, Lightcone.commandLine().execute("backup", backupDir.toString(),
            "--data-dir", dataDir.toString()), "a non-empty backup directory is refused");
        final Path restored = tmp.resolve("r");
        assertEquals(0, Lightcone.commandLine().execute("restore", backupDir.toString(), "--data-dir",
            restored.toString()));
        assertEquals(OpsException.EXIT_USAGE, Lightcone.commandLine().execute("restore", backupDir.toString(),
            "--data-dir", restored.toString()));
        assertEquals(OpsException.EXIT_DAMAGED, Lightcone.commandLine().execute("restore", tmp.resolve("none")
            .toString(), "--data-dir", tmp.resolve("r2").toString()));
    }

    static LightconeServer.Settings keynote(final Path dataDir) throws Exception
    {
        final Path module = Path.of(BackupRestoreTest.class.getResource("/modules/keynote.wasm").toURI());
        return new LightconeServer.Settings(dataDir, "127.0.0.1:0", true, Map.of("keynote", module));
    }

    static Map<Integer, Long> balances(final StoredTable table)
    {
        final Map<Integer, Long> balances = new TreeMap<>();
        final ExpandableArrayBuffer row = new ExpandableArrayBuffer(12);
        for (int rowId = table.rows().nextLive(0); rowId >= 0; rowId = table.rows().nextLive(rowId + 1))
        {
            table.rows().writeRow(rowId, row, 0);
            balances.put(row.getInt(0, ByteOrder.LITTLE_ENDIAN), row.getLong(4, ByteOrder.LITTLE_ENDIAN));
        }
        return balances;
    }

    private static String only(final BackupManifest manifest, final String suffix)
    {
        final List<String> paths = manifest.files().stream().map(BackupManifest.FileEntry::path)
            .filter((path) -> path.endsWith(suffix)).toList();
        assertEquals(1, paths.size(), paths::toString);
        return paths.get(0);
    }

    private static void flip(final Path file, final long at) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[(int)at] ^= 0x10;
        Files.write(file, bytes);
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void await(final BooleanSupplier condition, final TransferDriver driver)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean())
        {
            assertNull(driver.error());
            assertTrue(System.nanoTime() - deadline < 0, "timed out");
            Thread.sleep(5);
        }
    }
}
